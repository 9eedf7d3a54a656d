#!/usr/bin/env bash
# The CUDA path end to end on a GPU machine, offline: build with CUDA, the GPU tests, the batch
# kernel's throughput, `iscam bench --device cuda`, GPU vs CPU agreement; then a summary.
# Expects (docs/design.md, "The GPU path"):
#   - CUDA 13 in CUDA_HOME (default /usr/local/cuda-13.0), cuDNN 9 in /usr/lib/x86_64-linux-gnu,
#     an NVIDIA driver >= 580, xz, python3;
#   - ONNX Runtime with its CUDA provider: the three parts of scripts/gpu-stash.sh in STASH
#     (default /root/stash; about 170 MB), or else node_modules as scripts/install-cuda-deps.sh
#     leaves it;
#   - a build made with -DISCAM_CUDA=ON in BUILD (default build/gpu): made on Debian 12 it runs
#     there, and then only BUILD/native/iscam, BUILD/native/iscam_kernel_bench and
#     BUILD/tests/test_cuda_batch_maker (6 MB) are needed; else cmake, g++ 12, the Debian headers of
#     scripts/install-deps.sh and node_modules/com.github.asus4.onnxruntime to make it here;
#   - build/models/{resnet18,squeezenet1_1,mobilenet_v2}.onnx (45, 5, 14 MB) from
#     scripts/export_torchvision.py (exported here when missing, if python3 can).
# Knobs: BATCHES (default "64 256"), AGREE_MODELS (default all three), SAMPLES (agreement, 3).
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=$(realpath -m "${BUILD:-build/gpu}")
STASH=${STASH:-/root/stash}
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda-13.0}
BATCHES=${BATCHES:-64 256}
MODELS="resnet18 squeezenet1_1 mobilenet_v2"
AGREE_MODELS=${AGREE_MODELS:-$MODELS}
SAMPLES=${SAMPLES:-3}
out=$BUILD/gpu-check
fail=0
note() { echo "== $*"; }

# ONNX Runtime loads the CUDA provider from the folder of the libonnxruntime it loaded: all three
# libraries in one folder, first on the loader's path.
ort=$BUILD/ort-cuda
mkdir -p "$ort" "$out"
if [ ! -f "$ort/libonnxruntime_providers_cuda.so" ]; then
  if ls "$STASH"/ort-cuda.tar.xz.part-* >/dev/null 2>&1; then
    note "unpacking ONNX Runtime and its CUDA provider from $STASH"
    cat "$STASH"/ort-cuda.tar.xz.part-* | xz -dc -T0 | tar -x -C "$ort" || exit 1
  else
    npm=$PWD/node_modules/com.github.asus4.onnxruntime
    ln -sf "$npm/Plugins/Linux/x64/libonnxruntime.so" "$npm.linux-x64-gpu/Plugins/Linux/x64/"libonnxruntime_providers_{cuda,shared}.so "$ort/"
  fi
fi
[ -f "$ort/libonnxruntime_providers_cuda.so" ] || { echo "no ONNX Runtime CUDA provider: see the top of $0"; exit 1; }
ln -sf libonnxruntime.so "$ort/libonnxruntime.so.1"
export LD_LIBRARY_PATH=$ort:$CUDA_HOME/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

if [ ! -x "$BUILD/native/iscam" ]; then
  note "building with CUDA in $BUILD"
  { cmake -S . -B "$BUILD" -DISCAM_CUDA=ON -DCMAKE_CUDA_COMPILER="$CUDA_HOME/bin/nvcc" &&
    cmake --build "$BUILD" -j"$(nproc)"; } >"$out/build.log" 2>&1 || { tail -30 "$out/build.log"; exit 1; }
fi
iscam=$BUILD/native/iscam
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

mkdir -p build/models
for m in $MODELS; do
  [ -f build/models/$m.onnx ] || python3 scripts/export_torchvision.py --arch $m --out build/models/$m.onnx >/dev/null 2>&1 ||
    { rm -f build/models/$m.onnx; echo "no build/models/$m.onnx: skipped"; }
done

note "GPU tests"
NVIDIA_TF32_OVERRIDE=0 ISCAM_TEST_MODEL=$PWD/web/models/fashion-cnn.onnx "$BUILD/tests/test_cuda_batch_maker" 2>&1 |
  tee "$out/tests.log"
tests_rc=${PIPESTATUS[0]}
[ "$tests_rc" -eq 0 ] || fail=1

