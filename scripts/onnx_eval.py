"""A tiny ONNX interpreter on torch.nn.functional, for sanity checks only.

onnxruntime is not available to Debian's Python here, so this evaluates the
few ops our exported models use (Conv, Relu, Clip, MaxPool, Add, Concat,
GlobalAveragePool, Flatten, Gemm, ...) and returns every named tensor, so that
exported logits and the target-layer tensors can be checked against PyTorch.
"""
import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pad4(x, pads, value):
    """ONNX pads [top, left, bottom, right] -> explicit F.pad."""
    if not pads or not any(pads):
        return x
    return F.pad(x, (pads[1], pads[3], pads[0], pads[2]), value=value)


def run(model_path, inputs):
    """Evaluate the graph; returns {tensor name: torch tensor} for all tensors."""
    model = onnx.load(model_path)
    env = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
           for i in model.graph.initializer}
    env.update({k: torch.as_tensor(v) for k, v in inputs.items()})
    for node in model.graph.node:
        a = _attrs(node)
        x = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Conv":
            y = F.conv2d(_pad4(x[0], a.get("pads"), 0.0), x[1], x[2] if len(x) > 2 else None,
                         stride=a.get("strides", 1), dilation=a.get("dilations", 1),
                         groups=a.get("group", 1))
        elif op == "Relu":
            y = F.relu(x[0])
        elif op == "Clip":
            lo = x[1].item() if len(x) > 1 and x[1] is not None else -float("inf")
            hi = x[2].item() if len(x) > 2 and x[2] is not None else float("inf")
            y = x[0].clamp(lo, hi)
        elif op == "MaxPool":
            y = F.max_pool2d(_pad4(x[0], a.get("pads"), -float("inf")), a["kernel_shape"],
                             a.get("strides", a["kernel_shape"]),
                             ceil_mode=bool(a.get("ceil_mode", 0)))
        elif op == "AveragePool":
            assert not any(a.get("pads", [0])), "padded AveragePool not supported"
            y = F.avg_pool2d(x[0], a["kernel_shape"], a.get("strides", a["kernel_shape"]),
                             ceil_mode=bool(a.get("ceil_mode", 0)))
        elif op == "GlobalAveragePool":
            y = x[0].mean(dim=(2, 3), keepdim=True)
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Mul":
            y = x[0] * x[1]
        elif op == "Concat":
            y = torch.cat(x, dim=a["axis"])
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = x[0].reshape(int(np.prod(x[0].shape[:axis])), -1)
        elif op == "Reshape":
            y = x[0].reshape([int(d) for d in x[1]])
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2:
                y = y + a.get("beta", 1.0) * x[2]
        elif op == "Constant":
            y = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
        elif op in ("Identity", "Dropout"):
            y = x[0]
        else:
            raise NotImplementedError(f"op {op} ({node.name})")
        env[node.output[0]] = y
    return env


def output_names(model_path):
    return [o.name for o in onnx.load(model_path).graph.output]
