"""The sanity checks and ROAD over Fashion-MNIST test images (docs/evaluation.md, "Sanity checks and ROAD").

For each image: `iscam sanity` (cascading, seed = image index) and `iscam explain --road` for
Score-CAM, SS-CAM and IS-CAM in fast settings (N = 4 samples for SS-CAM and IS-CAM, every channel).
Prints the cascading curve (Spearman, SSIM per randomised layer), the random-logit similarity and
the ROAD AUCs, mean and 95 % interval (Student's t) over the images.

    /usr/bin/python3 scripts/fashion_mnist_pngs.py --count 100 --out build/sanity-fashion
    /usr/bin/python3 scripts/sanity_figures.py --iscam build/native/native/iscam --images build/sanity-fashion --count 100
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

METHODS = ["scorecam", "sscam", "iscam"]


def interval(v):
    v = np.asarray([x for x in v if x is not None and np.isfinite(x)], dtype=np.float64)
    m = v.mean()
    h = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)) if len(v) > 1 else float("nan")
    return f"{m:.3f} [{m - h:.3f}, {m + h:.3f}] (n={len(v)})"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--iscam", required=True)
    p.add_argument("--model", default="web/models/fashion-cnn.onnx")
    p.add_argument("--images", required=True, help="folder with images.csv (scripts/fashion_mnist_pngs.py)")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--samples", type=int, default=4)
    a = p.parse_args()
    with open(os.path.join(a.images, "images.csv")) as f:
        names = [row["image"] for row in csv.DictReader(f)][:a.count]
    sanity, road = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        for i, name in enumerate(names):
            image = os.path.join(a.images, name)
            common = ["-m", a.model, "-i", image, "--method", ",".join(METHODS), "--samples", str(a.samples),
                      "--seed", str(i), "--json", out]
            subprocess.run([a.iscam, "sanity", *common], check=True, stdout=subprocess.DEVNULL)
            sanity.append(json.load(open(out)))
            subprocess.run([a.iscam, "explain", *common, "--road"], check=True, stdout=subprocess.DEVNULL)
            road.append(json.load(open(out))["results"])
            print(f"\r{i + 1}/{len(names)} images", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    steps = sanity[0]["steps"]
    print(f"{len(names)} Fashion-MNIST test images, {a.model}, N = {a.samples}, cascading randomisation")
    for m in METHODS:
        print(f"\n{m}")
        for k, s in enumerate(steps):
            sp = [d["steps"][k]["similarity"][m]["spearman"] for d in sanity]
            ss = [d["steps"][k]["similarity"][m]["ssim"] for d in sanity]
            print(f"  layers 1..{s['layer']} (down to {s['node']}): Spearman {interval(sp)}  SSIM {interval(ss)}")
        rl = [d["random_logit"]["similarity"][m] for d in sanity]
        print(f"  random logit: Spearman {interval([r['spearman'] for r in rl])}  SSIM {interval([r['ssim'] for r in rl])}")
        rr = [next(x for x in r if x["method"] == m)["road"] for r in road]
        print(f"  ROAD: MoRF AUC {interval([r['morf_auc'] for r in rr])}  LeRF AUC {interval([r['lerf_auc'] for r in rr])}")


if __name__ == "__main__":
    main()
