"""The package iscam's inputs and errors: a path, the bytes of the file, a PIL image, an H×W×3
uint8 array, a torch tensor and a preprocessed C×H×W or 1×C×H×W array give the CLI's map; bad
values raise iscam.ArgumentError, bad types a TypeError naming the parameter; every public name
is documented.

Run by ctest (test_python_module) and by scripts/test-wheel.sh (in a venv with the wheel).
"""
import inspect
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest
from PIL import Image

import iscam

ROOT = os.environ.get("ISCAM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.environ["ISCAM_CLI"]
BOOT = os.path.join(ROOT, "web/samples/fashion-0-ankle-boot.png")
INPUT_NPY = os.path.join(ROOT, "tests/fixtures/fashion-input.npy")


@pytest.fixture(scope="module")
def model():
    return iscam.Model(iscam.bundled_model("fashion-cnn"))


def cli_map(*args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "r.json")
        subprocess.run([CLI, "explain", "-m", iscam.bundled_model(), "--json", out, "--method", "scorecam", *args],
                       check=True, capture_output=True)
        with open(out) as f:
            return np.array(json.load(f)["map"], dtype=np.float32)


def test_every_image_form_gives_the_clis_map(model):
    expected = cli_map("-i", BOOT)
    with open(BOOT, "rb") as f:
        data = f.read()
    pil = Image.open(BOOT)
    forms = {"path": BOOT, "bytes": data, "bytearray": bytearray(data), "PIL": pil,
             "RGB array": np.asarray(pil.convert("RGB")), "pathlib": __import__("pathlib").Path(BOOT)}
    for name, image in forms.items():
        r = model.explain(image, "scorecam")
        assert np.max(np.abs(r.map - expected)) <= 1e-6, name
        assert model.predict(image, k=1)[0].class_index == 9, name


def test_tensors_with_and_without_the_batch_dimension(model):
    x = np.load(INPUT_NPY)
    expected = cli_map("--input-npy", INPUT_NPY)
    assert x.shape == model.input_shape == (1, 1, 28, 28)
    for image in (x, x[0], x.astype(np.float64)):
        assert np.max(np.abs(model.explain(image, "scorecam").map - expected)) <= 1e-6
    torch = pytest.importorskip("torch")
    assert np.max(np.abs(model.explain(torch.from_numpy(x), "scorecam").map - expected)) <= 1e-6
    with pytest.raises(iscam.ArgumentError, match="input shape 1×1×28×28"):
        model.explain(np.zeros((1, 28, 28, 1), dtype=np.float32))
    with pytest.raises(iscam.ArgumentError, match="NaN"):
        model.explain(np.full((1, 1, 28, 28), np.nan, dtype=np.float32))


def test_results_are_numpy_arrays(model):
    r = model.explain(BOOT, "all", samples=2)["sscam"]
    for a, dtype in [(r.map, np.float32), (r.weights, np.float32), (r.scores, np.float32),
                     (r.upsampled(), np.float32), (r.heatmap(), np.uint8), (r.overlay(), np.uint8)]:
        assert isinstance(a, np.ndarray) and a.dtype == dtype


def test_bad_values_raise_argument_error_and_bad_types_name_the_parameter(model):
    with pytest.raises(iscam.ArgumentError, match="class_index must be 0 or more, not -1"):
        model.explain(BOOT, class_index=-1)
    with pytest.raises(iscam.ArgumentError, match="out of range"):
        model.explain(BOOT, class_index=10)
    with pytest.raises(iscam.ArgumentError, match="layer 'conv9'"):
        model.explain(BOOT, layer="conv9")
    r = model.explain(BOOT)
    calls = {
        "class_index must be an int": lambda: model.explain(BOOT, class_index="3"),
        "batch must be an int": lambda: model.explain(BOOT, batch=2.5),
        "shortcuts must be True or False": lambda: model.explain(BOOT, shortcuts=1),
        "sscam_sigma must be a number": lambda: model.explain(BOOT, sscam_sigma="2"),
        "layer must be a str": lambda: model.explain(BOOT, layer=3),
        "method must be a method name": lambda: model.explain(BOOT, method=3),
        "progress must be a function": lambda: model.explain(BOOT, progress=3),
        "image must be a path": lambda: model.explain(3.5),
        "k must be an int": lambda: model.predict(BOOT, k="5"),
        "width must be a positive int": lambda: r.upsampled("28"),
        "alpha must be a number": lambda: r.overlay(alpha="half"),
        "colormap must be a colormap name": lambda: r.heatmap(colormap=1),
        "threads must be an int": lambda: iscam.Model(iscam.bundled_model(), threads="2"),
        "mean must be 3 numbers": lambda: iscam.Model(iscam.bundled_model(), mean=0.5),
        "model must be a path or the bytes": lambda: iscam.Model(42),
    }
    for message, call in calls.items():
        with pytest.raises(TypeError, match=message) as e:
            call()
        assert "Unable to cast" not in str(e.value)


def test_each_failure_has_its_documented_class(model):
    with pytest.raises(iscam.ModelError):
        iscam.Model(b"not a model")
    with pytest.raises(iscam.ModelError):
        iscam.Model("/nonexistent.onnx")
    with pytest.raises(iscam.InputError, match="cannot decode"):
        model.explain(b"not an image")
    with pytest.raises(iscam.InputError):
        model.explain("/nonexistent.png")
    with pytest.raises(iscam.Cancelled):
        model.explain(BOOT, progress=lambda *_: False)
    for cls in (iscam.ArgumentError, iscam.InputError, iscam.ModelError, iscam.Cancelled):
        assert issubclass(cls, iscam.Error)
    assert issubclass(iscam.ArgumentError, ValueError)


def test_a_model_from_bytes_equals_the_file():
    path = iscam.bundled_model("shapes-cnn")
    with open(path, "rb") as f:
        from_bytes = iscam.Model(f.read(), sidecar=path[:-5] + ".json")
    from_file = iscam.Model(path)
    image = os.path.join(ROOT, "web/samples/shapes/images/0000-star.png")
    assert from_bytes.input_shape == from_file.input_shape == (1, 3, 64, 64)
    np.testing.assert_array_equal(from_bytes.explain(image).map, from_file.explain(image).map)
    assert from_file.label(3) == "star"


def test_torch_is_not_imported_until_from_torch():
    code = "import sys, iscam; assert 'torch' not in sys.modules and 'PIL' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_name_is_documented_and_typed():
    package = os.path.dirname(iscam.__file__)
    assert os.path.exists(os.path.join(package, "py.typed"))
    assert os.path.exists(os.path.join(package, "_iscam.pyi"))
    for name in iscam.__all__:
        value = getattr(iscam, name)
        if name == "__version__":
            continue
        assert (getattr(value, "__doc__", None) or "").strip(), name
        if inspect.isclass(value):
            for member, attr in vars(value).items():
                if not member.startswith("_"):
                    assert (getattr(attr, "__doc__", None) or "").strip(), f"{name}.{member}"
    hints = inspect.signature(iscam.Model.explain).parameters
    assert all(p.annotation is not inspect.Parameter.empty for n, p in hints.items() if n != "self")
