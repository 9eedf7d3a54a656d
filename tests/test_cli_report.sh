#!/usr/bin/env bash
# `iscam report` on rows whose statistics are worked out here: the CSV summary (mean and Student's
# t 95 % interval), duplicates counted once, errors, win rates and mean curves in the HTML, which
# must be self-contained.
source "$(dirname "$0")/cli_test_setup.sh"

# Three images, two methods; a second file repeats a row (a rerun), records two errors (one for
# an image that has rows elsewhere, which does not count) and ends in a torn line.
py "
import json
samples = ['$root/web/samples/fashion-0-ankle-boot.png', '$root/web/samples/fashion-2-trouser.png', '$root/web/samples/fashion-4-shirt.png']
def row(image, method, drop, inc, dele, ins, mid, ms, extra=None):
    m = {'score': 'softmax', 'baseline': 'zeros', 'steps': 2, 'average_drop': drop, 'increase_in_confidence': inc,
         'deletion_auc': dele, 'insertion_auc': ins, 'fractions': [0, 0.5, 1], 'deletion_curve': [1, mid, 0],
         'insertion_curve': [0, 1 - mid, 1]}
    m.update(extra or {})
    return {'image': image, 'method': method, 'model': 'm.onnx', 'layer': 'L', 'class': 9, 'class_label': 'Ankle boot',
            'map_shape': [7, 7], 'map': [[(x + y) / 12 for x in range(7)] for y in range(7)], 'metrics': m,
            'forward_passes': {'total': 100}, 'timings_ms': {'total': ms}}
a = [row(samples[0], 'scorecam', 0.1, 1, 0.2, 0.9, 0.5, 10), row(samples[1], 'scorecam', 0.2, 0, 0.4, 0.8, 0.3, 20),
     row(samples[2], 'scorecam', 0.3, 0, 0.6, 0.7, 0.1, 30)]
b = [row(samples[i], 'iscam', d, c, e, n, 0.2, 5, {'pointing_game': p, 'energy_pointing_game': g})
     for i, (d, c, e, n, p, g) in enumerate([(0.0, 1, 0.1, 0.95, 1, 0.5), (0.1, 1, 0.5, 0.8, 0, 0.6), (0.2, 0, 0.3, 0.6, 1, 0.7)])]
with open('$tmp/a.jsonl', 'w') as f:
    for r in a: f.write(json.dumps(r) + '\n')
    f.write('not json\n')
with open('$tmp/b.jsonl', 'w') as f:
    for r in b + [a[1]]: f.write(json.dumps(r) + '\n')
    f.write(json.dumps({'image': 'missing.png', 'error': 'cannot open image'}) + '\n')
    f.write(json.dumps({'image': samples[0], 'error': 'a transient failure'}) + '\n')
    f.write('{\"image\": \"torn')
"
check "report merges the files" bash -c "'$iscam' report '$tmp/a.jsonl' '$tmp/b.jsonl' --html '$tmp/r.html' --csv '$tmp/s.csv' > '$tmp/stdout'"
check "stdout counts lines, images, errors, duplicates" grep -q \
  "9 lines from 2 files: 3 images, 1 errors, 1 duplicate rows counted once, 1 unreadable lines skipped" "$tmp/stdout"
check "the CSV summary holds the expected means and intervals" py "
import csv, math
T2 = 4.302652729749464  # Student's t, 0.975 quantile, 2 degrees of freedom (n = 3)
def summary(values):
    n = len(values); mean = sum(values) / n
    half = T2 * math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) / math.sqrt(n)
    return n, mean, mean - half, mean + half