note "batch kernel throughput"
"$BUILD/native/iscam_kernel_bench" | tee "$out/kernels.jsonl" || fail=1

note "iscam bench --device cuda (TF32 on), batches $BATCHES"
: >"$out/bench.jsonl"
for m in $MODELS; do
  [ -f build/models/$m.onnx ] || continue
  for b in $BATCHES; do
    "$iscam" bench -m build/models/$m.onnx --device cuda --method all --batch "$b" --repeat 2 |
      tee -a "$out/bench.jsonl" || fail=1
  done
done

note "GPU vs CPU agreement (NVIDIA_TF32_OVERRIDE=0, $SAMPLES samples)"
for m in $AGREE_MODELS; do
  [ -f build/models/$m.onnx ] || continue
  args=(explain -m build/models/$m.onnx -i web/samples/chelsea.png --samples "$SAMPLES" --seed 5 --batch 64)
  NVIDIA_TF32_OVERRIDE=0 "$iscam" "${args[@]}" --device cuda --method all --json "$out/$m.gpu.json" &&
    NVIDIA_TF32_OVERRIDE=0 "$iscam" "${args[@]}" --device cuda --method sscam --json "$out/$m.gpu2.json" >/dev/null &&
    "$iscam" "${args[@]}" --device cpu --method scorecam,iscam --json "$out/$m.cpu.json" || fail=1
done

python3 - "$out" "$tests_rc" $AGREE_MODELS <<'PY' || fail=1
import json, os, sys
out, tests_rc, models = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def lines(path):
    return [json.loads(l) for l in open(path) if l.startswith("{")] if os.path.exists(path) else []

def maps(path):
    j = json.load(open(path))
    return j["class"], {r["method"]: [v for row in r["map"] for v in row] for r in j.get("results", [j])}

print("\n== summary")
print("GPU tests:", {0: "passed", 77: "SKIPPED (no CUDA device)"}.get(tests_rc, f"FAILED (exit {tests_rc})"))
print("batch kernel:")
for k in lines(f"{out}/kernels.jsonl"):
    if k["kernel"] == "batch":
        print(f"  {k['kind']:7} batch {k['batch']:5}: {k['GB_s']:7.0f} GB/s written, {k['us']:8.1f} us a batch")
    else:
        print(f"  final map, K={k['K']} hw={k['hw']}: {k['us']:.1f} us")
best = {}
for r in lines(f"{out}/bench.jsonl"):
    key = (os.path.splitext(os.path.basename(r["model"]))[0], r["method"], r["batch"])
    if key not in best or r["total_ms"] < best[key]["total_ms"]:
        best[key] = r
print("iscam bench --device cuda, best of 2:")
print(f"  {'model':14} {'method':9} {'batch':>5} {'passes':>7} {'total ms':>9} {'images/s':>9} {'overhead %':>10}")
for (m, meth, b), r in sorted(best.items()):
    print(f"  {m:14} {meth:9} {b:5} {r['forward_passes']:7} {r['total_ms']:9.1f}"
          f" {r['forward_passes'] / r['total_ms'] * 1e3:9.0f} {r['overhead_pct']:10.1f}")
ok = True
print("maps, max |diff|: GPU vs CPU for Score-CAM and IS-CAM (<= 1e-4), GPU rerun for SS-CAM (<= 1e-5):")
for m in models:
    p = f"{out}/{m}"
    if not all(os.path.exists(p + s) for s in (".gpu.json", ".gpu2.json", ".cpu.json")):
        print(f"  {m:14} not run")
        ok = False
        continue
    (gc, g), (_, g2), (cc, c) = maps(p + ".gpu.json"), maps(p + ".gpu2.json"), maps(p + ".cpu.json")
    for meth in ("scorecam", "iscam"):
        d = max(abs(a - b) for a, b in zip(g[meth], c[meth]))
        good = gc == cc and d <= 1e-4
        ok &= good
        print(f"  {m:14} {meth:9} {d:.2e} class {gc}/{cc} {'ok' if good else 'FAIL'}")
    # Another process may get other cuDNN algorithms from the exhaustive search: rounding only.
    d = max(abs(a - b) for a, b in zip(g["sscam"], g2["sscam"]))
    ok &= d <= 1e-5
    print(f"  {m:14} sscam     {d:.2e} GPU rerun {'ok' if d <= 1e-5 else 'FAIL'}")
sys.exit(0 if ok else 1)
PY
[ $fail -eq 0 ] && echo "gpu-check: all passed" || echo "gpu-check: FAILED"
exit $fail
