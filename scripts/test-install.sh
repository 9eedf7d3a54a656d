#!/usr/bin/env bash
# The library as a user gets it. Installs a build (default build/native) into a temporary prefix
# and moves the prefix elsewhere (it must not depend on where it was installed), then, from other
# folders: builds examples/ against it with CMake (find_package) and with make (pkg-config), runs
# both programs on the bundled model and compares their maps with the installed CLI's; checks
# that the installed CLI finds the installed data, that the installed ImageNet network explains a
# photo, and that the Python module imports from the prefix; makes the .deb and .tar.gz with CPack
# and checks what they hold.
#   scripts/test-install.sh [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build/native}" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
model=$root/web/models/fashion-cnn.onnx
image=$root/web/samples/fashion-0-ankle-boot.png
fail() { echo "test-install: FAILED: $*" >&2; exit 1; }
start=$SECONDS
step() { echo "== test-install: $* ($((SECONDS - start)) s)"; }

step "install $build into a prefix, then move the prefix"
cmake --install "$build" --prefix "$tmp/installed" >/dev/null
mv "$tmp/installed" "$tmp/moved"
prefix=$tmp/moved
for f in bin/iscam lib/libiscam.so lib/libonnxruntime.so.1 include/iscam/iscam.h include/iscam/iscam.hpp \
         lib/cmake/iscam/iscamConfig.cmake lib/cmake/iscam/iscamConfigVersion.cmake lib/pkgconfig/iscam.pc \
         share/iscam/imagenet-labels.json share/doc/iscam/LICENSE; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
headers=$(cd "$prefix/include" && find . -type f | sort | tr '\n' ' ')
[ "$headers" = "./iscam/iscam.h ./iscam/iscam.hpp " ] || fail "installed headers are '$headers', not iscam.h and iscam.hpp only"
soname=$(objdump -p "$prefix/lib/libiscam.so" | awk '$1 == "SONAME" {print $2}')
[[ $soname == libiscam.so.0.* ]] || fail "libiscam's SONAME is '$soname'"
exported=$(nm -D --defined-only "$prefix/lib/libiscam.so" | awk '{print $3}' | grep -vc '^iscam_' || true)
[ "$exported" = 0 ] || fail "libiscam exports $exported symbols that are not iscam_*"

step "the installed CLI runs from the moved prefix and reads its own data"
"$prefix/bin/iscam" explain -m "$model" -i "$image" --method all --json "$tmp/cli.json" >/dev/null
squeezenet=$root/build/models/squeezenet1_1.onnx
if [ -f "$squeezenet" ]; then
  # ImageNet names come from PREFIX/share/iscam: replaced there by names of our own, they must show.
  $py -c "import json, sys; json.dump(['installed-%d' % i for i in range(1000)], open(sys.argv[1], 'w'))" \
    "$prefix/share/iscam/imagenet-labels.json"
  top=$(env -u ISCAM_DATA_DIR "$prefix/bin/iscam" predict -m "$squeezenet" -i "$root/web/samples/chelsea.png" -k 1)
  grep -q 'installed-' <<<"$top" || fail "the installed CLI does not read PREFIX/share/iscam/imagenet-labels.json"
else
  echo "   (no $squeezenet: the ImageNet labels check is skipped; scripts/export-test-models.sh makes it)"
fi

step "the installed ImageNet network explains a photo with no preprocessing flags (its sidecar beside it)"
net=$prefix/share/iscam/mobilenetv2-12-int8.onnx
for f in "$net" "${net%.onnx}.json" "${net%.onnx}.LICENSE.txt" "${net%.onnx}.NOTICE.txt"; do
  [ -f "$f" ] || fail "$f is not installed"
done
photo=$root/web/samples/chelsea.png
"$prefix/bin/iscam" explain -m "$net" -i "$photo" --method iscam --channels 16 --json "$tmp/photo.json" >/dev/null ||
  fail "the installed CLI does not explain $photo with the installed network"
$py - "$root" "$tmp/photo.json" "$prefix/lib/python3/dist-packages" "$net" "$photo" <<'EOF'
import json, os, sys
root, result, python_dir, net, photo = sys.argv[1:]
sys.path.insert(0, os.path.join(root, "tests"))
from photo_peaks import check_photo
fixture = json.load(open(os.path.join(root, "tests/fixtures/photo-boxes.json")))
expected = next(p for p in fixture["photos"] if p["file"] == os.path.basename(photo))
cli = json.load(open(result))
check_photo(expected, cli, photo)
print(f"   the installed CLI: {cli['class_label']}, the map's peak on the cat")
if os.path.isdir(python_dir):
    sys.path.insert(0, python_dir)
    import iscam
    r = iscam.explain(net, photo, method="iscam", channels=16)
    assert (r.class_index, r.label) == (cli["class"], cli["class_label"]), (r.class_index, r.label)
    d = max(abs(x - y) for a, b in zip(r.map.tolist(), cli["map"]) for x, y in zip(a, b))
    assert d <= 1e-6, f"the Python module's map of the photo differs from the CLI's by {d}"
    print("   the Python module (through the C API) reads the same sidecar: the same class and map")
