#!/usr/bin/env bash
# Builds the libFuzzer targets (in the asan preset's tree: clang, ASan + UBSan) and runs each one: first the
# committed regressions (tests/fuzz/regressions/<target>/, inputs that once crashed or exhausted
# memory), then fuzzing for SECONDS from the seed corpus (tests/fuzz/corpus/<target>/).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 600 s each, every target
# ISCAM_FUZZ_SEED=N fixes libFuzzer's seed (CI's run: the same inputs every time); unset, each run
# explores anew.
# New inputs go to $build/corpus/<target>/ (kept between runs); a crash is written to
# $build/crashes/ and fails the run: fix it, then add the file to regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("${@:-fuzz_onnx fuzz_image fuzz_npy fuzz_model_config fuzz_results}")
targets=(${targets[*]})
build=build/asan

cmake --preset asan >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzzers >/dev/null
mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  shopt -s nullglob
  regressions=(tests/fuzz/regressions/$t/*)
  shopt -u nullglob
  if [ ${#regressions[@]} -gt 0 ] && ! "$bin" -rss_limit_mb=2048 "${regressions[@]}" >"$build/$t.replay.log" 2>&1; then
    echo "$t: a regression fails again:"; tail -20 "$build/$t.replay.log"; status=1; continue
  fi
  mkdir -p "$build/corpus/$t"
  if "$bin" -max_total_time="$seconds" ${ISCAM_FUZZ_SEED:+-seed="$ISCAM_FUZZ_SEED"} -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
       -artifact_prefix="$build/crashes/$t-" "$build/corpus/$t" "tests/fuzz/corpus/$t" >"$build/$t.log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$t.log")
    echo "$t: ${#regressions[@]} regressions pass; $execs executions in ${seconds}s, no crash;" \
         "corpus $(ls "$build/corpus/$t" | wc -l) new + $(ls "tests/fuzz/corpus/$t" | wc -l) seeds"
  else
    echo "$t: CRASH (log $build/$t.log):"; grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$build/$t.log" | head -8
    status=1
  fi
done
exit $status
