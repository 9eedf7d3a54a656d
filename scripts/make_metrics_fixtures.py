"""Regenerate tests/fixtures/metrics-reference.json (and fashion-mask.png); run from the repo root.

    /usr/bin/python3 scripts/make_metrics_fixtures.py

Each case runs scripts/reference_metrics.py on a map of the CAM fixtures (make_reference_fixtures.py):
the default model on the ankle-boot sample (28x28; the mask is the boot's own pixels, grey >= 32),
and the random-weight torchvision squeezenet1_1 (build/models/squeezenet1_1.onnx, exported by
scripts/export-test-models.sh) on chelsea.png (451x300) at 224x224. Both scores, the three kinds
of baseline, a box and a mask.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

PY = "/usr/bin/python3"
FIX = "tests/fixtures"
WORK = "build/metrics-fixtures"
FASHION = {"model": "--fashion", "onnx": "web/models/fashion-cnn.onnx", "input": f"{FIX}/fashion-input.npy",
           "maps": f"{FIX}/fashion-reference.json", "image_size": "28x28"}
SQUEEZENET = {"model": "--arch=squeezenet1_1", "onnx": "build/models/squeezenet1_1.onnx",
              "input": f"{FIX}/squeezenet-input.npy", "maps": f"{FIX}/squeezenet-reference.json",
              "image_size": "451x300"}
CASES = [
    (FASHION, "iscam", ["--steps", "20", "--baseline", "zeros", "--score", "softmax", "--mask", f"{FIX}/fashion-mask.png"]),
    (FASHION, "scorecam", ["--steps", "20", "--baseline", "blur", "--score", "softmax", "--box", "6,4,22,26"]),
    (FASHION, "sscam", ["--steps", "7", "--baseline", "-0.5", "--score", "logit"]),
    (SQUEEZENET, "iscam", ["--steps", "20", "--baseline", "zeros", "--score", "softmax", "--box", "150,30,330,230"]),
    (SQUEEZENET, "scorecam", ["--steps", "10", "--baseline", "blur", "--score", "logit"]),
]


def fashion_mask():
    with open(FASHION["maps"]) as f:
        png = json.load(f)["input"]["image"]
    grey = np.asarray(Image.open(png).convert("L"))
    Image.fromarray(np.where(grey >= 32, 255, 0).astype(np.uint8)).save(f"{FIX}/fashion-mask.png", optimize=True)


def main():
    t0 = time.time()
    os.makedirs(WORK, exist_ok=True)
    fashion_mask()
    cases = []
    for i, (model, method, options) in enumerate(CASES):
        out = f"{WORK}/case-{i}.json"
        cmd = [PY, "scripts/reference_metrics.py", model["model"], "--input-npy", model["input"], "--map-json",
               model["maps"], "--map-method", method, "--image-size", model["image_size"], "--out", out, *options]
        print("$", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True)
        with open(out) as f:
            case = json.load(f)
        case.update(onnx=model["onnx"], input_npy=model["input"])
        cases.append(case)
    with open(f"{FIX}/metrics-reference.json", "w") as f:
        json.dump({"generator": "scripts/make_metrics_fixtures.py", "cases": cases}, f)
        f.write("\n")
    print(f"total {time.time() - t0:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
