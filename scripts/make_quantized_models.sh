#!/usr/bin/env bash
# Int8 QDQ and QOperator versions of the bundled model and of torchvision's squeezenet1_1
# (exported to build/models/ first if missing), calibrated on the bundled samples, into $1
# (default build/test-models). Models already there are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/test-models}
mkdir -p "$out"
scripts/export-test-models.sh squeezenet1_1 >/dev/null
quantize() {  # quantize MODEL NAME IMAGES...
  local model=$1 name=$2; shift 2
  for form in qdq qoperator; do
    [ -f "$out/$name-int8-$form.onnx" ] ||
      /usr/bin/python3 scripts/quantize_onnx.py --model "$model" --form $form --out "$out/$name-int8-$form.onnx" "$@"
  done
}
quantize web/models/fashion-cnn.onnx fashion-cnn web/samples/fashion-*.png
quantize build/models/squeezenet1_1.onnx squeezenet1_1 web/samples/chelsea.png web/samples/coffee.png
