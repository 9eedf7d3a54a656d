#!/usr/bin/env bash
# CI's fuzzing: every libFuzzer target replays its regressions, then fuzzes for 20 s from a fixed
# seed, so that a run is repeatable (scripts/fuzz.sh; run it without ISCAM_FUZZ_SEED to explore).
set -euo pipefail
cd "$(dirname "$0")/.."
ISCAM_FUZZ_SEED=${ISCAM_FUZZ_SEED:-1} scripts/fuzz.sh "${ISCAM_FUZZ_SECONDS:-20}"
