#!/usr/bin/env bash
# Installs everything and runs every test: C++ (ctest), then the page (node and headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build-native.sh -DISCAM_TESTS=ON
scripts/export-test-models.sh squeezenet1_1
ctest --preset native-release
scripts/test-install.sh build/native
scripts/test-wheel.sh build/native   # the wheel of that build, in a fresh venv
tests/test_slurm_array.sh build/native/native/iscam   # the Slurm job array on a one-node Slurm
scripts/test-web.sh
scripts/test-asan.sh   # the ctest suite under ASan + UBSan
scripts/test-fuzz.sh   # each libFuzzer target: its regressions, then 20 s
