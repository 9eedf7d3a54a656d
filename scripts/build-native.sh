#!/usr/bin/env bash
# Configures and builds the native library, the iscam CLI and the tests (build/native).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j"$(nproc)"
