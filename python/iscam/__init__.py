"""Score-CAM, SS-CAM and IS-CAM class activation maps for ONNX image classifiers (and PyTorch
modules, through iscam.from_torch), with forward passes only.

    import iscam
    r = iscam.explain("model.onnx", "cat.png", method="iscam")
    r.map                    # float32 h×w in [0, 1], at the target layer's resolution
    r.overlay()              # H×W×3 uint8, the map over the image

Images are a path, the bytes of an image file, an H×W×3 uint8 RGB array, a PIL image or a float32
tensor already preprocessed to the model's input shape. Errors raise iscam.Error's subclasses.
"""
import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _iscam
from ._errors import ArgumentError, Cancelled, Error, InputError, ModelError
from ._images import ImageLike, image_argument
from ._iscam import Layer, Prediction, Result

__version__: str = _iscam.__version__
__all__ = ["Model", "explain", "from_torch", "bundled_model", "Result", "Layer", "Prediction", "Error",
           "ArgumentError", "InputError", "ModelError", "Cancelled", "__version__"]

ModelSource = Union[str, "os.PathLike[str]", bytes]
Method = Union[str, Sequence[str]]
# The core's method names and Model.explain's defaults, from the C API (_iscam).
METHODS: Tuple[str, ...] = _iscam.METHODS
_DEFAULTS = _iscam.EXPLAIN_DEFAULTS
Progress = Callable[[int, int, float], Optional[bool]]

_HERE = os.path.dirname(os.path.abspath(__file__))


def _int(name: str, value: Any, minimum: int, maximum: Optional[int] = None, none: bool = False) -> Optional[int]:
    if value is None and none:
        return None
    takes = f"an int of {minimum} or more" + (" or None" if none else "")
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{name} must be {takes}, not {type(value).__name__}")
    value = int(value.__index__())
    if value < minimum or (maximum is not None and value > maximum):
        range_ = f"between {minimum} and {maximum}" if maximum is not None else f"{minimum} or more"
        raise ArgumentError(f"{name} must be {range_}, not {value}")
    return value


