"""Writes the tiny ONNX models of the C++ tests into tests/fixtures/:

- fixed-batch-cnn.onnx: a CNN whose graph hard-codes batch 1 (x.view(1, -1) exports as Reshape
  to [1, -1]), for the batch-1 fallback;
- int-tensor-cnn.onnx: a CNN with an int64 Add on the input's shape among its nodes, so that
  probing layers meets a tensor that is not float.

    /usr/bin/python3 scripts/make_test_models.py
"""
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures")


class FixedBatchCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).view(1, -1))


def fixed_batch_cnn(path):
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


def main():
    fixed_batch_cnn(os.path.join(FIXTURES, "fixed-batch-cnn.onnx"))
    int_tensor_cnn(os.path.join(FIXTURES, "int-tensor-cnn.onnx"))


if __name__ == "__main__":
    main()
