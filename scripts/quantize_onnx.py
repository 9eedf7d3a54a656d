"""Int8 versions of a float ONNX classifier, in the two forms ONNX Runtime's quantizer writes:

- QDQ: QuantizeLinear/DequantizeLinear pairs around the float ops (weights stored as int8,
  biases as int32), which ONNX Runtime fuses into int8 kernels;
- QOperator: QLinearConv (Relu/Clip fused), QLinearAdd, QLinearConcat, MaxPool on uint8, and one
  DequantizeLinear where the float tail begins (pooling, Flatten, Gemm), like the ONNX model
  zoo's int8 MobileNetV2.

Activations are uint8 (asymmetric, per tensor), weights int8 (symmetric, per output channel),
calibrated by min/max over a few images run through scripts/onnx_eval.py. Written with Debian's
python3-onnx only (onnxruntime.quantization is not packaged there): the graph rewrite is here.

    /usr/bin/python3 scripts/quantize_onnx.py --model web/models/fashion-cnn.onnx \\
        --form qoperator --out build/models/fashion-cnn-int8-qop.onnx web/samples/fashion-*.png

Preprocessing of the calibration images comes from the model's sidecar (M.json), else ImageNet's.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_eval  # noqa: E402

# Ops whose single consumer is folded into the quantized op before it: uint8 saturation at the
# output's calibrated range (zero point 0 for Relu) is that activation.
FUSABLE = ("Relu", "Clip")


def preprocess(path, size, gray, mean, std):
    image = Image.open(path).convert("L" if gray else "RGB").resize((size[1], size[0]), Image.BILINEAR)
    x = np.asarray(image, np.float32) / 255.0
    x = x[None] if gray else x.transpose(2, 0, 1)
    x = (x - np.array(mean[: x.shape[0]], np.float32).reshape(-1, 1, 1)) / np.array(std[: x.shape[0]], np.float32).reshape(-1, 1, 1)
    return x[None].astype(np.float32)


def calibration_inputs(model_path, model, images):
    sidecar = os.path.splitext(model_path)[0] + ".json"
    p = json.load(open(sidecar)).get("preprocess", {}) if os.path.exists(sidecar) else {}
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    size = p.get("size", dims[2:4])
    gray = dims[1] == 1
    mean, std = p.get("mean", [0.485, 0.456, 0.406]), p.get("std", [0.229, 0.224, 0.225])
    return [preprocess(i, size, gray, mean, std) for i in images]


def calibrate(model_path, inputs):
    """min and max of every float tensor over the calibration inputs."""
    name = onnx.load(model_path).graph.input[0].name
    ranges = {}
    for x in inputs:
        with torch.no_grad():
            env = onnx_eval.run(model_path, {name: x})
        for k, v in env.items():
            if v.dtype != torch.float32:
                continue
            lo, hi = float(v.min()), float(v.max())
            old = ranges.get(k, (lo, hi))
            ranges[k] = (min(lo, old[0]), max(hi, old[1]))
    return ranges


def uint8_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0 or 1.0
    return np.float32(scale), np.uint8(np.clip(round(-lo / scale), 0, 255))


class Rewriter:
    """Builds the new graph node by node, with the initializers it adds."""

    def __init__(self, model, ranges):
        self.model = model
        self.ranges = ranges
        self.inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        for n in model.graph.node:  # torch's export shares equal weights through Identity nodes
            if n.op_type == "Identity" and n.input[0] in self.inits:
                self.inits[n.output[0]] = self.inits[n.input[0]]
        self.nodes, self.new_inits = [], []
        self.consumers = {}
        for n in model.graph.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)

    def const(self, name, array):
        self.new_inits.append(numpy_helper.from_array(array, name))
        return name

    def act_params(self, tensor):
        """(scale, zero point) initializer names of an activation tensor, made once."""
        s, z = f"{tensor}_scale", f"{tensor}_zero_point"
        if not any(i.name == s for i in self.new_inits):
            scale, zp = uint8_params(*self.ranges[tensor])
            self.const(s, scale)
            self.const(z, zp)
        return s, z

    def share_params(self, tensor, source):
        """`tensor` holds `source`'s quantized values unchanged (MaxPool): the same scale and zero point."""
        self.ranges[tensor] = self.ranges[source]
        s, z = self.act_params(source)
        self.const(f"{tensor}_scale", self.value(s))
        self.const(f"{tensor}_zero_point", self.value(z))

    def weight(self, name):
        """int8 per-output-channel weights in 7 bits, -63..63: (q, scale, zero point) names.

        ONNX Runtime's uint8 × int8 kernels on x86 without VNNI (AVX2's vpmaddubsw) saturate pairs of
        products at int16, so full-range weights give wrong activations there; 7 bits cannot
        saturate (onnxruntime.quantization's reduce_range, for the same reason).
        """
        w = self.inits[name]
        scale = np.maximum(np.abs(w.reshape(w.shape[0], -1)).max(axis=1), 1e-8) / 63.0
        q = np.clip(np.rint(w / scale.reshape(-1, *[1] * (w.ndim - 1))), -63, 63).astype(np.int8)
        return (self.const(f"{name}_quantized", q), self.const(f"{name}_scale", scale.astype(np.float32)),
                self.const(f"{name}_zero_point", np.zeros(w.shape[0], np.int8)))

    def bias(self, name, x_scale, w_scale):
        scale = (self.value(x_scale) * self.value(w_scale)).astype(np.float32)
        q = np.rint(self.inits[name] / scale).astype(np.int32)
        return self.const(f"{name}_quantized", q), scale

    def value(self, name):
        return next(numpy_helper.to_array(i) for i in self.new_inits if i.name == name)

    def fused_output(self, node):
        """The tensor a Conv/Add really ends at: its single Relu/Clip consumer's output, if any."""
        users = self.consumers.get(node.output[0], [])
        outputs = {o.name for o in self.model.graph.output}
        if len(users) == 1 and users[0].op_type in FUSABLE and node.output[0] not in outputs:
            return users[0]
        return None

    def finish(self, form):
        graph = self.model.graph
        kept = [i for i in graph.initializer if any(i.name in n.input for n in self.nodes)]
        new_graph = helper.make_graph(self.nodes, graph.name + f"-int8-{form}", graph.input, graph.output,
                                      kept + self.new_inits)
        opsets = [helper.make_opsetid("", max(13, next(o.version for o in self.model.opset_import if o.domain in ("", "ai.onnx"))))]
        if any(n.domain == "com.microsoft" for n in self.nodes):
            opsets.append(helper.make_opsetid("com.microsoft", 1))
        out = helper.make_model(new_graph, opset_imports=opsets, producer_name="iscam scripts/quantize_onnx.py")
        out.ir_version = self.model.ir_version
        return out


