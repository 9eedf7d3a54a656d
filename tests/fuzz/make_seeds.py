#!/usr/bin/python3
"""Writes the fuzzers' seed corpora (tests/fuzz/corpus/<target>/) and the issue's crafted files as
regressions (tests/fuzz/regressions/<target>/, next to the crashes the fuzzers found, which are
copied there by hand). Run from anywhere; the output is committed.

    /usr/bin/python3 tests/fuzz/make_seeds.py
"""
import io
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

here = Path(__file__).resolve().parent
root = here.parents[1]
sys.path.insert(0, str(root / "tests"))
import hostile_inputs  # noqa: E402


def write(folder, name, data):
    path = here / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def tiny_classifier(batch, channels_last=False, quantized=False, softmax=False):
    """Conv → Relu → MaxPool → GlobalAveragePool → Flatten → Gemm on a 1×2×4×4 input: ~1 KB."""
    rng = np.random.default_rng(0)
    shape = [batch, 4, 4, 2] if channels_last else [batch, 2, 4, 4]
    nodes, inits = [], [
        numpy_helper.from_array(rng.standard_normal((3, 2, 3, 3)).astype(np.float32), "w"),
        numpy_helper.from_array(np.zeros(3, np.float32), "b"),
        numpy_helper.from_array(rng.standard_normal((3, 3)).astype(np.float32), "fc"),
    ]
    x = "x"
    if channels_last:
        nodes.append(helper.make_node("Transpose", [x], ["x_nchw"], perm=[0, 3, 1, 2]))
        x = "x_nchw"
    nodes += [helper.make_node("Conv", [x, "w", "b"], ["c"], pads=[1, 1, 1, 1]),
              helper.make_node("Relu", ["c"], ["r"])]
    act = "r"
    if quantized:
        inits += [numpy_helper.from_array(np.array(0.1, np.float32), "s"),
                  numpy_helper.from_array(np.array(0, np.uint8), "z")]
        nodes += [helper.make_node("QuantizeLinear", ["r", "s", "z"], ["q"]),
                  helper.make_node("DequantizeLinear", ["q", "s", "z"], ["dq"])]
        act = "dq"
    nodes += [helper.make_node("MaxPool", [act], ["p"], kernel_shape=[2, 2], strides=[1, 1]),
              helper.make_node("GlobalAveragePool", ["p"], ["g"]),
              helper.make_node("Flatten", ["g"], ["f"]),
              helper.make_node("Gemm", ["f", "fc"], ["logits"])]
    out = "logits"
    if softmax:
        nodes.append(helper.make_node("Softmax", ["logits"], ["prob"], axis=1))
        out = "prob"
    graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, [batch, 3])], inits,
                              value_info=[helper.make_tensor_value_info("r", TensorProto.FLOAT, [batch, 3, 4, 4])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="iscam-fuzz-seed")
    onnx.checker.check_model(model)
    return model.SerializeToString()


def image_bytes(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def images():
    rng = np.random.default_rng(1)
    rgb = Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8))
    rgba = Image.fromarray(rng.integers(0, 256, (8, 8, 4), dtype=np.uint8))
    grey = rgb.convert("L")
    yield "rgb.png", image_bytes(rgb, "PNG")
    yield "rgba.png", image_bytes(rgba, "PNG")
    yield "grey.png", image_bytes(grey, "PNG")
    yield "grey16.png", image_bytes(Image.fromarray(rng.integers(0, 65536, (8, 8), dtype=np.uint16)), "PNG")
    yield "palette.png", image_bytes(rgb.convert("P"), "PNG", transparency=0)
    yield "baseline.jpg", image_bytes(rgb, "JPEG", quality=90)
    yield "progressive.jpg", image_bytes(rgb, "JPEG", quality=90, progressive=True)
    yield "grey.jpg", image_bytes(grey, "JPEG")
    yield "subsampled.jpg", image_bytes(rgb.resize((16, 16)), "JPEG", subsampling=2)
    yield "rgb.bmp", image_bytes(rgb, "BMP")
    yield "rgba.bmp", image_bytes(rgba, "BMP")
    yield "palette.bmp", image_bytes(rgb.convert("P"), "BMP")
    yield "still.gif", image_bytes(rgb.convert("P"), "GIF")
    frames = [rgb.convert("P"), rgb.rotate(90).convert("P")]
    yield "animated.gif", image_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:], transparency=0)


def npy_bytes(array, version=None):
    out = io.BytesIO()
    if version is None:
        np.save(out, array)
    else:
        np.lib.format.write_array(out, array, version=version)
    return out.getvalue()


