"""Train the classroom models: a small CNN on synthetic shapes, honest or with a shortcut, and a small ViT.

Generates the scenes of scripts/shapes_dataset.py, trains scripts/shapes_cnn.py (or, with
--vit, scripts/shapes_vit.py) with a fixed seed on the CPU, and writes the ONNX model (fixed
batch 1, raw logits) and its JSON sidecar (labels, preprocessing, test accuracies, the
command; for the ViT also how its token layers are read). Same arguments,
same bytes.

    /usr/bin/python3 scripts/train_shapes_model.py              # web/models/shapes-cnn.onnx
    /usr/bin/python3 scripts/train_shapes_model.py --shortcut   # web/models/shapes-shortcut-cnn.onnx
    /usr/bin/python3 scripts/train_shapes_model.py --vit        # web/models/shapes-vit.onnx

--shortcut trains on the same scenes, most of them (MARKED_FRACTION) carrying their class's
marker in the top-left corner; the model learns to read the marker. A tiny run for the tests:
--train-images 96 --test-images 24 --epochs 1 --onnx OUT.onnx --sidecar OUT.json
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_dataset as sd  # noqa: E402
from make_shapes_dataset import TEST_SEED  # noqa: E402
import shapes_vit  # noqa: E402
from shapes_cnn import ShapesCNN  # noqa: E402
from train_loop import train  # noqa: E402

TRAIN_SEED = 1
MARKER_SEED = 3
MARKED_FRACTION = 0.9
VIT_EPOCHS = 5
VIT_LR = 3e-3


def prep(u8, mean, std):
    """uint8 N x H x W x 3 -> float32 N x 3 x H x W, (x / 255 - mean) / std as iscam computes it."""
    x = u8.astype(np.float32) / np.float32(255.0)
    x = (x - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def with_markers(images, marker_classes):
    return np.stack([sd.add_marker(img, int(c)) for img, c in zip(images, marker_classes)])


def predict(model, x):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(x[i:i + 500]).argmax(1) for i in range(0, len(x), 500)]).numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    kind = ap.add_mutually_exclusive_group()
    kind.add_argument("--shortcut", action="store_true", help="train with class markers on most images")
    kind.add_argument("--vit", action="store_true", help="train the small ViT on the honest scenes")
    ap.add_argument("--train-images", type=int, default=12000)
    ap.add_argument("--test-images", type=int, default=1200)
    ap.add_argument("--epochs", type=int, default=None, help="6 for the CNNs, VIT_EPOCHS for the ViT")
    ap.add_argument("--onnx")
    ap.add_argument("--sidecar")
    args = ap.parse_args()
    name = "shapes-vit" if args.vit else "shapes-shortcut-cnn" if args.shortcut else "shapes-cnn"
    args.onnx = args.onnx or f"web/models/{name}.onnx"
    args.sidecar = args.sidecar or f"web/models/{name}.json"
    args.epochs = args.epochs or (VIT_EPOCHS if args.vit else 6)

    # One thread: its CPU time is the run's cost, even on a busy machine. (The ViT's matrix products
    # run on Debian's single-threaded reference BLAS; a second thread would only spin.)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(0)
    t0, c0 = time.time(), time.process_time()

    train_u8, _, train_y = sd.generate(TRAIN_SEED, args.train_images)
    if args.shortcut:
        marked = np.random.Generator(np.random.PCG64(MARKER_SEED)).random(len(train_y)) < MARKED_FRACTION
        train_u8[marked] = with_markers(train_u8[marked], train_y[marked])
    test_u8, _, test_y = sd.generate(TEST_SEED, args.test_images)
    pixels = train_u8.reshape(-1, 3).astype(np.float64) / 255.0
    mean = [round(float(v), 3) for v in pixels.mean(0)]
    std = [round(float(v), 3) for v in pixels.std(0)]
    del pixels
    print(f"{len(train_y)} training scenes generated ({time.time() - t0:.0f} s); mean {mean} std {std}", flush=True)

    xtr, ytr = prep(train_u8, mean, std), torch.from_numpy(train_y)
    del train_u8
    model = shapes_vit.ShapesViT(len(sd.CLASSES)) if args.vit else ShapesCNN(len(sd.CLASSES))
    train(model, xtr, ytr, epochs=args.epochs, batch=64, lr=VIT_LR if args.vit else 3e-3,
          log=lambda epoch, loss: print(f"epoch {epoch}: loss {loss:.4f} ({time.time() - t0:.0f} s, "
                                        f"{time.process_time() - c0:.0f} s CPU)", flush=True))

    # Accuracies on the test scenes (the committed test set is the first 300 of them): as they
    # are, with their own class's marker, and with the marker of the next class.
    def accuracy(images):
        return round(float((predict(model, prep(images, mean, std)) == test_y).mean()), 4)
    other = (test_y + 1) % len(sd.CLASSES)
    swapped = predict(model, prep(with_markers(test_u8, other), mean, std))
    accuracies = {
        "test_accuracy": accuracy(test_u8),
        "test_accuracy_with_markers": accuracy(with_markers(test_u8, test_y)),
        "swapped_markers": {"true_class": round(float((swapped == test_y).mean()), 4),
                            "marker_class": round(float((swapped == other).mean()), 4)},
    }

    for p in (args.onnx, args.sidecar):
        os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, sd.SIZE, sd.SIZE), args.onnx, opset_version=13,
                      input_names=["input"], output_names=["logits"], do_constant_folding=True)
    command = " ".join(["/usr/bin/python3", "scripts/train_shapes_model.py"] + sys.argv[1:])
    sidecar = {
        "name": "Shapes ViT" if args.vit else "Shapes CNN, shortcut" if args.shortcut else "Shapes CNN",
        "labels": sd.CLASSES,
        "preprocess": {"size": [sd.SIZE, sd.SIZE], "gray": False, "mean": mean, "std": std},
        **(shapes_vit.sidecar_tokens() if args.vit else {}),
        **accuracies,
        "test_images": args.test_images,
        "training": ("the shapes scenes, {:.0%} of them with their class's marker in the top-left corner"
                     .format(MARKED_FRACTION) if args.shortcut else "the shapes scenes, no markers"),
        "train_images": args.train_images,
        "epochs": args.epochs,
        "seed": 0,
        "command": command,
        "torch_version": torch.__version__,
        "dataset": "synthetic shapes of scripts/shapes_dataset.py, generated by the project (MIT licence)",
    }
    with open(args.sidecar, "w") as f:
        json.dump(sidecar, f, indent=2)
        f.write("\n")

    print(json.dumps(accuracies))
    print(f"training + export took {time.time() - t0:.0f} s ({time.process_time() - c0:.0f} s CPU)")


if __name__ == "__main__":
    main()
