#!/usr/bin/env bash
# Installs ONNX Runtime's CUDA provider for `iscam --device cuda`: the npm package
# com.github.asus4.onnxruntime.linux-x64-gpu (179 MB download, 230 MB provider library; built for
# CUDA 13 and cuDNN 9) into node_modules, without recording it in package.json or the lockfile, so
# the default install stays small (a later `npm ci` removes it again: rerun this script).
# Then reconfigure: native/CMakeLists.txt links the provider next to libonnxruntime in
# build/native/onnxruntime/, where ONNX Runtime looks for it. At run time the loader must find
# the CUDA 13 and cuDNN 9 libraries, e.g. (docs/design.md, "The GPU path"):
#   export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu
set -euo pipefail
cd "$(dirname "$0")/.."

pkg=com.github.asus4.onnxruntime.linux-x64-gpu
if [ ! -f node_modules/$pkg/Plugins/Linux/x64/libonnxruntime_providers_cuda.so ]; then
  echo "== npm: $pkg (ONNX Runtime's CUDA provider)"
  npm install --no-save --no-audit --no-fund $pkg@0.4.9
fi
