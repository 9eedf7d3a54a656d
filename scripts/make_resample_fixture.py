"""Writes tests/fixtures/resample-torch.json: PyTorch's bilinear upsampling (align_corners=False)
of small fixed planes at non-integer scales, the reference for tests/test_resample.cpp.

    /usr/bin/python3 scripts/make_resample_fixture.py
"""
import json
import os

import torch
import torch.nn.functional as F

CASES = [((3, 4), (7, 5)), ((7, 7), (28, 28)), ((13, 13), (61, 67)), ((1, 1), (3, 3)), ((5, 3), (9, 11)), ((6, 6), (4, 5))]


def main():
    torch.manual_seed(0)
    out = []
    for (h, w), (H, W) in CASES:
        src = torch.rand(1, 1, h, w)
        dst = F.interpolate(src, size=(H, W), mode="bilinear", align_corners=False)
        out.append({"src_shape": [h, w], "dst_shape": [H, W],
                    "src": src.flatten().tolist(), "dst": dst.flatten().tolist()})
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "resample-torch.json")
    with open(path, "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
