"""Independent PyTorch reference of the faithfulness and localisation metrics (docs/math.md).

Written from docs/math.md's "Faithfulness metrics" only, following torch-cam's ClassificationMetric and
DeletionInsertionMetric, in float32 on the PyTorch model, with no shortcuts: every point of both
curves gets its own forward pass (the C++ engine shares the ones SPEC says are equal). The map is
given (an h x w map of SPEC step 5, e.g. from reference_cam.py), so that the metrics are compared
on the same map.

    /usr/bin/python3 scripts/reference_metrics.py --fashion --input-npy x.npy --map-json ref.json \
        --map-method iscam --steps 20 --baseline zeros --score softmax --box 4,2,20,26 \
        --image-size 28x28 --out metrics.json
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
import torchvision.transforms.functional as TF
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402
import fashion_cnn  # noqa: E402

DROP_EPS = 1e-7
BLUR_KERNEL, BLUR_SIGMA = 11, 5.0


def saliency(cam_map, height, width):
    """S: the h x w map upsampled to H x W (SPEC step 2: bilinear, half-pixel centres)."""
    m = torch.as_tensor(cam_map, dtype=torch.float32)[None, None]
    return F.interpolate(m, size=(height, width), mode="bilinear", align_corners=False)[0, 0]


def make_baseline(x, kind):
    if kind == "zeros":
        return torch.zeros_like(x)
    if kind == "blur":
        return TF.gaussian_blur(x, [BLUR_KERNEL, BLUR_KERNEL], [BLUR_SIGMA, BLUR_SIGMA])
    return torch.full_like(x, float(kind))


def class_scores(model, inputs, cls, score):
    with torch.no_grad():
        logits = model(inputs)
    return (torch.softmax(logits, dim=-1) if score == "softmax" else logits)[:, cls]


def metrics(model, x, cam_map, cls, steps, baseline, score):
    _, _, height, width = x.shape
    s = saliency(cam_map, height, width)
    base = make_baseline(x, baseline)
    p = class_scores(model, x, cls, score)[0]
    masked = class_scores(model, s * x, cls, score)[0]
    average_drop = torch.relu(p - masked) / (p + DROP_EPS)
    increase = bool(p < masked)

    positions = height * width
    order = torch.sort(s.flatten(), descending=True, stable=True).indices
    ranks = torch.argsort(order).view(1, 1, height, width)
    step = math.ceil(positions / steps)
    counts = [*range(0, positions, step), positions]
    fractions = torch.tensor(counts, dtype=torch.float32) / positions
    top = [ranks < n for n in counts]
    deletion_inputs = torch.cat([torch.where(t, base, x) for t in top])
    insertion_inputs = torch.cat([torch.where(t, x, base) for t in top])
    deletion = class_scores(model, deletion_inputs, cls, score)
    insertion = class_scores(model, insertion_inputs, cls, score)
    return s, {
        "score_input": float(p),
        "score_masked": float(masked),
        "average_drop": float(average_drop),
        "increase_in_confidence": int(increase),
        "counts": counts,
        "fractions": fractions.double().tolist(),
        "deletion_curve": deletion.double().tolist(),
        "insertion_curve": insertion.double().tolist(),
        "deletion_auc": float(torch.trapezoid(deletion, fractions)),
        "insertion_auc": float(torch.trapezoid(insertion, fractions)),
    }


def ground_truth(height, width, image_size, box=None, mask_path=None):
    """G on the H x W grid: a position is inside when its centre, carried back to the image
    ((x + 0.5) * image_width / W), falls in the box [x0, x1) x [y0, y1) or on a mask pixel >= 128."""
    image_w, image_h = image_size
    u = (np.arange(width) + 0.5) * image_w / width
    v = (np.arange(height) + 0.5) * image_h / height
    if box is not None:
        x0, y0, x1, y1 = box
        return np.outer((y0 <= v) & (v < y1), (x0 <= u) & (u < x1))
    mask = np.asarray(Image.open(mask_path).convert("RGB")).max(axis=2) >= 128
    assert mask.shape == (image_h, image_w), "the mask must have the image's size"
    rows = np.minimum(v.astype(int), image_h - 1)
    cols = np.minimum(u.astype(int), image_w - 1)
    return mask[np.ix_(rows, cols)]


def localisation(s, g):
    s = s.numpy().astype(np.float64)
    hit = bool(g.flatten()[np.argmax(s.flatten())])  # np.argmax: the first maximum, row-major
    return {"pointing_game": int(hit), "energy_pointing_game": float(s[g].sum() / s.sum())}


def parse_pair(text, sep):
    a, b = text.lower().split(sep)
    return int(a), int(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    model_arg = ap.add_mutually_exclusive_group(required=True)
    model_arg.add_argument("--fashion", action="store_true", help="the default Fashion-MNIST CNN")
    model_arg.add_argument("--arch", choices=export_torchvision.ARCHS)
    ap.add_argument("--state", default="tests/fixtures/fashion-cnn.pt")
    ap.add_argument("--input-npy", required=True)
    ap.add_argument("--map-json", required=True, help="a reference_cam.py output")
    ap.add_argument("--map-method", default="iscam")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--baseline", default="zeros", help="zeros, blur or a number")
    ap.add_argument("--score", choices=("softmax", "logit"), default="softmax")
    ap.add_argument("--box", help="x0,y0,x1,y1 in image pixels")
    ap.add_argument("--mask", help="mask PNG of the image's size")
    ap.add_argument("--image-size", help="WxH of the image the box or mask refers to")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    model = fashion_cnn.load(args.state) if args.fashion else export_torchvision.build(args.arch)
    x = torch.from_numpy(np.load(args.input_npy).astype(np.float32))
    with open(args.map_json) as f:
        cams = json.load(f)
    cam_map, cls = cams["methods"][args.map_method]["map"], cams["class"]
    s, result = metrics(model, x, cam_map, cls, args.steps, args.baseline, args.score)
    result.update(map=cam_map, map_method=args.map_method, map_from=os.path.basename(args.map_json), **{"class": cls},
                  options={"steps": args.steps, "baseline": args.baseline, "score": args.score},
                  command=" ".join(["/usr/bin/python3"] + sys.argv))
    if args.box or args.mask:
        image_size = parse_pair(args.image_size, "x")
        box = [float(v) for v in args.box.split(",")] if args.box else None
        g = ground_truth(x.shape[2], x.shape[3], image_size, box, args.mask)
        result.update(localisation(s, g), image_size=list(image_size), box=box, mask=args.mask)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f)
        f.write("\n")


if __name__ == "__main__":
    main()
