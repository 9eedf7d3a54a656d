#!/usr/bin/env bash
# The job definitions in deploy/: the Slurm batch script (bash -n, shellcheck, its #SBATCH lines)
# and the Kubernetes manifests (YAML, the Indexed Job's fields). What they run is tested by
# test_eval_shards.sh.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
sbatch=$root/deploy/slurm/iscam-eval.sbatch
job=$root/deploy/kubernetes/iscam-eval-job.yaml
passed=0 failed=0
check() {  # check "what" command...
  local what=$1; shift
  if out=$("$@" 2>&1); then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $what"; echo "$out"; fi
}

check "sbatch script: bash -n" bash -n "$sbatch"
check "sbatch script: shellcheck" shellcheck -s bash "$sbatch"
check "sbatch script: #SBATCH lines" /usr/bin/python3 - "$sbatch" <<'EOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[0] == '#!/usr/bin/env bash'
first_command = next(i for i, l in enumerate(lines) if l.strip() and not l.startswith('#'))
known = {'job-name', 'array', 'cpus-per-task', 'mem', 'time', 'requeue', 'open-mode', 'output'}
seen = {}
for i, l in enumerate(lines):
    if not l.startswith('#SBATCH'):
        assert 'SBATCH' not in l.split('#')[0], l
        continue
    # Slurm reads #SBATCH lines only before the first command.
    assert i < first_command, f'line {i + 1} comes after the first command: {l}'
    m = re.fullmatch(r'#SBATCH --([a-z-]+)(?:=(\S+))?', l)
    assert m, f'malformed: {l}'
    assert m.group(1) in known, f'unknown option: {l}'
    seen[m.group(1)] = m.group(2)
assert re.fullmatch(r'\d+-\d+', seen['array']), seen['array']
assert re.fullmatch(r'\d+:\d\d:\d\d', seen['time']), seen['time']
assert re.fullmatch(r'\d+[KMGT]?', seen['mem']), seen['mem']
assert seen['open-mode'] == 'append' and 'requeue' in seen
assert '%A_%a' in seen['output']
body = '\n'.join(lines[first_command:])
for needed in ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_COUNT', '--shard "$index/$count"', '--resume']:
    assert needed in body, needed
EOF
check "Kubernetes manifests: YAML and the Indexed Job" /usr/bin/python3 - "$job" <<'EOF'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
by_kind = {d['kind']: d for d in docs}
assert set(by_kind) == {'PersistentVolumeClaim', 'Job'}, set(by_kind)
pvc, job = by_kind['PersistentVolumeClaim'], by_kind['Job']
assert pvc['apiVersion'] == 'v1' and 'ReadWriteMany' in pvc['spec']['accessModes']
assert job['apiVersion'] == 'batch/v1'
spec = job['spec']
assert spec['completionMode'] == 'Indexed'
assert isinstance(spec['completions'], int) and 1 <= spec['parallelism'] <= spec['completions']
pod = spec['template']['spec']
assert pod['restartPolicy'] in ('OnFailure', 'Never')
(container,) = pod['containers']
env = {e['name']: e['value'] for e in container['env']}
assert int(env['SHARDS']) == spec['completions'], 'SHARDS must equal completions'
import shlex
assert container['command'] == ['/bin/sh', '-c'] and len(container['args']) == 1
words = shlex.split(container['args'][0])
evaluate = words[words.index('exec') + 1:]
assert evaluate[:2] == ['iscam', 'eval'], evaluate
def value(flag):
    assert evaluate.count(flag) == 1, flag
    return evaluate[evaluate.index(flag) + 1]
assert value('--shard') == '$JOB_COMPLETION_INDEX/$SHARDS'
assert value('--out') == '$DATA/results/shard-$JOB_COMPLETION_INDEX-of-$SHARDS.jsonl'
assert value('--model') == '$DATA/model.onnx' and value('--list') == '$DATA/images.csv'
assert '--resume' in evaluate and evaluate[-1] == '$EVAL_ARGS'
(mount,) = container['volumeMounts']
(volume,) = pod['volumes']
assert mount['name'] == volume['name'] and mount['mountPath'] == env['DATA']
assert volume['persistentVolumeClaim']['claimName'] == pvc['metadata']['name']
EOF
for f in "$root"/deploy/slurm/README.md "$root"/deploy/kubernetes/README.md; do
  check "$(basename "$(dirname "$f")") README names iscam report" grep -q "iscam report" "$f"
done

echo "deploy files: $passed passed, $failed failed"
[ $failed -eq 0 ]
