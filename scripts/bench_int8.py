"""Int8 against float, same architecture: one line per model and form with the time of a forward
pass (iscam bench, best of --repeat runs: IS-CAM on the bundled model, fast Score-CAM on the
ImageNet ones) and the Pearson r of the int8 map against the
float map (mean over the images; default target layers): Score-CAM and IS-CAM on the bundled
model, Score-CAM only on the ImageNet ones (their exact IS-CAM is minutes an image here).

    scripts/make_quantized_models.sh && /usr/bin/python3 scripts/bench_int8.py

The int8 models are scripts/quantize_onnx.py's (build/test-models/, else build/models/); the
torchvision models have random weights (no pretrained weights here), so their top classes are
near ties and the maps of random features: the bundled model's figures are the meaningful ones.
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FASHION = [f"web/samples/fashion-{s}.png" for s in ("0-ankle-boot", "1-pullover", "9-sneaker")]
COLOUR = ["web/samples/chelsea.png", "web/samples/coffee.png"]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def ms_per_pass(iscam, model, method, extra, repeat, threads):
    out = run([iscam, "bench", "-m", model, "--method", method, "--repeat", str(repeat), "--threads", str(threads)] + extra)
    return min(json.loads(line)["ms_per_pass"] for line in out.splitlines())


def maps(iscam, model, image, methods, extra, out):
    run([iscam, "explain", "-m", model, "-i", image, "--method", ",".join(methods), "--json", out] + extra)
    with open(out) as f:
        result = json.load(f)
    return {r["method"]: np.array(r["map"], np.float64).ravel() for r in result.get("results", [result])}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iscam", default=os.path.join(REPO, "build/native/native/iscam"))
    ap.add_argument("--models", default="fashion-cnn,squeezenet1_1,mobilenet_v2,resnet18")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels", type=int, default=256, help="fast mode for the timing runs of the large models")
    args = ap.parse_args()
    print(f"{'model':<14} {'form':<10} {'ms/pass':>8} {'speed-up':>8} {'r Score-CAM':>11} {'r IS-CAM':>8}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models.split(","):
            bundled = name == "fashion-cnn"
            base = os.path.join(REPO, "web/models" if bundled else "build/models", f"{name}.onnx")
            extra = [] if bundled else ["--preset", "imagenet"]
            timing = extra + ([] if bundled else ["--channels", str(args.channels)])
            timed = "iscam" if bundled else "scorecam"  # a few hundred passes either way
            images = [os.path.join(REPO, i) for i in (FASHION if bundled else COLOUR)]
            methods = ["scorecam", "iscam"] if bundled else ["scorecam"]
            out = os.path.join(tmp, "r.json")
            reference = [maps(args.iscam, base, i, methods, extra, out) for i in images]
            float_ms = ms_per_pass(args.iscam, base, timed, timing, args.repeat, args.threads)
            print(f"{name:<14} {'float':<10} {float_ms:>8.2f} {1:>8.2f} {'1':>11} {'1' if bundled else '-':>8}", flush=True)
            for form in ("qdq", "qoperator"):
                int8 = next((p for p in (os.path.join(REPO, d, f"{name}-int8-{form}.onnx") for d in ("build/test-models", "build/models"))
                             if os.path.exists(p)), None)
                if not int8:
                    print(f"{name:<14} {form:<10} (no {name}-int8-{form}.onnx: scripts/quantize_onnx.py)", flush=True)
                    continue
                ms = ms_per_pass(args.iscam, int8, timed, timing, args.repeat, args.threads)
                got = [maps(args.iscam, int8, i, methods, extra, out) for i in images]
                r = {m: f"{np.mean([np.corrcoef(g[m], f[m])[0, 1] for g, f in zip(got, reference)]):.3f}" for m in methods}
                print(f"{name:<14} {form:<10} {ms:>8.2f} {float_ms / ms:>8.2f} {r['scorecam']:>11} {r.get('iscam', '-'):>8}", flush=True)


if __name__ == "__main__":
    main()
