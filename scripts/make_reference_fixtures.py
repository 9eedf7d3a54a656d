"""Regenerate the reference fixtures under tests/fixtures/ (run from the repo root).

    /usr/bin/python3 scripts/make_reference_fixtures.py

- fashion-input.npy / fashion-reference.json: the default model (trained by
  train_default_model.py) on the ankle-boot sample, all three methods with
  SPEC defaults (SS-CAM N=35 sigma=2 seed=0, IS-CAM N=10), torch-cam's layer.
- fashion-contrast-reference.json: the same input, the contrastive maps of
  ankle boot (9) against sneaker (7), scores logit A - logit B (docs/math.md).
- build/models/squeezenet1_1.onnx (not committed; same path as
  scripts/export-test-models.sh): random-weight squeezenet1_1 from
  export_torchvision.py, bit-for-bit reproducible (its sha256 is in the JSON).
- squeezenet-input.npy / squeezenet-reference.json: chelsea.png on that model,
  layer `features`; Score-CAM, IS-CAM N=10 and SS-CAM with N=4 (reduced for CI).
"""
import glob
import json
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

PY = "/usr/bin/python3"
FIX = "tests/fixtures"
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def run(cmd):
    t0 = time.time()
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    print(f"  ({time.time() - t0:.1f} s)", flush=True)


def normalise(x, mean, std):
    """x: C x H x W float32 in [0, 1] -> 1 x C x H x W float32."""
    mean = np.asarray(mean, np.float32).reshape(-1, 1, 1)
    std = np.asarray(std, np.float32).reshape(-1, 1, 1)
    return ((x - mean) / std)[None].astype(np.float32)


def annotate(path, **fields):
    with open(path) as f:
        data = json.load(f)
    data.update(fields)
    with open(path, "w") as f:
        json.dump(data, f)
        f.write("\n")


def fashion():
    with open("web/models/fashion-cnn.json") as f:
        pre = json.load(f)["preprocess"]
    png = sorted(glob.glob("web/samples/fashion-*-ankle-boot.png"))[0]
    img = np.asarray(Image.open(png).convert("L"))
    assert img.shape == tuple(pre["size"])
    x = normalise(img[None].astype(np.float32) / np.float32(255), pre["mean"][:1], pre["std"][:1])
    np.save(f"{FIX}/fashion-input.npy", x)
    out = f"{FIX}/fashion-reference.json"
    run([PY, "scripts/reference_cam.py", "--fashion", "--input-npy", f"{FIX}/fashion-input.npy",
         "--onnx", "web/models/fashion-cnn.onnx", "--out", out])
    annotate(out, input={"image": png, "preprocess": "gray u8/255, (x-mean)/std of the sidecar"})


def fashion_contrast():
    out = f"{FIX}/fashion-contrast-reference.json"
    run([PY, "scripts/reference_cam.py", "--fashion", "--input-npy", f"{FIX}/fashion-input.npy",
         "--class", "9", "--contrast", "7", "--onnx", "web/models/fashion-cnn.onnx", "--out", out])
    annotate(out, input={"image": "the input of fashion-reference.json"})


def squeezenet():
    onnx_path = "build/models/squeezenet1_1.onnx"
    run([PY, "scripts/export_torchvision.py", "--arch", "squeezenet1_1", "--out", onnx_path])
    png = "web/samples/chelsea.png"
    img = np.asarray(Image.open(png).convert("RGB")).transpose(2, 0, 1)
    x = torch.from_numpy(img.astype(np.float32) / np.float32(255))[None]
    x = F.interpolate(x, size=(224, 224), mode="bilinear", align_corners=False)
    x = normalise(x[0].numpy(), IMAGENET_MEAN, IMAGENET_STD)
    np.save(f"{FIX}/squeezenet-input.npy", x)
    out = f"{FIX}/squeezenet-reference.json"
    run([PY, "scripts/reference_cam.py", "--arch", "squeezenet1_1", "--layer", "features",
         "--input-npy", f"{FIX}/squeezenet-input.npy", "--ss-samples", "4",
         "--onnx", onnx_path, "--out", out])
    annotate(out, input={"image": png, "preprocess":
                         "RGB u8/255, bilinear (half-pixel, no antialias) to 224x224, "
                         "(x-mean)/std with ImageNet mean/std"},
             note="SS-CAM uses N=4 (not the SPEC default 35) to keep CI fast")


def main():
    t0 = time.time()
    fashion()
    fashion_contrast()
    squeezenet()
    print(f"total {time.time() - t0:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