def _float(name: str, value: Any, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")) or (positive and value <= 0):
        raise ArgumentError(f"{name} must be a {'positive ' if positive else ''}finite number, not {value}")
    return value


def _str(name: str, value: Any, none: bool = True) -> Optional[str]:
    if value is None and none:
        return None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str{' or None' if none else ''}, not {type(value).__name__}")
    return value


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def _triple(name: str, value: Any) -> Optional[Tuple[float, float, float]]:
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise TypeError(f"{name} must be 3 numbers (R, G, B) or None, not {value!r}")
    return tuple(_float(f"{name}[{i}]", v) for i, v in enumerate(value))  # type: ignore[return-value]


class Model:
    """An ONNX image classifier ready to explain, with its preprocessing.

    Model(model, *, threads=0, device="cpu", sidecar=None, labels=None, preset=None, mean=None,
          std=None, size=None, resize=None, crop=None, bgr=False, output=None, layout=None,
          tokens=None, grid=None, layer_layout=None, max_image_pixels=None)

    model: a path to an .onnx file (its sidecar M.json beside it is read) or the model's bytes.
    threads: ONNX Runtime's threads (0: one per core). device: "cpu" or "cuda".
    sidecar: a JSON file of labels and preprocessing. labels: class names (a JSON array or one a line).
    preset: "imagenet", "unit" ([0, 1]), "symmetric" ([-1, 1]) or "pixels" (0..255).
    mean, std: 3 values each, after /255. size: (height, width) for a model that does not fix it.
    resize: "stretch", "shorter" or N (the shorter side, then the centre crop); crop: "center" or "none".
    bgr: feed B, G, R. output: the graph output read as the class scores. layout: "nchw" or "nhwc".
    How target layers are read, over the rules (docs/math.md, "Token and channels-last layers"):
    tokens: a token layer's leading tokens left out of the map (CLS: 1); grid: its patch grid
    (height, width); layer_layout: "nchw" or "nhwc" for a 4-D layer.
    max_image_pixels: larger images are refused (default 64 megapixels).
    None, everywhere: the sidecar's setting or iscam's rule (ImageNet's preprocessing).

    Raises ModelError when the model cannot be loaded, ArgumentError/TypeError for bad options.
    """

    def __init__(self, model: ModelSource, *, threads: int = 0, device: str = "cpu", sidecar: Optional[str] = None,
                 labels: Optional[str] = None, preset: Optional[str] = None,
                 mean: Optional[Sequence[float]] = None, std: Optional[Sequence[float]] = None,
                 size: Optional[Tuple[int, int]] = None, resize: Union[str, int, None] = None,
                 crop: Optional[str] = None, bgr: bool = False, output: Optional[str] = None,
                 layout: Optional[str] = None, tokens: Optional[int] = None,
                 grid: Optional[Tuple[int, int]] = None, layer_layout: Optional[str] = None,
                 max_image_pixels: Optional[int] = None) -> None:
        if isinstance(model, (bytearray, memoryview)):
            model = bytes(model)
        if not isinstance(model, (str, bytes, os.PathLike)):
            raise TypeError(f"model must be a path or the bytes of an ONNX model, not {type(model).__name__}")
        if size is not None:
            if isinstance(size, (str, bytes)) or not hasattr(size, "__len__") or len(size) != 2:
                raise TypeError(f"size must be (height, width) or None, not {size!r}")
            size = (_int("size[0]", size[0], 1), _int("size[1]", size[1], 1))  # type: ignore[assignment]
        if grid is not None:
            if isinstance(grid, (str, bytes)) or not hasattr(grid, "__len__") or len(grid) != 2:
                raise TypeError(f"grid must be (height, width) or None, not {grid!r}")
            grid = (_int("grid[0]", grid[0], 1), _int("grid[1]", grid[1], 1))
        if resize is not None and not isinstance(resize, str):
            resize = str(_int("resize", resize, 1))
        options = dict(threads=_int("threads", threads, 0, 256), device=_str("device", device, none=False),
                       sidecar=_str("sidecar", sidecar), labels=_str("labels", labels), preset=_str("preset", preset),
                       mean=_triple("mean", mean), std=_triple("std", std), size=size, resize=resize,
                       crop=_str("crop", crop), bgr=_bool("bgr", bgr), output=_str("output", output),
                       layout=_str("layout", layout), tokens=_int("tokens", tokens, 0, none=True), grid=grid,
                       layer_layout=_str("layer_layout", layer_layout),
                       max_image_pixels=_int("max_image_pixels", max_image_pixels, 1, none=True))
        self._model = _iscam.Model(model, **options)
        self._default_layer: Optional[str] = None

    @property
    def input_shape(self) -> Tuple[int, int, int, int]:
        """The input every image is turned into: (1, C, H, W)."""
        return self._model.input_shape

    @property
    def class_count(self) -> int:
        """How many classes the model scores."""
        return self._model.class_count

    def label(self, index: int) -> str:
        """The name of class index ('' when the model has no labels)."""
        return self._model.label(_int("index", index, 0, self.class_count - 1))

    def layers(self) -> List[Layer]:
        """The candidate target layers in graph order, each with how it is read (Layer.reading) or
        why only an override reads it (Layer.problem)."""
        return self._model.layers()

    @property
    def default_layer(self) -> str:
        """The layer explained when none is named: torch-cam's choice, the last candidate (for a
        model made by from_torch, the module it was made for)."""
        return self._default_layer or self._model.default_layer

    def predict(self, image: ImageLike, k: int = 5) -> List[Prediction]:
        """The top-k classes of image, most probable first."""
        k = _int("k", k, 1)
        return self._model.predict(image_argument(image, self.input_shape), k)

    def explain(self, image: ImageLike, method: Method = "iscam", *, layer: Optional[str] = None,
                class_index: Optional[int] = None, samples: Optional[int] = None,
                sscam_samples: int = _DEFAULTS["sscam_samples"], sscam_sigma: float = _DEFAULTS["sscam_sigma"],
                seed: int = _DEFAULTS["seed"], iscam_samples: int = _DEFAULTS["iscam_samples"],
                shortcuts: bool = _DEFAULTS["shortcuts"], channels: Optional[int] = None,
                select: str = "variance", screen_channels: Optional[int] = None,
                batch: int = _DEFAULTS["batch"], memory_budget: int = _DEFAULTS["memory_budget"],
                progress: Optional[Progress] = None, contrast: Optional[int] = None) -> Union[Result, Dict[str, Result]]:
        """Explains one class of image: a Result for one method, a dict of Results by name for
        several (method="all", "scorecam,iscam" or a list; they share forward passes).

        method: "scorecam", "sscam" or "iscam". layer: the target layer's name (default_layer).
        class_index: the class to explain (None: the top-1). samples: N of SS-CAM and IS-CAM at
        once (else sscam_samples, iscam_samples); sscam_sigma and seed: SS-CAM's noise.
        shortcuts: skip all-zero channels (the map is unchanged). channels=K: fast mode, only K
        channels are scored; select="variance" takes the K of highest activation variance,
        select="screen" gives each of the screen_channels=M of highest variance (default 8·K,
        at least a tenth of the layer) one γ = 1 pass, scores the K of highest expected share of the map in full and predicts the
        others' scores from their screening scores (docs/math.md, "Fast mode"). batch: masked inputs per run (lowered
        to fit memory_budget bytes; 0: half the memory available). progress(done, total, elapsed_s)
        is called after each batch; returning False cancels (Cancelled). contrast=B: a contrastive
        map, why class_index (default the top-1) and not class B: every score is logit A − logit B
        (docs/math.md, "Contrastive maps").
        """
        image = image_argument(image, self.input_shape)
        if not isinstance(method, str):
            if isinstance(method, bytes) or not hasattr(method, "__iter__"):
                raise TypeError(f"method must be a method name or a list of names, not {type(method).__name__}")
            method = list(method)
            for m in method:
                if not isinstance(m, str):
                    raise TypeError(f"method must be a method name or a list of names, not a list holding {type(m).__name__}")
        layer = _str("layer", layer)
        if layer is None:
            layer = self._default_layer
        elif layer not in {l.name for l in self.layers()}:
            raise ArgumentError(f"layer '{layer}' is not one of the model's candidate layers (Model.layers() lists them)")
        class_index = _int("class_index", class_index, 0, none=True)
        if samples is not None:
            sscam_samples = iscam_samples = _int("samples", samples, 1)
        if progress is not None and not callable(progress):
            raise TypeError(f"progress must be a function (done, total, elapsed_s) or None, not {type(progress).__name__}")
        return self._model.explain(
            image, method, layer, class_index, _int("sscam_samples", sscam_samples, 1),
            _float("sscam_sigma", sscam_sigma), _int("seed", seed, 0, 2**64 - 1),
            _int("iscam_samples", iscam_samples, 1), _bool("shortcuts", shortcuts),
            _int("channels", channels, 1, none=True) or 0, _str("select", select, none=False),
            _int("screen_channels", screen_channels, 1, none=True) or 0, _int("batch", batch, 1, 4096),
            _int("memory_budget", memory_budget, 0, 2**64 - 1), progress,
            -1 if contrast is None else _int("contrast", contrast, 0))

    def __repr__(self) -> str:
        return f"iscam.Model(input {'×'.join(map(str, self.input_shape))})"


def explain(model: Union[ModelSource, Model], image: ImageLike, method: Method = "iscam",
            **options: Any) -> Union[Result, Dict[str, Result]]:
    """explain(model, image, method="iscam", **options): model is a path, the model's bytes or a
    Model; options are Model.explain's. To explain many images, make the Model once."""
    if not isinstance(model, Model):
        model = Model(model)
    return model.explain(image, method, **options)


def from_torch(module: Any, example_input: Any, layer: Optional[str] = None, **options: Any) -> Model:
    """A Model of a PyTorch classifier: module is exported through torch.onnx, in memory (no file
    is written), for inputs of example_input's shape (1×C×H×W; the batch size stays free).

    layer: the target layer by the module's own name, as torch-cam names it ("layer4",
    "features.18"); None: torch-cam's choice, the last module whose output is 4-D with spatial
    size > 1. The Model explains that layer (its default_layer, named as the module); options
    are Model's (labels, preset, ... for images; a tensor input needs none). Needs torch.
    """
    from ._torch import export
    onnx_bytes, layer = export(module, example_input, layer)
    model = Model(onnx_bytes, output="logits", **options)
    model._default_layer = layer
    return model


def bundled_model(name: str = "fashion-cnn") -> str:
    """The path of a model that comes with iscam, with its sidecar beside it: "fashion-cnn"
    (Fashion-MNIST, 28×28 gray), "shapes-cnn" or "shapes-vit" (a CNN and a small ViT for the
    shapes test set, 64×64)."""
    names = ("fashion-cnn", "shapes-cnn", "shapes-vit")
    if name not in names:
        raise ArgumentError(f"no bundled model '{name}' ({', '.join(names)})")
    path = os.path.join(_HERE, "models", name + ".onnx")
    if not os.path.exists(path):
        raise ModelError(f"the bundled model {name}.onnx is not installed with iscam")
    return path
