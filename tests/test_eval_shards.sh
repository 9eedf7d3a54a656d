#!/usr/bin/env bash
# The contract of deploy/: the Slurm batch script run as three array tasks in parallel, one killed
# (SIGKILL) midway and requeued, and the Kubernetes Indexed Job's command for three indices; each
# merged by `iscam report` gives the same rows and the same numbers as one process over the list.
source "$(dirname "$0")/cli_test_setup.sh"
data=$tmp/data
mkdir -p "$data/images" "$tmp/slurm" "$tmp/logs"
ln -s "$model" "$data/model.onnx"
ln -s "${model%.onnx}.json" "$data/model.json"
/usr/bin/python3 - "$root/web/samples" "$data" <<'EOF'
import glob, os, sys
from PIL import Image, ImageOps
samples, data = sys.argv[1:]
rows = ['image,class,box']
for path in sorted(glob.glob(f'{samples}/fashion-*.png')):
    name = os.path.basename(path)[:-4]
    image = Image.open(path)
    image.save(f'{data}/images/{name}.png')
    ImageOps.mirror(image).save(f'{data}/images/{name}-mirrored.png')
    rows += [f'images/{name}.png,,"4,4,24,24"', f'images/{name}-mirrored.png,,']
rows.insert(3, 'images/broken.png,,')
rows.insert(6, 'images/fashion-2-trouser.png,0,')  # a second row of an image: explained for class 0
open(f'{data}/images/broken.png', 'w').write('not an image')
open(f'{data}/images.csv', 'w').write('\n'.join(rows) + '\n')
EOF
ARGS="--method all --samples 2 --steps 5"

# One process over the whole list.
check "single process" "$iscam" eval -m "$data/model.onnx" --list "$data/images.csv" $ARGS --threads 1 -o "$tmp/single.jsonl"

# Slurm: three array tasks at once; task 1 is killed as soon as it has written a line, then requeued.
slurm_task() {
  env SLURM_ARRAY_TASK_ID="$1" SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=0 SLURM_CPUS_PER_TASK=1 \
    ISCAM="$iscam" MODEL="$data/model.onnx" LIST="$data/images.csv" RESULTS="$tmp/slurm" EVAL_ARGS="$ARGS" \
    bash "$root/deploy/slurm/iscam-eval.sbatch" 2>>"$tmp/logs/task-$1.err" >/dev/null
}
slurm_task 0 & t0=$!
slurm_task 2 & t2=$!
env SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 ISCAM="$iscam" MODEL="$data/model.onnx" \
  LIST="$data/images.csv" RESULTS="$tmp/slurm" EVAL_ARGS="$ARGS" bash "$root/deploy/slurm/iscam-eval.sbatch" \
  2>/dev/null >/dev/null & t1=$!  # the script execs iscam: this pid is iscam's
shard1=$tmp/slurm/shard-1-of-3.jsonl
for _ in $(seq 400); do [ -s "$shard1" ] && break; sleep 0.02; done
{ kill -KILL $t1; wait $t1; } 2>/dev/null
wait $t0 $t2
killed_lines=$(wc -l < "$shard1")
check "task 1 was killed midway (some lines, not all)" test "$killed_lines" -ge 1 -a "$killed_lines" -lt 13
check "the killed task left only whole lines" /usr/bin/python3 -c "
import json
for l in open('$shard1', 'rb').read().split(b'\n')[:-1]: json.loads(l)
assert open('$shard1', 'rb').read().endswith(b'\n')"
cp "$shard1" "$tmp/killed.jsonl"
check "the requeued task resumes" slurm_task 1
check "it kept the killed run's lines and appended the rest" bash -c "
  cmp -n \$(stat -c %s '$tmp/killed.jsonl') '$tmp/killed.jsonl' '$shard1' &&
  [ \$(wc -l < '$shard1') -gt $killed_lines ]"

# Kubernetes: the Indexed Job's container command, for indices 0..2 of SHARDS=3.
job_command=$(/usr/bin/python3 -c "
import yaml
job = next(d for d in yaml.safe_load_all(open('$root/deploy/kubernetes/iscam-eval-job.yaml')) if d['kind'] == 'Job')
c = job['spec']['template']['spec']['containers'][0]
assert c['command'][:2] == ['/bin/sh', '-c']
print(c['args'][0])")
mkdir -p "$tmp/bin"
ln -s "$(realpath "$iscam")" "$tmp/bin/iscam"
pids=()
for i in 0 1 2; do
  env PATH="$tmp/bin:$PATH" JOB_COMPLETION_INDEX=$i SHARDS=3 DATA="$data" EVAL_ARGS="$ARGS --threads 1" \
    /bin/sh -c "$job_command" 2>>"$tmp/logs/kube-$i.err" >/dev/null & pids+=($!)
done
wait "${pids[@]}"

check "every run: the same rows with the same numbers" /usr/bin/python3 - "$tmp" <<'EOF'
import glob, json, sys
tmp = sys.argv[1]
def rows(files):
    out = {}
    for f in files:
        for line in open(f):
            r = json.loads(line)
            r.pop('timings_ms', None)
            key = (r['image'], r['requested_class'], r.get('method', 'error'))
            assert key not in out, f'{key} twice in {files}'
            out[key] = r
    return out
single = rows([f'{tmp}/single.jsonl'])
slurm = rows(sorted(glob.glob(f'{tmp}/slurm/shard-*-of-3.jsonl')))
kube = rows(sorted(glob.glob(f'{tmp}/data/results/shard-*-of-3.jsonl')))
assert len(glob.glob(f'{tmp}/slurm/*.jsonl')) == 3 and len(glob.glob(f'{tmp}/data/results/*.jsonl')) == 3
assert len(single) == 13 * 3 + 1, len(single)
errors = [k for k in single if k[2] == 'error']
assert len(errors) == 1 and errors[0][0].endswith('broken.png'), errors
for name, other in [('slurm', slurm), ('kubernetes', kube)]:
    assert set(other) == set(single), (name, set(single) ^ set(other))
    for k in single:
        assert other[k] == single[k], (name, k)
EOF
report() {  # report OUT.csv files...: the summary less the timing rows
  local out=$1; shift
  "$iscam" report "$@" --csv "$out.full" --html "$out.html" >"$out.stdout" && grep -v ',ms_per_image,' "$out.full" >"$out"
}
check "reports: single process" report "$tmp/single.csv" "$tmp/single.jsonl"
check "reports: Slurm shards merged" report "$tmp/slurm.csv" "$tmp"/slurm/shard-*.jsonl
check "reports: Kubernetes shards merged" report "$tmp/kube.csv" "$tmp"/data/results/shard-*.jsonl
check "reports: everything, duplicates counted once" report "$tmp/all.csv" "$tmp/single.jsonl" "$tmp"/slurm/*.jsonl
check "the merged reports equal the single one" bash -c "
  cmp '$tmp/single.csv' '$tmp/slurm.csv' && cmp '$tmp/single.csv' '$tmp/kube.csv' && cmp '$tmp/single.csv' '$tmp/all.csv' &&
  grep -q '13 images, 1 errors, 0 duplicate' '$tmp/slurm.csv.stdout' &&
  grep -q '13 images, 1 errors, 39 duplicate rows counted once' '$tmp/all.csv.stdout'"

echo "eval shards: $passed passed, $failed failed"
[ $failed -eq 0 ]
