"""Independent reference of the sanity checks and ROAD (docs/math.md, "Sanity checks", "ROAD").

Written from docs/math.md with NumPy, SciPy and scikit-image (the libraries the definitions name):

    /usr/bin/python3 scripts/reference_sanity.py fixtures --out tests/fixtures/sanity-reference.json
        similarity (scipy.stats.spearmanr, skimage structural_similarity) and noisy linear
        imputation (scipy.sparse.linalg.spsolve) cases the C++ test compares with the core.
    /usr/bin/python3 scripts/reference_sanity.py weights ORIGINAL.onnx RANDOMISED.onnx --seed S --layers 1,2
        re-draws the layers' tensors of ORIGINAL and checks RANDOMISED holds exactly those (float32
        within 1e-6 relative, integers equal) and every other initializer unchanged; exit 1 if not.
"""
import argparse
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from scipy import sparse, stats
from scipy.sparse.linalg import spsolve
from skimage.metrics import structural_similarity

U64 = np.uint64


def splitmix64(x):
    x = np.asarray(x, dtype=U64)
    with np.errstate(over="ignore"):
        z = x + U64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> U64(30))) * U64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> U64(27))) * U64(0x94D049BB133111EB)
        return z ^ (z >> U64(31))


def noise_field(seed, k, j, n, sigma):
    """docs/math.md step 3's stream: n float32 draws of N(0, sigma^2) for (seed, k, j).
    (scripts/reference_cam.py has it too, but importing it loads torch: seconds per test call.)"""
    s = splitmix64(U64(seed) ^ splitmix64(U64((k << 32) | j)))
    q2 = np.arange((n + 1) // 2, dtype=U64) * U64(2)
    with np.errstate(over="ignore"):
        a, b = splitmix64(s + q2), splitmix64(s + q2 + U64(1))
    u1 = ((a >> U64(11)) + U64(1)).astype(np.float64) * 2.0 ** -53
    u2 = (b >> U64(11)).astype(np.float64) * 2.0 ** -53
    r, t = np.sqrt(-2.0 * np.log(u1)), 2.0 * np.pi * u2
    sigma = float(np.float32(sigma))
    out = np.empty(2 * len(q2), dtype=np.float32)
    out[0::2] = (sigma * r * np.cos(t)).astype(np.float32)
    out[1::2] = (sigma * r * np.sin(t)).astype(np.float32)
    return out[:n]

NEIGHBOURS = [((1, 1), 1 / 12), ((0, 1), 1 / 6), ((-1, 1), 1 / 12), ((1, -1), 1 / 12),
              ((0, -1), 1 / 6), ((-1, -1), 1 / 12), ((1, 0), 1 / 6), ((-1, 0), 1 / 6)]
INT_TYPES = {onnx.TensorProto.INT8: (-128, 127), onnx.TensorProto.UINT8: (0, 255)}


# --- similarity --------------------------------------------------------------------------------

def topk(a, b, fraction=0.1):
    n = a.size
    k = max(1, int(np.ceil(fraction * n)))
    order = lambda v: np.argsort(-v.ravel(), kind="stable")[:k]  # highest first, ties by index
    return len(np.intersect1d(order(a), order(b))) / k


def similarity(a, b):
    return {"spearman": float(stats.spearmanr(a.ravel(), b.ravel()).correlation),
            "spearman_abs": float(stats.spearmanr(np.abs(a).ravel(), np.abs(b).ravel()).correlation),
            "ssim": float(structural_similarity(a.astype(np.float64), b.astype(np.float64), data_range=1.0)),
            "topk": topk(a, b)}


# --- noisy linear imputation -------------------------------------------------------------------

def impute(x, removed, sigma, seed, stream):
    C, H, W = x.shape
    flat = removed.ravel().astype(bool)
    unknown = -np.ones(H * W, dtype=np.int64)
    unknown[flat] = np.arange(flat.sum())
    n = int(flat.sum())
    A = sparse.lil_matrix((n, n))
    b = np.zeros((n, C))
    xs = x.reshape(C, -1).astype(np.float64)
    for q in np.flatnonzero(flat):
        i, r, c = unknown[q], q // W, q % W
        total = 0.0
        for (dr, dc), w in NEIGHBOURS:
            rr, cc = r + dr, c + dc
            if not (0 <= rr < H and 0 <= cc < W):
                continue
            total += w
            j = rr * W + cc
            if unknown[j] >= 0:
                A[i, unknown[j]] += w
            else:
                b[i] -= w * xs[:, j]
        A[i, i] = -total
    v = spsolve(sparse.csc_matrix(A), b).reshape(n, C)
    out = x.reshape(C, -1).copy()
    for ch in range(C):
        z = noise_field(seed, stream, ch, H * W, 1.0) * np.float32(sigma)
        out[ch, flat] = (v[:, ch] + z[flat].astype(np.float64)).astype(np.float32)
    return out.reshape(C, H, W)


# --- weight randomisation ----------------------------------------------------------------------

def layers(model):
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    producer = {o: n for n in g.node for o in n.output}

    def weight(name):
        if name in inits:
            return name if inits[name].data_type == onnx.TensorProto.FLOAT else None
        p = producer.get(name)
        if p is not None and p.op_type == "DequantizeLinear" and p.domain in ("", "ai.onnx") and p.input[0] in inits \
                and inits[p.input[0]].data_type in INT_TYPES:
            return p.input[0]
        return None

    out = []
    for n in reversed(g.node):
        if n.domain not in ("", "ai.onnx"):
            continue
        inp = lambda i: n.input[i] if i < len(n.input) else ""
        tensors = []
        if n.op_type in ("Conv", "Gemm", "MatMul"):
            w = weight(inp(1)) or (weight(inp(0)) if n.op_type == "MatMul" else None)
            if w is None:
                continue
            tensors.append(w)
            bias = inp(2) if n.op_type != "MatMul" else ""
            if bias in inits and inits[bias].data_type == onnx.TensorProto.FLOAT:
                tensors.append(bias)
        elif n.op_type in ("QLinearConv", "QLinearMatMul"):
            w = inp(3) if inp(3) in inits else (inp(0) if n.op_type == "QLinearMatMul" and inp(0) in inits else None)
            if w is None or inits[w].data_type not in INT_TYPES:
                continue
            tensors.append(w)
        else:
            continue
        out.append(tensors)
    return out


def redraw(values, data_type, seed, layer, index):
    v = values.astype(np.float64).ravel()
    mean, sd = v.mean(), v.std()
    z = noise_field(seed, layer, index, v.size, 1.0).astype(np.float64)
    drawn = mean + sd * z
    if data_type in INT_TYPES:
        lo, hi = INT_TYPES[data_type]
        return np.clip(np.rint(drawn), lo, hi).astype(values.dtype).reshape(values.shape)
    return drawn.astype(np.float32).reshape(values.shape)


def check_weights(original, randomised, seed, layer_numbers):
    a, b = onnx.load(original), onnx.load(randomised)
    redrawn = {}
    for l in layer_numbers:
        for t, name in enumerate(layers(a)[l - 1]):
            redrawn[name] = (l, t)
    got = {t.name: t for t in b.graph.initializer}
    bad = []
    for t in a.graph.initializer:
        old = numpy_helper.to_array(t)
        new = numpy_helper.to_array(got[t.name])
        if new.shape != old.shape or new.dtype != old.dtype:
            bad.append(f"{t.name}: shape or type changed")
            continue
        if t.name not in redrawn:
            if not np.array_equal(old, new):
                bad.append(f"{t.name}: changed but is not in the randomised layers")
            continue
        want = redraw(old, t.data_type, seed, *redrawn[t.name])
        if t.data_type in INT_TYPES:
            ok = np.array_equal(want, new)
        else:
            ok = np.allclose(new, want, rtol=1e-6, atol=1e-7 * max(1.0, float(np.abs(want).max())))
        if not ok:
            bad.append(f"{t.name}: values differ from the reference (max diff "
                       f"{np.abs(new.astype(np.float64) - want.astype(np.float64)).max():.3g})")
    if len(redrawn) == 0:
        bad.append("no tensor was randomised")
    for line in bad:
        print(line)
    print(f"{len(redrawn)} tensors re-drawn, {len(bad)} problems")
    return not bad


def fixtures(out):
    rng = np.random.default_rng(17)
    sim = []
    base = rng.random((28, 28)).astype(np.float32)
    others = {"noisy copy": np.clip(base + 0.1 * rng.standard_normal((28, 28)), 0, 1),
              "independent": rng.random((28, 28)),
              "ties": np.round(rng.random((28, 28)) * 4) / 4,
              "rectangular": None,
              "signed": None}
    for name, other in others.items():
        if name == "signed":  # |·| changes the ranking: the two Spearman variants differ
            a = base - 0.5
            b = np.clip(base + 0.1 * rng.standard_normal((28, 28)), 0, 1) - 0.5
        elif name == "rectangular":
            a = rng.random((9, 13)).astype(np.float32)
            b = np.round(a * 3).astype(np.float32) / 3
        else:
            a, b = (np.round(base * 5) / 5 if name == "ties" else base), other
        a, b = a.astype(np.float32), b.astype(np.float32)
        sim.append({"name": name, "a": a.tolist(), "b": b.tolist(), "expected": similarity(a, b)})
    imp = []
    for name, (C, H, W, make) in {
        "scattered 40 %": (3, 9, 11, lambda H, W: rng.random((H, W)) < 0.4),
        "block at an edge": (1, 8, 8, lambda H, W: np.pad(np.ones((4, 3), bool), ((0, 4), (5, 0)))),
        "all but one": (2, 5, 6, lambda H, W: np.arange(H * W).reshape(H, W) != 17),
    }.items():
        x = rng.standard_normal((C, H, W)).astype(np.float32)
        removed = make(H, W)
        seed, stream, sigma = 5, 3, 0.01
        imp.append({"name": name, "x": x.tolist(), "removed": removed.astype(int).tolist(), "sigma": sigma,
                    "seed": seed, "stream": stream, "expected": impute(x, removed, sigma, seed, stream).tolist()})
    with open(out, "w") as f:
        json.dump({"similarity": sim, "imputation": imp}, f)
        f.write("\n")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="what", required=True)
    f = sub.add_parser("fixtures")
    f.add_argument("--out", required=True)
    w = sub.add_parser("weights")
    w.add_argument("original")
    w.add_argument("randomised")
    w.add_argument("--seed", type=int, required=True)
    w.add_argument("--layers", required=True, help="comma list of layer numbers (1 = nearest the output)")
    a = p.parse_args()
    if a.what == "fixtures":
        fixtures(a.out)
        return 0
    return 0 if check_weights(a.original, a.randomised, a.seed, [int(v) for v in a.layers.split(",")]) else 1


if __name__ == "__main__":
    sys.exit(main())
