#!/usr/bin/env bash
# `iscam eval --resume` and --restart: a file that is not iscam's results is refused and left byte
# for byte as it was; rows count as done only when made with the same model (by content), layer
# and options; a full disk is fatal and loses nothing; error rows that were not the image's fault
# are retried; list rows that repeat are each their own item; paths that are not UTF-8 round-trip.
source "$(dirname "$0")/cli_test_setup.sh"
expect_refused() {  # expect_refused "what" "reason regex" FILE args...: exit 2, one line, FILE unchanged
  local what=$1 reason=$2 file=$3; shift 3
  cp "$file" "$tmp/before"
  "$iscam" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qiE -e "$reason" "$tmp/err" && cmp -s "$tmp/before" "$file"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAILED: $what: exit $rc:"; cat "$tmp/err"; cmp "$tmp/before" "$file"
  fi
}
rows() { py "import json; print(sum(1 for l in open('$1') if 'error' not in json.loads(l)))"; }
mkdir -p "$tmp/images"
cp "$root"/web/samples/fashion-{0,1,2}-*.png "$tmp/images/"
FAST=(--method scorecam --steps 3 --threads 1)
EVAL=(eval -m "$model" --images "$tmp/images" "${FAST[@]}")
EVAL4=(eval -m "$model" --images "$tmp/images" --method scorecam --steps 4 --threads 1)

# 1. Files that are not results: refused, byte for byte unchanged.
printf 'my notes\nsecond line\nno newline at the end' > "$tmp/notes.txt"
cp "$model" "$tmp/model-copy.onnx"
head -c 1048576 /dev/urandom > "$tmp/random.bin"
head -c 5000000 /dev/zero | tr '\0' 'x' > "$tmp/oneline.txt"
printf '{"a": 1}\n{"image": "x.png", "error": "e"}\n' > "$tmp/other.jsonl"
for f in notes.txt model-copy.onnx random.bin oneline.txt other.jsonl; do
  expect_refused "--resume on $f" "not an iscam eval results file" "$tmp/$f" "${EVAL[@]}" -o "$tmp/$f" --resume
  expect_refused "--restart on $f" "not an iscam eval results file" "$tmp/$f" "${EVAL[@]}" -o "$tmp/$f" --restart
done
check "a results file of ours" "$iscam" "${EVAL[@]}" -o "$tmp/r.jsonl"
cp "$tmp/r.jsonl" "$tmp/foreign-tail.jsonl" && printf 'appended by hand' >> "$tmp/foreign-tail.jsonl"
expect_refused "a results file whose last line is not a torn row" "by its first or last line" "$tmp/foreign-tail.jsonl" \
  "${EVAL[@]}" -o "$tmp/foreign-tail.jsonl" --resume
cp "$tmp/r.jsonl" "$tmp/torn.jsonl" && head -c 300 "$tmp/r.jsonl" >> "$tmp/torn.jsonl"
check "a torn row of ours at the end is cut, then the file is whole" bash -c "
  '$iscam' ${EVAL[*]} -o '$tmp/torn.jsonl' --resume 2>'$tmp/e' && grep -q '3 images, 3 already done' '$tmp/e' && cmp '$tmp/r.jsonl' '$tmp/torn.jsonl'"

# 2. Rows of another model, layer or option are not done.
expect_refused "another model" "other settings \(model_sha256: \"60e8" "$tmp/r.jsonl" \
  eval -m "$root/web/models/shapes-cnn.onnx" --images "$tmp/images" "${FAST[@]}" -o "$tmp/r.jsonl" --resume
cp "$model" "$tmp/m.onnx" && cp "${model%.onnx}.json" "$tmp/m.json"
check "rows of a model at some path" "$iscam" eval -m "$tmp/m.onnx" --images "$tmp/images" "${FAST[@]}" -o "$tmp/m.jsonl"
cp "$root/web/models/shapes-cnn.onnx" "$tmp/m.onnx"
expect_refused "another model at the same path (by content)" "other settings \(model_sha256" "$tmp/m.jsonl" \
  eval -m "$tmp/m.onnx" --images "$tmp/images" "${FAST[@]}" --layer /pool2/MaxPool_output_0 -o "$tmp/m.jsonl" --resume
