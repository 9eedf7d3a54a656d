#!/usr/bin/python3
"""Writes core/colormap_tables.inc: matplotlib's jet, turbo, viridis and inferno as 256 RGB entries.

The core carries the tables instead of computing them so that the CLI, the library and the page
colour a map exactly as matplotlib does; tests/test_colormap.cpp checks every entry against
tests/fixtures/colormaps-matplotlib.json, which this script writes too.
"""
import json
import pathlib

import matplotlib
import numpy as np

root = pathlib.Path(__file__).resolve().parent.parent
NAMES = ["jet", "turbo", "viridis", "inferno"]


def table(name):
    rgba = matplotlib.colormaps[name](np.linspace(0.0, 1.0, 256))
    return np.rint(rgba[:, :3] * 255.0).astype(np.uint8)


lines = [f"// Written by scripts/make_colormap_tables.py from matplotlib {matplotlib.__version__}; do not edit."]
fixture = {"matplotlib": matplotlib.__version__}
for name in NAMES:
    t = table(name)
    fixture[name] = matplotlib.colormaps[name](np.linspace(0.0, 1.0, 256))[:, :3].round(6).tolist()
    rows = [", ".join(f"{{{r}, {g}, {b}}}" for r, g, b in t[i:i + 8]) for i in range(0, 256, 8)]
    lines.append(f"constexpr uint8_t k{name.capitalize()}[256][3] = {{")
    lines += [f"    {row}," for row in rows]
    lines.append("};")
(root / "core/colormap_tables.inc").write_text("\n".join(lines) + "\n")
(root / "tests/fixtures/colormaps-matplotlib.json").write_text(json.dumps(fixture) + "\n")
