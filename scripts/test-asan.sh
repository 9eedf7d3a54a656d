#!/usr/bin/env bash
# The ctest suite under AddressSanitizer + UndefinedBehaviorSanitizer (all but the torchvision
# reference case, the longest, whose code the bundled model's cases run too): the asan preset
# (clang, asserts on, CUDA off, no Python module; build/asan, which also holds the fuzzers).
# LeakSanitizer skips ONNX Runtime's own allocations only (tests/lsan-onnxruntime.supp).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$(nproc)"
ctest --preset asan