def results_seeds(real_rows):
    """fuzz_results: the shapes a hostile-input probe tried on `iscam eval --resume` and `iscam report`
    (real rows, corpus/fuzz_results/real-rows.jsonl, come from `iscam eval --images DIR --method all`
    on one sample and one broken image)."""
    mark = b'{"format":"iscam-eval-1",'
    write("corpus/fuzz_results", "real-rows.jsonl", real_rows)
    real = [r for r in real_rows.splitlines(keepends=True) if b'"method"' in r]
    row = json.loads(real[0])
    def line(r):
        return json.dumps(r).encode() + b"\n"
    huge = json.loads(real[0])
    huge["metrics"].update(deletion_auc=1e308, insertion_auc=-1e308, deletion_curve=[1e308] * len(huge["metrics"]["fractions"]))
    hex_row = dict(row, image="caf\ufffd.png", image_hex=b"caf\xe9.png".hex())
    seeds = {
        "torn-tail.jsonl": real[0] + real[1][:200],
        "huge-values.jsonl": line(huge) + real[0],
        "wrong-shapes.jsonl": b"".join(line(dict(row, **change)) for change in [
            {"method": 5}, {"image": [1, 2]}, {"requested_class": "3"}, {"requested_class": -1}, {"repeat": 2 ** 40},
            {"metrics": None}, {"model": 7, "layer": {}}, {"map": "x", "map_shape": [1e9, -3]},
            {"input_region": [1e308, "a"]}, {"image_hex": "zz"}, {"error": {"nested": [1]}}]),
        "non-utf8-path.jsonl": line(hex_row),
        "older-rows.jsonl": line({k: v for k, v in row.items() if k != "format"}),
        "not-results.txt": b"my notes\nsecond line\nno newline",
        "mark-only.jsonl": mark,
        "empty-lines.jsonl": b"\n\n" + real[0] + b"\n",
        "deep.jsonl": b"[" * 10000 + b"\n",
    }
    for name, data in seeds.items():
        write("corpus/fuzz_results", name, data)


def main():
    real_rows = (here / "corpus/fuzz_results/real-rows.jsonl").read_bytes()  # made by iscam eval: kept
    shutil.rmtree(here / "corpus", ignore_errors=True)  # regressions/ also holds the fuzzers' finds: kept
    # ONNX: tiny classifiers of the shapes the reader and the patcher meet, and the test fixtures.
    write("corpus/fuzz_onnx", "fixed-batch.onnx", tiny_classifier(1))
    write("corpus/fuzz_onnx", "symbolic-batch.onnx", tiny_classifier("N"))
    write("corpus/fuzz_onnx", "channels-last.onnx", tiny_classifier("N", channels_last=True))
    write("corpus/fuzz_onnx", "quantized.onnx", tiny_classifier(1, quantized=True))
    write("corpus/fuzz_onnx", "softmax.onnx", tiny_classifier("N", softmax=True))
    write("corpus/fuzz_onnx", "int-tensor-cnn.onnx", (root / "tests/fixtures/int-tensor-cnn.onnx").read_bytes())
    # Images: every decoder compiled in, in its common variants.
    for name, data in images():
        write("corpus/fuzz_image", name, data)
    # .npy: the versions and shapes NumPy writes.
    write("corpus/fuzz_npy", "nchw.npy", npy_bytes(np.ones((1, 3, 4, 4), np.float32)))
    write("corpus/fuzz_npy", "v2.npy", npy_bytes(np.arange(6, dtype=np.float32).reshape(2, 3), (2, 0)))
    write("corpus/fuzz_npy", "v3.npy", npy_bytes(np.zeros((1, 1, 2, 2), np.float32), (3, 0)))
    write("corpus/fuzz_npy", "scalar.npy", npy_bytes(np.float32(1.5)))
    write("corpus/fuzz_npy", "float64.npy", npy_bytes(np.ones(2, np.float64)))
    write("corpus/fuzz_npy", "fortran.npy", npy_bytes(np.asfortranarray(np.ones((2, 2), np.float32))))
    # Sidecars and labels.
    write("corpus/fuzz_model_config", "fashion-cnn.json", (root / "web/models/fashion-cnn.json").read_bytes())
    sidecar = {"labels": ["cat", "dog"], "output": "logits", "layout": "nhwc",
               "preprocess": {"size": [224, 224], "gray": False, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
                              "preset": "imagenet", "resize": 256, "crop": "center", "channel_order": "bgr"}}
    write("corpus/fuzz_model_config", "full.json", json.dumps(sidecar).encode())
    write("corpus/fuzz_model_config", "labels.txt", b"tench\r\ngoldfish\n\ngreat white shark\n")
    write("corpus/fuzz_model_config", "labels.json", b'["a", "b\\u00e9", "c"]')
    # Regressions: the crafted files (the fuzzers replay them before fuzzing).
    with tempfile.TemporaryDirectory() as tmp:
        sys.argv = ["hostile_inputs.py", tmp]
        for name, data in hostile_inputs.files():
            target = "fuzz_npy" if name.endswith(".npy") else "fuzz_image"
            if len(data) <= 128 * 1024:
                write("regressions/" + target, name, data)
    model = tiny_classifier(1)
    graph_tag = model.index(b"\x3a")  # ModelProto.graph: field 7, length-delimited
    write("regressions/fuzz_onnx", "graph-as-varint.onnx", model[:graph_tag] + b"\x38" + model[graph_tag + 1:])
    write("regressions/fuzz_onnx", "truncated.onnx", model[: len(model) // 2])
    write("regressions/fuzz_model_config", "size-one-value.json", b'{"preprocess": {"size": [28]}}')
    write("regressions/fuzz_model_config", "size-not-numbers.json", b'{"preprocess": {"size": ["a", {}]}}')
    write("regressions/fuzz_model_config", "deep.json", b"[" * 100000)
    results_seeds(real_rows)


if __name__ == "__main__":
    main()
