#!/bin/sh
# Builds the WASM core (build/wasm) and assembles the static page in build/web: the page, the
# core, the ONNX Runtime Web files it loads, the default model, labels and samples.
# Any static host can serve build/web; for threads it must send the COOP/COEP headers
# (node web/serve.mjs does).
# ISCAM_WASM_BUILD and ISCAM_WEB_OUT move the two folders (default build/wasm and build/web).
set -eu
cd "$(dirname "$0")/.."
WASM=${ISCAM_WASM_BUILD:-build/wasm}
OUT=${ISCAM_WEB_OUT:-build/web}
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"  # Debian's emcc with NodeSource's node

if [ ! -f "$WASM/CMakeCache.txt" ]; then
  # emcmake adds a ctest emulator flag node 20 rejects; the tests are off here anyway.
  emcmake cmake -S . -B "$WASM" -DCMAKE_BUILD_TYPE=Release -DISCAM_TESTS=OFF \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node
fi
cmake --build "$WASM" --target iscam_wasm -j "$(nproc)"

ORT=node_modules/onnxruntime-web/dist
if [ ! -d "$ORT" ]; then
  echo "build-web.sh: $ORT is missing: run npm install" >&2
  exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT/core" "$OUT/ort" "$OUT/models" "$OUT/samples"
cp web/index.html web/style.css web/views.css web/favicon.svg "$OUT/"
cp -r web/js "$OUT/js"
cp "$WASM/wasm/iscam_core.mjs" "$WASM/wasm/iscam_core.wasm" "$OUT/core/"
# The wasm build of ONNX Runtime Web, and the WebGPU build used where the browser has WebGPU.
for f in ort.wasm.min.mjs ort-wasm-simd-threaded.mjs ort-wasm-simd-threaded.wasm \
         ort.webgpu.min.mjs ort-wasm-simd-threaded.asyncify.mjs ort-wasm-simd-threaded.asyncify.wasm; do
  cp "$ORT/$f" "$OUT/ort/"
done
cp web/models/*.onnx web/models/*.json "$OUT/models/"
cp web/models/*.LICENSE.txt web/models/*.NOTICE.txt "$OUT/models/"  # beside the model they cover
cp -r web/samples/* "$OUT/samples/"
node scripts/web-manifest.mjs web > "$OUT/samples/index.json"
node scripts/web-offline.mjs "$OUT"  # precache.json and sw.js: offline after the first visit

echo "build-web.sh: built $OUT (core: $(wc -c < "$OUT/core/iscam_core.wasm") bytes of wasm)"
