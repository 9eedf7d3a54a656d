"""Token and channels-last layers through the Python module: Model.layers() says how each is
read, the default of a ViT is its last encoder block, a layer nothing reads carries the reason,
and tokens=, grid= and layer_layout= read what the rules do not. The models are those of
scripts/make_layer_models.py, in $ISCAM_LAYER_MODELS (ctest's layer_models fixture makes them).
"""
import os

import numpy as np
import pytest

import iscam

MODELS = os.environ.get("ISCAM_LAYER_MODELS", "")
BLOCK = "/blocks/blocks.1/Add_1_output_0"
CHANNELS_LAST = "/stage/act/Relu_output_0"

pytestmark = pytest.mark.skipif(not MODELS, reason="ISCAM_LAYER_MODELS is not set (ctest sets it)")


def path(name, suffix=".onnx"):
    return os.path.join(MODELS, name + suffix)


def layer(model, name):
    return next(l for l in model.layers() if l.name == name)


def test_a_vit_reads_token_layers_and_defaults_to_the_last_block():
    model = iscam.Model(path("vit-cls"), threads=1)
    assert model.default_layer == BLOCK
    block = layer(model, BLOCK)
    assert block.reading == "tokens: CLS + 4×4 grid" and block.problem == ""
    assert block.shape == (16, 4, 4)
    r = model.explain(np.load(path("vit-cls", "-input.npy")), "scorecam", channels=4)
    assert r.layer == BLOCK and r.map.shape == (4, 4)


def test_channels_last_by_the_graph():
    model = iscam.Model(path("cnn-channels-last"), threads=1)
    assert layer(model, CHANNELS_LAST).reading == "channels-last"


def test_what_no_rule_reads_carries_the_reason_and_the_overrides_read_it():
    untold = layer(iscam.Model(path("bad-layout"), threads=1), CHANNELS_LAST)
    assert untold.reading == "" and "--layer-layout" in untold.problem and untold.shape == (0, 0, 0)
    assert layer(iscam.Model(path("bad-layout"), threads=1, layer_layout="nhwc"), CHANNELS_LAST).reading == "channels-last"
    tokens = iscam.Model(path("bad-tokens"), threads=1)
    assert "19 tokens make no grid" in layer(tokens, BLOCK).problem
    with pytest.raises(iscam.Error, match="19 tokens"):
        tokens.explain(np.load(path("bad-tokens", "-input.npy")), "scorecam", layer=BLOCK)
    read = iscam.Model(path("bad-tokens"), threads=1, tokens=3, grid=(4, 4))
    assert layer(read, BLOCK).reading == "tokens: 3 extra + 4×4 grid"


def test_bad_layer_options_raise():
    with pytest.raises(TypeError, match="grid"):
        iscam.Model(path("vit-cls"), grid=4)
    with pytest.raises(ValueError, match="layer_layout"):
        iscam.Model(path("vit-cls"), layer_layout="hwc")
    with pytest.raises(ValueError, match="tokens"):
        iscam.Model(path("vit-cls"), tokens=-1)
