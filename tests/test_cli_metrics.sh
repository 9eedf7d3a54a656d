#!/usr/bin/env bash
# `iscam explain --metrics`: the metrics object of each result, ground truth from a box or a mask,
# and its bad inputs (exit 2, one line, nothing overwritten).
source "$(dirname "$0")/cli_test_setup.sh"
expect() {  # expect "what" "reason regex" args...: exit 2, one stderr line, keep.json untouched
  local what=$1 reason=$2; shift 2
  "$iscam" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? lines; lines=$(wc -l < "$tmp/err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qiE -e "$reason" "$tmp/err" && [ "$(cat "$tmp/keep.json")" = precious ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAILED: $what: exit $rc, $lines stderr lines:"; cat "$tmp/err"
  fi
}
mask=$root/tests/fixtures/fashion-mask.png

check "explain --metrics, one method, a box" "$iscam" explain -m "$model" -i "$image" --method iscam --samples 4 \
  --metrics --steps 10 --box 6,4,22,26 --json "$tmp/one.json"
check "one result: the metrics object" py "
import json, math
m = json.load(open('$tmp/one.json'))['metrics']
for k in ['average_drop', 'increase_in_confidence', 'deletion_auc', 'insertion_auc', 'fractions', 'deletion_curve',
          'insertion_curve', 'pointing_game', 'energy_pointing_game', 'score_input', 'score_masked', 'forward_passes']:
    assert k in m, k
assert m['score'] == 'softmax' and m['baseline'] == 'zeros' and m['steps'] == 10
n = len(m['fractions'])
assert n == 11 and m['fractions'][0] == 0 and m['fractions'][-1] == 1, m['fractions']
assert len(m['deletion_curve']) == n and len(m['insertion_curve']) == n
assert m['deletion_curve'][0] == m['insertion_curve'][-1] == m['score_input']
assert m['deletion_curve'][-1] == m['insertion_curve'][0]
assert m['forward_passes'] == 2 * n - 2
assert 0 <= m['average_drop'] <= 1 and m['increase_in_confidence'] in (0, 1) and m['pointing_game'] in (0, 1)
assert 0 <= m['deletion_auc'] <= 1 and 0 <= m['insertion_auc'] <= 1 and 0 < m['energy_pointing_game'] < 1
auc = sum((m['fractions'][i] - m['fractions'][i - 1]) * (m['deletion_curve'][i] + m['deletion_curve'][i - 1]) / 2 for i in range(1, n))
assert math.isclose(auc, m['deletion_auc'], rel_tol=1e-12), (auc, m['deletion_auc'])
"
check "explain all --metrics with a mask, blur, logit" "$iscam" explain -m "$model" -i "$image" --method all --samples 2 \
  --metrics --baseline blur --score logit --mask "$mask" --json "$tmp/all.json"
check "every result has its metrics" py "
import json
r = json.load(open('$tmp/all.json'))['results']
assert [x['method'] for x in r] == ['scorecam', 'sscam', 'iscam']
for x in r:
    m = x['metrics']
    assert m['score'] == 'logit' and m['baseline'] == 'blur' and m['steps'] == 20, m
    assert m['score_input'] > 1, m['score_input']  # a logit, not a probability
    assert 'pointing_game' in m and 'energy_pointing_game' in m
    assert set(m['timings_ms']) == {'inference', 'other', 'total'}
"
check "without --metrics the JSON has no metrics" bash -c "
  '$iscam' explain -m '$model' -i '$image' --method scorecam --json '$tmp/plain.json' >/dev/null &&
  ! grep -q '\"metrics\"' '$tmp/plain.json'"
check "a constant baseline and an npy input (box in input pixels)" bash -c "
  '$iscam' explain -m '$model' --input-npy '$root/tests/fixtures/fashion-input.npy' --method scorecam --metrics \
    --baseline -0.81 --box 0,0,28,28 --json '$tmp/npy.json' >/dev/null && /usr/bin/python3 -c \"
import json
m = json.load(open('$tmp/npy.json'))['metrics']
assert m['baseline'] == '-0.81' and m['pointing_game'] == 1 and abs(m['energy_pointing_game'] - 1) < 1e-12, m\""

echo "precious" > "$tmp/keep.json"
head -c 60 "$mask" > "$tmp/bad-mask.png"
E=(explain -m "$model" -i "$image" --method scorecam --json "$tmp/keep.json")
expect "unknown baseline" "baseline.*zeros, blur or a number" "${E[@]}" --metrics --baseline grey
expect "unknown score" "score" "${E[@]}" --metrics --score probability
expect "steps 0" "steps" "${E[@]}" --metrics --steps 0
expect "box without --metrics" "requires --metrics" "${E[@]}" --box 1,1,5,5
expect "malformed box" "x0,y0,x1,y1" "${E[@]}" --metrics --box 1,1,5
expect "box outside the image" "0 <= x0 < x1 <= 28" "${E[@]}" --metrics --box 1,1,50,5
expect "box and mask" "excludes" "${E[@]}" --metrics --box 1,1,5,5 --mask "$mask"
expect "missing mask" "mask" "${E[@]}" --metrics --mask "$tmp/none.png"
expect "undecodable mask" "cannot decode the image" "${E[@]}" --metrics --mask "$tmp/bad-mask.png"
expect "mask of another size" "the mask is 600×400 pixels, the image 28×28" "${E[@]}" --metrics --mask "$root/web/samples/coffee.png"

echo "cli metrics: $passed passed, $failed failed"
[ $failed -eq 0 ]