expected = {
    ('scorecam', 'average_drop_pct'): summary([10, 20, 30]),
    ('scorecam', 'increase_in_confidence_pct'): summary([100, 0, 0]),
    ('scorecam', 'deletion_auc'): summary([0.2, 0.4, 0.6]),
    ('scorecam', 'insertion_auc'): summary([0.9, 0.8, 0.7]),
    ('scorecam', 'ms_per_image'): summary([10, 20, 30]),
    ('scorecam', 'forward_passes'): (3, 100, 100, 100),
    ('iscam', 'average_drop_pct'): summary([0, 10, 20]),
    ('iscam', 'increase_in_confidence_pct'): summary([100, 100, 0]),
    ('iscam', 'deletion_auc'): summary([0.1, 0.5, 0.3]),
    ('iscam', 'insertion_auc'): summary([0.95, 0.8, 0.6]),
    ('iscam', 'pointing_game_pct'): summary([100, 0, 100]),
    ('iscam', 'energy_pointing_game'): summary([0.5, 0.6, 0.7]),
    ('iscam', 'ms_per_image'): (3, 5, 5, 5),
    ('iscam', 'forward_passes'): (3, 100, 100, 100),
}
rows = list(csv.DictReader(open('$tmp/s.csv')))
assert [(r['method'], r['metric']) for r in rows] == list(expected), [(r['method'], r['metric']) for r in rows]
for r in rows:
    n, mean, low, high = expected[(r['method'], r['metric'])]
    assert int(r['n']) == n, r
    for key, want in [('mean', mean), ('ci95_low', low), ('ci95_high', high)]:
        assert math.isclose(float(r[key]), want, rel_tol=1e-7, abs_tol=1e-7), (r, key, want)
"
check "the HTML: counts, win rates, the mean curve, thumbnails, nothing from the network" py "
import re
h = open('$tmp/r.html').read()
assert '3 images explained, 1 errors' in h
assert '<svg' in h and h.count('<polyline') == 4
# Score-CAM's mean deletion curve passes (0.5, mean(0.5, 0.3, 0.1) = 0.3): x = 48 + 0.5 * 360, y = 24 + 0.7 * 196.
assert '228,161.2' in h
# IS-CAM beats Score-CAM on Average Drop on 3 of 3 images, on deletion AUC on 2 of 3, on insertion AUC 1 win + 1 tie of 3.
tables = re.findall(r'<h3>([^<]*)</h3><table>(.*?)</table>', h)
wins = {t.split(' ')[0] + ' ' + t.split(' ')[1]: body for t, body in tables}
row = lambda body: re.search(r'<tr><td>IS-CAM</td><td>([^<]*)</td>', body).group(1)
assert row(wins['Average Drop']) == '100.0 %', row(wins['Average Drop'])
assert row(wins['Deletion AUC']) == '66.7 %', row(wins['Deletion AUC'])
assert row(wins['Insertion AUC']) == '50.0 %', row(wins['Insertion AUC'])
assert h.count('data:image/png;base64,') == 2 * 3, h.count('data:image/png;base64,')  # per method 2 best, 1 worst
assert 'missing.png' in h and 'a transient failure' not in h
assert not re.search(r'(src|href)=\"(https?:)?//', h) and '<script' not in h and '@import' not in h
"
# Rows of the wrong shape are skipped and counted; values that are not finite or out of their
# metric's range are left out of the means and curves, and counted.
py "
import json
s0, s1, s2 = '$root/web/samples/fashion-0-ankle-boot.png', '$root/web/samples/fashion-2-trouser.png', '$root/web/samples/fashion-4-shirt.png'
def row(image, drop, dele, ins, curve, ms, method='iscam', **extra):
    m = {'score': 'softmax', 'baseline': 'zeros', 'steps': 2, 'average_drop': drop, 'increase_in_confidence': 1,
         'deletion_auc': dele, 'insertion_auc': ins, 'fractions': [0, 0.5, 1], 'deletion_curve': curve,
         'insertion_curve': [0, 0.5, 1]}
    r = {'image': image, 'method': method, 'model': 'm.onnx', 'layer': 'L', 'class': 1, 'metrics': m,
         'forward_passes': {'total': 10}, 'timings_ms': {'total': ms}}
    r.update(extra)
    return r
odd = row(s0, 0.5, 0.5, 0.5, [1, 0.5, 0], 1, method='sscam', model=7, layer=[1], class_label=5, map='none')
odd['metrics'].update(score=3, steps='many')
lines = [odd,
         row(s0, 1e308, 0.2, 1e308, [1, 1e308, 0], 5),      # 3 left out: the drop, insertion, the curves
         row(s1, 0.1, 0.4, 0.8, [1, 0.25, 0], 7),
         row(s2, -0.5, 0.6, 0.6, [1, 0.75, 0], 1e308),      # 2 left out: the drop, the time
         {'image': s0, 'method': 5, 'metrics': {}},
         {'image': [1, 2], 'method': 'iscam', 'metrics': {}},
         {'image': 'q.png', 'requested_class': 'three', 'method': 'iscam', 'metrics': {}},
         {'image': 'q.png', 'method': 'iscam', 'metrics': 'none'},
         {'image_hex': 'zz', 'method': 'iscam', 'metrics': {}},
         {'image': 'q.png', 'requested_class': -2, 'error': 'e'}]
