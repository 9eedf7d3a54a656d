"""Fast mode against exact mode: one line per model and K (channels scored), with the Pearson r of
the fast map against the exact map, the deletion AUC of both (iscam explain --metrics --score
logit: the class logit as positions are deleted, lower is more faithful; with random weights the
softmax probability stays near 1/1000 and says little), and the speed-up of the explanation
(forward passes and wall time).

    /usr/bin/python3 scripts/bench_fast_mode.py --method scorecam
    /usr/bin/python3 scripts/bench_fast_mode.py --method iscam --models squeezenet1_1,resnet18
    /usr/bin/python3 scripts/bench_fast_mode.py --models mobilenetv2-12-int8 --method iscam \
        --images web/samples/chelsea.png,web/samples/coffee.png,web/samples/astronaut.png,web/samples/camera.png \
        --select variance,screen --ks 8,16,32,64 --threads 2 --exact-cache build/exact-maps

One line per K and channel choice (--select: variance, the K of highest activation variance, or
screen, docs/math.md "Fast mode", with M = --screen-factor·K screened; 0: the core's default M).
--exact-cache keeps the exact runs (minutes each for IS-CAM on an ImageNet network) for the next
call. --float-form runs an int8 model as its float form (iscam --float-form, as the page does).

Models: a bundled one by name (web/models/NAME.onnx, preprocessed as its sidecar says: the int8
MobileNet v2, `--models mobilenetv2-12-int8`, is the one trained network), else torchvision's at
224 with random weights (scripts/export_torchvision.py), exported to build/models/ when missing.
The CLI writes its map once, at the end: natively there is no time to a first partial map. Images: the bundled colour
samples, ImageNet preprocessing. The numbers are the mean over the images.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def explain(args, model, image, method, channels, out, select="variance", screen=0):
    preset = [] if model.startswith(os.path.join(REPO, "web/models")) else ["--preset", "imagenet"]
    form = ["--float-form"] if args.float_form else []
    cmd = [args.iscam, "explain", "-m", model, "-i", image, *preset, *form, "--method", method,
           "--threads", str(args.threads), "--batch", "32", "--metrics", "--score", "logit", "--json", out]
    if channels:
        cmd += ["--channels", str(channels), "--select", select]
    if screen:
        cmd += ["--screen-channels", str(screen)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return read(out)


def read(out):
    with open(out) as f:
        r = json.load(f)
    return {"map": np.array(r["map"], np.float64).ravel(), "ms": r["timings_ms"]["total"],
            "passes": r["total_forward_passes"], "deletion": r["metrics"]["deletion_auc"],
            "K": r["channels"], "layer": r["layer"], "screened": r["options"].get("fast_mode", {}).get("screened")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iscam", default=os.path.join(REPO, "build/native/native/iscam"))
    ap.add_argument("--models", default="squeezenet1_1,resnet18,mobilenet_v2")
    ap.add_argument("--ks", default="16,32,64,128,256")
    ap.add_argument("--images", default="web/samples/chelsea.png,web/samples/coffee.png")
    ap.add_argument("--method", default="scorecam", choices=("scorecam", "iscam", "sscam"))
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--select", default="variance", help="variance, screen or both (a comma list)")
    ap.add_argument("--screen-factor", type=int, default=8, help="--select screen: M = this · K channels screened")
    ap.add_argument("--exact-cache", help="a folder keeping the exact runs' JSON for the next call")
    ap.add_argument("--float-form", action="store_true", help="run an int8 model as its float form")
    args = ap.parse_args()
    ks = [int(k) for k in args.ks.split(",")]
    images = [os.path.join(REPO, i) for i in args.images.split(",")]
    print(f"# {args.method}, {len(images)} images, {args.iscam}", flush=True)
    print(f"{'model':<20} {'layer K':>7} {'select':>8} {'K':>5} {'M':>5} {'passes':>7} {'ms':>9} {'speed-up':>8} {'pearson r':>9} "
          f"{'deletion AUC':>12} {'exact AUC':>9}  (deletion AUC of the logit)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models.split(","):
            model = os.path.join(REPO, "web/models", f"{name}.onnx")
            if not os.path.exists(model):
                model = os.path.join(REPO, "build/models", f"{name}.onnx")
            if not os.path.exists(model):
                subprocess.run([os.path.join(REPO, "scripts/export-test-models.sh"), name], check=True, stdout=subprocess.DEVNULL)
            out = os.path.join(tmp, "r.json")
            exact = [exact_run(args, model, name, i, out) for i in images]
            mean = lambda rs, key: float(np.mean([r[key] for r in rs]))  # noqa: E731
            print(f"{name:<20} {exact[0]['K']:>7} {'exact':>8} {'all':>5} {'':>5} {mean(exact, 'passes'):>7.0f} "
                  f"{mean(exact, 'ms'):>9.0f} {1:>8.2f} {1:>9.3f} {mean(exact, 'deletion'):>12.4f} "
                  f"{mean(exact, 'deletion'):>9.4f}", flush=True)
            for k in ks:
                for select in args.select.split(","):
                    screen = args.screen_factor * k if select == "screen" else 0
                    if k >= exact[0]["K"] or screen >= exact[0]["K"]:
                        continue
                    fast = [explain(args, model, i, args.method, k, out, select, screen) for i in images]
                    screen = fast[0]["screened"]
                    rs = [np.corrcoef(f["map"], e["map"])[0, 1] for f, e in zip(fast, exact)]
                    print(f"{name:<20} {exact[0]['K']:>7} {select:>8} {k:>5} {screen or '':>5} {mean(fast, 'passes'):>7.0f} "
                          f"{mean(fast, 'ms'):>9.0f} {mean(exact, 'ms') / mean(fast, 'ms'):>8.2f} {np.mean(rs):>9.3f} "
                          f"{mean(fast, 'deletion'):>12.4f} {mean(exact, 'deletion'):>9.4f}  min r {min(rs):.3f}", flush=True)


def exact_run(args, model, name, image, out):
    if not args.exact_cache:
        return explain(args, model, image, args.method, 0, out)
    os.makedirs(args.exact_cache, exist_ok=True)
    form = "-float" if args.float_form else ""
    cached = os.path.join(args.exact_cache, f"{name}{form}-{os.path.basename(image)}-{args.method}.json")
    if not os.path.exists(cached):
        explain(args, model, image, args.method, 0, cached)
    return read(cached)


if __name__ == "__main__":
    sys.exit(main())
