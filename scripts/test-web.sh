#!/bin/sh
# The page's tests: builds the WASM core and build/web, then runs node's test runner on the
# page's modules (tests/web) and end to end in headless Chromium (tests/e2e; screenshots in
# build/test-output). The e2e JSON check needs the native CLI (build/native/native/iscam).
set -eu
cd "$(dirname "$0")/.."
scripts/build-web.sh
status=0
node --test tests/web/*.test.mjs || status=1
node --test tests/e2e/*.test.mjs || status=1
exit $status
