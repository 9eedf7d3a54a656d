"""Writes the tiny ONNX models of the C++ tests into tests/fixtures/:

- fixed-batch-cnn.onnx: a CNN whose graph hard-codes batch 1 (x.view(1, -1) exports as Reshape
  to [1, -1]), for the batch-1 fallback;
- int-tensor-cnn.onnx: a CNN with an int64 Add on the input's shape among its nodes, so that
  probing layers meets a tensor that is not float.

    /usr/bin/python3 scripts/make_test_models.py

With --cases DIR it writes instead, in well under a second (python3-onnx only), the models of
the odd cases users bring, each the same small CNN ("plain") seen another way, and a 16×16 test
image:

- case-plain.onnx: float32 N×C×H×W input 1×3×16×16, output "logits" 1×5;
- case-logits-1d.onnx: logits of shape [5] (no batch dimension);
- case-logits-not-first.onnx: a 1×8 "embedding" output before "logits";
- case-softmax-last.onnx: one output, "probabilities" = Softmax(logits);
- case-nhwc.onnx: a channels-last input 1×16×16×3 (as TensorFlow exports);
- case-pixels.onnx / case-uint8.onnx: float / uint8 input of 0..255 pixels, normalised in the graph;
- case-float16.onnx: float16 input and float16 logits;
- case-dynamic-hw.onnx: input 1×3×H×W with symbolic H and W;
- case-external-data.onnx (+ case-external-data.onnx.data): the weights in a file beside it;
- case-1000-channels.onnx: an input of 1000 channels (no image has them);
- case-reshape-2.onnx: logits reshaped to [2, -1], which holds for batches of 1 and 2 only;
- case-no-layer.onnx: global pooling straight away, nothing to probe.

    /usr/bin/python3 scripts/make_test_models.py --cases build/test-models
"""
import argparse
import os
import struct
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")
MEAN = np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1)
STD = np.array([0.229, 0.224, 0.225], np.float32).reshape(1, 3, 1, 1)


def fixed_batch_cnn(path):
    import torch
    from torch import nn

    class FixedBatchCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.fc = nn.Linear(4 * 8 * 8, 3)

        def forward(self, x):
            return self.fc(torch.relu(self.conv(x)).view(1, -1))

    torch.manual_seed(0)
    torch.onnx.export(FixedBatchCNN().eval(), torch.zeros(1, 3, 8, 8), path, opset_version=13,
                      input_names=["input"], output_names=["logits"])


def int_tensor_cnn(path):
    rng = np.random.default_rng(0)
    weight = numpy_helper.from_array(rng.standard_normal((2, 3, 3, 3)).astype(np.float32), "w")
    nodes = [
        helper.make_node("Conv", ["input", "w"], ["conv"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"]),
        helper.make_node("GlobalAveragePool", ["relu"], ["pool"]),
        helper.make_node("Flatten", ["pool"], ["logits"]),
        helper.make_node("Shape", ["input"], ["shape"]),
        helper.make_node("Add", ["shape", "shape"], ["shape_twice"]),
    ]
    graph = helper.make_graph(
        nodes, "int_tensor_cnn",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 2])],
        [weight])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, path)


# ---- the odd cases ------------------------------------------------------------------------

def plain_weights():
    rng = np.random.default_rng(0)
    w = {
        "conv1.w": rng.standard_normal((8, 3, 3, 3)) * 0.5, "conv1.b": rng.standard_normal(8) * 0.1,
        "conv2.w": rng.standard_normal((8, 8, 3, 3)) * 0.3, "conv2.b": rng.standard_normal(8) * 0.1,
        "fc.w": rng.standard_normal((5, 8)), "fc.b": rng.standard_normal(5) * 0.1,
    }
    return [numpy_helper.from_array(v.astype(np.float32), k) for k, v in w.items()]


