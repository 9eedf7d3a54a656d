#!/usr/bin/env bash
# Installs everything and runs every test: C++ (ctest), then the page (node and headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build-native.sh -DISCAM_TESTS=ON
scripts/export-test-models.sh squeezenet1_1
scripts/make_quantized_models.sh build/test-models   # int8 and odd-case models for the browser tests
/usr/bin/python3 scripts/make_test_models.py --cases build/test-models
ctest --preset native-release
scripts/test-install.sh build/native
scripts/test-web.sh
scripts/test-asan.sh   # the ctest suite under ASan + UBSan
scripts/test-fuzz.sh   # each libFuzzer target: its regressions, then 20 s
