"""The classroom shapes: the generator and the training are reproducible to the byte, the committed
test set is what the generator makes, and the committed models classify it as their sidecars say.

Run by ctest (test_shapes_dataset) with Debian's python3 and pytest; about a minute.
"""
import csv
import filecmp
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import make_shapes_dataset  # noqa: E402
import onnx_eval  # noqa: E402
import shapes_dataset as sd  # noqa: E402

DATA = os.path.join(ROOT, "web/samples/shapes")
MODELS = os.path.join(ROOT, "web/models")
PYTHON = "/usr/bin/python3"


def same_tree(a, b):
    """The relative paths of every file under a and b, when both hold the same files with the same bytes."""
    files = sorted(os.path.relpath(os.path.join(d, f), a) for d, _, fs in os.walk(a) for f in fs)
    assert files == sorted(os.path.relpath(os.path.join(d, f), b) for d, _, fs in os.walk(b) for f in fs)
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert mismatch == [] and errors == []
    return files


def test_the_generator_gives_the_same_bytes_and_the_committed_test_set(tmp_path):
    make_shapes_dataset.write_test_set(str(tmp_path / "a"), 12)
    make_shapes_dataset.write_test_set(str(tmp_path / "b"), 12)
    files = same_tree(str(tmp_path / "a"), str(tmp_path / "b"))
    assert len(files) == 3 * 12 + 2
    # The committed test set starts with the same scenes, byte for byte.
    for f in files:
        if f.endswith(".png"):
            assert filecmp.cmp(tmp_path / "a" / f, os.path.join(DATA, f), shallow=False), f
    for name in ("shapes-test.csv", "shapes-test-marked.csv"):
        head = (tmp_path / "a" / name).read_text().splitlines()
        assert open(os.path.join(DATA, name)).read().splitlines()[:13] == head


def test_the_committed_test_set_has_a_mask_for_every_object():
    rows = list(csv.DictReader(open(os.path.join(DATA, "shapes-test.csv"))))
    marked = list(csv.DictReader(open(os.path.join(DATA, "shapes-test-marked.csv"))))
    assert len(rows) >= 200 and len(marked) == len(rows)
    counts = np.bincount([int(r["class"]) for r in rows], minlength=len(sd.CLASSES))
    assert counts.min() == counts.max(), "balanced classes"
    corner = np.zeros((sd.SIZE, sd.SIZE), dtype=bool)
    corner[:sd.MARKER_CLEARANCE, :sd.MARKER_CLEARANCE] = True
    for r, m in zip(rows, marked):
        assert r["mask"] == m["mask"] and r["class"] == m["class"]
        assert sd.CLASSES[int(r["class"])] in r["image"]
        mask = np.asarray(Image.open(os.path.join(DATA, r["mask"])))
        assert mask.shape == (sd.SIZE, sd.SIZE) and set(np.unique(mask)) == {0, 255}
        assert 80 < (mask == 255).sum() < 1600 and not (mask[corner] == 255).any()
        plain = np.asarray(Image.open(os.path.join(DATA, r["image"])))
        with_marker = np.asarray(Image.open(os.path.join(DATA, m["image"])))
        y0, x0, y1, x1 = sd.MARKER_BOX
        outside = np.ones((sd.SIZE, sd.SIZE), dtype=bool)
        outside[y0:y1, x0:x1] = False
        assert (plain[outside] == with_marker[outside]).all(), "the marker is all that differs"
        assert (with_marker[y0:y1, x0:x1] == np.round(sd.MARKER_COLOURS[int(r["class"])] * 255)).all()


def tiny_run(out, *extra):
    """A training run of seconds (96 scenes, one epoch) into the folder `out`."""
    out.mkdir()
    # Relative outputs, so that the command recorded in the sidecar is the same for both runs.
    subprocess.run([PYTHON, os.path.join(ROOT, "scripts/train_shapes_model.py"), "--train-images", "96",
                    "--test-images", "24", "--epochs", "1", "--onnx", "m.onnx", "--sidecar", "m.json", *extra],
                   check=True, capture_output=True, cwd=str(out))
    return out


@pytest.mark.parametrize("variant", [[], ["--shortcut"], ["--vit"]], ids=["honest", "shortcut", "vit"])
def test_two_tiny_trainings_give_the_same_bytes(tmp_path, variant):
    a, b = tiny_run(tmp_path / "a", *variant), tiny_run(tmp_path / "b", *variant)
    assert filecmp.cmp(a / "m.onnx", b / "m.onnx", shallow=False)
    assert json.load(open(a / "m.json")) == json.load(open(b / "m.json"))
    assert filecmp.cmp(a / "m.json", b / "m.json", shallow=False)


def test_markers_change_what_the_tiny_run_learns(tmp_path):
    honest, shortcut = tiny_run(tmp_path / "a"), tiny_run(tmp_path / "b", "--shortcut")
    assert not filecmp.cmp(honest / "m.onnx", shortcut / "m.onnx", shallow=False)


def committed_predictions(model, list_name):
    sidecar = json.load(open(os.path.join(MODELS, model + ".json")))
    rows = list(csv.DictReader(open(os.path.join(DATA, list_name))))
    images = np.stack([np.asarray(Image.open(os.path.join(DATA, r["image"])).convert("RGB")) for r in rows])
    x = (images.astype(np.float32) / np.float32(255) - np.float32(sidecar["preprocess"]["mean"])) / \
        np.float32(sidecar["preprocess"]["std"])
    x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    with torch.no_grad():
        logits = onnx_eval.run(os.path.join(MODELS, model + ".onnx"), {"input": x})["logits"]
    return sidecar, logits.argmax(1).numpy(), np.array([int(r["class"]) for r in rows])


def test_the_committed_models_classify_the_committed_test_set_as_their_sidecars_say():
    sidecar, predicted, truth = committed_predictions("shapes-cnn", "shapes-test.csv")
    assert sidecar["labels"] == sd.CLASSES
    assert sidecar["preprocess"]["size"] == [sd.SIZE, sd.SIZE]
    assert sidecar["test_accuracy"] >= 0.95
    assert (predicted == truth).mean() >= 0.95
    shortcut, marked, truth = committed_predictions("shapes-shortcut-cnn", "shapes-test-marked.csv")
    _, plain, _ = committed_predictions("shapes-shortcut-cnn", "shapes-test.csv")
    assert (marked == truth).mean() >= 0.95
    assert (plain == truth).mean() < (marked == truth).mean() - 0.1, "without its markers the shortcut model fails"
    assert shortcut["test_accuracy"] < shortcut["test_accuracy_with_markers"] - 0.1
