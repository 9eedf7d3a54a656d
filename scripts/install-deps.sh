#!/usr/bin/env bash
# Installs what iscam needs on Debian 12, as root: Debian packages with apt, the rest with npm.
#   scripts/install-deps.sh          what building and running needs (compilers, ONNX Runtime, Emscripten, node)
#   scripts/install-deps.sh --test   that, plus what the tests need (PyTorch, Chromium, sanitizers, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

packages=(
  build-essential cmake pkg-config git xz-utils
  libeigen3-dev libstb-dev libprotozero-dev nlohmann-json3-dev libcli11-dev
  libfccp-dev libboost-dev libssl-dev
  emscripten
)
test_packages=(
  catch2 clang libclang-rt-14-dev llvm pybind11-dev python3-dev python3-pytest python3-yaml
  python3-torch python3-torchvision python3-numpy python3-onnx python3-skimage dataset-fashion-mnist
  chromium fonts-dejavu-core shellcheck python3-pil python3-matplotlib python3-venv slurm-wlm munge
)
[ $with_tests = 1 ] && packages+=("${test_packages[@]}")
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm: ONNX Runtime (native C++ API and Web); the tests add playwright-core (a dev dependency).
needed=(node_modules/com.github.asus4.onnxruntime node_modules/onnxruntime-web)
[ $with_tests = 1 ] && needed+=(node_modules/playwright-core)
stale=0
for d in "${needed[@]}"; do [ -d "$d" ] || stale=1; done
[ package-lock.json -nt node_modules ] && stale=1
if [ $stale = 1 ]; then
  if [ $with_tests = 1 ]; then
    echo "== npm: ONNX Runtime (native and Web), playwright-core"
    npm ci --no-audit --no-fund
  else
    echo "== npm: ONNX Runtime (native and Web)"
    npm ci --no-audit --no-fund --omit=dev
  fi
fi