def qoperator(model, ranges):
    r = Rewriter(model, ranges)
    quantized = {}  # float tensor name -> its uint8 tensor (the float one exists only if dequantized)
    floats = {i.name for i in model.graph.input} | set(r.inits)
    skip = set()

    def q_input(name):
        if name not in quantized:
            s, z = r.act_params(name)
            r.nodes.append(helper.make_node("QuantizeLinear", [name, s, z], [f"{name}_quantized"]))
            quantized[name] = f"{name}_quantized"
        return quantized[name]

    def f_input(name):
        if name not in floats:
            s, z = r.act_params(name)
            r.nodes.append(helper.make_node("DequantizeLinear", [quantized[name], s, z], [name]))
            floats.add(name)
        return name

    for node in model.graph.node:
        if id(node) in skip:
            continue
        op = node.op_type
        if op == "Conv" and node.input[1] in r.inits:
            act = r.fused_output(node)
            out = act.output[0] if act else node.output[0]
            if act:
                skip.add(id(act))
            x = q_input(node.input[0])
            xs, xz = r.act_params(node.input[0])
            w, ws, wz = r.weight(node.input[1])
            ys, yz = r.act_params(out)
            inputs = [x, xs, xz, w, ws, wz, ys, yz]
            if len(node.input) > 2 and node.input[2]:
                inputs.append(r.bias(node.input[2], xs, ws)[0])
            qn = helper.make_node("QLinearConv", inputs, [f"{out}_quantized"], name=node.name)
            qn.attribute.extend(node.attribute)
            r.nodes.append(qn)
            quantized[out] = f"{out}_quantized"
        elif op == "Add" and all(i in quantized or i not in r.inits for i in node.input) and all(i in ranges for i in node.input):
            act = r.fused_output(node)
            out = act.output[0] if act else node.output[0]
            if act:
                skip.add(id(act))
            a, b = (q_input(i) for i in node.input)
            (as_, az), (bs, bz), (cs, cz) = r.act_params(node.input[0]), r.act_params(node.input[1]), r.act_params(out)
            r.nodes.append(helper.make_node("QLinearAdd", [a, as_, az, b, bs, bz, cs, cz], [f"{out}_quantized"],
                                            name=node.name, domain="com.microsoft"))
            quantized[out] = f"{out}_quantized"
        elif op == "MaxPool" and node.input[0] in quantized:
            q = helper.make_node("MaxPool", [quantized[node.input[0]]], [f"{node.output[0]}_quantized"], name=node.name)
            q.attribute.extend(node.attribute)
            r.nodes.append(q)
            quantized[node.output[0]] = q.output[0]
            r.share_params(node.output[0], node.input[0])
        elif op == "Concat" and all(i in quantized for i in node.input):
            ys, yz = r.act_params(node.output[0])
            inputs = [ys, yz]
            for i in node.input:
                inputs += [quantized[i], *r.act_params(i)]
            q = helper.make_node("QLinearConcat", inputs, [f"{node.output[0]}_quantized"], name=node.name, domain="com.microsoft")
            q.attribute.extend(node.attribute)
            r.nodes.append(q)
            quantized[node.output[0]] = q.output[0]
        else:
            for i in node.input:
                if i and i not in r.inits:
                    f_input(i)
            r.nodes.append(node)
            floats.update(node.output)
    for o in model.graph.output:
        f_input(o.name)
    return r.finish("qoperator")


