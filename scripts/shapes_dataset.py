"""Synthetic shapes with ground truth: the scenes behind the classroom models.

One scene is a 64x64 colour image: a textured background, a few distractors
(thin strokes and small dots), and one object of a shape class at a random
position, size, colour and rotation, with its ground-truth mask. The shortcut
variant adds a class-specific marker (a coloured square in the top-left corner).

Everything is drawn from a numpy Generator (PCG64), so a seed gives the same
bytes on every run on the same machine. Shapes are rasterised by Pillow's
ImageDraw on an 8x finer grid and averaged (Pillow, not skimage.draw: 50x
faster here): the coverage is the object's opacity, and the mask is where the
coverage is at least one half.
"""
import numpy as np
from PIL import Image, ImageDraw

SIZE = 64
CLASSES = ["circle", "square", "triangle", "star", "cross", "ring"]
SUPER = 8  # supersampling factor for anti-aliased edges

# The shortcut variant's markers: one saturated colour per class, in the top-left corner.
MARKER_COLOURS = np.array([
    [1.0, 0.0, 0.0],   # circle: red
    [0.0, 0.8, 0.0],   # square: green
    [0.0, 0.2, 1.0],   # triangle: blue
    [1.0, 0.9, 0.0],   # star: yellow
    [1.0, 0.0, 1.0],   # cross: magenta
    [0.0, 1.0, 1.0],   # ring: cyan
], dtype=np.float64)
MARKER_BOX = (2, 2, 9, 9)      # y0, x0, y1, x1 (exclusive): 7x7 pixels
MARKER_CLEARANCE = 13          # objects keep out of the top-left 13x13 pixels


def _coverage(fill, y0, x0, y1, x1):
    """Coverage in [0, 1] of what `fill(draw, oy, ox)` draws with 255 on a SUPER-times finer
    greyscale canvas of the box [y0, y1] x [x0, x1] (in pixels, clipped to the image); zero
    outside the box. Fine coordinates are image coordinates times SUPER, less (oy, ox)."""
    y0, x0 = max(0, int(np.floor(y0))), max(0, int(np.floor(x0)))
    y1, x1 = min(SIZE, int(np.ceil(y1)) + 1), min(SIZE, int(np.ceil(x1)) + 1)
    out = np.zeros((SIZE, SIZE), dtype=np.float64)
    if y1 <= y0 or x1 <= x0:
        return out
    canvas = Image.new("L", ((x1 - x0) * SUPER, (y1 - y0) * SUPER))
    fill(ImageDraw.Draw(canvas), y0 * SUPER, x0 * SUPER)
    fine = np.asarray(canvas, dtype=np.float64) / 255.0
    out[y0:y1, x0:x1] = fine.reshape(y1 - y0, SUPER, x1 - x0, SUPER).mean(axis=(1, 3))
    return out


def _polygon_coverage(ys, xs):
    ys, xs = np.asarray(ys, dtype=np.float64), np.asarray(xs, dtype=np.float64)

    def fill(d, oy, ox):
        d.polygon([(float(x * SUPER - ox), float(y * SUPER - oy)) for y, x in zip(ys, xs)], fill=255)
    return _coverage(fill, ys.min(), xs.min(), ys.max(), xs.max())


def _disk_coverage(cy, cx, radius, hole=0.0):
    def fill(d, oy, ox):
        y, x = cy * SUPER - oy, cx * SUPER - ox
        for r, ink in ((radius, 255), (hole, 0)):
            if r > 0:
                d.ellipse([x - r * SUPER, y - r * SUPER, x + r * SUPER, y + r * SUPER], fill=ink)
    return _coverage(fill, cy - radius, cx - radius, cy + radius, cx + radius)


def _regular(n, radius, angle, inner=None):
    """Vertices (ys, xs) around the origin of a regular n-gon, or an n-pointed star when `inner` is given."""
    if inner is None:
        t = angle + 2 * np.pi * np.arange(n) / n
        r = np.full(n, radius)
    else:
        t = angle + np.pi * np.arange(2 * n) / n
        r = np.where(np.arange(2 * n) % 2 == 0, radius, inner)
    return r * np.sin(t), r * np.cos(t)


def _rotate(ys, xs, angle):
    c, s = np.cos(angle), np.sin(angle)
    return xs * s + ys * c, xs * c - ys * s


def shape_coverage(cls, cy, cx, radius, angle):
    """Coverage of shape class `cls` with circumradius `radius` (pixels), centred at (cy, cx)."""
    name = CLASSES[cls]
    if name == "circle":
        return _disk_coverage(cy, cx, 0.85 * radius)
    if name == "ring":
        return _disk_coverage(cy, cx, 0.95 * radius, hole=0.5 * radius)
    if name == "square":
        ys, xs = _regular(4, radius, angle)
    elif name == "triangle":
        ys, xs = _regular(3, 1.1 * radius, angle)
    elif name == "star":
        ys, xs = _regular(5, 1.1 * radius, angle, inner=0.45 * radius)
    elif name == "cross":
        a, b = 0.32 * radius, radius
        xs = np.array([a, a, b, b, a, a, -a, -a, -b, -b, -a, -a])
        ys = np.array([-b, -a, -a, a, a, b, b, a, a, -a, -a, -b])
        ys, xs = _rotate(ys, xs, angle)
    else:
        raise ValueError(name)
    return _polygon_coverage(cy + ys, cx + xs)