expect_refused "another --layer" "other settings \(layer: \"/pool2/MaxPool_output_0\" there, \"/relu4/Relu_output_0\" here" \
  "$tmp/r.jsonl" "${EVAL[@]}" --layer /relu4/Relu_output_0 -o "$tmp/r.jsonl" --resume
expect_refused "other --steps" "other settings \(metrics.steps: 3 there, 4 here" "$tmp/r.jsonl" \
  eval -m "$model" --images "$tmp/images" --method scorecam --steps 4 --threads 1 -o "$tmp/r.jsonl" --resume
check "the same model under another name is the same model" bash -c "
  cp '$model' '$tmp/renamed.onnx' && cp '${model%.onnx}.json' '$tmp/renamed.json' && '$iscam' eval -m '$tmp/renamed.onnx' --images '$tmp/images' ${FAST[*]} -o '$tmp/r.jsonl' --resume 2>'$tmp/e' &&
  grep -q '3 already done, 0 to do' '$tmp/e'"
expect_refused "--restart with a model that does not load sets nothing aside" "" "$tmp/r.jsonl" \
  eval -m "$tmp/notes.txt" --images "$tmp/images" "${FAST[@]}" -o "$tmp/r.jsonl" --restart
check "(nothing set aside)" test ! -e "$tmp/r.jsonl.1"
check "--restart keeps the earlier file as OUT.1 and starts anew" bash -c "
  cp '$tmp/r.jsonl' '$tmp/before' && '$iscam' ${EVAL4[*]} -o '$tmp/r.jsonl' --restart 2>/dev/null &&
  cmp '$tmp/before' '$tmp/r.jsonl.1' && [ \$(wc -l < '$tmp/r.jsonl') -eq 3 ] && grep -q '\"steps\":4' '$tmp/r.jsonl'"

# 3. A full disk: fatal (exit 2, one line, never a row); after space is freed --resume completes it.
disk=$tmp/disk
mkdir -p "$disk"
if mount -t tmpfs -o size=256k tmpfs "$disk" 2>/dev/null; then
  trap 'umount "$disk" 2>/dev/null; rm -rf "$tmp"' EXIT
  dd if=/dev/zero of="$disk/filler" bs=4k 2>/dev/null
  truncate -s -12k "$disk/filler"  # some rows fit, then the disk is full
  "$iscam" eval -m "$model" --images "$tmp/images" --method all --samples 2 --steps 3 --threads 1 -o "$disk/r.jsonl" \
    >/dev/null 2>"$tmp/err"
  rc=$?
  check "a full disk is fatal: exit 2, one line saying so" bash -c "
    [ $rc -eq 2 ] && [ \$(grep -vc '^iscam eval: shard' '$tmp/err') -eq 1 ] && grep -q 'No space left on device' '$tmp/err'"
  check "no row records the write failure, and every line is whole" py "
import json
lines = open('$disk/r.jsonl').read().split('\n')
assert lines[-1] == '' and 0 < len(lines) - 1 < 9, len(lines)
assert all('error' not in json.loads(l) for l in lines[:-1])"
  rm "$disk/filler"
  check "after space is freed, --resume brings every row" bash -c "
    '$iscam' eval -m '$model' --images '$tmp/images' --method all --samples 2 --steps 3 --threads 1 -o '$disk/r.jsonl' --resume 2>/dev/null &&
    /usr/bin/python3 -c \"
import json
rows = [json.loads(l) for l in open('$disk/r.jsonl')]
got = sorted((r['image'], r['method']) for r in rows if 'error' not in r)
assert got == sorted((i, m) for i in {r['image'] for r in rows} for m in ['scorecam', 'sscam', 'iscam']) and len(got) == 9, got\""
  umount "$disk"
  trap 'rm -rf "$tmp"' EXIT
