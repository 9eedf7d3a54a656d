#!/usr/bin/env bash
# Exports the torchvision architectures the tests and benchmarks use (random weights, fixed seed)
# to build/models/, skipping those already there.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/models
for arch in "${@:-squeezenet1_1}"; do
  out=build/models/$arch.onnx
  [ -f "$out" ] || /usr/bin/python3 scripts/export_torchvision.py --arch "$arch" --out "$out" >/dev/null
  echo "$out"
done
