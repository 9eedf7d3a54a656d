#!/usr/bin/env bash
# The wheel as a pip user gets it. Packs a build (default build/native, as scripts/test.sh leaves
# it) with scripts/build-wheel.sh, checks what the wheel holds (RECORD, and nothing loaded from
# outside it but the C/C++ runtime), installs it with pip --no-index into a fresh venv that sees
# Debian's numpy, torch and PIL, and runs tests/python there from another folder: path, bytes,
# array and PIL inputs equal to the CLI's maps, from_torch against the PyTorch reference, the
# documented exceptions.
#   scripts/test-wheel.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build/native}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-wheel: FAILED: $*" >&2; exit 1; }
start=$SECONDS
step() { echo "== test-wheel: $* ($((SECONDS - start)) s)"; }

step "pack $build"
OUT=$tmp/dist "$root/scripts/build-wheel.sh" "$build" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; fail "build-wheel.sh"; }
wheel=$(ls "$tmp"/dist/iscam-*-cp3*-linux_x86_64.whl) || fail "no wheel"
echo "   $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

step "what the wheel holds"
/usr/bin/python3 "$root/tests/python/check_wheel.py" "$wheel" || fail "the wheel's contents"

step "a fresh venv (--system-site-packages: Debian's numpy), pip install --no-index"
/usr/bin/python3 -m venv --system-site-packages --without-pip "$tmp/venv"
python=$tmp/venv/bin/python
# Debian's pip, seen through the system site packages, installs into the venv.
"$python" -m pip install -q --no-index --disable-pip-version-check "$wheel"
site=$("$python" -c "import sysconfig; print(sysconfig.get_paths()['platlib'])")
[ -f "$site/iscam/__init__.py" ] || fail "the wheel did not install into the venv"
for so in "$site"/iscam/_iscam*.so "$site"/iscam/lib/libiscam.so.*; do
  ! ldd "$so" | grep "not found" || fail "$(basename "$so") needs a library that is not found"
  outside=$(ldd "$so" | awk '/=>/ {print $3}' | grep -v "^$site/iscam/lib/" |
            grep -vE '^/(usr/)?lib/x86_64-linux-gnu/lib(c|m|dl|rt|pthread|stdc\+\+|gcc_s)\.so' || true)
  [ -z "$outside" ] || fail "$(basename "$so") loads from outside the wheel: $outside"
done

step "the wheel's own data: ImageNet names from iscam/share/iscam"
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere"
labels=$site/iscam/share/iscam/imagenet-labels.json
cp "$labels" "$tmp/labels.json"
"$python" -c "import json, sys; json.dump(['wheel-%d' % i for i in range(1000)], open(sys.argv[1], 'w'))" "$labels"
env -u PYTHONPATH -u ISCAM_DATA_DIR "$python" -c "
import sys
import iscam
assert iscam.__file__.startswith(sys.argv[1]), iscam.__file__
import torch, torchvision
torch.manual_seed(0)
model = iscam.from_torch(torchvision.models.squeezenet1_1(weights=None).eval(), torch.zeros(1, 3, 64, 64))
assert model.label(7) == 'wheel-7', model.label(7)
print(f'   iscam {iscam.__version__} imports from the venv; class names come from the wheel')" "$site" ||
  fail "the installed package"
cp "$tmp/labels.json" "$labels"

step "tests/python in the venv, from another folder"
env -u PYTHONPATH -u ISCAM_DATA_DIR ISCAM_CLI="$build/native/iscam" ISCAM_SOURCE_DIR="$root" \
  "$python" -m pytest -q -p no:cacheprovider "$root/tests/python" || fail "tests/python in the venv"
echo "test-wheel: passed ($((SECONDS - start)) s)"
