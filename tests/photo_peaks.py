"""Where a map's peak falls on a photo, for tests/test_cli_photos.sh and tests/test_capi.cpp's
fixture (tests/fixtures/photo-boxes.json): the network resizes the shorter side to `resize` and
centre-crops `crop` (its sidecar's preprocessing), so the h×w map covers the centred square of
side min(W, H)·crop/resize. Bilinear upsampling (docs/math.md, step 2) peaks at a cell centre, so
the peak is the centre of the map's largest cell."""
import struct


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def peak_in_image(result, width, height, resize=256, crop=224):
    rows = result["map"]
    h, w = len(rows), len(rows[0])
    i, j = max(((y, x) for y in range(h) for x in range(w)), key=lambda p: (rows[p[0]][p[1]], -p[0], -p[1]))
    side = min(width, height) * crop / resize
    x0, y0 = (width - side) / 2, (height - side) / 2
    return x0 + (j + 0.5) / w * side, y0 + (i + 0.5) / h * side


def check_photo(photo, document, path):
    results = document.get("results", [document])
    width, height = png_size(path)
    assert results[0]["class"] == photo["top1"], \
        f"{photo['file']}: top-1 {results[0]['class']} ({results[0]['class_label']}), expected {photo['top1']} ({photo['label']})"
    assert results[0]["class_label"] == photo["label"], results[0]["class_label"]
    x0, y0, x1, y1 = photo["box"]
    for r in results:
        x, y = peak_in_image(r, width, height)
        assert x0 <= x <= x1 and y0 <= y <= y1, \
            f"{photo['file']}: the {r['method']} map peaks at ({x:.0f}, {y:.0f}), outside the box {photo['box']}"
