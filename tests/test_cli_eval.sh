#!/usr/bin/env bash
# `iscam eval`: one whole JSON line per image and method from a folder or a CSV list (class, box,
# mask), a bad image as an error line, --resume, --shard, Ctrl-C, a torn last line; bad usage.
source "$(dirname "$0")/cli_test_setup.sh"
expect() {  # expect "what" "reason regex" args...: exit 2 and one line saying why
  local what=$1 reason=$2; shift 2
  "$iscam" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? lines; lines=$(grep -vc '^iscam eval: shard' "$tmp/err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qiE -e "$reason" "$tmp/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAILED: $what: exit $rc:"; cat "$tmp/err"
  fi
}
mkdir -p "$tmp/images"
cp "$root"/web/samples/fashion-*.png "$tmp/images/"
echo "not an image" > "$tmp/images/broken.png"
FAST=(--samples 2 --steps 5 --threads 1)

check "eval a folder, all methods" "$iscam" eval -m "$model" --images "$tmp/images" --method all "${FAST[@]}" -o "$tmp/dir.jsonl"
check "one whole line per image and method, the bad image as an error line" py "
import json
lines = [json.loads(l) for l in open('$tmp/dir.jsonl')]
rows = [l for l in lines if 'error' not in l]
errors = [l for l in lines if 'error' in l]
assert len(rows) == 6 * 3, len(rows)
assert len(errors) == 1 and errors[0]['image'].endswith('broken.png') and 'decode' in errors[0]['error'], errors
assert sorted({(r['image'], r['method']) for r in rows}) == sorted((r['image'], r['method']) for r in rows)
for r in rows:
    for k in ['image', 'method', 'class', 'class_label', 'predicted_class', 'predicted_probability', 'map', 'metrics',
              'forward_passes', 'timings_ms']:
        assert k in r, k
    m = r['metrics']
    for k in ['average_drop', 'increase_in_confidence', 'deletion_auc', 'insertion_auc', 'fractions', 'deletion_curve', 'insertion_curve']:
        assert k in m, k
    assert len(m['fractions']) == 6 and 'pointing_game' not in m
    assert r['class'] == r['predicted_class'] and 0 < r['predicted_probability'] <= 1
    assert r['forward_passes']['metrics'] == 10 and r['forward_passes']['total'] == r['forward_passes']['explain'] + 10
"
expect "an existing results file needs --resume" "already holds results.*--resume" \
  eval -m "$model" --images "$tmp/images" "${FAST[@]}" -o "$tmp/dir.jsonl"
check "--resume on a finished file does nothing" bash -c "
  cp '$tmp/dir.jsonl' '$tmp/before' &&
  '$iscam' eval -m '$model' --images '$tmp/images' --method all ${FAST[*]} -o '$tmp/dir.jsonl' --resume 2>'$tmp/e' &&
  grep -q '7 images, 7 already done, 0 to do' '$tmp/e' && cmp '$tmp/before' '$tmp/dir.jsonl'"

cat > "$tmp/list.csv" <<EOF
image,class,box,mask,note
images/fashion-0-ankle-boot.png,9,"6,4,22,26",,boot
images/fashion-2-trouser.png,,,$root/tests/fixtures/fashion-mask.png,any mask of 28x28
images/fashion-4-shirt.png,3,,,
images/fashion-9-sneaker.png,12,,,class out of range
EOF
check "eval a CSV list: class, box, mask" "$iscam" eval -m "$model" --list "$tmp/list.csv" --method scorecam "${FAST[@]}" -o "$tmp/list.jsonl"
check "the list's class, box and mask are used" py "
import json
lines = {l['image'].split('/')[-1]: l for l in map(json.loads, open('$tmp/list.jsonl'))}
assert lines['fashion-0-ankle-boot.png']['class'] == 9 and 'pointing_game' in lines['fashion-0-ankle-boot.png']['metrics']
assert 'energy_pointing_game' in lines['fashion-2-trouser.png']['metrics']
assert lines['fashion-4-shirt.png']['class'] == 3 and lines['fashion-4-shirt.png']['predicted_class'] != 3
assert 'class 12 is out of range' in lines['fashion-9-sneaker.png']['error']
"
check "--shard takes every n-th image" bash -c "
  '$iscam' eval -m '$model' --list '$tmp/list.csv' --method scorecam ${FAST[*]} --shard 1/2 -o '$tmp/s1.jsonl' &&
  /usr/bin/python3 -c \"
import json
images = [json.loads(l)['image'].split('/')[-1] for l in open('$tmp/s1.jsonl')]
assert images == ['fashion-2-trouser.png', 'fashion-9-sneaker.png'], images\""

SLOW=(--method sscam --samples 10 --steps 5 --batch 1 --threads 1)  # ~0.3 s an image: time to interrupt one
check "Ctrl-C stops with 130 between whole lines; --resume with the same settings finishes the rest" bash -c "
  '$iscam' eval -m '$model' --images '$tmp/images' ${SLOW[*]} -o '$tmp/c.jsonl' 2>/dev/null & pid=\$!
  for i in \$(seq 200); do [ -s '$tmp/c.jsonl' ] && break; sleep 0.05; done
  kill -INT \$pid; wait \$pid; rc=\$?
  [ \$rc -eq 130 ] || { echo \"exit \$rc\"; exit 1; }
  n=\$(wc -l < '$tmp/c.jsonl'); [ \$n -ge 1 ] && [ \$n -lt 7 ] || { echo \"\$n lines\"; exit 1; }
  '$iscam' eval -m '$model' --images '$tmp/images' ${SLOW[*]} -o '$tmp/c.jsonl' --resume 2>/dev/null &&
  /usr/bin/python3 -c \"
import json
lines = [json.loads(l) for l in open('$tmp/c.jsonl')]
assert len(lines) == 7 and len({l['image'] for l in lines}) == 7, len(lines)\""
check "a torn last row (power loss) is cut on --resume" bash -c "
  head -n 3 '$tmp/dir.jsonl' > '$tmp/t.jsonl' && sed -n 4p '$tmp/dir.jsonl' | head -c 100 >> '$tmp/t.jsonl' &&
  '$iscam' eval -m '$model' --images '$tmp/images' --method all ${FAST[*]} -o '$tmp/t.jsonl' --resume 2>/dev/null &&
  /usr/bin/python3 -c \"
import json
lines = [json.loads(l) for l in open('$tmp/t.jsonl')]
assert len(lines) == 19, len(lines)\""

expect "no images" "--images DIR or --list" eval -m "$model" -o "$tmp/x.jsonl"
expect "both images and list" "excludes" eval -m "$model" --images "$tmp/images" --list "$tmp/list.csv" -o "$tmp/x.jsonl"
for shard in 2/2 " 1/3" "+1/3" "1/3 " "-0/3" "1/+3" "0x1/3" "1/99999999999"; do
  expect "bad shard '$shard'" "--shard takes i/n" eval -m "$model" --images "$tmp/images" --shard "$shard" -o "$tmp/x.jsonl"
done
expect "not a folder" "is not a folder" eval -m "$model" --images "$tmp/list.csv" -o "$tmp/x.jsonl"
printf 'picture,class\na.png,1\n' > "$tmp/nocol.csv"
expect "a list without an image column" "no column named image" eval -m "$model" --list "$tmp/nocol.csv" -o "$tmp/x.jsonl"
printf 'image,class\na.png,cat\n' > "$tmp/badclass.csv"
expect "a list with a bad class" "line 2: class must be a class index" eval -m "$model" --list "$tmp/badclass.csv" -o "$tmp/x.jsonl"
printf 'image,box\n"a.png,1\n' > "$tmp/quote.csv"
expect "a list with an unclosed quote" "cannot read the list" eval -m "$model" --list "$tmp/quote.csv" -o "$tmp/x.jsonl"
expect "bad baseline" "baseline" eval -m "$model" --images "$tmp/images" --baseline grey -o "$tmp/x.jsonl"
check "eval --help" "$iscam" eval --help

echo "cli eval: $passed passed, $failed failed"
[ $failed -eq 0 ]
