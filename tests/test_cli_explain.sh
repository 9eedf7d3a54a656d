#!/usr/bin/env bash
# The CLI's happy paths on the bundled default: layers, predict, explain (all outputs), bench, --help.
source "$(dirname "$0")/cli_test_setup.sh"

check "layers marks the default" bash -c "'$iscam' layers -m '$model' | grep -E '^\* +MaxPool .*64x7x7'"
check "predict names the class" bash -c "'$iscam' predict -m '$model' -i '$image' | grep -E '^ +1 +9 .*Ankle boot'"
check "explain all" "$iscam" explain -m "$model" -i "$image" --method all --samples 4 \
  --out "$tmp/heat.png" --overlay "$tmp/over.png" --compare "$tmp/side.png" --json "$tmp/r.json"
check "the PNGs are the map coloured, blended and laid side by side" py "
import json
import numpy as np, torch, matplotlib
from PIL import Image
png = lambda f: np.asarray(Image.open('$tmp/' + f + '.png').convert('RGB')).astype(float)
heat, over, side = png('heat'), png('over'), png('side')
r = {x['method']: x for x in json.load(open('$tmp/r.json'))['results']}
m = torch.tensor(r['iscam']['map'], dtype=torch.float32)[None, None]
up = torch.nn.functional.interpolate(m, size=(224, 224), mode='bilinear', align_corners=False)[0, 0].numpy()
jet = matplotlib.colormaps['jet'](np.linspace(0, 1, 256))[:, :3] * 255
want = np.stack([np.interp(up * 255, np.arange(256), jet[:, c]) for c in range(3)], -1)
assert heat.shape == (224, 224, 3) and np.abs(heat - want).max() <= 2, np.abs(heat - want).max()
base = (over - 0.5 * heat) / 0.5  # the grey sample under the default alpha 0.5
assert np.abs(base - base[..., :1]).max() <= 3 and base.max() > 100, 'the overlay is the heat map over the grey image'
assert side.shape == (224, 4 * 224 + 3 * 8, 3), side.shape
assert (side[:, 224:232] == 255).all(), 'white gaps between the panels'
assert np.abs(side[:, :224] - side[:, :224, :1]).max() == 0, 'the first panel is the image'
assert (side[:, 3 * 232:] == over).all(), 'the last panel is the IS-CAM overlay'
"
check "json fields" py "
import json
r = json.load(open('$tmp/r.json'))
assert [x['method'] for x in r['results']] == ['scorecam', 'sscam', 'iscam']
for x in r['results']:
    for k in ['method', 'layer', 'class', 'map', 'weights', 'forward_passes', 'timings_ms']:
        assert k in x, k
    assert len(x['map']) == 7 and len(x['map'][0]) == 7
    assert len(x['weights']) == 64
    assert set(x['timings_ms']) == {'inference', 'other', 'total'}
    m = [v for row in x['map'] for v in row]
    assert min(m) == 0 and 0.999 < max(m) <= 1, (min(m), max(m))
assert r['class'] == 9 and r['class_label'] == 'Ankle boot'
"
check "explain from an npy input equals the image's" bash -c "
  '$iscam' explain -m '$model' --input-npy '$root/tests/fixtures/fashion-input.npy' --method scorecam --json '$tmp/n.json' &&
  '$iscam' explain -m '$model' -i '$root/web/samples/fashion-0-ankle-boot.png' --method scorecam --json '$tmp/i.json' &&
  /usr/bin/python3 -c \"
import json
a, b = json.load(open('$tmp/n.json'))['map'], json.load(open('$tmp/i.json'))['map']
d = max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
assert d < 1e-3, d\""
check "bench prints one JSON line per run" bash -c "
  '$iscam' bench -m '$model' --method scorecam,iscam > '$tmp/b.txt' && /usr/bin/python3 -c \"
import json
lines = [json.loads(l) for l in open('$tmp/b.txt')]
assert [l['method'] for l in lines] == ['scorecam', 'iscam']
for l in lines:
    for k in ['model', 'K', 'forward_passes', 'total_ms', 'inference_ms', 'overhead_ms', 'ms_per_pass']:
        assert k in l, k
\""
check "Ctrl-C stops cleanly with exit 130 and writes nothing" bash -c "
  '$iscam' explain -m '$model' -i '$image' --method sscam --samples 5000 --json '$tmp/c.json' 2>'$tmp/c.err' & pid=\$!
  sleep 1; kill -INT \$pid; wait \$pid; rc=\$?
  [ \$rc -eq 130 ] && grep -q cancelled '$tmp/c.err' && [ ! -e '$tmp/c.json' ]"
for sub in layers predict explain bench; do check "$sub --help" "$iscam" $sub --help; done
check "--help" "$iscam" --help

echo "cli explain: $passed passed, $failed failed"
[ $failed -eq 0 ]
