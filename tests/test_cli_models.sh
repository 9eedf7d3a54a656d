#!/usr/bin/env bash
# The CLI on models as people bring them (the odd cases and int8 models the ctest fixtures make
# in $2): notes, layer lists, explanations with no layer given, and one-line refusals (exit 2).
source "$(dirname "$0")/cli_test_setup.sh"
models=$2
img=$models/case-image.png

check "--version" bash -c "'$iscam' --version | grep -E '^iscam [0-9]+\.[0-9]+\.[0-9]+$'"
for form in qdq qoperator; do
  q=$models/fashion-cnn-int8-$form.onnx
  check "layers of $form: the default is the DequantizeLinear output" bash -c "'$iscam' layers -m '$q' | grep -E '^\* +DequantizeLinear .*64x7x7'"
  check "explain $form with no layer given" "$iscam" explain -m "$q" -i "$image" --json "$tmp/$form.json"
  check "predict $form" bash -c "'$iscam' predict -m '$q' -i '$image' | grep -E '^ +1 +9 .*Ankle boot'"
done
check "QOperator layers list quantized candidates with their dtype" \
  bash -c "'$iscam' layers -m '$models/fashion-cnn-int8-qoperator.onnx' | grep -E '^  QLinearConv .*32x28x28 +channels-first, uint8 read dequantized'"
check "softmax output: a note, and probabilities as the model's" bash -c "
  '$iscam' predict -m '$models/case-softmax-last.onnx' -i '$img' -k 1 2>'$tmp/note' >'$tmp/soft' &&
  '$iscam' predict -m '$models/case-plain.onnx' -i '$img' -k 1 >'$tmp/plain' &&
  grep -q 'Softmax: iscam scores its input' '$tmp/note' && diff '$tmp/soft' '$tmp/plain'"
check "channels-last input: a note" bash -c "'$iscam' predict -m '$models/case-nhwc.onnx' -i '$img' 2>&1 >/dev/null | grep -q 'channels last'"
check "--output picks another output" bash -c "'$iscam' layers -m '$models/case-logits-not-first.onnx' --output flat | grep -q '^scores: output flat'"
check "external data loads" "$iscam" explain -m "$models/case-external-data.onnx" -i "$img" --method scorecam
check "--resize shorter --crop center, --bgr" "$iscam" explain -m "$models/case-dynamic-hw.onnx" -i "$root/web/samples/chelsea.png" \
  --size 32x32 --resize shorter --crop center --bgr --method scorecam --overlay "$tmp/crop.png"
check "fast mode says so in the JSON" bash -c "
  '$iscam' explain -m '$model' -i '$image' --channels 8 --json '$tmp/fast.json' && /usr/bin/python3 -c \"
import json
r = json.load(open('$tmp/fast.json'))
assert r['options']['fast_mode'] == {'channels': 8, 'criterion': 'variance'}, r['options']
assert r['channels_scored'] <= 8 and sum(1 for w in r['weights'] if w == 0) >= 64 - 8 - r['channels_skipped']
\""

refuse "folder as model" "model '.*' is a folder" layers -m "$tmp"
refuse "folder as image" "image '.*' is a folder" explain -m "$model" -i "$tmp"
refuse "1000 input channels" "1000 input channels; an image gives 1 \(gray\) or 3" explain -m "$models/case-1000-channels.onnx" -i "$img"
refuse "output reshaped to two rows" "has shape 2×64 for a batch of 32" explain -m "$models/case-reshape-2.onnx" -i "$img" --batch 32
refuse "nothing to probe" "no tensor that could be a target layer" explain -m "$models/case-no-layer.onnx" -i "$img"
refuse "unknown --output" "'nope' is not an output of the model" predict -m "$model" -i "$image" --output nope
refuse "bad --layout" "layout" predict -m "$model" -i "$image" --layout chw
refuse "bad --resize" "--resize/--crop takes stretch, shorter" predict -m "$models/case-plain.onnx" -i "$img" --resize wide
refuse "shorter side below the input" "must be at least the input size" predict -m "$models/case-plain.onnx" -i "$img" --resize 8
mkdir -p "$tmp/lonely" && cp "$models/case-external-data.onnx" "$tmp/lonely/"
refuse "external data file missing" "lonely/case-external-data.onnx': ONNX Runtime cannot load the model" predict -m "$tmp/lonely/case-external-data.onnx" -i "$img"
refuse "fast mode with 0 channels" "channels" explain -m "$model" -i "$image" --channels 0

echo "cli models: $passed passed, $failed failed"
[ $failed -eq 0 ]
