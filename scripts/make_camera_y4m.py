#!/usr/bin/python3
"""A video file for Chromium's fake camera (--use-file-for-fake-video-capture): a photo as a few
frames of YUV4MPEG2 in 4:2:0 (C420), written by hand from numpy (full-range BT.601, the
conversion Chromium reads back). Each frame is the photo shifted a few pixels, so that frames
differ and Live mode has new frames to explain.

    /usr/bin/python3 scripts/make_camera_y4m.py web/samples/chelsea.png build/camera/chelsea.y4m
"""
import argparse
import pathlib

import numpy as np
from PIL import Image


def yuv420(rgb):
    """H×W×3 uint8 RGB (H, W even) → Y (H×W), U and V (H/2×W/2) planes, uint8."""
    r, g, b = (rgb[..., i].astype(np.float64) for i in range(3))
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 + (-0.168736 * r - 0.331264 * g + 0.5 * b)
    v = 128 + (0.5 * r - 0.418688 * g - 0.081312 * b)
    # 4:2:0: each chroma sample is the mean of a 2×2 block.
    sub = lambda p: p.reshape(p.shape[0] // 2, 2, p.shape[1] // 2, 2).mean(axis=(1, 3))
    to8 = lambda p: np.clip(np.rint(p), 0, 255).astype(np.uint8)
    return to8(y), to8(sub(u)), to8(sub(v))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('photo')
    parser.add_argument('out')
    parser.add_argument('--width', type=int, default=320)
    parser.add_argument('--height', type=int, default=240)
    parser.add_argument('--frames', type=int, default=4)
    parser.add_argument('--fps', type=int, default=10)
    args = parser.parse_args()
    if args.width % 2 or args.height % 2 or args.width < 2 or args.height < 2:
        parser.error('width and height must be even and at least 2')
    if args.frames < 1:
        parser.error('--frames must be at least 1')
    shift = 4 * (args.frames - 1)
    photo = Image.open(args.photo).convert('RGB').resize((args.width + shift, args.height), Image.BILINEAR)
    pixels = np.asarray(photo)
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, 'wb') as f:
        f.write(f'YUV4MPEG2 W{args.width} H{args.height} F{args.fps}:1 Ip A1:1 C420\n'.encode())
        for i in range(args.frames):
            f.write(b'FRAME\n')
            for plane in yuv420(pixels[:, 4 * i:4 * i + args.width]):
                f.write(plane.tobytes())


if __name__ == '__main__':
    main()
