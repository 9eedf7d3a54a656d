"""Export a random-weight torchvision classifier to ONNX, reproducibly.

    /usr/bin/python3 scripts/export_torchvision.py --arch squeezenet1_1 --out m.onnx

Weights come from torch.manual_seed(0); BatchNorm running statistics are set to
the exact statistics of fixed-seed N(0,1) batches (train mode, momentum=None),
so activations keep a sensible scale. Opset 13, input `input` (1x3xSxS, fixed
batch 1), output `logits`, constant folding. Prints the ONNX tensor names of the
layer torch-cam would pick and of the main feature blocks.
"""
import argparse
import hashlib
import os
import sys

import onnx
import torch
import torchvision
from torch import nn

ARCHS = ("resnet18", "squeezenet1_1", "mobilenet_v2")
# Main feature blocks whose ONNX tensor names are worth knowing.
BLOCKS = {
    "resnet18": ["layer1", "layer2", "layer3", "layer4"],
    "squeezenet1_1": ["features.2", "features.5", "features.12", "features", "classifier.2"],
    "mobilenet_v2": ["features.13", "features.17", "features.18", "features"],
}


def build(arch):
    """The random-weight model in eval mode; identical on every call."""
    torch.manual_seed(0)
    model = getattr(torchvision.models, arch)(weights=None)
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    if bns:
        for m in bns:
            m.reset_running_stats()
            m.momentum = None  # cumulative average of the batch statistics
        gen = torch.Generator().manual_seed(0)
        model.train()
        with torch.no_grad():
            for _ in range(4):
                model(torch.randn(8, 3, 224, 224, generator=gen))
    return model.eval()


def locate_candidate_layer(model, input_shape):
    """torch-cam's rule: the last module whose output is 4-D with spatial size > 1."""
    shapes, handles = [], []
    for name, mod in model.named_modules():
        handles.append(mod.register_forward_hook(
            lambda m, i, o, name=name: shapes.append((name, tuple(o.shape)))))
    with torch.no_grad():
        model(torch.zeros(1, *input_shape))
    for h in handles:
        h.remove()
    for name, shape in reversed(shapes):
        if len(shape) == 4 and any(v != 1 for v in shape[2:]):
            return name
    return None


def onnx_tensor_for_module(onnx_path, module):
    """Output of the last node inside the module's export scope (torch 1.13 naming:
    module `a.b` has nodes named `/a/a.b/...`), or None if the module emitted no node."""
    parts = module.split(".")
    prefix = "/" + "/".join(".".join(parts[:i + 1]) for i in range(len(parts))) + "/"
    last = None
    for node in onnx.load(onnx_path).graph.node:
        if node.name.startswith(prefix):
            last = node.output[0]
    return last


def last_spatial_tensor(onnx_path):
    """The last 4-D tensor with spatial size > 1 in graph order (after shape inference)."""
    model = onnx.shape_inference.infer_shapes(onnx.load(onnx_path))
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
              for v in model.graph.value_info}
    last = None
    for node in model.graph.node:
        s = shapes.get(node.output[0])
        if s and len(s) == 4 and (s[2] > 1 or s[3] > 1):
            last = (node.output[0], s)
    return last


def tensor_shape(onnx_path, name):
    model = onnx.shape_inference.infer_shapes(onnx.load(onnx_path))
    for v in model.graph.value_info:
        if v.name == name:
            return [d.dim_value for d in v.type.tensor_type.shape.dim]
    return None


def export(model, path, input_shape):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, *input_shape), path, opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      do_constant_folding=True)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", required=True, choices=ARCHS)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=224)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    model = build(args.arch)
    shape = (3, args.size, args.size)
    export(model, args.out, shape)
    print(f"{args.out}: {os.path.getsize(args.out)} bytes, sha256 {sha256(args.out)}")
    cand = locate_candidate_layer(model, shape)
    for module in [cand] + [b for b in BLOCKS[args.arch] if b != cand]:
        name = onnx_tensor_for_module(args.out, module)
        tag = "torch-cam pick" if module == cand else "block"
        print(f"{tag:14s} {module:14s} -> {name} {tensor_shape(args.out, name)}")
    name, s = last_spatial_tensor(args.out)
    print(f"last 4-D spatial>1 tensor in graph: {name} {s}")


if __name__ == "__main__":
    sys.exit(main())
