#!/usr/bin/env bash
# CI's fuzzing: every libFuzzer target replays its regressions, then fuzzes for 20 s (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fuzz.sh "${ISCAM_FUZZ_SECONDS:-20}"
