#!/usr/bin/env bash
# `iscam eval --road --sanity`: each row carries the `road` object of `explain --road` and the
# `sanity` object of `iscam sanity` for its map (the same numbers); --resume matches their options;
# `iscam report` gives their means with intervals and draws the mean sanity curves; bad usage is
# one line and exit 2.
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
cp "$root"/web/samples/fashion-0-ankle-boot.png "$root"/web/samples/fashion-9-sneaker.png "$tmp/images/"
FAST=(--samples 2 --seed 5 --threads 1)
EVAL=(eval -m "$model" --images "$tmp/images" --method scorecam,iscam "${FAST[@]}" --road --road-percentages 20,50,80 --sanity)

check "eval with ROAD and the sanity checks" "$iscam" "${EVAL[@]}" -o "$tmp/r.jsonl"
check "sanity of one image, as iscam sanity runs it" "$iscam" sanity -m "$model" -i "$tmp/images/fashion-9-sneaker.png" \
  --method scorecam,iscam "${FAST[@]}" --json "$tmp/sanity.json"
check "ROAD of one image, as explain --road runs it" "$iscam" explain -m "$model" -i "$tmp/images/fashion-9-sneaker.png" \
  --method scorecam,iscam "${FAST[@]}" --road --road-percentages 20,50,80 --json "$tmp/road.json"
check "the rows hold the road and sanity objects of explain --road and iscam sanity" py "
import json, math
rows = [json.loads(l) for l in open('$tmp/r.jsonl')]
assert len(rows) == 4 and all('error' not in r for r in rows), rows
sanity = json.load(open('$tmp/sanity.json'))
road = {r['method']: r['road'] for r in json.load(open('$tmp/road.json'))['results']}
for r in rows:
    s, m = r['sanity'], r['method']
    assert s['randomisation'] == 'cascading' and s['seed'] == 5 and s['methods'] == [m] and len(s['steps']) == 5
    assert r['road']['percentages'] == [20, 50, 80] and r['road']['score'] == r['metrics']['score']
    fp = r['forward_passes']
    assert fp['total'] == fp['explain'] + fp['metrics'] + fp['road'] + fp['sanity'] and fp['road'] == 6, fp
    if not r['image'].endswith('sneaker.png'):
        continue
    assert s['class'] == sanity['class'] and s['random_logit']['class'] == sanity['random_logit']['class']
    pairs = [(s['random_logit'], sanity['random_logit'])] + list(zip(s['steps'], sanity['steps']))
    for a, b in pairs:
        for k, v in b['similarity'][m].items():
            assert math.isclose(a['similarity'][m][k], v, abs_tol=1e-9), (m, k, a, b)
    for k in ['morf_curve', 'lerf_curve', 'morf_auc', 'lerf_auc', 'seed', 'noise']:
        assert json.dumps(r['road'][k]) == json.dumps(road[m][k]), (m, k)
"
check "--resume with the same options has nothing to do" "$iscam" "${EVAL[@]}" -o "$tmp/r.jsonl" --resume
expect "--resume with other ROAD percentages" "other settings \(road.percentages" "${EVAL[@]/20,50,80/10,90}" -o "$tmp/r.jsonl" --resume
expect "--resume without the sanity checks" "other settings \(sanity: none here" \
  eval -m "$model" --images "$tmp/images" --method scorecam,iscam "${FAST[@]}" --road --road-percentages 20,50,80 -o "$tmp/r.jsonl" --resume
check "report" "$iscam" report "$tmp/r.jsonl" --csv "$tmp/summary.csv" --html "$tmp/report.html"
check "the report's tables hold ROAD and the sanity checks with intervals" py "
import csv
rows = {(r['method'], r['metric']): r for r in csv.DictReader(open('$tmp/summary.csv'))}
for m in ['scorecam', 'iscam']:
    for k in ['road_morf_auc', 'road_lerf_auc', 'sanity_top_spearman', 'sanity_last_spearman', 'sanity_top_ssim',
              'sanity_last_ssim', 'random_logit_spearman', 'random_logit_ssim']:
        r = rows[(m, k)]
        assert r['n'] == '2' and float(r['ci95_low']) <= float(r['mean']) <= float(r['ci95_high']), (m, k, r)
html = open('$tmp/report.html').read()
assert 'ROAD MoRF AUC' in html and 'Sanity: Spearman, every layer re-drawn' in html and 'Random logit: SSIM' in html
section = html[html.index('<h2>Sanity checks: the map'):]
section = section[:section.index('</section>')]
plots = section.split('<svg')[1:]
assert len(plots) == 2, len(plots)
for svg in plots:  # one line per method: 1 at step 0, then the mean of each of the 5 steps
    lines = [l.split('points=')[1][1:].split(chr(34))[0].split() for l in svg.split('<polyline')[1:]]
    assert len(lines) == 2 and all(len(points) == 6 for points in lines), lines
"
expect "--sanity-independent without --sanity" "requires --sanity" eval -m "$model" --images "$tmp/images" --sanity-independent -o "$tmp/x.jsonl"
expect "ROAD percentages out of range" "\(0, 100\)" eval -m "$model" --images "$tmp/images" --road --road-percentages 0,50 -o "$tmp/x.jsonl"

echo "cli eval sanity: $passed passed, $failed failed"
[ $failed -eq 0 ]
