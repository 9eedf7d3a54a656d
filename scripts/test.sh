#!/usr/bin/env bash
# Installs everything and runs every test: C++ (ctest), then the page (node and headless Chromium).
# The test phases all run even when one fails; a table of each phase's result and seconds closes
# the run, and the exit status is non-zero when any phase failed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build-native.sh -DISCAM_TESTS=ON
scripts/export-test-models.sh squeezenet1_1

summary=()
failed=0
phase() {  # phase NAME COMMAND...: runs the command, records its result and time
  local name=$1 start=$SECONDS status=0
  shift
  echo "== $name"
  "$@" || status=$?
  local result=passed
  if [ "$status" -ne 0 ]; then result="FAILED (exit $status)"; failed=1; fi
  summary+=("$(printf '%-8s %5d s  %s' "$name" $((SECONDS - start)) "$result")")
}
phase ctest ctest --preset native-release
phase slurm tests/test_slurm_array.sh build/native/native/iscam   # deploy/slurm on a one-node Slurm on 127.0.0.1
phase install scripts/test-install.sh build/native
phase wheel scripts/test-wheel.sh build/native   # the wheel of that build, in a fresh venv
phase web scripts/test-web.sh
phase asan scripts/test-asan.sh   # the ctest suite under ASan + UBSan
phase fuzz scripts/test-fuzz.sh   # each libFuzzer target: its regressions, then 20 s

echo "== summary (total $SECONDS s)"
printf '%s\n' "${summary[@]}"
exit $failed
