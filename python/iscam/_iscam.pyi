"""Types of iscam._iscam, the compiled part of iscam (python/iscam_module.cpp)."""
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str
METHODS: Tuple[str, ...]
EXPLAIN_DEFAULTS: Dict[str, Any]

class Layer:
    """A candidate target layer."""
    @property
    def name(self) -> str:
        """The tensor's name in the ONNX graph."""
    @property
    def op_type(self) -> str:
        """The ONNX operator that makes it (Conv, Relu, ...)."""
    @property
    def shape(self) -> Tuple[int, int, int]:
        """(channels, height, width) as read; zeros when not read."""
    @property
    def reading(self) -> str:
        """How it is read: 'channels-first', 'channels-last', 'tokens: CLS + 4×4 grid', ...; '' when not."""
    @property
    def problem(self) -> str:
        """Why it is not read without an override; '' when it is."""

class Prediction:
    """One class of a prediction."""
    @property
    def class_index(self) -> int:
        """The class."""
    @property
    def probability(self) -> float:
        """Softmax over the logits."""
    @property
    def logit(self) -> float:
        """The model's score."""
    @property
    def label(self) -> str:
        """The class's name ('' when the model has none)."""

class Result:
    """One method's explanation of one image."""
    @property
    def method(self) -> str:
        """'scorecam', 'sscam' or 'iscam'."""
    @property
    def map(self) -> npt.NDArray[np.float32]:
        """The map at the layer's resolution, h×w, values in [0, 1]."""
    @property
    def weights(self) -> npt.NDArray[np.float32]:
        """w_k per channel (NaN: skipped as all-zero)."""
    @property
    def scores(self) -> npt.NDArray[np.float32]:
        """s_k per channel."""
    @property
    def class_index(self) -> int:
        """The class explained."""
    @property
    def label(self) -> str:
        """Its name ('' when unlabelled)."""
    @property
    def layer(self) -> str:
        """The target layer."""
    @property
    def class_score(self) -> float:
        """f(X)_c, the logit."""
    @property
    def contrast(self) -> Optional[int]:
        """The contrast class B of a contrastive map, or None."""
    @property
    def forward_passes(self) -> int:
        """Forward passes whose score fed this method."""
    @property
    def total_forward_passes(self) -> int:
        """Forward passes of the whole run, the baseline pass included."""
    @property
    def timings(self) -> Dict[str, float]:
        """{'inference_ms', 'other_ms', 'total_ms'}."""
    @property
    def json(self) -> str:
        """The run as the CLI's --json writes it."""
    def upsampled(self, width: Optional[int] = None, height: Optional[int] = None) -> npt.NDArray[np.float32]:
        """The map upsampled (bilinear) to height×width; default: the image's size."""
    def heatmap(self, width: Optional[int] = None, height: Optional[int] = None,
                colormap: str = "jet") -> npt.NDArray[np.uint8]:
        """The coloured map, H×W×3; colormap: jet, turbo, viridis, inferno or gray."""
    def overlay(self, width: Optional[int] = None, height: Optional[int] = None, colormap: str = "jet",
                alpha: float = 0.5) -> npt.NDArray[np.uint8]:
        """The coloured map over the image, H×W×3."""

class Model:
    """The compiled model; iscam.Model checks the arguments and documents them."""
    def __init__(self, model: Union[str, bytes], **options: Any) -> None: ...
    @property
    def input_shape(self) -> Tuple[int, int, int, int]: ...
    @property
    def class_count(self) -> int: ...
    def label(self, index: int) -> str: ...
    def layers(self) -> List[Layer]: ...
    @property
    def default_layer(self) -> str: ...
    def predict(self, image: Union[str, bytes, np.ndarray], k: int) -> List[Prediction]: ...
    def explain(self, image: Union[str, bytes, np.ndarray], method: Union[str, Sequence[str]], layer: Optional[str],
                class_index: Optional[int], sscam_samples: int, sscam_sigma: float, seed: int, iscam_samples: int,
                shortcuts: bool, channels: int, select: str, screen_channels: int, batch: int, memory_budget: int,
                progress: Optional[Callable[[int, int, float], Optional[bool]]], contrast: int) -> Union[Result, Dict[str, Result]]: ...
