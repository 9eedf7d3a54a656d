#!/usr/bin/env bash
# Installs everything iscam needs on Debian 12, as root: Debian packages with apt, the rest with npm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git xz-utils
  libeigen3-dev libstb-dev libprotozero-dev nlohmann-json3-dev libcli11-dev catch2
  emscripten
  python3-torch python3-torchvision python3-numpy python3-onnx python3-skimage dataset-fashion-mnist
  chromium fonts-dejavu-core
)
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

if [ ! -d node_modules/com.github.asus4.onnxruntime ] || [ ! -d node_modules/onnxruntime-web ] || [ package-lock.json -nt node_modules ]; then
  echo "== npm: ONNX Runtime (native C++ API and Web), playwright-core"
  npm ci --no-audit --no-fund
fi
