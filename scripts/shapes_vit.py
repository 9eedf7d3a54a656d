"""The classroom ViT (scripts/train_shapes_model.py --vit trains it).

A small hybrid vision transformer for 3x64x64 shapes: a convolutional patch embedding (three
conv blocks down to 8x8, then a 1x1 projection: one token for each 8x8-pixel patch; a stem of
convolutions lets a transformer this small learn from twelve thousand scenes in minutes),
learned position embeddings, BLOCKS pre-norm encoder blocks, and a linear head on the maximum
over the tokens. (Max, not a CLS token or the mean: as for the shapes CNN, the model then finds
a small object among clutter in a few epochs; with a CLS head it was still near chance after
the ten minutes of CPU the classroom models may take.) Every block's output is a 1 x 64 x DIM
token tensor, the 8 x 8 grid of patch tokens in row-major order with no extra token. The last
block's output, block_output(BLOCKS - 1), is the default target layer.
"""
import torch
from torch import nn

PATCH = 8
DIM = 32
HEADS = 4
BLOCKS = 2
MLP = 2 * DIM


def block_output(i):
    """The ONNX tensor name of encoder block i's output (torch.onnx.export's scoped name)."""
    return f"/blocks.{i}/Add_1_output_0"


def sidecar_tokens(size=64):
    """How the sidecar says its token layers are read: no extra token, then the patch grid."""
    grid = size // PATCH
    return {"tokens": 0, "grid": [grid, grid]}


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        n, t, d = x.shape
        q, k, v = self.qkv(x).reshape(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        attn = (q @ k.transpose(-2, -1) * (d // self.heads) ** -0.5).softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp), nn.GELU(), nn.Linear(mlp, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ShapesViT(nn.Module):
    def __init__(self, classes=6, size=64):
        super().__init__()
        grid = size // PATCH
        self.patch_embed = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),    # 16 x 32 x 32
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),   # 32 x 16 x 16
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),   # 64 x 8 x 8
            nn.Conv2d(64, DIM, 1))                                                             # DIM x 8 x 8
        self.pos_embed = nn.Parameter(torch.randn(1, grid * grid, DIM) * 0.02)
        self.blocks = nn.ModuleList([Block(DIM, HEADS, MLP) for _ in range(BLOCKS)])
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2) + self.pos_embed   # N x 64 x DIM, row-major
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x).amax(1))
