# Sourced by the CLI tests: the iscam binary ($1), the bundled model and sample, a scratch folder,
# and the counting check, the one-line refusal check and the inline Python they share.
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
refuse() {  # refuse "what" "reason regex" args...: exit 2, one line
  local what=$1 reason=$2; shift 2
  "$iscam" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? lines; lines=$(wc -l < "$tmp/err")
  if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -qE -e "$reason" "$tmp/err"; then passed=$((passed + 1)); else
    failed=$((failed + 1)); echo "FAILED: $what: exit $rc, $lines stderr lines:"; cat "$tmp/err"; fi
}
