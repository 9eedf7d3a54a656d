"""The Python module `iscam` (python/iscam_module.cpp) under Debian's python3: its maps are the
CLI's within 1e-6, its inputs (path, RGB array, tensor) agree, progress and cancelling work, and
bad arguments raise Python exceptions.

Run by ctest (test_python_module) with PYTHONPATH=<build>/python, ISCAM_CLI=<the iscam program>
and ISCAM_SOURCE_DIR=<the source tree>.
"""
import inspect
import json
import os
import subprocess
import tempfile

import numpy as np
import pytest

import iscam

ROOT = os.environ.get("ISCAM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ["ISCAM_CLI"]
MODEL = os.path.join(ROOT, "web/models/fashion-cnn.onnx")
BOOT = os.path.join(ROOT, "web/samples/fashion-0-ankle-boot.png")
SNEAKER = os.path.join(ROOT, "web/samples/fashion-9-sneaker.png")
INPUT_NPY = os.path.join(ROOT, "tests/fixtures/fashion-input.npy")


@pytest.fixture(scope="module")
def model():
    return iscam.Model(MODEL)


def cli_json(*args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        subprocess.run([CLI, "explain", "-m", MODEL, "--json", out, *args], check=True, capture_output=True)
        with open(out) as f:
            return json.load(f)


def weights(values):
    return np.array([np.nan if v is None else v for v in values], dtype=np.float32)


def test_the_maps_equal_the_clis_within_1e_6():
    cli = cli_json("-i", BOOT, "--method", "all", "--samples", "8", "--seed", "5")
    results = iscam.explain(MODEL, BOOT, method="all", samples=8, seed=5)
    assert list(results) == ["scorecam", "sscam", "iscam"]
    for expected in cli["results"]:
        r = results[expected["method"]]
        assert r.map.shape == tuple(expected["map_shape"])
        assert np.max(np.abs(r.map - np.array(expected["map"], dtype=np.float32))) <= 1e-6
        np.testing.assert_allclose(r.weights, weights(expected["weights"]), atol=1e-6)
        assert r.forward_passes == expected["forward_passes"]
        assert r.class_index == cli["class"] == 9
        assert r.label == cli["class_label"] == "Ankle boot"
        assert r.layer == cli["layer"]
        assert r.total_forward_passes == cli["total_forward_passes"]


def test_a_contrastive_map_equals_the_clis(model):
    cli = cli_json("-i", BOOT, "--method", "iscam", "--class", "9", "--contrast", "7")
    assert cli["contrast_class"] == 7 and cli["contrast_label"] == "Sneaker"
    r = model.explain(BOOT, "iscam", class_index=9, contrast=7)
    assert r.contrast == 7 and r.class_index == 9
    assert np.max(np.abs(r.map - np.array(cli["map"], dtype=np.float32))) <= 1e-6
    plain = model.explain(BOOT, "iscam")
    assert plain.contrast is None
    assert np.max(np.abs(r.map - plain.map)) > 0.05
    with pytest.raises(ValueError, match="must differ"):
        model.explain(BOOT, "iscam", class_index=9, contrast=9)
    with pytest.raises(ValueError, match="out of range"):
        model.explain(BOOT, "iscam", contrast=10)


def test_one_call_torch_cam_style():
    r = iscam.explain(MODEL, BOOT, method="iscam")
    assert r.method == "iscam"
    assert r.map.dtype == np.float32 and r.map.shape == (7, 7)
    assert 0 <= r.map.min() and r.map.max() <= 1
    assert r.weights.shape == (64,)
    assert set(r.timings) == {"inference_ms", "other_ms", "total_ms"}
    assert json.loads(r.json)["method"] == "iscam"


def test_a_tensor_input_equals_the_clis_input_npy(model):
    cli = cli_json("--input-npy", INPUT_NPY, "--method", "scorecam")
    r = model.explain(np.load(INPUT_NPY), "scorecam")
    assert np.max(np.abs(r.map - np.array(cli["map"], dtype=np.float32))) <= 1e-6


def test_an_rgb_array_equals_the_file(model):
    from_file = model.explain(BOOT, "scorecam")
    rgb = from_file.overlay(alpha=0.0)  # the image itself, as H×W×3 uint8
    assert rgb.shape == (28, 28, 3) and rgb.dtype == np.uint8
    from_array = model.explain(rgb, "scorecam")
    np.testing.assert_array_equal(from_array.map, from_file.map)
    assert model.predict(rgb, k=1)[0].class_index == 9


def test_layers_and_predict(model):
    layers = model.layers()
    assert layers[-1].name == model.default_layer
    assert layers[-1].shape == (64, 7, 7)
    assert model.input_shape == (1, 1, 28, 28)
    assert model.class_count == 10
    assert model.label(7) == "Sneaker"
    top = model.predict(SNEAKER, k=3)
    assert [p.class_index for p in top][0] == 7
    assert top[0].probability >= top[1].probability >= top[2].probability
    r = model.explain(SNEAKER, layer=layers[-2].name, class_index=5)
    assert r.layer == layers[-2].name and r.class_index == 5
    assert r.map.shape == (14, 14)


def test_overlays_have_the_size_asked(model):
    r = model.explain(BOOT)
    assert r.upsampled(56, 40).shape == (40, 56)
    assert r.heatmap(224, 224, colormap="viridis").shape == (224, 224, 3)
    assert r.overlay().shape == (28, 28, 3)


def test_progress_reports_and_cancels(model):
    seen = []
    model.explain(BOOT, "scorecam", batch=8, progress=lambda done, total, elapsed: seen.append((done, total)))
    assert len(seen) > 2 and seen[-1][0] == seen[-1][1]
    with pytest.raises(iscam.Cancelled):
        model.explain(BOOT, progress=lambda done, total, elapsed: False)

    def fails(done, total, elapsed):
        raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        model.explain(BOOT, progress=fails)
    assert model.explain(BOOT).class_index == 9  # still usable


def test_bad_arguments_raise(model):
    with pytest.raises(ValueError, match="unknown method"):
        model.explain(BOOT, method="gradcam")
    with pytest.raises(ValueError):
        model.explain(BOOT, batch=0)
    with pytest.raises(ValueError, match="out of range"):
        model.explain(BOOT, class_index=10)
    with pytest.raises(ValueError):
        model.explain(np.zeros(5, dtype=np.float32))
    with pytest.raises(ValueError):
        model.explain(np.zeros((4, 4), dtype=np.uint8))
    with pytest.raises(TypeError):
        model.explain(42)
    with pytest.raises(iscam.Error, match="nonexistent"):
        iscam.Model("/nonexistent.onnx")
    with pytest.raises(iscam.Error):
        model.explain("/nonexistent.png")
    with pytest.raises(iscam.Error):
        model.explain(BOOT, layer="no such layer")
    with pytest.raises(ValueError):
        model.explain(BOOT).overlay(colormap="rainbow")


def test_model_options_by_name():
    with pytest.raises(TypeError, match="colour"):
        iscam.Model(MODEL, colour="red")
    with pytest.raises(ValueError, match="layout"):
        iscam.Model(MODEL, layout="hwc")
    with pytest.raises(iscam.Error, match="megapixels"):
        iscam.Model(MODEL, threads=1, max_image_pixels=100).explain(BOOT)
    with pytest.raises(iscam.Error, match="no-such-labels"):
        iscam.Model(MODEL, labels="/nonexistent/no-such-labels.txt")


def test_fast_mode_scores_the_channels_asked(model):
    exact = model.explain(BOOT, "scorecam")
    fast = model.explain(BOOT, "scorecam", channels=8)
    assert fast.forward_passes <= 8 < exact.forward_passes
    assert fast.map.shape == exact.map.shape


def test_screening_equals_the_clis(model):
    cli = cli_json("-i", BOOT, "--method", "iscam", "--channels", "4", "--select", "screen", "--screen-channels", "16")
    r = model.explain(BOOT, "iscam", channels=4, select="screen", screen_channels=16)
    assert np.max(np.abs(r.map - np.array(cli["map"], dtype=np.float32))) <= 1e-6
    assert r.forward_passes == cli["forward_passes"] == 16 + 4 * 9
    assert cli["channels_scored"] == 4 and cli["channels_predicted"] == 12
    with pytest.raises(ValueError, match="select must be"):
        model.explain(BOOT, "iscam", channels=4, select="energy")
    with pytest.raises(ValueError, match="larger than the channels scored"):
        model.explain(BOOT, "iscam", channels=4, select="screen", screen_channels=4)


def test_a_centre_crop_is_what_the_overlay_shows():
    squeezenet = os.path.join(ROOT, "build/models/squeezenet1_1.onnx")
    assert os.path.exists(squeezenet), "no build/models/squeezenet1_1.onnx: scripts/export-test-models.sh makes it"
    m = iscam.Model(squeezenet, resize="shorter", threads=2)
    r = m.explain(os.path.join(ROOT, "web/samples/chelsea.png"), "scorecam", channels=16)
    h, w, _ = r.overlay().shape
    assert abs(h - 300) <= 1 and abs(w - 300) <= 1  # the 451×300 photo's centre square, not all of it
    assert r.map.shape == (13, 13)


def test_methods_and_defaults_are_the_c_apis():
    # The names are the core's method table; the defaults what a CLI run without options uses.
    assert iscam.METHODS == ("scorecam", "sscam", "iscam")
    defaults = inspect.signature(iscam.Model.explain).parameters
    assert {k: defaults[k].default for k in ("sscam_samples", "iscam_samples", "seed", "batch")} == \
        {"sscam_samples": 35, "iscam_samples": 10, "seed": 0, "batch": 32}
    assert defaults["sscam_sigma"].default == 2.0 and defaults["shortcuts"].default is True
    settings = cli_json("-i", BOOT, "--method", "sscam")["options"]
    assert settings["samples"] == defaults["sscam_samples"].default
    assert settings["sigma"] == defaults["sscam_sigma"].default and settings["seed"] == defaults["seed"].default
    with pytest.raises(iscam.ArgumentError, match="unknown method 'gradcam' \\(scorecam, sscam, iscam or all\\)"):
        iscam.Model(MODEL).explain(BOOT, "gradcam")
