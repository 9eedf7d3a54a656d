#!/usr/bin/env bash
# Benchmarks the native CPU path: Score-CAM and IS-CAM on the default model and on torchvision
# resnet18, squeezenet1_1 and mobilenet_v2 at 224 (random weights). One JSON line per run.
#   scripts/bench.sh [extra iscam bench options, e.g. --batch 64 --threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
iscam=build/native/native/iscam
[ -x "$iscam" ] || scripts/build-native.sh >/dev/null
scripts/export-test-models.sh resnet18 squeezenet1_1 mobilenet_v2 >/dev/null
"$iscam" bench --model web/models/fashion-cnn.onnx --method scorecam,iscam "$@"
for arch in resnet18 squeezenet1_1 mobilenet_v2; do
  "$iscam" bench --model "build/models/$arch.onnx" --image web/samples/chelsea.png --preset imagenet \
    --method scorecam,iscam "$@"
done
