"""Writes the token and channels-last test models into DIR, random weights from a fixed seed,
each with its PyTorch reference maps (scripts/reference_cam.py, the layer reshaped as
docs/math.md, "Token and channels-last layers" says) and the input they were made for:

- vit-cls: 3×32×32 input, 8-pixel patches (4×4 grid), a CLS token, head on CLS;
- vit-dist: CLS + distillation token, head on both (DeiT);
- vit-mean: no extra token, mean-pooled head;
- vit-wide: a 32×48 input (4×6 grid), CLS;
- vit-token-major: encoder blocks on [T, N, D] (sequence first);
- cnn-channels-last: a N×H×W×C activation (1×8×8×8, square: only the graph tells its layout)
  between Transpose (0,2,3,1) and its inverse;
- bad-tokens: 3 leading tokens (19 tokens of a 4×4 grid: no rule fits);
- bad-layout: a 1×8×8×8 activation behind a Reshape (no graph or shape rule tells its layout).

For each NAME: NAME.onnx, NAME-input.npy and NAME.reference.json (the ONNX layer, how it is
read, and the Score-CAM, SS-CAM and IS-CAM maps). About ten seconds on 2 cores.

    /usr/bin/python3 scripts/make_layer_models.py build/test-models/layers
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_torchvision  # noqa: E402
import reference_cam  # noqa: E402

DIM, HEADS, PATCH, CLASSES = 16, 2, 8, 5


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(DIM, 3 * DIM)
        self.proj = nn.Linear(DIM, DIM)

    def forward(self, x):  # [N, T, D]
        n, t, d = x.shape
        q, k, v = self.qkv(x).reshape(n, t, 3, HEADS, d // HEADS).permute(2, 0, 3, 1, 4).unbind(0)
        a = torch.softmax(q @ k.transpose(-2, -1) * (d // HEADS) ** -0.5, dim=-1)
        return self.proj((a @ v).transpose(1, 2).reshape(n, t, d))


class Block(nn.Module):
    def __init__(self, token_major=False):
        super().__init__()
        self.token_major = token_major
        self.norm1, self.norm2 = nn.LayerNorm(DIM), nn.LayerNorm(DIM)
        self.attn = Attention()
        self.mlp = nn.Sequential(nn.Linear(DIM, 2 * DIM), nn.GELU(), nn.Linear(2 * DIM, DIM))

    def forward(self, x):
        if self.token_major:
            x = x + self.attn(self.norm1(x).transpose(0, 1)).transpose(0, 1)
        else:
            x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, grid, extra=1, head="cls", token_major=False):
        super().__init__()
        self.extra, self.head_on, self.token_major = extra, head, token_major
        self.patch = nn.Conv2d(3, DIM, PATCH, stride=PATCH)
        self.tokens = nn.Parameter(torch.randn(1, extra, DIM)) if extra else None
        self.pos = nn.Parameter(torch.randn(1, extra + grid[0] * grid[1], DIM) * 0.5)
        self.blocks = nn.Sequential(*[Block(token_major) for _ in range(2)])
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, CLASSES)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        if self.tokens is not None:
            x = torch.cat([self.tokens.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos
        if self.token_major:
            x = self.blocks(x.transpose(0, 1)).transpose(0, 1)
        else:
            x = self.blocks(x)
        x = self.norm(x)
        pooled = x.mean(dim=1) if self.head_on == "mean" else x[:, :self.extra].mean(dim=1)
        return self.head(pooled)


class ChannelsLast(nn.Module):
    """A channels-last stage as Keras exports it: per-pixel Dense layers on N×H×W×C."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(8, 8)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.dense(x.permute(0, 2, 3, 1))).permute(0, 3, 1, 2)


class Reshaped(nn.Module):
    """The same values as N×H×W×C, but by a Reshape: nothing in the graph tells the layout."""

    def __init__(self):
        super().__init__()
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(x.reshape(x.shape[0], 8, 8, 8)).reshape(x.shape[0], 8, 8, 8)


