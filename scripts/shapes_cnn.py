"""The classroom models' architecture (scripts/train_shapes_model.py trains it).

A small CNN for 3x64x64 shapes: four conv blocks down to 64x8x8 (module
``relu4``, the last 4-D tensor with spatial size > 1 in the exported graph and
so the default Score-CAM target layer), then global max pooling and one linear
layer. (Max, not average: the model then learns in a few epochs what average
pooling takes several times longer to find, a small object among clutter.)
"""
from torch import nn

TARGET_MODULE = "relu4"


class ShapesCNN(nn.Module):
    def __init__(self, classes=6):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)  # 16x32x32
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)  # 32x16x16
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1)
        self.bn3 = nn.BatchNorm2d(64)
        self.relu3 = nn.ReLU()
        self.pool3 = nn.MaxPool2d(2)  # 64x8x8
        self.conv4 = nn.Conv2d(64, 64, 3, padding=1)
        self.bn4 = nn.BatchNorm2d(64)
        self.relu4 = nn.ReLU()        # 64x8x8: the target layer
        self.pool = nn.AdaptiveMaxPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.pool2(self.relu2(self.bn2(self.conv2(x))))
        x = self.pool3(self.relu3(self.bn3(self.conv3(x))))
        x = self.relu4(self.bn4(self.conv4(x)))
        return self.fc(self.flatten(self.pool(x)))