def qdq(model, ranges):
    r = Rewriter(model, ranges)
    graph_outputs = {o.name for o in model.graph.output}
    quantizable = ("Conv", "Relu", "Clip", "Add", "MaxPool", "Concat", "AveragePool", "GlobalAveragePool")
    # Activations that get a Q→DQ pair: the graph input and the outputs of quantizable ops, except
    # a Conv/Add output whose only consumer is a fusable activation (ONNX Runtime fuses the pair).
    fused = {n.output[0] for n in model.graph.node if n.op_type in ("Conv", "Add") and r.fused_output(n)}
    pairs = {model.graph.input[0].name} | {n.output[0] for n in model.graph.node
                                           if n.op_type in quantizable and n.output[0] not in fused | graph_outputs}

    def qdq_pair(name):
        s, z = r.act_params(name)
        r.nodes.append(helper.make_node("QuantizeLinear", [name, s, z], [f"{name}_quantized"]))
        r.nodes.append(helper.make_node("DequantizeLinear", [f"{name}_quantized", s, z], [f"{name}_dequantized"]))

    renamed = lambda name: f"{name}_dequantized" if name in pairs else name  # noqa: E731
    qdq_pair(model.graph.input[0].name)
    for node in model.graph.node:
        inputs = [renamed(i) for i in node.input]
        if node.op_type == "Conv" and node.input[1] in r.inits:
            w, ws, wz = r.weight(node.input[1])
            inputs[1] = f"{node.input[1]}_dequantized"
            r.nodes.append(helper.make_node("DequantizeLinear", [w, ws, wz], [inputs[1]], axis=0))
            if len(node.input) > 2 and node.input[2]:
                xs, _ = r.act_params(node.input[0])
                b, scale = r.bias(node.input[2], xs, ws)
                bs = r.const(f"{node.input[2]}_scale", scale)
                bz = r.const(f"{node.input[2]}_zero_point", np.zeros(scale.shape, np.int32))
                inputs[2] = f"{node.input[2]}_dequantized"
                r.nodes.append(helper.make_node("DequantizeLinear", [b, bs, bz], [inputs[2]], axis=0))
        n = helper.make_node(node.op_type, inputs, list(node.output), name=node.name, domain=node.domain)
        n.attribute.extend(node.attribute)
        r.nodes.append(n)
        for o in node.output:
            if o in pairs:
                qdq_pair(o)
    return r.finish("qdq")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--form", choices=("qdq", "qoperator"), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("images", nargs="+", help="calibration images")
    args = ap.parse_args()
    model = onnx.load(args.model)
    ranges = calibrate(args.model, calibration_inputs(args.model, model, args.images))
    out = (qdq if args.form == "qdq" else qoperator)(model, ranges)
    onnx.checker.check_model(out)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    onnx.save(out, args.out)
    sidecar = os.path.splitext(args.model)[0] + ".json"
    if os.path.exists(sidecar):  # the labels and preprocessing go with the model
        with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
            f.write(open(sidecar).read())
    print(f"{args.out}: {sum(n.op_type.startswith('QLinear') for n in out.graph.node)} QLinear ops, "
          f"{sum(n.op_type == 'DequantizeLinear' for n in out.graph.node)} DequantizeLinear, {os.path.getsize(args.out)} bytes")


if __name__ == "__main__":
    main()