else
  echo "SKIPPED: the full-disk case needs to mount a tmpfs (root); 3 checks not run"
fi

# Error rows: the image's own fault is done; one that was not (an older failure) is retried.
check "an error row that is not the image's fault is retried" bash -c "
  /usr/bin/python3 - <<PY
import json
body = json.loads(open('$tmp/r.jsonl').readline())
err = {'image': body['image'], 'requested_class': None, 'error': 'cannot write: No space left on device', 'settings': body['settings']}
with open('$tmp/retry.jsonl', 'w') as f:
    f.write(json.dumps({'format': 'iscam-eval-1', **err}, separators=(',', ':')) + '\n')
PY
  '$iscam' ${EVAL4[*]} -o '$tmp/retry.jsonl' --resume 2>'$tmp/e' && grep -q '0 already done, 3 to do' '$tmp/e' &&
  [ \$(grep -vc '\"error\"' '$tmp/retry.jsonl') -eq 3 ]"
echo "not an image" > "$tmp/images/broken.png"
check "an image's own error is done for good" bash -c "
  '$iscam' ${EVAL4[*]} -o '$tmp/retry.jsonl' --resume 2>/dev/null &&
  '$iscam' ${EVAL4[*]} -o '$tmp/retry.jsonl' --resume 2>'$tmp/e' && grep -q '4 images, 4 already done' '$tmp/e' &&
  grep -q '\"error_kind\":\"input\"' '$tmp/retry.jsonl'"
rm "$tmp/images/broken.png"

# Repeated list rows are each their own item; a path that is not UTF-8 round-trips.
bad=$(printf 'caf\xe9.png')
cp "$image" "$tmp/images/$bad"
{ echo image; for _ in 1 2 3; do echo "images/fashion-0-ankle-boot.png"; done; printf 'images/caf\xe9.png\n'; } > "$tmp/list.csv"
check "a list with repeated rows and a non-UTF-8 path" "$iscam" eval -m "$model" --list "$tmp/list.csv" "${FAST[@]}" -o "$tmp/l.jsonl"
check "four rows: repeats 0, 1, 2, and the path's bytes in image_hex" py "
import json
rows = [json.loads(l) for l in open('$tmp/l.jsonl')]
assert [r.get('repeat', 0) for r in rows] == [0, 1, 2, 0] and all('error' not in r for r in rows), rows
assert bytes.fromhex(rows[3]['image_hex']).endswith(b'caf\xe9.png') and rows[3]['image'].endswith('caf\ufffd.png')"
check "--resume on the list has all four done" bash -c "
  '$iscam' eval -m '$model' --list '$tmp/list.csv' ${FAST[*]} -o '$tmp/l.jsonl' --resume 2>'$tmp/e' && grep -q '4 images, 4 already done' '$tmp/e'"
check "report counts the repeats as items" bash -c "'$iscam' report '$tmp/l.jsonl' | grep -q '4 images'"

mkdir -p "$tmp/masks" && cp "$root/tests/fixtures/fashion-mask.png" "$tmp/masks/$(printf 'm\xff.png')"
printf 'image,mask\nimages/fashion-0-ankle-boot.png,masks/m\xff.png\nimages/gone\xff.png,\n' > "$tmp/list2.csv"
check "a non-UTF-8 mask path works; a missing non-UTF-8 image is an error row, not exit 1" \
  "$iscam" eval -m "$model" --list "$tmp/list2.csv" "${FAST[@]}" -o "$tmp/l2.jsonl"
check "the mask was used and the error row names the image losslessly" py "
import json
ok, err = [json.loads(l) for l in open('$tmp/l2.jsonl')]
assert 'energy_pointing_game' in ok['metrics'], ok['metrics']
assert err['error_kind'] == 'input' and bytes.fromhex(err['image_hex']).endswith(b'gone\xff.png'), err"
check "--help documents --restart" bash -c "'$iscam' eval --help | grep -q -- '--restart'"
echo "cli resume: $passed passed, $failed failed"
[ $failed -eq 0 ]
