"""The sanity checks and ROAD over a folder of images (docs/evaluation.md, "Sanity checks and ROAD").

For each image: `iscam sanity` (cascading, seed = image index) and `iscam explain --road` for
Score-CAM, SS-CAM and IS-CAM in fast settings (N = 4 samples for SS-CAM and IS-CAM, every channel
or, with --channels K, the K of highest variance).
Prints the cascading curve (Spearman, SSIM per randomised layer), the random-logit similarity and
the ROAD AUCs, mean and 95 % interval (Student's t) over the images.

    /usr/bin/python3 scripts/fashion_mnist_pngs.py --count 100 --out build/sanity-fashion
    /usr/bin/python3 scripts/sanity_figures.py --iscam build/native/native/iscam --images build/sanity-fashion --count 100
    /usr/bin/python3 scripts/sanity_figures.py --iscam build/native/native/iscam --images build/sanity-photos \
        --model web/models/mobilenetv2-12-int8.onnx --channels 32
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
    p.add_argument("--images", required=True,
                   help="folder with images.csv (scripts/fashion_mnist_pngs.py), or of images taken in name order")
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--samples", type=int, default=4)
    p.add_argument("--channels", type=int, help="fast mode: the K channels of highest variance")
    a = p.parse_args()
    listing = os.path.join(a.images, "images.csv")
    if os.path.exists(listing):
        with open(listing) as f:
            names = [row["image"] for row in csv.DictReader(f)]
    else:
        names = sorted(n for n in os.listdir(a.images) if n.lower().endswith((".png", ".jpg", ".jpeg")))
    names = names[:a.count]
    sanity, road = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        for i, name in enumerate(names):
            image = os.path.join(a.images, name)
            common = ["-m", a.model, "-i", image, "--method", ",".join(METHODS), "--samples", str(a.samples),
                      "--seed", str(i), "--json", out]
            if a.channels:
                common += ["--channels", str(a.channels)]
            subprocess.run([a.iscam, "sanity", *common], check=True, stdout=subprocess.DEVNULL)
            sanity.append(json.load(open(out)))
            subprocess.run([a.iscam, "explain", *common, "--road"], check=True, stdout=subprocess.DEVNULL)
            road.append(json.load(open(out))["results"])
            print(f"\r{i + 1}/{len(names)} images", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    steps = sanity[0]["steps"]
    scored = f"K = {a.channels} channels" if a.channels else "every channel"
    print(f"{len(names)} images of {a.images}, {a.model}, N = {a.samples}, {scored}, cascading randomisation")
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
