"""Independent PyTorch reference of Score-CAM / SS-CAM / IS-CAM (docs/math.md).

Written from docs/math.md only, in float32, with no shortcuts (every channel gets its
forward passes). The SS-CAM noise is the project's counter-based stream
(splitmix64 + Box-Muller), so the C++ engine can be compared number for number.

    /usr/bin/python3 scripts/reference_cam.py --fashion --input-npy x.npy --out ref.json
    /usr/bin/python3 scripts/reference_cam.py --arch squeezenet1_1 --layer features \
        --input-npy x.npy --ss-samples 4 --onnx m.onnx --out ref.json
    /usr/bin/python3 scripts/reference_cam.py --noise-check
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402
import fashion_cnn  # noqa: E402

EPS = 1e-8
U64 = np.uint64


def splitmix64(x):
    """Vectorised splitmix64 on uint64 arrays (arithmetic mod 2^64)."""
    x = np.asarray(x, dtype=U64)
    with np.errstate(over="ignore"):
        z = x + U64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> U64(30))) * U64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> U64(27))) * U64(0x94D049BB133111EB)
        return z ^ (z >> U64(31))


def noise_field(seed, k, j, hw, sigma):
    """delta_kj: hw float32 draws of N(0, sigma^2) for channel k, sample j."""
    s = splitmix64(U64(seed) ^ splitmix64(U64((k << 32) | j)))
    q2 = np.arange((hw + 1) // 2, dtype=U64) * U64(2)
    with np.errstate(over="ignore"):
        a, b = splitmix64(s + q2), splitmix64(s + q2 + U64(1))
    u1 = ((a >> U64(11)) + U64(1)).astype(np.float64) * 2.0 ** -53
    u2 = (b >> U64(11)).astype(np.float64) * 2.0 ** -53
    r = np.sqrt(-2.0 * np.log(u1))
    t = 2.0 * np.pi * u2
    sigma = float(np.float32(sigma))
    out = np.empty(2 * len(q2), dtype=np.float32)
    out[0::2] = (sigma * r * np.cos(t)).astype(np.float32)
    out[1::2] = (sigma * r * np.sin(t)).astype(np.float32)
    return out[:hw]


def minmax(t, dims):
    """(t - min) / (max(t - min) + eps) over dims (SPEC step 1 and step 5)."""
    shifted = t - t.amin(dim=dims, keepdim=True)
    return shifted / (shifted.amax(dim=dims, keepdim=True) + EPS)


class Reference:
    def __init__(self, model, layer, x, cls=None, batch=64, contrast=None, reshape=None):
        """reshape: the layer's output -> 1 x K x h x w, for token and channels-last layers
        (docs/math.md, "Token and channels-last layers"); None: it is 1 x K x h x w already."""
        self.model, self.x, self.batch = model, x, batch
        module = dict(model.named_modules())[layer]
        acts = []
        handle = module.register_forward_hook(lambda m, i, o: acts.append(o.detach()))
        with torch.no_grad():
            logits = model(x)
        handle.remove()
        self.A = reshape(acts[-1]) if reshape else acts[-1]  # 1 x K x h x w, raw
        self.top1 = int(logits[0].argmax())
        self.cls = self.top1 if cls is None else cls
        self.contrast = contrast                          # class B of a contrastive map, or None
        self.b = self._class_score(logits)[0]             # baseline score
        H, W = x.shape[2:]
        norm = minmax(self.A, (2, 3))                      # step 1
        up = F.interpolate(norm, size=(H, W), mode="bilinear", align_corners=False)
        self.U = up[0].unsqueeze(1)                        # K x 1 x H x W, step 2

    def _class_score(self, logits):
        """logit_c, or logit_A - logit_B for a contrastive map (docs/math.md)."""
        if self.contrast is None:
            return logits[:, self.cls]
        return logits[:, self.cls] - logits[:, self.contrast]

    def _score(self, make_input, count):
        """score(make_input(i)) - b for i in range(count), batched."""
        out = []
        with torch.no_grad():
            for i in range(0, count, self.batch):
                inputs = torch.cat([make_input(n) for n in range(i, min(i + self.batch, count))])
                out.append(self._class_score(self.model(inputs)) - self.b)
        return torch.cat(out)

    def _result(self, scores):
        w = torch.softmax(scores, dim=0)                               # step 4
        cam = F.relu((w.view(1, -1, 1, 1) * self.A).sum(dim=1))[0]    # step 5
        return {"map": minmax(cam, (0, 1)), "weights": w, "scores": scores}

    def scorecam(self):
        K = self.U.shape[0]
        return self._result(self._score(lambda k: self.U[k:k + 1] * self.x, K))

    def sscam(self, n, sigma, seed):
        K, (H, W) = self.U.shape[0], self.x.shape[2:]

        def masked(i):
            k, j = divmod(i, n)
            delta = torch.from_numpy(noise_field(seed, k, j, H * W, sigma)).view(1, 1, H, W)
            return (self.U[k:k + 1] + delta) * self.x
        s = self._score(masked, K * n).view(K, n).mean(dim=1)
        return dict(self._result(s), samples=n, sigma=sigma, seed=seed)

    def iscam(self, n):
        K = self.U.shape[0]
        gammas = torch.tensor([i * (i + 1) / (2 * n) for i in range(1, n + 1)],
                              dtype=torch.float32)

        def masked(i):
            k, step = divmod(i, n)
            return (gammas[step] * self.U[k:k + 1]) * self.x
        s = self._score(masked, K * n).view(K, n).mean(dim=1)
        return dict(self._result(s), samples=n)


def to_json(v):
    """float32 tensors -> nested lists of Python floats (exact float32 values)."""
    if isinstance(v, torch.Tensor):
        return np.asarray(v.detach().numpy(), dtype=np.float64).tolist()
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    model_arg = ap.add_mutually_exclusive_group()
    model_arg.add_argument("--fashion", action="store_true", help="the default Fashion-MNIST CNN")
    model_arg.add_argument("--arch", choices=export_torchvision.ARCHS)
    ap.add_argument("--state", default="tests/fixtures/fashion-cnn.pt")
    ap.add_argument("--layer", help="module name (default: torch-cam's candidate layer)")
    ap.add_argument("--input-npy")
    ap.add_argument("--class", dest="cls", type=int, help="default: top-1")
    ap.add_argument("--contrast", type=int, help="class B of a contrastive map: scores logit A - logit B")
    ap.add_argument("--methods", default="scorecam,sscam,iscam")
    ap.add_argument("--ss-samples", type=int, default=35)
    ap.add_argument("--sigma", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--is-samples", type=int, default=10)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--onnx", help="the exported model this reference matches (name + sha256)")
    ap.add_argument("--out")
    ap.add_argument("--noise-check", action="store_true",
                    help="print the first 4 noise values for S=0, k=1, j=2, HW=5, sigma=1")
    args = ap.parse_args()

    if args.noise_check:
        print(" ".join(repr(float(v)) for v in noise_field(0, 1, 2, 5, 1.0)[:4]))
        return
    if not (args.fashion or args.arch) or not args.input_npy or not args.out:
        ap.error("need --fashion or --arch, --input-npy and --out")
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    model = fashion_cnn.load(args.state) if args.fashion else export_torchvision.build(args.arch)
    x = torch.from_numpy(np.load(args.input_npy).astype(np.float32))
    layer = args.layer or export_torchvision.locate_candidate_layer(model, tuple(x.shape[1:]))
    ref = Reference(model, layer, x, args.cls, args.batch, args.contrast)
    result = {
        "model": "fashion-cnn" if args.fashion else args.arch,
        "layer_module": layer,
        "class": ref.cls,
        "top1": ref.top1,
        "baseline_logit": float(ref.b),
        "contrast": ref.contrast,
        "activation_shape": list(ref.A.shape),
        "input_shape": list(x.shape),
        "command": " ".join(["/usr/bin/python3"] + sys.argv),
    }
    if args.onnx:
        result["onnx_file"] = os.path.basename(args.onnx)
        result["onnx_sha256"] = export_torchvision.sha256(args.onnx)
        result["onnx_layer"] = export_torchvision.onnx_tensor_for_module(args.onnx, layer)
    result["methods"] = {}
    for method in args.methods.split(","):
        t0 = time.time()
        if method == "scorecam":
            r = ref.scorecam()
        elif method == "sscam":
            r = ref.sscam(args.ss_samples, args.sigma, args.seed)
        elif method == "iscam":
            r = ref.iscam(args.is_samples)
        else:
            ap.error(f"unknown method {method}")
        result["methods"][method] = {k: to_json(v) for k, v in r.items()}
        print(f"{result['model']} {method}: {time.time() - t0:.1f} s", flush=True)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f)
        f.write("\n")


if __name__ == "__main__":
    main()
