"""The image forms Model.predict and Model.explain take, turned into the ones the compiled part
takes: a path, the bytes of an image file, an H×W×3 uint8 array or a 1×C×H×W float32 tensor."""
import os
from typing import Any, Sequence, Union

import numpy as np

from ._errors import ArgumentError

ImageLike = Union[str, "os.PathLike[str]", bytes, np.ndarray, Any]
"""A path, the bytes of an image file (PNG, JPEG, BMP, GIF), an H×W×3 uint8 RGB array, a PIL
image, or a float32 tensor already preprocessed to the model's input shape (N×C×H×W with N = 1,
or C×H×W); a torch.Tensor is read as its numpy array."""

TAKES = ("a path, the bytes of an image file, an H×W×3 uint8 RGB array, a PIL image or a float32 "
         "input tensor")


def _is_pil(image: Any) -> bool:
    # Duck-typed so that PIL stays an optional import.
    return type(image).__module__.startswith("PIL.") and hasattr(image, "convert")


def _is_torch(image: Any) -> bool:
    return type(image).__module__.startswith("torch") and hasattr(image, "detach")


def image_argument(image: Any, input_shape: Sequence[int]) -> Union[str, bytes, np.ndarray]:
    """image as the compiled part takes it, its form and shape checked against the model's input."""
    if isinstance(image, (str, os.PathLike)):
        return os.fspath(image)
    if isinstance(image, (bytes, bytearray, memoryview)):
        data = bytes(image)
        if not data:
            raise ArgumentError("image is 0 bytes")
        return data
    if _is_pil(image):
        return np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8))
    if _is_torch(image):
        image = image.detach().cpu().numpy()
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be {TAKES}, not {type(image).__name__}")
    if image.dtype == np.uint8:
        if image.ndim != 3 or image.shape[2] != 3:
            raise ArgumentError(f"a uint8 image must be an H×W×3 RGB array, not {_shape(image.shape)}")
        return np.ascontiguousarray(image)
    if image.dtype.kind != "f":
        raise TypeError(f"an image array must be uint8 (H×W×3 RGB) or float (the input tensor), not {image.dtype}")
    expected = tuple(int(d) for d in input_shape)
    if image.shape == expected[1:]:
        image = image[np.newaxis]
    if image.shape != expected:
        raise ArgumentError(f"a float tensor must have the model's input shape {_shape(expected)} "
                            f"(or {_shape(expected[1:])}), not {_shape(image.shape)}")
    if not np.all(np.isfinite(image)):
        raise ArgumentError("the input tensor holds NaN or infinite values")
    return np.ascontiguousarray(image, dtype=np.float32)


def _shape(shape: Sequence[int]) -> str:
    return "×".join(str(d) for d in shape) if len(shape) else "a scalar"
