"""Print the classroom figures: pointing games of Score-CAM, SS-CAM and IS-CAM on the shapes test set.

For the honest and the shortcut CNN, on the test scenes as they are and with their class's
marker, and for the ViT on the scenes as they are, `iscam eval --method all` explains every
image's true class (results kept, and resumed, in --out). From each map S (the eval line's
h x w map, upsampled bilinearly with half-pixel centres to the 64 x 64 input, docs/math.md
"Localisation") this script computes again:

  pointing game         the first maximum of S lies in the object's mask G
  energy pointing game  sum of S over G / sum of S
  corner energy         sum of S over the top-left 13 x 13 pixels (where the marker is and no
                        object ever is) / sum of S
  points at the corner  the first maximum of S lies in that corner

and checks the first two against the values `iscam eval` reports. Where `iscam eval` is missing,
the maps come from `iscam explain --json` instead. Last, whether the honest CNN and the ViT look
at the same place: how often both maps peak on the object, and how far apart their peaks are.

    /usr/bin/python3 scripts/shapes_figures.py --iscam build/native/native/iscam [--limit 60]
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_dataset as sd  # noqa: E402

METHODS = ["scorecam", "sscam", "iscam"]
RUNS = [  # (model, list, title)
    ("shapes-cnn", "shapes-test.csv", "honest model, scenes as they are"),
    ("shapes-cnn", "shapes-test-marked.csv", "honest model, scenes with their class's marker"),
    ("shapes-shortcut-cnn", "shapes-test.csv", "shortcut model, scenes as they are"),
    ("shapes-shortcut-cnn", "shapes-test-marked.csv", "shortcut model, scenes with their class's marker"),
    ("shapes-vit", "shapes-test.csv", "ViT, scenes as they are"),
]
COMPARED = (("shapes-cnn", "shapes-test.csv"), ("shapes-vit", "shapes-test.csv"))


def read_list(path, limit):
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))[:limit]
    return [{"image": os.path.join(folder, r["image"]), "class": int(r["class"]),
             "mask": os.path.join(folder, r["mask"])} for r in rows]


def eval_available(iscam):
    return subprocess.run([iscam, "eval", "--help"], capture_output=True).returncode == 0


def maps_from_eval(iscam, model, rows, out):
    """{(image, method): eval line}, running (or resuming) `iscam eval` on the rows."""
    listing = out + ".csv"
    with open(listing, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["image", "class", "mask"])
        for r in rows:
            w.writerow([r["image"], r["class"], r["mask"]])
    cmd = [iscam, "eval", "--model", model, "--list", listing, "--method", "all", "--out", out]
    if os.path.exists(out):
        cmd.append("--resume")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    lines = {}
    with open(out) as f:
        for line in f:
            j = json.loads(line)
            if "error" in j:
                raise SystemExit(f"iscam eval could not explain {j['image']}: {j['error']}")
            lines[(j["image"], j["method"])] = j
    return lines


def maps_from_explain(iscam, model, rows, out):
    """The same from `iscam explain --json`, one run per image (all three methods)."""
    os.makedirs(out + ".d", exist_ok=True)
    lines = {}
    for r in rows:
        path = os.path.join(out + ".d", os.path.basename(r["image"]) + ".json")
        if not os.path.exists(path):
            subprocess.run([iscam, "explain", "--model", model, "--image", r["image"], "--class", str(r["class"]),
                            "--method", "all", "--json", path], check=True, stdout=subprocess.DEVNULL)
        with open(path) as f:
            for res in json.load(f)["results"]:
                lines[(r["image"], res["method"])] = {"map": res["map"]}
    return lines


def upsampled(map_rows, size):
    m = torch.tensor(map_rows, dtype=torch.float32)[None, None]
    return F.interpolate(m, size=size, mode="bilinear", align_corners=False)[0, 0].numpy().astype(np.float64)


def localisation(s, inside):
    """(hit, energy) of docs/math.md; None where S is zero everywhere."""
    if s.sum() <= 0:
        return None
    return bool(inside.flat[int(np.argmax(s))]), float(s[inside].sum() / s.sum())


def peak(s):
    """(row, column) of the first maximum of an upsampled map."""
    return np.unravel_index(int(np.argmax(s)), s.shape)


def print_comparison(maps, rows):
    """Do the honest CNN and the ViT look at the same place? maps: {(model, list): eval lines}."""
    a, b = (maps[k] for k in COMPARED)
    print(f"\nthe honest CNN and the ViT on the same {len(rows)} scenes of {COMPARED[0][1]}")
    print("| method | both peak on the object % | only one does % | distance between their peaks, px |")
    print("|---|---|---|---|")
    for method in METHODS:
        both, one, apart = [], [], []
        for r in rows:
            sa, sb = (upsampled(m[(r["image"], method)]["map"], (sd.SIZE, sd.SIZE)) for m in (a, b))
            if sa.sum() <= 0 or sb.sum() <= 0:
                continue
            inside = np.asarray(Image.open(r["mask"]).convert("L")) >= 128
            hits = [bool(inside[peak(s)]) for s in (sa, sb)]
            both.append(all(hits))
            one.append(hits[0] != hits[1])
            apart.append(math.dist(peak(sa), peak(sb)))
        cells = ["{:.1f} ± {:.1f}".format(*mean_ci(v)) for v in (both, one)]
        d = np.asarray(apart)
        cells.append(f"{d.mean():.1f} ± {1.96 * d.std(ddof=1) / math.sqrt(len(d)):.1f} (median {np.median(d):.1f})")
        print(f"| {method} | " + " | ".join(cells) + " |")


def mean_ci(values):
    """Mean and the half-width of its normal 95 % interval, in %."""
    v = np.asarray(values, dtype=np.float64) * 100
    return v.mean(), 1.96 * v.std(ddof=1) / math.sqrt(len(v)) if len(v) > 1 else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iscam", default="build/native/native/iscam")
    ap.add_argument("--data", default="web/samples/shapes")
    ap.add_argument("--models", default="web/models")
    ap.add_argument("--out", default="build/shapes-figures", help="results kept here; a rerun resumes them")
    ap.add_argument("--limit", type=int, default=None, help="the first N scenes only")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    use_eval = eval_available(args.iscam)
    corner = np.zeros((sd.SIZE, sd.SIZE), dtype=bool)
    corner[:sd.MARKER_CLEARANCE, :sd.MARKER_CLEARANCE] = True

    print(f"maps from `iscam {'eval' if use_eval else 'explain --json'}`; localisation recomputed from them here")
    maps = {}
    for model_name, list_name, title in RUNS:
        model = os.path.join(args.models, model_name + ".onnx")
        sidecar = json.load(open(os.path.join(args.models, model_name + ".json")))
        rows = read_list(os.path.join(args.data, list_name), args.limit)
        out = os.path.join(args.out, f"{model_name}--{os.path.splitext(list_name)[0]}.jsonl")
        t0 = time.time()
        lines = maps[(model_name, list_name)] = (maps_from_eval if use_eval else maps_from_explain)(
            args.iscam, model, rows, out)
        took = time.time() - t0
        print(f"\n{title} ({model_name}, {len(rows)} scenes of {list_name}; test accuracy "
              f"{sidecar['test_accuracy']:.1%} as they are, {sidecar['test_accuracy_with_markers']:.1%} with markers; "
              f"{took:.0f} s)")
        print("| method | pointing game % | energy pointing game % | corner energy % | points at the corner % |")
        print("|---|---|---|---|---|")
        disagreements = 0
        for method in METHODS:
            hits, energies, corner_energy, corner_hits = [], [], [], []
            for r in rows:
                line = lines[(r["image"], method)]
                s = upsampled(line["map"], (sd.SIZE, sd.SIZE))
                inside = np.asarray(Image.open(r["mask"]).convert("L")) >= 128
                loc = localisation(s, inside)
                if loc is None:
                    continue
                hits.append(loc[0])
                energies.append(loc[1])
                corner_energy.append(s[corner].sum() / s.sum())
                corner_hits.append(bool(corner.flat[int(np.argmax(s))]))
                reported = line.get("metrics", {})
                if "pointing_game" in reported and (reported["pointing_game"] != int(loc[0]) or
                                                    abs(reported["energy_pointing_game"] - loc[1]) > 1e-4):
                    disagreements += 1
            cells = ["{:.1f} ± {:.1f}".format(*mean_ci(v)) for v in (hits, energies, corner_energy, corner_hits)]
            print(f"| {method} | " + " | ".join(cells) + " |")
        if use_eval:
            print(f"(iscam eval's pointing games {'agree' if disagreements == 0 else 'DISAGREE'} with the "
                  f"recomputation{'' if disagreements == 0 else f' on {disagreements} maps'})")
    print_comparison(maps, read_list(os.path.join(args.data, COMPARED[0][1]), args.limit))
    print("\n± is the half-width of a normal 95 % confidence interval over the scenes.")


if __name__ == "__main__":
    main()
