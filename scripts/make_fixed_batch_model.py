"""Writes tests/fixtures/fixed-batch-cnn.onnx: a tiny CNN whose graph hard-codes batch 1
(x.view(1, -1) exports as Reshape to [1, -1]), for the batch-1 fallback test.

    /usr/bin/python3 scripts/make_fixed_batch_model.py
"""
import os

import torch
from torch import nn


class FixedBatchCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).view(1, -1))


def main():
    torch.manual_seed(0)
    out = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "fixed-batch-cnn.onnx")
    torch.onnx.export(FixedBatchCNN().eval(), torch.zeros(1, 3, 8, 8), out, opset_version=13,
                      input_names=["input"], output_names=["logits"])


if __name__ == "__main__":
    main()