EOF

step "examples/ built with CMake (find_package) from another folder"
cmake -S "$root/examples" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/cmake-build" -j2 >/dev/null
step "examples/ built with make (pkg-config) from another folder"
cp -r "$root/examples" "$tmp/make-build"
rm -rf "$tmp/make-build/build"
PKG_CONFIG_PATH=$prefix/lib/pkgconfig make -s -C "$tmp/make-build" >/dev/null

step "the four programs explain the bundled sample"
runs=("cmake-build/explain_c scorecam" "cmake-build/explain_c sscam" "cmake-build/explain_c iscam"
      "cmake-build/explain_cpp iscam" "make-build/explain_c iscam" "make-build/explain_cpp iscam")
for run in "${runs[@]}"; do
  read -r exe method <<<"$run"
  name=${exe//\//-}
  {
    "$tmp/$exe" "$model" "$image" "$tmp/$name-$method.png" $method >"$tmp/$name-$method.json" 2>/dev/null ||
      fail "$exe $method"
    [ -s "$tmp/$name-$method.png" ] || fail "$exe wrote no overlay"
  }
done
python_dir=$prefix/lib/python3/dist-packages
$py - "$tmp" "$python_dir" "$model" "$image" <<'EOF'
import glob, json, os, sys
tmp, python_dir, model, image = sys.argv[1:]
cli = {r["method"]: r for r in json.load(open(os.path.join(tmp, "cli.json")))["results"]}

def worst(a, b):
    return max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))

checked = 0
for path in sorted(glob.glob(os.path.join(tmp, "*-build-explain_*.json"))):
    r = json.load(open(path))
    d = worst(r["map"], cli[r["method"]]["map"])
    assert d <= 1e-6, f"{path}: the map differs from the CLI's by {d}"
    assert r["class"] == 9 and r["class_label"] == "Ankle boot", path
    checked += 1
assert checked == 6, f"{checked} results"
print(f"   the 6 maps equal the installed CLI's within 1e-6")
if os.path.isdir(python_dir):
    sys.path.insert(0, python_dir)
    import iscam
    assert iscam.__file__.startswith(python_dir), iscam.__file__
    r = iscam.explain(model, image, method="iscam")
    d = worst(r.map.tolist(), cli["iscam"]["map"])
    assert d <= 1e-6, f"the Python module's map differs by {d}"
    print(f"   the Python module imports from PREFIX/lib/python3/dist-packages; its map equals the CLI's")
else:
    print("   (the build has no Python module: pybind11-dev and python3-dev were not installed)")
EOF

step "CPack: the .deb and the .tar.gz"
(cd "$tmp" && cpack --config "$build/CPackConfig.cmake" -B "$tmp/packages" >/dev/null 2>&1) || fail "cpack"
deb=$(ls "$tmp"/packages/iscam_*.deb) || fail "no .deb"
tgz=$(ls "$tmp"/packages/iscam-*.tar.gz) || fail "no .tar.gz"
in_deb=$(dpkg-deb -c "$deb")
in_tgz=$(tar -tzf "$tgz")
grep -q ' ./usr/lib/libiscam.so.0' <<<"$in_deb" || fail "the .deb has no /usr/lib/libiscam.so.0.*"
grep -q ' ./usr/bin/iscam$' <<<"$in_deb" || fail "the .deb has no /usr/bin/iscam"
grep -q ' ./usr/share/iscam/mobilenetv2-12-int8.onnx$' <<<"$in_deb" || fail "the .deb has no ImageNet network"
grep -q '/include/iscam/iscam.h$' <<<"$in_tgz" || fail "the .tar.gz has no include/iscam/iscam.h"
grep -q '/lib/libonnxruntime.so.1$' <<<"$in_tgz" || fail "the .tar.gz has no lib/libonnxruntime.so.1"
dpkg-deb -x "$deb" "$tmp/deb-root"
layers=$("$tmp/deb-root/usr/bin/iscam" layers -m "$model") || fail "the program of the .deb does not run"
grep -q '^\*' <<<"$layers" || fail "the program of the .deb lists no default layer"
echo "   $(basename "$deb") ($(du -h "$deb" | cut -f1)), $(basename "$tgz") ($(du -h "$tgz" | cut -f1))"
echo "test-install: passed ($((SECONDS - start)) s)"
