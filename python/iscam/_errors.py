"""iscam's exceptions: every failure of a call raises one of these, its message the one-line reason."""


class Error(RuntimeError):
    """The base of iscam's errors (also raised as itself for a fault inside iscam: please report it)."""


class ArgumentError(Error, ValueError):
    """An argument of the right type but a wrong value: a class out of range, an unknown method,
    layer or colormap, a batch of 0, an array of the wrong shape."""


class InputError(Error):
    """An image or tensor that cannot be used: a missing or undecodable file, an image over the
    size limit."""


class ModelError(Error):
    """A model that cannot be loaded or explained: not a file, not ONNX, not a classifier, no
    layer to explain."""


class Cancelled(Error):
    """The progress callback of Model.explain returned False."""