def _smooth_noise(rng, cells):
    """An RGB field of `cells` x `cells` random values, bilinearly upsampled to SIZE x SIZE."""
    grid = rng.random((cells + 1, cells + 1, 3))
    t = np.linspace(0, cells, SIZE)
    i = np.minimum(t.astype(int), cells - 1)
    f = (t - i)[:, None]
    rows = grid[i] * (1 - f[:, :, None]) + grid[i + 1] * f[:, :, None]          # SIZE x (cells+1) x 3
    return rows[:, i] * (1 - f.T[:, :, None]) + rows[:, i + 1] * f.T[:, :, None]


def background(rng):
    """A textured background in [0, 1]: smooth colour noise, stripes or a checkerboard. (No
    per-pixel grain: it would triple the size of the committed PNGs.)"""
    base = rng.random(3) * 0.8 + 0.1
    kind = rng.integers(3)
    if kind == 0:
        img = base + (_smooth_noise(rng, int(rng.integers(2, 7))) - 0.5) * rng.uniform(0.2, 0.6)
    else:
        other = np.clip(base + rng.normal(0, 0.25, 3), 0, 1)
        y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
        if kind == 1:
            t = rng.uniform(0, np.pi)
            period = rng.uniform(4, 14)
            wave = 0.5 + 0.5 * np.sin(2 * np.pi * (x * np.cos(t) + y * np.sin(t)) / period + rng.uniform(0, 2 * np.pi))
        else:
            cell = rng.uniform(4, 12)
            wave = ((np.floor(x / cell) + np.floor(y / cell)) % 2).astype(np.float64)
        img = base + (other - base) * wave[:, :, None]
    return np.clip(img, 0, 1)


def _composite(img, coverage, colour):
    a = coverage[:, :, None]
    return img * (1 - a) + colour * a


def _distractors(rng, img):
    """2-6 thin strokes and small dots: clutter that is none of the classes."""
    for _ in range(int(rng.integers(2, 7))):
        colour = rng.random(3)
        if rng.random() < 0.5:
            cy, cx = rng.uniform(0, SIZE, 2)
            cov = _disk_coverage(cy, cx, rng.uniform(1.0, 2.5))
        else:
            y0, x0 = rng.uniform(0, SIZE, 2)
            t, length, half = rng.uniform(0, np.pi), rng.uniform(8, 22), rng.uniform(0.4, 0.9)
            dy, dx = np.sin(t) * length, np.cos(t) * length
            ny, nx = np.cos(t) * half, -np.sin(t) * half
            cov = _polygon_coverage([y0 + ny, y0 + dy + ny, y0 + dy - ny, y0 - ny],
                                    [x0 + nx, x0 + dx + nx, x0 + dx - nx, x0 - nx])
        img = _composite(img, cov, colour)
    return img


def _object_colour(rng, bg_mean):
    """A random colour that stands out from the background's mean colour."""
    while True:
        c = rng.random(3)
        if np.linalg.norm(c - bg_mean) >= 0.45:
            return c


def scene(rng, cls):
    """One scene of class `cls`: (image float HxWx3 in [0, 1] before quantisation, mask bool HxW)."""
    img = _distractors(rng, background(rng))
    radius = rng.uniform(9, 16)
    while True:  # a centre that keeps the object inside and out of the marker's corner
        cy, cx = rng.uniform(radius + 1, SIZE - radius - 1, 2)
        if cy - radius > MARKER_CLEARANCE or cx - radius > MARKER_CLEARANCE:
            break
    cov = shape_coverage(cls, cy, cx, radius, rng.uniform(0, 2 * np.pi))
    colour = _object_colour(rng, img[cov > 0.5].mean(axis=0))
    # A gentle shading across the object, so that its colour is not one flat value.
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    t = rng.uniform(0, 2 * np.pi)
    shade = 1 + 0.15 * ((x - cx) * np.cos(t) + (y - cy) * np.sin(t)) / radius
    img = _composite(img, cov, np.clip(colour * shade[:, :, None], 0, 1))
    return img, cov >= 0.5


def quantise(img):
    return np.round(np.clip(img, 0, 1) * 255).astype(np.uint8)


def add_marker(img_u8, cls):
    """The shortcut variant: the class's marker colour in the top-left corner (a copy)."""
    out = img_u8.copy()
    y0, x0, y1, x1 = MARKER_BOX
    out[y0:y1, x0:x1] = np.round(MARKER_COLOURS[cls] * 255).astype(np.uint8)
    return out


def generate(seed, count):
    """`count` scenes: (images uint8 N x H x W x 3, masks bool N x H x W, labels int64 N).

    Classes come in blocks of one scene per class in a random order, so every multiple of the
    class count is balanced, and the first n scenes of a seed do not depend on `count`."""
    rng = np.random.Generator(np.random.PCG64(seed))
    images = np.empty((count, SIZE, SIZE, 3), dtype=np.uint8)
    masks = np.empty((count, SIZE, SIZE), dtype=bool)
    labels = np.empty(count, dtype=np.int64)
    for i in range(count):
        if i % len(CLASSES) == 0:
            block = rng.permutation(len(CLASSES))
        labels[i] = block[i % len(CLASSES)]
        img, mask = scene(rng, int(labels[i]))
        images[i], masks[i] = quantise(img), mask
    return images, masks, labels
