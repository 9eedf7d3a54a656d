#!/usr/bin/env bash
# Makes the wheel of the Python package, dist/iscam-VERSION-cpXY-cpXY-linux_x86_64.whl, with
# libiscam, ONNX Runtime and the bundled data inside (python/build_backend/iscam_build.py).
#   scripts/build-wheel.sh               builds in build/wheel (CPU only, no tests), then packs
#   scripts/build-wheel.sh BUILD_DIR     packs an existing build (e.g. build/native) after
#                                        bringing its module up to date
#   OUT=dir scripts/build-wheel.sh ...   writes the wheel to dir instead of dist/
# `pip wheel .` and `python3 -m build` make the same wheel through pyproject.toml.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$root/python/build_backend/iscam_build.py" --build-dir "${1:-$root/build/wheel}" \
  --out "${OUT:-$root/dist}"