class SmallCNN(nn.Module):
    def __init__(self, stage):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=4, padding=1)
        self.stage = stage
        self.conv2 = nn.Conv2d(8, 6, 3, padding=1)
        self.head = nn.Linear(6, CLASSES)

    def forward(self, x):
        x = self.conv2(self.stage(torch.relu(self.conv1(x))))
        return self.head(x.mean(dim=(2, 3)))


def tokens_to_maps(extra, grid, token_major=False):
    """[1, T, D] (or [T, 1, D]) -> 1×D×h×w: the extra tokens left out, the rest row-major."""
    def reshape(a):
        if token_major:
            a = a.transpose(0, 1)
        return a[:, extra:, :].reshape(1, grid[0], grid[1], a.shape[2]).permute(0, 3, 1, 2).contiguous()
    return reshape


def channels_last_to_maps(a):
    return a.permute(0, 3, 1, 2).contiguous()


# name: (model, input H×W, module whose output is the layer, reshape, how native reads it)
def cases():
    return {
        "vit-cls": (lambda: ViT((4, 4)), (32, 32), "blocks.1", tokens_to_maps(1, (4, 4)), "tokens: CLS + 4×4 grid"),
        "vit-dist": (lambda: ViT((4, 4), extra=2), (32, 32), "blocks.1", tokens_to_maps(2, (4, 4)),
                     "tokens: CLS + distillation + 4×4 grid"),
        "vit-mean": (lambda: ViT((4, 4), extra=0, head="mean"), (32, 32), "blocks.1", tokens_to_maps(0, (4, 4)),
                     "tokens: 4×4 grid"),
        "vit-wide": (lambda: ViT((4, 6)), (32, 48), "blocks.1", tokens_to_maps(1, (4, 6)), "tokens: CLS + 4×6 grid"),
        "vit-token-major": (lambda: ViT((4, 4), token_major=True), (32, 32), "blocks.1",
                            tokens_to_maps(1, (4, 4), token_major=True), "tokens (token-major): CLS + 4×4 grid"),
        "cnn-channels-last": (lambda: SmallCNN(ChannelsLast()), (32, 32), "stage.act", channels_last_to_maps,
                              "channels-last"),
        "bad-tokens": (lambda: ViT((4, 4), extra=3), (32, 32), "blocks.1", tokens_to_maps(3, (4, 4)), None),
        "bad-layout": (lambda: SmallCNN(Reshaped()), (32, 32), "stage.act", channels_last_to_maps, None),
    }


def onnx_layer(path, module):
    """The ONNX tensor of the module's output: export_torchvision's scope naming (`/a/a.b/`), else
    torch's naming of a plain submodule (`/a/b/`)."""
    found = export_torchvision.onnx_tensor_for_module(path, module)
    if found:
        return found
    prefix = "/" + module.replace(".", "/") + "/"
    return [n.output[0] for n in onnx.load(path).graph.node if n.name.startswith(prefix)][-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    for i, (name, (make, (h, w), module, reshape, reading)) in enumerate(cases().items()):
        torch.manual_seed(i)
        model = make().eval()
        x = torch.randn(1, 3, h, w)
        path = os.path.join(args.out_dir, name + ".onnx")
        torch.onnx.export(model, x, path, opset_version=17, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}})
        np.save(os.path.join(args.out_dir, name + "-input.npy"), x.numpy())
        ref = reference_cam.Reference(model, module, x, reshape=reshape)
        result = {"onnx_layer": onnx_layer(path, module), "reading": reading,
                  "activation_shape": list(ref.A.shape), "class": ref.cls, "methods": {}}
        for method, r in [("scorecam", ref.scorecam()), ("sscam", ref.sscam(3, 2.0, 7)), ("iscam", ref.iscam(4))]:
            result["methods"][method] = {k: reference_cam.to_json(v) for k, v in r.items()}
        with open(os.path.join(args.out_dir, name + ".reference.json"), "w") as f:
            json.dump(result, f)
            f.write("\n")


if __name__ == "__main__":
    main()
