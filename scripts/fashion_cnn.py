"""The default model's architecture, shared by training and the reference.

A small CNN for 1x28x28 Fashion-MNIST: two conv blocks, the second ending at
64x7x7 (module ``pool2``), which is the last 4-D tensor with spatial size > 1
in the exported graph and so the default Score-CAM target layer.
"""
import torch
from torch import nn

TARGET_MODULE = "pool2"


class FashionCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(32, 32, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)  # 32x14x14
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.relu3 = nn.ReLU()
        self.conv4 = nn.Conv2d(64, 64, 3, padding=1)
        self.relu4 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)  # 64x7x7: the target layer
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool1(self.relu2(self.conv2(self.relu1(self.conv1(x)))))
        x = self.pool2(self.relu4(self.conv4(self.relu3(self.conv3(x)))))
        return self.fc(self.flatten(x))


def load(path="tests/fixtures/fashion-cnn.pt"):
    """Rebuild the trained model (eval mode) from its state_dict."""
    model = FashionCNN()
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model.eval()
