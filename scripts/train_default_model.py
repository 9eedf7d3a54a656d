"""Train the bundled default model: a small CNN on Fashion-MNIST.

Reads Debian's dataset-fashion-mnist, trains scripts/fashion_cnn.py with a fixed
seed on the CPU, and writes the ONNX model (fixed batch 1, raw logits), its JSON
sidecar, the PyTorch state_dict (for the Python reference) and sample images.

    /usr/bin/python3 scripts/train_default_model.py
"""
import argparse
import gzip
import json
import os
import re
import shutil
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fashion_cnn import FashionCNN  # noqa: E402
from train_loop import train  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"
SKIMAGE_DATA = "/usr/lib/python3/dist-packages/skimage/data"
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SAMPLE_CLASSES = [9, 2, 1, 6, 7, 8]


def read_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def slug(label):
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--onnx", default="web/models/fashion-cnn.onnx")
    ap.add_argument("--sidecar", default="web/models/fashion-cnn.json")
    ap.add_argument("--state", default="tests/fixtures/fashion-cnn.pt")
    ap.add_argument("--samples", default="web/samples")
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(0)
    t0 = time.time()

    train_x = read_idx("train-images-idx3-ubyte.gz")
    train_y = read_idx("train-labels-idx1-ubyte.gz")
    test_x = read_idx("t10k-images-idx3-ubyte.gz")
    test_y = read_idx("t10k-labels-idx1-ubyte.gz")
    pixels = train_x.astype(np.float64) / 255.0
    mean, std = round(float(pixels.mean()), 4), round(float(pixels.std()), 4)
    print(f"mean {mean} std {std}", flush=True)

    def prep(u8):  # same float32 arithmetic as the fixtures
        x = u8.astype(np.float32) / np.float32(255.0)
        return torch.from_numpy((x - np.float32(mean)) / np.float32(std)).unsqueeze(1)

    xtr, ytr = prep(train_x), torch.from_numpy(train_y.astype(np.int64))
    xte, yte = prep(test_x), torch.from_numpy(test_y.astype(np.int64))

    model = FashionCNN()
    train(model, xtr, ytr, epochs=args.epochs, batch=128, lr=2e-3,
          log=lambda epoch, loss: print(f"epoch {epoch}: loss {loss:.4f} ({time.time() - t0:.0f} s)", flush=True))

    model.eval()
    with torch.no_grad():
        pred = torch.cat([model(xte[i:i + 1000]).argmax(1) for i in range(0, len(xte), 1000)])
    correct = (pred == yte).numpy()
    accuracy = float(correct.mean())

    for p in (args.onnx, args.sidecar, args.state):
        os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
    torch.save(model.state_dict(), args.state)
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), args.onnx, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      do_constant_folding=True)
    sidecar = {
        "name": "Fashion-MNIST CNN",
        "labels": LABELS,
        "preprocess": {"size": [28, 28], "gray": True,
                       "mean": [mean] * 3, "std": [std] * 3},
        "test_accuracy": round(accuracy, 4),
        "seed": 0,
        "epochs": args.epochs,
        "command": "/usr/bin/python3 scripts/train_default_model.py",
        "torch_version": torch.__version__,
        "dataset": "Debian dataset-fashion-mnist (MIT licence, Zalando Research)",
    }
    with open(args.sidecar, "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")

    # Samples: the first correctly classified test image of each chosen class.
    os.makedirs(args.samples, exist_ok=True)
    for c in SAMPLE_CLASSES:
        i = int(np.flatnonzero((test_y == c) & correct)[0])
        name = f"fashion-{i}-{slug(LABELS[c])}.png"
        Image.fromarray(test_x[i], mode="L").save(os.path.join(args.samples, name))
        print("sample", name)
    for name in ("chelsea.png", "coffee.png"):
        shutil.copyfile(os.path.join(SKIMAGE_DATA, name), os.path.join(args.samples, name))

    print(f"training + export took {time.time() - t0:.0f} s")
    print(f"test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
