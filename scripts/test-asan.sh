#!/usr/bin/env bash
# The ctest suite under AddressSanitizer + UndefinedBehaviorSanitizer: the asan preset (clang,
# asserts on, CUDA off; build/asan, which also holds the fuzzers). Two tests whose time is PyTorch's
# are left out (CMakePresets.json says which). LeakSanitizer skips ONNX Runtime's own allocations
# only (tests/lsan-onnxruntime.supp).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$(nproc)"
ctest --preset asan