with open('$tmp/odd.jsonl', 'w') as f:
    for r in lines: f.write(json.dumps(r) + '\n')
    f.write('{\"image\": \"far.png\", \"method\": \"iscam\", \"metrics\": {\"deletion_auc\": 1e400}}\n')  # not JSON a parser takes
"
check "report of odd rows and values exits 0" bash -c "'$iscam' report '$tmp/odd.jsonl' --html '$tmp/odd.html' --csv '$tmp/odd.csv' > '$tmp/stdout' 2>&1"
check "it says how many rows were skipped and values left out" bash -c "
  grep -q '^6 rows of the wrong shape skipped$' '$tmp/stdout' &&
  grep -q '1 unreadable lines skipped' '$tmp/stdout' &&
  grep -q '^5 values not finite or out of range left out of means and curves$' '$tmp/stdout' &&
  grep -q '6 rows of the wrong shape skipped, 5 values not finite or out of range' '$tmp/odd.html'"
check "means and curves of the values in range only; no nan or inf in the page" py "
import csv, re
rows = {(r['method'], r['metric']): r for r in csv.DictReader(open('$tmp/odd.csv'))}
n_mean = lambda k: (int(rows[('iscam', k)]['n']), round(float(rows[('iscam', k)]['mean']), 9))
assert n_mean('average_drop_pct') == (1, 10), n_mean('average_drop_pct')
assert n_mean('deletion_auc') == (3, 0.4) and n_mean('insertion_auc') == (2, 0.7) and n_mean('ms_per_image') == (2, 6)
h = open('$tmp/odd.html').read()
assert not re.search(r'\bnan\b|\binf\b', h, re.I), re.search(r'.{40}(nan|inf).{40}', h, re.I).group(0)
# IS-CAM's mean deletion curve at 0.5: (0.25 + 0.75) / 2 (the row with 1e308 left out): y = 24 + 0.5 * 196.
assert '228,122' in h, re.findall(r'points=\"[^\"]*\"', h)
"

# ASan's shadow memory and quarantine inflate any peak: the memory check runs on the plain build.
if ldd "$iscam" | grep -q libclang_rt.asan; then
  echo "SKIPPED: report streams (peak memory is not measurable under ASan)"
else
check "report streams: on 10,000 rows its peak memory stays under the input's size" py "
import json, os, resource, subprocess
m = {'score': 'softmax', 'baseline': 'zeros', 'steps': 20, 'average_drop': 0.1, 'increase_in_confidence': 0,
     'deletion_auc': 0.2, 'insertion_auc': 0.8, 'fractions': [i / 20 for i in range(21)],
     'deletion_curve': [1 - i / 20 for i in range(21)], 'insertion_curve': [i / 20 for i in range(21)]}
with open('$tmp/big.jsonl', 'w') as f:
    for i in range(10000):
        f.write(json.dumps({'image': 'img%05d.png' % i, 'method': 'iscam', 'model': 'm.onnx', 'layer': 'L',
                            'map_shape': [14, 14], 'map': [[(x * y % 7) / 7 for x in range(14)] for y in range(14)],
                            'metrics': m, 'forward_passes': {'total': 100}, 'timings_ms': {'total': 5}}) + '\n')
subprocess.run(['$iscam', 'report', '$tmp/big.jsonl', '--html', '$tmp/big.html'], check=True, stdout=subprocess.DEVNULL)
peak, size = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, os.path.getsize('$tmp/big.jsonl')
assert peak < size, (peak, size)
"
fi
check "report of a missing file is a one-line error" bash -c "
  '$iscam' report '$tmp/none.jsonl' 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'cannot read results file' '$tmp/e'"
check "report of a file with no results" bash -c "
  echo 'garbage' > '$tmp/g.jsonl'; '$iscam' report '$tmp/g.jsonl' 2>'$tmp/e'; [ \$? -eq 2 ] && grep -q 'no results' '$tmp/e'"
check "report --help" "$iscam" report --help

echo "cli report: $passed passed, $failed failed"
[ $failed -eq 0 ]
