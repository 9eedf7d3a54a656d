#!/usr/bin/env bash
# Hostile inputs (tests/hostile_inputs.py) through the CLI: each is refused with exit 2 and one line saying why,
# within a memory ceiling, leaving existing outputs untouched; budgets are announced; outputs are
# written all together or not at all. The crafted files are made by tests/hostile_inputs.py.
source "$(dirname "$0")/cli_test_setup.sh"
squeezenet=$root/build/models/squeezenet1_1.onnx
[ -f "$squeezenet" ] || { echo "missing $squeezenet: run scripts/export-test-models.sh (scripts/test.sh does)"; exit 1; }
bad=$tmp/bad
/usr/bin/python3 "$root/tests/hostile_inputs.py" "$bad"
echo "precious" > "$tmp/keep.json"
# The bombs took 3.2 to 11 GB before the fix. Sanitizers keep freed memory in quarantine: more room.
limit_mb=${ISCAM_TEST_SANITIZED:+1500}
limit_mb=${limit_mb:-300}

# Runs a command; its exit code is returned, its peak resident memory (MiB) left in $tmp/rss.
measured() {
  /usr/bin/python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024))
sys.exit(rc)' "$tmp/rss" "$@"
}
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $1"; cat "$tmp/err"; }

refused() {  # refused "what" "reason regex" iscam-args...
  local what=$1 reason=$2; shift 2
  measured "$iscam" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? lines rss
  lines=$(wc -l < "$tmp/err"); rss=$(cat "$tmp/rss")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qE -e "$reason" "$tmp/err" && [ "$(cat "$tmp/keep.json")" = precious ] &&
     [ "$rss" -le "$limit_mb" ]; then
    pass
  else
    fail "$what: exit $rc, $lines stderr lines, $rss MiB (limit $limit_mb)"
  fi
}

E=(explain -m "$model" --json "$tmp/keep.json")
# Images: stb_image crashes, and memory bombs refused from their header or by the decoding budget.
refused "16-bit PGM (over-read)" "not a PNG, JPEG, BMP or GIF image" "${E[@]}" -i "$bad/pgm16.pgm"
refused "16-bit PPM (over-read)" "not a PNG, JPEG, BMP or GIF image" "${E[@]}" -i "$bad/ppm16.ppm"
refused "PNG IDAT length 2^31 (NULL reason)" "cannot decode the image: corrupt data" "${E[@]}" -i "$bad/idat-2g.png"
refused "35-byte GIF, 16000² screen" "16000×16000 pixels .* over the limit of 64.0 megapixels" "${E[@]}" -i "$bad/screen-16000.gif"
refused "40-byte PSD" "not a PNG, JPEG, BMP or GIF image" "${E[@]}" -i "$bad/huge.psd"
refused "119-byte PPM" "not a PNG, JPEG, BMP or GIF image" "${E[@]}" -i "$bad/huge.ppm"
refused "54-byte BMP of 30000²" "30000×30000 pixels" "${E[@]}" -i "$bad/huge.bmp"
refused "81-megapixel PNG" "9000×9000 pixels \(81.0 megapixels\)" "${E[@]}" -i "$bad/pixels-81mp.png"
refused "--max-megapixels" "5000 pixels \(0.0 megapixels\), over the limit of 0.0 megapixels" \
  "${E[@]}" -i "$bad/strip-1x5000.png" --max-megapixels 0.001
refused "zlib bomb behind a 1×1 header" "needs more than .* MiB, more than a 1×1 image can" "${E[@]}" -i "$bad/zlib-bomb.png"
# .npy: stack overflow, UB, stoll's out_of_range, an 11 GB allocation.
refused "100 KB .npy header" "header of 100065 bytes, over the limit" "${E[@]}" --input-npy "$bad/header-100k.npy"
refused ".npy with a 0 dimension" "holds no values" "${E[@]}" --input-npy "$bad/zero-dim.npy"
refused ".npy count past 2^64" "holds over 2\^32 values" "${E[@]}" --input-npy "$bad/overflow.npy"
refused ".npy 30-digit dimension" "a dimension over" "${E[@]}" --input-npy "$bad/digits-30.npy"
refused "128-byte .npy claiming 3e9 values" "needs 12000000000 bytes of data, the file has" "${E[@]}" --input-npy "$bad/claims-3e9.npy"
# A sidecar number past double's range (found by fuzz_model_config: "internal error" before).
cp "$model" "$tmp/side.onnx"
echo '{"preprocess": {"size": [1e400, 28]}}' > "$tmp/side.json"
refused "sidecar number out of range" "sidecar '.*side.json' is not valid JSON \(a number out of range\)" \
  explain -m "$tmp/side.onnx" -i "$image" --json "$tmp/keep.json"
