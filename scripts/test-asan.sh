#!/usr/bin/env bash
# The whole ctest suite under AddressSanitizer + UndefinedBehaviorSanitizer: the asan preset
# (clang, asserts on, CUDA off, no Python module; build/asan, which also holds the fuzzers).
# LeakSanitizer skips ONNX Runtime's own allocations only (tests/lsan-onnxruntime.supp).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$(nproc)"
ctest --preset asan
