"""iscam.from_torch on torchvision models (random weights from a seed): the
layer named by its module, the maps equal to the PyTorch reference (scripts/reference_cam.py)
within 1e-4, nothing written to disk, the module left as it was.

Run by ctest (test_python_module) and by scripts/test-wheel.sh (in a venv with the wheel).
"""
import os
import sys
import tempfile

import numpy as np
import pytest

import iscam

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")
ROOT = os.environ.get("ISCAM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import export_torchvision  # noqa: E402
from reference_cam import Reference  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def deterministic():
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)


def example(size):
    return torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1))


def network(arch):
    """The random-weight model (seed 0), BatchNorm at its initial statistics: what building it
    costs is left out of the test (export_torchvision.build calibrates at 224×224)."""
    torch.manual_seed(0)
    return getattr(torchvision.models, arch)(weights=None).eval()


def agree(arch, size, layer, method):
    net = network(arch)
    x = example(size)
    model = iscam.from_torch(net, x, layer)
    module = layer or export_torchvision.locate_candidate_layer(net, tuple(x.shape[1:]))
    assert model.default_layer == module
    ref = Reference(net, module, x)
    expected = getattr(ref, method)() if method == "scorecam" else ref.iscam(3)
    r = model.explain(x, method, samples=3, shortcuts=False)  # the reference has none
    assert r.layer == module and r.class_index == ref.top1
    assert r.map.shape == tuple(expected["map"].shape)
    assert np.max(np.abs(r.map - expected["map"].numpy())) <= 1e-4
    np.testing.assert_allclose(r.weights, expected["weights"].numpy(), atol=1e-4)


def test_resnet18_with_torch_cams_layer_equals_the_reference():
    agree("resnet18", 32, None, "scorecam")  # layer3: layer4 is 1×1 at this size


def test_squeezenet_by_module_name_equals_the_reference():
    agree("squeezenet1_1", 64, "features.5", "iscam")


def test_nothing_is_written_and_the_module_is_left_as_it_was():
    net = network("squeezenet1_1").train()
    with tempfile.TemporaryDirectory() as cwd, tempfile.TemporaryDirectory() as tmp:
        old = os.getcwd(), tempfile.tempdir, os.environ.get("TMPDIR")
        os.chdir(cwd)
        tempfile.tempdir = os.environ["TMPDIR"] = tmp
        try:
            model = iscam.from_torch(net, example(64), "features.12")
            assert os.listdir(cwd) == [] and os.listdir(tmp) == []
        finally:
            os.chdir(old[0])
            tempfile.tempdir = old[1]
            os.environ.pop("TMPDIR") if old[2] is None else os.environ.update(TMPDIR=old[2])
    assert net.training
    assert "features.12" in [l.name for l in model.layers()]
    assert model.class_count == 1000


def test_bad_arguments():
    net = network("squeezenet1_1")
    with pytest.raises(iscam.ArgumentError, match="'features.99' is not a submodule"):
        iscam.from_torch(net, example(64), "features.99")
    with pytest.raises(iscam.ArgumentError, match="1×C×H×W"):
        iscam.from_torch(net, torch.zeros(3, 64, 64), None)
    with pytest.raises(TypeError, match="example_input must be a torch.Tensor"):
        iscam.from_torch(net, np.zeros((1, 3, 64, 64), dtype=np.float32))
    with pytest.raises(TypeError, match="module must be a torch.nn.Module"):
        iscam.from_torch("squeezenet", example(64))
