# Sourced by the CLI tests: the iscam binary ($1), the bundled model and sample, a scratch folder.
set -u
iscam=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model=$root/web/models/fashion-cnn.onnx
image=$root/web/samples/fashion-0-ankle-boot.png
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
