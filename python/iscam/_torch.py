"""iscam.from_torch's export: a PyTorch classifier through torch.onnx into ONNX bytes in memory,
with the target module's output as a graph output named after the module, so that iscam finds
the layer by the module's own name. torch is imported only here."""
import io
from typing import Any, List, Optional, Tuple

from ._errors import ArgumentError


def candidate_layer(module: Any, x: Any) -> Optional[str]:
    """torch-cam's rule: the last module (in the order outputs are made) whose output is 4-D with
    spatial size > 1."""
    import torch

    shapes: List[Tuple[str, Tuple[int, ...]]] = []
    handles = [m.register_forward_hook(lambda _m, _i, o, name=name: shapes.append((name, tuple(getattr(o, "shape", ())))))
               for name, m in module.named_modules() if name]
    try:
        with torch.no_grad():
            module(x)
    finally:
        for h in handles:
            h.remove()
    for name, shape in reversed(shapes):
        if len(shape) == 4 and any(d != 1 for d in shape[2:]):
            return name
    return None


def export(module: Any, example_input: Any, layer: Optional[str]) -> Tuple[bytes, str]:
    """(the ONNX model's bytes, the layer's name): inputs `input`, outputs `logits` and the layer."""
    try:
        import torch
    except ImportError as e:
        raise ImportError("iscam.from_torch needs PyTorch (pip install torch, or Debian's python3-torch)") from e
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, not {type(module).__name__}")
    if not isinstance(example_input, torch.Tensor):
        raise TypeError(f"example_input must be a torch.Tensor, not {type(example_input).__name__}")
    if example_input.dim() != 4 or example_input.shape[0] != 1 or not example_input.is_floating_point():
        raise ArgumentError(f"example_input must be a float 1×C×H×W tensor, not {tuple(example_input.shape)} "
                            f"{example_input.dtype}")
    x = example_input.detach().to(torch.float32).cpu()
    modules = dict(module.named_modules())
    was_training = module.training
    module.eval()
    try:
        if layer is None:
            layer = candidate_layer(module, x)
            if layer is None:
                raise ArgumentError("the module has no submodule whose output is 4-D with spatial size > 1 to explain")
        elif not isinstance(layer, str):
            raise TypeError(f"layer must be a module's name (str) or None, not {type(layer).__name__}")
        elif layer not in modules or not layer:
            near = [n for n in modules if n and "." not in n][:8]
            raise ArgumentError(f"layer '{layer}' is not a submodule of the model (named_modules(); e.g. {', '.join(near)})")
        buffer = io.BytesIO()
        torch.onnx.export(_with_layer(module, modules[layer]), x, buffer, opset_version=13,
                          input_names=["input"], output_names=["logits", layer],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}, layer: {0: "batch"}},
                          do_constant_folding=True)
    finally:
        module.train(was_training)
    return buffer.getvalue(), layer


def _with_layer(module: Any, target: Any) -> Any:
    """A module whose outputs are module's logits and target's output."""
    import torch

    class WithLayer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.module = module

        def forward(self, x: Any) -> Any:
            seen: List[Any] = []
            handle = target.register_forward_hook(lambda _m, _i, o: seen.append(o))
            try:
                logits = self.module(x)
            finally:
                handle.remove()
            if not seen or not isinstance(seen[-1], torch.Tensor) or seen[-1].dim() != 4:
                raise ArgumentError("the layer's module gives no 4-D tensor to explain")
            return logits, seen[-1]

    return WithLayer()
