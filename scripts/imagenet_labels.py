"""Write web/models/imagenet-labels.json: the 1000 ImageNet class names.

The names are torchvision's `_IMAGENET_CATEGORIES` (torchvision, BSD-3-Clause).

    /usr/bin/python3 scripts/imagenet_labels.py [--out PATH]
"""
import argparse
import json
import os

from torchvision.models._meta import _IMAGENET_CATEGORIES


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="web/models/imagenet-labels.json")
    args = ap.parse_args()
    assert len(_IMAGENET_CATEGORIES) == 1000
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(list(_IMAGENET_CATEGORIES), f, indent=0)
        f.write("\n")
    print(f"{args.out}: {len(_IMAGENET_CATEGORIES)} labels")


if __name__ == "__main__":
    main()
