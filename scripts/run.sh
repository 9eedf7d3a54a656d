#!/usr/bin/env bash
# Installs everything, explains the bundled default with the CLI, then builds and serves the page.
#   scripts/run.sh            explain, then serve the page on http://127.0.0.1:8080/
#   scripts/run.sh --no-serve explain only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build-native.sh -DISCAM_TESTS=OFF

out=$PWD/build/out
mkdir -p "$out"
echo "== iscam explain: the bundled Fashion-MNIST CNN on a sample image, IS-CAM (plus Score-CAM and SS-CAM side by side)"
build/native/native/iscam explain --model web/models/fashion-cnn.onnx --image web/samples/fashion-0-ankle-boot.png \
  --method all --out "$out/heatmap.png" --overlay "$out/overlay.png" --compare "$out/side-by-side.png" \
  --json "$out/result.json"
echo "== iscam explain: the bundled ImageNet network (int8 MobileNet v2) on a photo, fast IS-CAM (64 channels)"
build/native/native/iscam explain --model web/models/mobilenetv2-12-int8.onnx --image web/samples/chelsea.png \
  --channels 64 --overlay "$out/photo-overlay.png" --json "$out/photo-result.json"

[ "${1:-}" = "--no-serve" ] && exit 0
scripts/build-web.sh
exec node web/serve.mjs
