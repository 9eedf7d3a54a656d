#!/usr/bin/env bash
# `iscam sanity` (model parameter randomisation, cascading and independent; random-logit test) and
# `iscam explain --road`: their JSON, reproducibility, and their bad inputs (exit 2, one line,
# nothing overwritten).
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

check "sanity, cascading, two methods" "$iscam" sanity -m "$model" -i "$image" --method scorecam,iscam --samples 2 \
  --seed 5 --json "$tmp/cascade.json"
check "the cascading curve and the random-logit test" py "
import json, math, onnx
d = json.load(open('$tmp/cascade.json'))
g = onnx.load('$model').graph
layers = [n for n in g.node if n.op_type in ('Conv', 'Gemm', 'MatMul')]
assert d['randomisation'] == 'cascading' and d['seed'] == 5 and d['methods'] == ['scorecam', 'iscam'], d
assert [s['layer'] for s in d['steps']] == list(range(1, len(layers) + 1)), d['steps']
assert [s['node'] for s in d['steps']] == [n.name for n in reversed(layers)]
for s in d['steps'] + [d['random_logit']]:
    for m in ('scorecam', 'iscam'):
        v = s['similarity'][m]
        assert set(v) == {'spearman', 'spearman_abs', 'ssim', 'topk'}, v
        assert 0 <= v['topk'] <= 1 and -1 <= v['ssim'] <= 1, v
        assert v['spearman'] is None or -1 <= v['spearman'] <= 1, v
assert d['random_logit']['class'] != d['class'] and 0 <= d['random_logit']['class'] < 10
last = d['steps'][-1]['similarity']['scorecam']
assert last['ssim'] < 0.99, last  # every layer re-drawn: not the original map
"
check "independent randomisation, same seed twice: the same numbers" bash -c "
  '$iscam' sanity -m '$model' -i '$image' --method scorecam --independent --seed 2 --json '$tmp/a.json' >/dev/null &&
  '$iscam' sanity -m '$model' -i '$image' --method scorecam --independent --seed 2 --json '$tmp/b.json' >/dev/null &&
  /usr/bin/python3 -c \"
import json
a, b = (json.load(open('$tmp/' + f)) for f in ('a.json', 'b.json'))
assert a['randomisation'] == 'independent'
assert a['steps'] == b['steps'] and a['random_logit'] == b['random_logit']\""
check "explain --road: MoRF and LeRF curves" "$iscam" explain -m "$model" -i "$image" --method scorecam --road \
  --road-percentages 20,50,80 --json "$tmp/road.json"
check "the road object" py "
import json
r = json.load(open('$tmp/road.json'))['road']
assert r['percentages'] == [20, 50, 80] and len(r['morf_curve']) == len(r['lerf_curve']) == 3, r
assert r['forward_passes'] == 6 and r['imputation'] == 'noisy_linear' and abs(r['noise'] - 0.01) < 1e-8
x = [0, 0.2, 0.5, 0.8]
for k in ('morf', 'lerf'):
    y = [r['score_input']] + r[k + '_curve']
    auc = sum((x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 for i in range(1, 4))
    assert abs(auc - r[k + '_auc']) < 1e-12 and abs(sum(r[k + '_curve']) / 3 - r[k + '_mean']) < 1e-12, (k, r)
    assert all(0 <= v <= 1 for v in y)
"
check "explain --metrics road: the same road object, and no faithfulness metrics" "$iscam" explain -m "$model" \
  -i "$image" --method scorecam --metrics road --json "$tmp/metrics-road.json"
check "explain --metrics faithfulness,road: both objects" "$iscam" explain -m "$model" -i "$image" --method scorecam \
  --metrics faithfulness,road --steps 5 --json "$tmp/metrics-both.json"
check "--metrics road equals --road, and with faithfulness both are there" py "
import json
plain = json.load(open('$tmp/road.json'))
road, both = json.load(open('$tmp/metrics-road.json')), json.load(open('$tmp/metrics-both.json'))
assert 'metrics' not in road and 'metrics' in both, (road.keys(), both.keys())
assert road['road']['lerf_auc'] > 0 and both['road']['morf_curve'] == road['road']['morf_curve']
"

# A model with nothing to randomise: MaxPool and a global average.
py "
import onnx
from onnx import helper as h, TensorProto as T
g = h.make_graph([h.make_node('MaxPool', ['x'], ['p'], kernel_shape=[2, 2], strides=[2, 2]),
                  h.make_node('GlobalAveragePool', ['p'], ['a']), h.make_node('Flatten', ['a'], ['y'])], 'g',
                 [h.make_tensor_value_info('x', T.FLOAT, [1, 3, 28, 28])], [h.make_tensor_value_info('y', T.FLOAT, [1, 3])])
onnx.save(h.make_model(g, opset_imports=[h.make_opsetid('', 13)]), '$tmp/no-weights.onnx')
"
echo "precious" > "$tmp/keep.json"
S=(sanity -m "$model" -i "$image" --method scorecam --json "$tmp/keep.json")
expect "no randomisable layer" "no randomisable layer" sanity -m "$tmp/no-weights.onnx" -i "$image" --preset unit --json "$tmp/keep.json"
expect "class out of range" "class 10 is out of range" "${S[@]}" --class 10
expect "negative class" "class -1 is out of range" "${S[@]}" --class -1
expect "cascade and independent" "excludes" "${S[@]}" --cascade --independent
E=(explain -m "$model" -i "$image" --method scorecam --json "$tmp/keep.json")
expect "ROAD percentage 0" "\(0, 100\)" "${E[@]}" --road --road-percentages 0,50
expect "ROAD percentage 100" "\(0, 100\)" "${E[@]}" --road --road-percentages 50,100
expect "ROAD percentages decreasing" "increase" "${E[@]}" --road --road-percentages 50,20
expect "ROAD percentages without --road" "requires --road" "${E[@]}" --road-percentages 10,20
expect "an unknown --metrics kind" "--metrics: roads not in" "${E[@]}" --metrics roads

echo "cli sanity: $passed passed, $failed failed"
[ $failed -eq 0 ]
