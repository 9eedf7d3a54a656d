#!/usr/bin/env bash
# Packs ONNX Runtime for an offline GPU machine: libonnxruntime.so (npm
# com.github.asus4.onnxruntime) with the CUDA provider libraries of scripts/install-cuda-deps.sh,
# tar | xz -6, cut into parts of at most 60 MB (three, about 170 MB in all). Carry the parts into
# the GPU machine's STASH folder (default /root/stash), where scripts/gpu-check.sh unpacks them.
#   scripts/gpu-stash.sh [OUT]      (default OUT: build/gpu-stash)
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-build/gpu-stash}
cpu=node_modules/com.github.asus4.onnxruntime/Plugins/Linux/x64
gpu=node_modules/com.github.asus4.onnxruntime.linux-x64-gpu/Plugins/Linux/x64
[ -f $gpu/libonnxruntime_providers_cuda.so ] || scripts/install-cuda-deps.sh
mkdir -p "$out"
rm -f "$out"/ort-cuda.tar.xz.part-*
tar -cf - -C $cpu libonnxruntime.so -C "$PWD/$gpu" libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so |
  xz -6 -T0 | split -b 60000000 - "$out"/ort-cuda.tar.xz.part-
ls -l "$out"/ort-cuda.tar.xz.part-*