# Folders and devices where files belong.
refused "folder as --model" "model '.*' is a folder, not a file" explain -m "$root/web" -i "$image" --json "$tmp/keep.json"
refused "/dev/zero as --model" "is not a regular file" explain -m /dev/zero -i "$image" --json "$tmp/keep.json"
refused "folder as --image" "image '.*' is a folder" "${E[@]}" -i "$root/web"
refused "folder as --labels" "labels file '.*' is a folder" "${E[@]}" -i "$image" --labels "$root/web"
refused "folder as --input-npy" "is a folder" "${E[@]}" --input-npy "$root/web"
# Outputs: checked before the work, written together at the end.
refused "--out in a missing folder" "cannot write --out '/missing/x.png': the folder '/missing' does not exist" \
  "${E[@]}" -i "$image" --out /missing/x.png
refused "--out is a folder" "cannot write --out '.*': it is a folder" "${E[@]}" -i "$image" --out "$tmp"
refused "two outputs, one file" "--json and --compare name the same file" "${E[@]}" -i "$image" --compare "$tmp/keep.json"
refused "a failure after the work" "class 10 is out of range" "${E[@]}" -i "$image" --out "$tmp/never.png" --class 10
[ ! -e "$tmp/never.png" ] && pass || fail "a failed run wrote --out"
[ -z "$(find "$tmp" -name '.*iscam-*')" ] && pass || fail "temporary files left behind"

# A 1×5000 strip with --json only: no display image (3.6 GB before); with --overlay, 1×2048 at most.
if measured "$iscam" explain -m "$model" -i "$bad/strip-1x5000.png" --json "$tmp/strip.json" >/dev/null 2>"$tmp/err" &&
   [ "$(cat "$tmp/rss")" -le "$limit_mb" ] && [ -s "$tmp/strip.json" ]; then pass; else fail "1×5000 strip, --json only: $(cat "$tmp/rss") MiB"; fi
if "$iscam" explain -m "$model" -i "$bad/strip-1x5000.png" --overlay "$tmp/strip.png" >/dev/null 2>"$tmp/err" &&
   /usr/bin/python3 -c "import struct; d = open('$tmp/strip.png', 'rb').read(24); assert struct.unpack('>II', d[16:24]) == (1, 2048)"
then pass; else fail "1×5000 strip overlay is not 1×2048"; fi
if "$iscam" explain -m "$model" -i "$image" --json /dev/stdout 2>"$tmp/err" | grep -q '"class":9'; then pass; else fail "--json /dev/stdout"; fi

# The batch is held to the memory budget, and the CLI says so.
if "$iscam" explain -m "$model" -i "$image" --batch 4096 --memory-budget 16 --method scorecam >/dev/null 2>"$tmp/err" &&
   grep -q "note: --batch 4096 lowered to 222: 4096 inputs of 1x28x28 would take about 294.0 MiB" "$tmp/err"
then pass; else fail "--batch lowered to the --memory-budget"; fi
# --batch 4096 at 224 (about 30 GB before): the default budget is half the memory available.
if measured "$iscam" explain -m "$squeezenet" -i "$root/web/samples/chelsea.png" --preset imagenet --method scorecam \
     --batch 4096 --memory-budget 256 --layer /features/features.2/MaxPool_output_0 >/dev/null 2>"$tmp/err" &&
   grep -q "note: --batch 4096 lowered to 18: 4096 inputs of 3x224x224 would take about 55.1 GiB" "$tmp/err" &&
   [ "$(cat "$tmp/rss")" -le $((256 + limit_mb)) ]
then pass; else fail "--batch 4096 at 224 within 256 MiB: $(cat "$tmp/rss") MiB"; fi
"$iscam" explain -m "$squeezenet" -i "$root/web/samples/chelsea.png" --preset imagenet --method scorecam --batch 4096 \
  --layer /features/features.2/MaxPool_output_0 --json "$tmp/auto.json" >/dev/null 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q "lowered to .* (half the memory available; --memory-budget sets it)" "$tmp/err"
then pass; else fail "--batch 4096 at 224, default budget"; fi

# A run of days says so before it goes on; Ctrl-C stops it and writes nothing.
"$iscam" explain -m "$squeezenet" -i "$root/web/samples/chelsea.png" --preset imagenet --method sscam --samples 10000 \
  --json "$tmp/long.json" 2>"$tmp/err" >/dev/null & pid=$!
for _ in $(seq 1 120); do grep -q "will take about" "$tmp/err" && break; sleep 0.5; done
kill -INT $pid; wait $pid; rc=$?
if [ $rc -eq 130 ] && grep -qE "note: [0-9]+ forward passes will take about [0-9.]+ (h|days) at this speed \(Ctrl-C stops\)" "$tmp/err" &&
   [ ! -e "$tmp/long.json" ]; then pass; else fail "long-run estimate (exit $rc)"; fi

echo "cli hardening: $passed passed, $failed failed"
[ $failed -eq 0 ]
