"""Write the first N Fashion-MNIST test images (Debian's dataset-fashion-mnist) as PNGs, with a
list for `iscam eval --list` (columns image and label: the true class, which eval ignores, so that
the predicted class is explained, as torch-cam's metrics do).

    /usr/bin/python3 scripts/fashion_mnist_pngs.py --count 500 --out build/eval-fashion/images
"""
import argparse
import csv
import os

from PIL import Image

from train_default_model import LABELS, read_idx, slug


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=500)
    ap.add_argument("--out", default="build/eval-fashion/images")
    args = ap.parse_args()
    images = read_idx("t10k-images-idx3-ubyte.gz")[:args.count]
    labels = read_idx("t10k-labels-idx1-ubyte.gz")[:args.count]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "images.csv"), "w", newline="") as f:
        rows = csv.writer(f)
        rows.writerow(["image", "label"])
        for i, (pixels, label) in enumerate(zip(images, labels)):
            name = f"test-{i:05d}-{slug(LABELS[label])}.png"
            Image.fromarray(pixels, mode="L").save(os.path.join(args.out, name))
            rows.writerow([name, int(label)])
    print(f"{len(images)} images and images.csv in {args.out}")


if __name__ == "__main__":
    main()
