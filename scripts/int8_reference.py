"""The logits of a QOperator int8 ONNX model computed as its operators define them.

Integer convolutions and matrix products are summed exactly (float64 holds every partial sum of
these sizes exactly), then requantized with round-half-to-even and saturation, as the ONNX
operators QuantizeLinear, QLinearConv and QLinearMatMul and com.microsoft's QLinearAdd and
QLinearGlobalAveragePool define. The operators leave the precision of the scale products open;
here they are float32, in the order ONNX Runtime's CPU kernels use, so an engine that sums
exactly gives these logits to float32 rounding. One whose int8 kernels overflow (x86 without
VNNI sums u8·s8 pairs in 16 bits) does not.

    /usr/bin/python3 scripts/int8_reference.py MODEL.onnx INPUT.npy OUT.npy
"""
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _saturate(q, zero_point):
    info = np.iinfo(zero_point.dtype)
    return np.clip(np.rint(q) + zero_point.astype(np.float64), info.min, info.max).astype(zero_point.dtype)


def _requantize(acc, multiplier, zero_point):
    """saturate(round_half_even(acc · multiplier) + zero_point), the product in float32."""
    return _saturate(np.float32(acc) * np.float32(multiplier), zero_point)


def _centred(q, zero_point):
    return q.astype(np.float64) - zero_point.astype(np.float64)


def _f32(v):
    return np.asarray(v, np.float32)


def _qlinear_conv(x, xs, xz, w, ws, wz, ys, yz, bias, a):
    pads = a.get("pads", [0, 0, 0, 0])
    xc = F.pad(torch.from_numpy(_centred(x, xz)), (pads[1], pads[3], pads[0], pads[2]))
    wc = torch.from_numpy(w.astype(np.float64) - np.asarray(wz, np.float64).reshape(-1, 1, 1, 1))
    acc = F.conv2d(xc, wc, stride=a.get("strides", [1, 1]), dilation=a.get("dilations", [1, 1]),
                   groups=a.get("group", 1)).numpy()
    if bias is not None:
        acc = acc + bias.astype(np.float64).reshape(1, -1, 1, 1)
    multiplier = (_f32(xs) * _f32(ws) / _f32(ys)).reshape(1, -1, 1, 1)  # one scale, or one per channel
    return _requantize(acc, multiplier, yz)


def _qlinear_matmul(a, as_, az, b, bs, bz, ys, yz):
    acc = _centred(a, az) @ _centred(b, bz)
    return _requantize(acc, _f32(as_) * _f32(bs) / _f32(ys), yz)  # b's scale: one, or one per column


def _qlinear_add(a, as_, az, b, bs, bz, cs, cz):
    real = _f32(as_ / cs) * np.float32(_centred(a, az)) + _f32(bs / cs) * np.float32(_centred(b, bz))
    return _saturate(real, cz)


def _qlinear_global_average_pool(x, xs, xz, ys, yz):
    size = x.shape[2] * x.shape[3]
    total = _centred(x, xz).sum(axis=(2, 3), keepdims=True)
    return _requantize(total, _f32(xs) / (_f32(ys) * np.float32(size)), yz)


def logits(model_path, x):
    model = onnx.load(model_path)
    env = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    env[model.graph.input[0].name] = x.astype(np.float32)
    for n in model.graph.node:
        i = [env[name] if name else None for name in n.input]
        a = _attrs(n)
        op = n.op_type
        if op == "QuantizeLinear":
            out = _saturate(_f32(i[0]) / _f32(i[1]), i[2])
        elif op == "DequantizeLinear":
            out = (_centred(i[0], i[2]) * np.float64(i[1])).astype(np.float32)
        elif op == "QLinearConv":
            out = _qlinear_conv(*i[:8], i[8] if len(i) > 8 else None, a)
        elif op == "QLinearMatMul":
            out = _qlinear_matmul(*i[:8])
        elif op == "QLinearAdd":
            out = _qlinear_add(*i[:8])
        elif op == "QLinearGlobalAveragePool":
            assert not a.get("channels_last", 0)
            out = _qlinear_global_average_pool(*i[:5])
        elif op == "Shape":
            out = np.array(i[0].shape, np.int64)
        elif op == "Gather":
            out = np.take(i[0], i[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            out = np.expand_dims(i[0], tuple(a["axes"]))
        elif op == "Concat":
            out = np.concatenate(i, axis=a["axis"])
        elif op == "Reshape":
            shape = [d if d != 0 else i[0].shape[k] for k, d in enumerate(i[1])]
            out = i[0].reshape(shape)
        else:
            raise SystemExit(f"{model_path}: operator {n.domain or 'ai.onnx'}.{op} is not one this reference knows")
        env[n.output[0]] = out
    return np.asarray(env[model.graph.output[0].name], np.float32)


if __name__ == "__main__":
    model_path, input_path, out_path = sys.argv[1:4]
    np.save(out_path, logits(model_path, np.load(input_path)))