def plain_nodes(x, logits):
    """The plain CNN from tensor x (float32 N×3×H×W) to logits (N×5): two Conv+Relu, global pooling, Gemm."""
    return [
        helper.make_node("Conv", [x, "conv1.w", "conv1.b"], ["conv1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv1"], ["relu1"]),
        helper.make_node("Conv", ["relu1", "conv2.w", "conv2.b"], ["conv2"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv2"], ["relu2"]),
        helper.make_node("GlobalAveragePool", ["relu2"], ["pool"]),
        helper.make_node("Flatten", ["pool"], ["flat"]),
        helper.make_node("Gemm", ["flat", "fc.w", "fc.b"], [logits], transB=1),
    ]


def save(path, nodes, inputs, outputs, inits, **save_args):
    graph = helper.make_graph(nodes, os.path.basename(path), inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, path, **save_args)


def value(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def write_cases(out):
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, f"case-{name}.onnx")  # noqa: E731
    F, U8, F16 = TensorProto.FLOAT, TensorProto.UINT8, TensorProto.FLOAT16
    x = value("input", F, [1, 3, 16, 16])
    logits = value("logits", F, [1, 5])
    w = plain_weights()
    save(p("plain"), plain_nodes("input", "logits"), [x], [logits], w)

    shape = numpy_helper.from_array(np.array([-1], np.int64), "flat_shape")
    save(p("logits-1d"), plain_nodes("input", "logits2d") + [helper.make_node("Reshape", ["logits2d", "flat_shape"], ["logits"])],
         [x], [value("logits", F, [5])], w + [shape])
    save(p("logits-not-first"), plain_nodes("input", "logits"), [x], [value("flat", F, [1, 8]), logits], w)
    save(p("softmax-last"), plain_nodes("input", "logits") + [helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)],
         [x], [value("probabilities", F, [1, 5])], w)
    save(p("nhwc"), [helper.make_node("Transpose", ["input"], ["nchw"], perm=[0, 3, 1, 2])] + plain_nodes("nchw", "logits"),
         [value("input", F, [1, 16, 16, 3])], [logits], w)

    # 0..255 pixels in, normalised inside the graph: (x / 255 − mean) / std.
    norm = [numpy_helper.from_array(np.float32(255), "k255"), numpy_helper.from_array(MEAN, "mean"),
            numpy_helper.from_array(STD, "std")]
    normalise = lambda src: [  # noqa: E731
        helper.make_node("Div", [src, "k255"], ["unit"]), helper.make_node("Sub", ["unit", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["normalised"])]
    save(p("pixels"), normalise("input") + plain_nodes("normalised", "logits"), [x], [logits], w + norm)
    save(p("uint8"), [helper.make_node("Cast", ["input"], ["pixels"], to=F)] + normalise("pixels") +
         plain_nodes("normalised", "logits"), [value("input", U8, [1, 3, 16, 16])], [logits], w + norm)

    save(p("float16"), [helper.make_node("Cast", ["input"], ["input32"], to=F)] + plain_nodes("input32", "logits32") +
         [helper.make_node("Cast", ["logits32"], ["logits"], to=F16)],
         [value("input", F16, [1, 3, 16, 16])], [value("logits", F16, [1, 5])], w)
    save(p("dynamic-hw"), plain_nodes("input", "logits"), [value("input", F, [1, 3, "height", "width"])], [logits], w)
    data = os.path.basename(p("external-data")) + ".data"
    if os.path.exists(os.path.join(out, data)):
        os.remove(os.path.join(out, data))
    save(p("external-data"), plain_nodes("input", "logits"), [x], [logits], w,
         save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=0)

    wide = numpy_helper.from_array(np.full((8, 1000, 3, 3), 0.01, np.float32), "conv1.w")
    save(p("1000-channels"), plain_nodes("input", "logits"), [value("input", F, [1, 1000, 8, 8])], [logits],
         [wide] + w[1:])
    four = [numpy_helper.from_array(np.zeros((4, 8), np.float32) + np.arange(4, dtype=np.float32)[:, None] * 0.1, "fc.w"),
            numpy_helper.from_array(np.arange(4, dtype=np.float32), "fc.b")]
    two = numpy_helper.from_array(np.array([2, -1], np.int64), "two_rows")
    save(p("reshape-2"), plain_nodes("input", "logits4") + [helper.make_node("Reshape", ["logits4", "two_rows"], ["logits"])],
         [x], [value("logits", F, [2, 2])], w[:4] + four + [two])
    save(p("no-layer"), [helper.make_node("GlobalAveragePool", ["input"], ["pooled"]), helper.make_node("Flatten", ["pooled"], ["logits"])],
         [x], [value("logits", F, [1, 3])], [])
    write_png(os.path.join(out, "case-image.png"), test_image())


def test_image():
    """16×16 RGB: smooth gradients with a bright blob, so that the maps have structure."""
    y, x = np.mgrid[0:16, 0:16].astype(np.float32)
    blob = np.exp(-((x - 11) ** 2 + (y - 5) ** 2) / 8)
    rgb = np.stack([x * 12 + 40 * blob, y * 14, 200 * blob + 20], axis=-1)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def write_png(path, rgb):
    """An 8-bit RGB PNG (zlib and struct: no imaging library needed for one small file)."""
    h, w, _ = rgb.shape
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data +  # noqa: E731
                                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\0" + rgb[r].tobytes() for r in range(h))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", metavar="DIR", help="write the odd-case models and image there instead of the fixtures")
    args = ap.parse_args()
    if args.cases:
        write_cases(args.cases)
        return
    fixed_batch_cnn(os.path.join(FIXTURES, "fixed-batch-cnn.onnx"))
    int_tensor_cnn(os.path.join(FIXTURES, "int-tensor-cnn.onnx"))


if __name__ == "__main__":
    main()
