"""Write the shapes test set: images, the same images with their class's marker, masks, CSV lists.

The scenes are those of scripts/shapes_dataset.py with the test seed; the lists are what
`iscam eval --list` reads (columns image, class, mask; paths relative to the list):

    /usr/bin/python3 scripts/make_shapes_dataset.py                  # web/samples/shapes, 300 scenes
    /usr/bin/python3 scripts/make_shapes_dataset.py --out DIR --count 12

    DIR/images/0000-star.png    a scene
    DIR/marked/0000-star.png    the same scene with the star's marker in the top-left corner
    DIR/masks/0000-star.png     its ground truth: 255 on the object, 0 elsewhere
    DIR/shapes-test.csv         image,class,mask of images/
    DIR/shapes-test-marked.csv  image,class,mask of marked/
"""
import argparse
import csv
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_dataset as sd  # noqa: E402

TEST_SEED = 2


def write_test_set(out, count, seed=TEST_SEED):
    images, masks, labels = sd.generate(seed, count)
    for sub in ("images", "marked", "masks"):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    rows = []
    for i, (img, mask, cls) in enumerate(zip(images, masks, labels)):
        name = f"{i:04d}-{sd.CLASSES[cls]}.png"
        Image.fromarray(img, mode="RGB").save(os.path.join(out, "images", name))
        Image.fromarray(sd.add_marker(img, cls), mode="RGB").save(os.path.join(out, "marked", name))
        Image.fromarray(mask.astype("uint8") * 255, mode="L").save(os.path.join(out, "masks", name))
        rows.append((name, int(cls)))
    for list_name, folder in (("shapes-test.csv", "images"), ("shapes-test-marked.csv", "marked")):
        with open(os.path.join(out, list_name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["image", "class", "mask"])
            for name, cls in rows:
                w.writerow([f"{folder}/{name}", cls, f"masks/{name}"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="web/samples/shapes")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=TEST_SEED)
    args = ap.parse_args()
    write_test_set(args.out, args.count, args.seed)
    print(f"wrote {args.count} scenes (and their marked copies and masks) to {args.out}")


if __name__ == "__main__":
    main()
