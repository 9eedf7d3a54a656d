#!/usr/bin/env bash
# Configures and builds the native library, the iscam CLI and (unless -DISCAM_TESTS=OFF is
# given) the tests in build/native. Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset native-release "$@" >/dev/null
cmake --build --preset native-release -j"$(nproc)"
