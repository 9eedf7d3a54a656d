# Sourced by the CLI tests: the iscam binary ($1), the bundled model and sample, a scratch folder,
# and the counting check and the inline Python they share.
set -u
iscam=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model=$root/web/models/fashion-cnn.onnx
image=$root/web/samples/fashion-0-ankle-boot.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() {  # check "what" command...
  local what=$1; shift
  if "$@" >"$tmp/log" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $what"; cat "$tmp/log"; fi
}
py() { /usr/bin/python3 -c "$@"; }
