#!/usr/bin/env bash
# `iscam layers` and `iscam explain` on token and channels-last layers (the models
# scripts/make_layer_models.py writes in $2): how each layer is read, the defaults, one-line
# refusals (exit 2) where no rule reads a layer, and the overrides that read it.
source "$(dirname "$0")/cli_test_setup.sh"
models=$2
block=/blocks/blocks.1/Add_1_output_0

check "ViT: the default is the last encoder block, read as CLS + 4×4 grid" \
  bash -c "'$iscam' layers -m '$models/vit-cls.onnx' --size 32x32 | grep -E '^\* +Add +$block +16x4x4 +tokens: CLS \+ 4×4 grid$'"
check "ViT: the patch embedding is still a channels-first candidate" \
  bash -c "'$iscam' layers -m '$models/vit-cls.onnx' | grep -E '^  Conv .* 16x4x4 +channels-first'"
check "ViT: the attention scores (2 heads of 17×17) are not offered as maps" \
  bash -c "'$iscam' layers -m '$models/vit-cls.onnx' >'$tmp/vit' && grep -q 'attn/qkv/MatMul' '$tmp/vit' && ! grep -q 'attn/MatMul_output_0' '$tmp/vit'"
check "DeiT: CLS + distillation" bash -c "'$iscam' layers -m '$models/vit-dist.onnx' | grep -E '^\* .*tokens: CLS \+ distillation \+ 4×4 grid$'"
check "mean-pooled ViT: no extra token" bash -c "'$iscam' layers -m '$models/vit-mean.onnx' | grep -E '^\* .*tokens: 4×4 grid$'"
check "32×48 input: a 4×6 grid" bash -c "'$iscam' layers -m '$models/vit-wide.onnx' | grep -E '^\* .*16x4x6 +tokens: CLS \+ 4×6 grid$'"
check "token-major [T, N, D]" bash -c "'$iscam' layers -m '$models/vit-token-major.onnx' | grep -E '^\* .*tokens \(token-major\): CLS \+ 4×4 grid$'"
check "channels-last between Transposes: read as such, by the graph" \
  bash -c "'$iscam' layers -m '$models/cnn-channels-last.onnx' | grep -E '^  Relu +/stage/act/Relu_output_0 +8x8x8 +channels-last$'"
check "explain a ViT with the default layer: a 4×4 map" bash -c "
  '$iscam' explain -m '$models/vit-cls.onnx' --input-npy '$models/vit-cls-input.npy' --method scorecam --json '$tmp/vit.json' &&
  /usr/bin/python3 -c \"
import json
r = json.load(open('$tmp/vit.json'))
assert r['layer'] == '$block', r['layer']
assert len(r['map']) == 4 and len(r['map'][0]) == 4, r['map']
\""
check "explain a ViT's token layer: fast mode, deletion/insertion and ROAD" "$iscam" explain -m "$models/vit-cls.onnx" \
  --input-npy "$models/vit-cls-input.npy" --method scorecam --channels 4 --metrics faithfulness,road --steps 8
check "sanity checks on a ViT's token layer (the default)" "$iscam" sanity -m "$models/vit-cls.onnx" \
  --input-npy "$models/vit-cls-input.npy" --method scorecam --channels 4
check "explain a channels-last layer, fast mode and metrics" "$iscam" explain -m "$models/cnn-channels-last.onnx" \
  --input-npy "$models/cnn-channels-last-input.npy" --layer /stage/act/Relu_output_0 --channels 4 --metrics --steps 8

check "a token count no rule fits: a ! line with the reason and a warning" bash -c "
  '$iscam' layers -m '$models/bad-tokens.onnx' >'$tmp/bad' 2>'$tmp/warn' &&
  grep -E '^! +Add +$block +not read: .*19 tokens make no grid' '$tmp/bad' && grep -q '^iscam: warning: ' '$tmp/warn'"
refuse "explain a layer of 19 tokens" "19 tokens .*--tokens" explain -m "$models/bad-tokens.onnx" \
  --input-npy "$models/bad-tokens-input.npy" --layer "$block" --method scorecam
check "--tokens 3 reads it" bash -c "'$iscam' layers -m '$models/bad-tokens.onnx' --tokens 3 | grep -E '^\* .*$block +16x4x4 +tokens: 3 extra \+ 4×4 grid$'"
check "--tokens 3 explains it" "$iscam" explain -m "$models/bad-tokens.onnx" --input-npy "$models/bad-tokens-input.npy" \
  --layer "$block" --tokens 3 --method scorecam
refuse "--grid that does not make the token count" "a 3×3 grid does not make 19 tokens" explain -m "$models/bad-tokens.onnx" \
  --input-npy "$models/bad-tokens-input.npy" --layer "$block" --grid 3x3 --method scorecam
refuse "--grid that is not HxW" "--grid takes HxW" layers -m "$models/vit-cls.onnx" --grid 4

check "a layout nothing tells: a ! line, not the default" bash -c "
  '$iscam' layers -m '$models/bad-layout.onnx' >'$tmp/lay' 2>/dev/null &&
  grep -E '^! +Relu +/stage/act/Relu_output_0 +not read: .*--layer-layout' '$tmp/lay' && ! grep -E '^\* +Relu +/stage/act' '$tmp/lay'"
refuse "explain a layer whose layout nothing tells" "N×C×H×W or N×H×W×C" explain -m "$models/bad-layout.onnx" \
  --input-npy "$models/bad-layout-input.npy" --layer /stage/act/Relu_output_0 --method scorecam
check "--layer-layout nhwc reads it" bash -c "'$iscam' layers -m '$models/bad-layout.onnx' --layer-layout nhwc | grep -E '^. +Relu +/stage/act/Relu_output_0 +8x8x8 +channels-last$'"
check "the sidecar's layer_layout reads it" bash -c "
  cp '$models/bad-layout.onnx' '$tmp/side.onnx' && echo '{\"layer_layout\": \"nhwc\"}' > '$tmp/side.json' &&
  '$iscam' explain -m '$tmp/side.onnx' --input-npy '$models/bad-layout-input.npy' --layer /stage/act/Relu_output_0 --method scorecam"
check "the sidecar's tokens read it" bash -c "
  cp '$models/bad-tokens.onnx' '$tmp/tok.onnx' && echo '{\"tokens\": 3, \"grid\": [4, 4]}' > '$tmp/tok.json' &&
  '$iscam' layers -m '$tmp/tok.onnx' | grep -E '^\* .*tokens: 3 extra \+ 4×4 grid$'"

echo "cli layers: $passed passed, $failed failed"
[ $failed -eq 0 ]
