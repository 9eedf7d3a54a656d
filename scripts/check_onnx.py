"""Check an exported ONNX model against its PyTorch source (sanity check).

Evaluates the ONNX graph with scripts/onnx_eval.py (no onnxruntime needed) on a
fixed-seed input and compares the logits and the target layer's tensor (found
by export_torchvision.onnx_tensor_for_module) with the PyTorch model's.

    /usr/bin/python3 scripts/check_onnx.py --fashion
    /usr/bin/python3 scripts/check_onnx.py --arch squeezenet1_1 --onnx m.onnx --layer features
"""
import argparse
import os
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision as ex  # noqa: E402
import fashion_cnn  # noqa: E402
import onnx_eval  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--fashion", action="store_true")
    g.add_argument("--arch", choices=ex.ARCHS)
    ap.add_argument("--onnx", default="web/models/fashion-cnn.onnx")
    ap.add_argument("--state", default="tests/fixtures/fashion-cnn.pt")
    ap.add_argument("--layer", help="default: torch-cam's candidate layer")
    args = ap.parse_args()
    torch.set_num_threads(2)

    model = fashion_cnn.load(args.state) if args.fashion else ex.build(args.arch)
    graph = onnx.load(args.onnx).graph
    dims = [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim]
    print("input", graph.input[0].name, dims, "output", graph.output[0].name,
          "ops", sorted({n.op_type for n in graph.node}))
    layer = args.layer or ex.locate_candidate_layer(model, tuple(dims[1:]))
    x = torch.randn(dims, generator=torch.Generator().manual_seed(1))
    acts = []
    dict(model.named_modules())[layer].register_forward_hook(lambda m, i, o: acts.append(o))
    with torch.no_grad():
        logits = model(x)
        env = onnx_eval.run(args.onnx, {"input": x})
    name = ex.onnx_tensor_for_module(args.onnx, layer)
    d_logits = (env["logits"] - logits).abs().max().item()
    d_layer = (env[name] - acts[-1]).abs().max().item()
    print(f"layer {layer} -> {name} {list(env[name].shape)}")
    print(f"max |onnx - torch|: logits {d_logits:.3g} (scale {logits.abs().max():.3g}), "
          f"layer {d_layer:.3g} (scale {acts[-1].abs().max():.3g})")
    last = ex.last_spatial_tensor(args.onnx)
    print("last 4-D spatial>1 tensor in graph:", *last)
    ok = d_logits <= 1e-4 * max(1.0, logits.abs().max().item()) and \
        d_layer <= 1e-4 * max(1.0, acts[-1].abs().max().item())
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
