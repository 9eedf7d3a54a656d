#!/usr/bin/env bash
# The evaluation figures of the README: `iscam eval` over the first N Fashion-MNIST test images
# (default 500) with the bundled model and the three methods (SPEC defaults), then `iscam report`
# (HTML, CSV, the Markdown table it prints) and a screenshot of the report, docs/eval-report.png.
#   scripts/eval-figures.sh [N]       ISCAM=path/to/iscam  OUT=folder  (build/eval-fashion)
# Resumable: run it again after an interruption and it continues.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-500}
iscam=${ISCAM:-build/native/native/iscam}
out=${OUT:-build/eval-fashion}
mkdir -p "$out" docs

/usr/bin/python3 scripts/fashion_mnist_pngs.py --count "$count" --out "$out/images"
start=$(date +%s)
"$iscam" eval --model web/models/fashion-cnn.onnx --list "$out/images/images.csv" --method all \
  --out "$out/results.jsonl" --resume --progress
echo "eval: $(($(date +%s) - start)) s of wall time for this run"
"$iscam" report "$out/results.jsonl" --html "$out/report.html" --csv "$out/summary.csv" | tee "$out/table.md"
chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --window-size=1200,2300 \
  --screenshot="$PWD/docs/eval-report.png" "file://$PWD/$out/report.html" 2>/dev/null
echo "screenshot: docs/eval-report.png"
