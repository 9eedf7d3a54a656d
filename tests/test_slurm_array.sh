#!/usr/bin/env bash
# deploy/slurm/iscam-eval.sbatch on a real Slurm: a one-node cluster on 127.0.0.1 (Debian's
# slurm-wlm and munge; munged, slurmctld and slurmd started here with a config written here, no
# cgroups, no systemd), the batch script submitted unchanged as a job array of 3 tasks over the
# shapes test set, one running task cancelled and requeued, the shards merged by `iscam report`;
# the merged rows equal one process's, row for row and number for number (timings aside). The
# daemons are stopped through their pid files on every exit. Needs root (scripts/test.sh runs it).
#   tests/test_slurm_array.sh ISCAM_PROGRAM
set -euo pipefail
iscam=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in munged slurmctld slurmd sbatch scontrol squeue scancel; do
  if ! command -v "$tool" >/dev/null; then
    echo "test_slurm_array: SKIPPED: $tool is not installed (scripts/install-deps.sh --test installs slurm-wlm and munge)"
    exit 0
  fi
done
[ "$(id -u)" = 0 ] || { echo "test_slurm_array: FAILED: needs root (it starts munged, slurmctld and slurmd)" >&2; exit 1; }

scratch=$(mktemp -d /tmp/iscam-slurm.XXXXXX)
chmod 755 "$scratch"
start=$SECONDS
step() { echo "== test_slurm_array: $* ($((SECONDS - start)) s)"; }
stop_daemons() {
  for pidfile in "$scratch"/slurmd.pid "$scratch"/slurmctld.pid "$scratch"/munge/munged.pid; do
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
fail() {
  echo "test_slurm_array: FAILED: $*" >&2
  for log in "$scratch"/*.log "$scratch"/work/logs/*; do [ -f "$log" ] && { echo "--- $log"; tail -n 20 "$log"; }; done >&2
  exit 1
}
trap 'stop_daemons; rm -rf "$scratch"' EXIT

step "munged as the munge user, its key in /etc/munge"
if [ ! -s /etc/munge/munge.key ]; then
  install -d -o munge -g munge -m 700 /etc/munge
  runuser -u munge -- mungekey --create --keyfile=/etc/munge/munge.key
fi
install -d -o munge -g munge -m 755 "$scratch/munge"
socket=$scratch/munge/munge.socket
runuser -u munge -- munged --socket="$socket" --pid-file="$scratch/munge/munged.pid" \
  --log-file="$scratch/munge/munged.log" --seed-file="$scratch/munge/munged.seed" || fail "munged did not start"

step "slurmctld and slurmd, configured for 127.0.0.1"
read -r ctld_port slurmd_port < <(/usr/bin/python3 -c "
import socket
ports = [socket.socket() for _ in range(2)]
for s in ports:
    s.bind(('127.0.0.1', 0))
print(*(s.getsockname()[1] for s in ports))")
host=$(hostname -s)
cpus=$(nproc)
memory=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) * 3 / 4 / 1024))  # MB
mkdir -p "$scratch/state" "$scratch/spool" "$scratch/work/logs"
export SLURM_CONF=$scratch/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=iscam-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$scratch/state
SlurmdSpoolDir=$scratch/spool
SlurmctldPidFile=$scratch/slurmctld.pid
SlurmdPidFile=$scratch/slurmd.pid
SlurmctldLogFile=$scratch/slurmctld.log
SlurmdLogFile=$scratch/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -i || fail "slurmctld did not start"
slurmd || fail "slurmd did not start"
for _ in $(seq 100); do
  state=$(scontrol show node "$host" 2>/dev/null | grep -o 'State=[A-Z+]*' || true)
  [ "$state" = State=IDLE ] && break
  sleep 0.2
done
[ "$state" = State=IDLE ] || fail "the node is not idle: $state"

step "one process over the list, then the array of 3 tasks"
# The first 90 images of the shapes test set: paths relative to the list's folder, as the
# script's README says.
work=$scratch/work
ln -s "$root/web/samples/shapes/images" "$work/images"
ln -s "$root/web/samples/shapes/masks" "$work/masks"
ln -s "$root/web/models/shapes-cnn.onnx" "$work/model.onnx"
ln -s "$root/web/models/shapes-cnn.json" "$work/model.json"
head -n 91 "$root/web/samples/shapes/shapes-test.csv" >"$work/images.csv"
args="--method scorecam --steps 5"
cd "$work"
# shellcheck disable=SC2086  # a list of options
"$iscam" eval --model model.onnx --list images.csv --threads 1 --out single.jsonl $args 2>/dev/null ||
  fail "the single-process run"
# The cluster's node has $cpus CPUs and no 8 GB to give each task: the command line asks for
# what it has, as a user of a smaller partition would; the script itself is submitted unchanged.
job=$(sbatch --parsable --array=0-2 --cpus-per-task=1 --mem=512M \
        --export=ALL,ISCAM="$iscam",EVAL_ARGS="$args" "$root/deploy/slurm/iscam-eval.sbatch") || fail "sbatch"
job=${job%%;*}

step "cancel task 1 of job $job once it is running and has written a row, then requeue it"
shard1=results/shard-1-of-3.jsonl
for _ in $(seq 600); do
  [ "$(squeue -h -j "${job}_1" -o %T 2>/dev/null)" = RUNNING ] && [ -s "$shard1" ] && break
  sleep 0.05
done
[ -s "$shard1" ] || fail "task 1 did not start writing"
scancel "${job}_1"
for _ in $(seq 200); do
  state=$(scontrol show job "${job}_1" | grep -o 'JobState=[A-Z_]*' || true)
  [ "$state" = JobState=CANCELLED ] && break
  sleep 0.1
done
[ "$state" = JobState=CANCELLED ] || fail "task 1 is $state after scancel"
rows_when_cancelled=$(wc -l <"$shard1")
[ "$rows_when_cancelled" -lt 30 ] || fail "task 1 had finished its 30 rows before it was cancelled"
scontrol requeue "${job}_1" || fail "scontrol requeue"
# A requeued job waits a while before it is eligible again (its BeginTime); a test need not.
scontrol update JobId="${job}_1" StartTime=now || fail "scontrol update StartTime"

step "wait for the array"
for _ in $(seq 1200); do
  [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
  sleep 0.1
done
[ -z "$(squeue -h -j "$job")" ] || fail "the array has not finished: $(squeue -h -j "$job")"
for task in 0 1 2; do
  state=$(scontrol show job "${job}_$task" | grep -o 'JobState=[A-Z_]*' || true)
  [ "$state" = JobState=COMPLETED ] || fail "task $task ended $state"
done
restarts=$(scontrol show job "${job}_1" | grep -o 'Restarts=[0-9]*' || true)
[ "$restarts" = Restarts=1 ] || fail "task 1 was not requeued once: $restarts"
echo "   task 1 had $rows_when_cancelled rows when cancelled; requeued, it resumed"

step "merge the shards with iscam report; compare with the single process"
ls logs/iscam-eval-"${job}"_{0,1,2}.out >/dev/null || fail "the tasks' logs are not logs/iscam-eval-%A_%a.out"
"$iscam" report results/shard-*-of-3.jsonl --csv merged.csv >report.txt || fail "iscam report on the shards"
"$iscam" report single.jsonl --csv single.csv >/dev/null || fail "iscam report on the single run"
grep -q '90 images, 0 errors, 0 duplicate' report.txt || fail "the report: $(cat report.txt)"
diff <(grep -v ',ms_per_image,' single.csv) <(grep -v ',ms_per_image,' merged.csv) || fail "the merged summary differs"
/usr/bin/python3 - <<'EOF' || fail "the merged rows differ from the single run's"
import glob, json
def rows(files):
    out = {}
    for f in files:
        for line in open(f):
            r = json.loads(line)
            r.pop("timings_ms", None)
            key = (r["image"], r["requested_class"], r.get("method"))
            assert key not in out, f"{key} twice"
            out[key] = r
    return out
single = rows(["single.jsonl"])
merged = rows(sorted(glob.glob("results/shard-*-of-3.jsonl")))
assert len(single) == 90 and set(merged) == set(single), set(merged) ^ set(single)
for key, row in single.items():
    assert merged[key] == row, key
print(f"   {len(merged)} rows from 3 shards equal the single process's, number for number")
EOF
echo "test_slurm_array: passed ($((SECONDS - start)) s)"
