#!/usr/bin/env bash
# Every bad input through the CLI: exit code 2, one line naming the reason, nothing overwritten.
source "$(dirname "$0")/cli_test_setup.sh"
head -c 300 "$image" > "$tmp/truncated.png"
echo "not a model" > "$tmp/text.onnx"
head -c 5000 "$model" > "$tmp/truncated.onnx"
echo "precious" > "$tmp/keep.json"

expect() {  # expect "what" "reason regex" args...
  local what=$1 reason=$2; shift 2
  "$iscam" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local lines; lines=$(wc -l < "$tmp/err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qiE -e "$reason" "$tmp/err" && [ "$(cat "$tmp/keep.json")" = precious ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what: exit $rc, $lines stderr lines:"; cat "$tmp/err"
  fi
}

E=(explain -m "$model" -i "$image" --json "$tmp/keep.json")
expect "truncated image" "cannot decode the image" "${E[@]/$image/$tmp/truncated.png}"
expect "missing image" "cannot open image" explain -m "$model" -i "$tmp/none.png" --json "$tmp/keep.json"
expect "text file as model" "not an ONNX model" explain -m "$tmp/text.onnx" -i "$image" --json "$tmp/keep.json"
expect "truncated model" "not an ONNX model|ONNX Runtime cannot load" explain -m "$tmp/truncated.onnx" -i "$image" --json "$tmp/keep.json"
expect "image as model" "not an ONNX model" explain -m "$image" -i "$image" --json "$tmp/keep.json"
expect "missing model" "cannot open model" layers -m "$tmp/none.onnx"
expect "unknown layer" "no_such_layer" "${E[@]}" --layer no_such_layer
expect "class out of range" "class 10 is out of range" "${E[@]}" --class 10
expect "negative class" "out of range" "${E[@]}" --class -5
expect "contrast out of range" "contrast class 10 is out of range" "${E[@]}" --contrast 10
expect "negative contrast" "--contrast -1 is out of range" "${E[@]}" --contrast -1
expect "contrast equal to the class" "must differ" "${E[@]}" --class 9 --contrast 9
expect "contrast equal to the top-1" "must differ" "${E[@]}" --contrast 9
expect "contrast with metrics" "--metrics" "${E[@]}" --contrast 7 --metrics
expect "samples 0" "samples" "${E[@]}" --samples 0
expect "samples too many" "samples" "${E[@]}" --samples 100000
expect "negative sigma" "sigma" "${E[@]}" --sigma -1
expect "batch 0" "batch" "${E[@]}" --batch 0
expect "alpha 2" "alpha" "${E[@]}" --alpha 2
expect "unknown method" "unknown method 'gradcam'" "${E[@]}" --method gradcam
expect "unknown colormap" "colormap" "${E[@]}" --colormap rainbow
expect "bad size" "--size" "${E[@]}" --size 32
expect "size against a fixed model" "does not match" "${E[@]}" --size 32x32
expect "bad mean" "--mean" "${E[@]}" --mean 1,x,3
expect "zero std" "std" "${E[@]}" --std 0
expect "unknown preset" "unknown preprocessing preset" "${E[@]}" --preset zzz
expect "npy of the wrong shape" "shape" explain -m "$model" --input-npy "$root/tests/fixtures/squeezenet-input.npy" --json "$tmp/keep.json"
expect "npy that is not npy" "not a .npy" explain -m "$model" --input-npy "$tmp/keep.json" --json "$tmp/keep.json"
expect "no input" "--image or an --input-npy" explain -m "$model" --json "$tmp/keep.json"
expect "unknown option" "see --help" explain -m "$model" -i "$image" --frobnicate
expect "no subcommand" "see --help"
expect "unknown device" "device" "${E[@]}" --device tpu
expect "labels missing" "cannot open labels" predict -m "$model" -i "$image" --labels "$tmp/none.txt"

echo "cli errors: $passed passed, $failed failed"
[ $failed -eq 0 ]
