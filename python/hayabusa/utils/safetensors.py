"""State dicts to and from ``.safetensors`` files (the ``safetensors`` package), so weights move
between hayabusa and PyTorch: ``safetensors.torch.load_file`` reads what ``save_file`` writes, and
``load_file`` reads what ``safetensors.torch.save_file`` writes.

The package is imported on first use (``pip install 'hayabusa[safetensors]'``). The format holds
a flat dict of named tensors plus optional string metadata; tensors keep their dtype and shape,
not requires_grad. Files are written atomically, as by hayabusa.save.
"""
import os

import numpy as np

__all__ = ["save_file", "load_file", "save", "load"]


def _safetensors_numpy():
    try:
        import safetensors.numpy
    except ImportError as e:
        raise ImportError("hayabusa.utils.safetensors needs the safetensors package: "
                          "pip install 'hayabusa[safetensors]' (or pip install safetensors)") from e
    return safetensors.numpy


def _arrays(tensors):
    from .._tensor import Tensor
    if not isinstance(tensors, dict):
        raise TypeError(f"expected a dict of str to Tensor, got {type(tensors).__name__}")
    arrays = {}
    for name, t in tensors.items():
        if not isinstance(name, str):
            raise TypeError(f"tensor names must be str, got {type(name).__name__} ({name!r})")
        if not isinstance(t, Tensor):
            raise TypeError(f"{name!r} is a {type(t).__name__}, not a Tensor")
        # the writer reads raw memory: one C-contiguous block per tensor
        arrays[name] = np.ascontiguousarray(t.detach().cpu().numpy()).reshape(t.shape)
    return arrays


def _tensors(arrays, device):
    from .._factories import from_numpy
    out = {}
    for name, a in arrays.items():
        t = from_numpy(np.array(a, copy=True))     # own the memory (the reader may map the file)
        out[name] = t if device in (None, "cpu") else t.to(device)
    return out


def save(tensors, metadata=None):
    """The bytes of a .safetensors file holding `tensors` (a dict of str to Tensor)."""
    return _safetensors_numpy().save(_arrays(tensors), metadata=metadata)


def load(data, device="cpu"):
    """The dict of tensors in the bytes of a .safetensors file."""
    return _tensors(_safetensors_numpy().load(data), device)


def save_file(tensors, filename, metadata=None):
    """Writes `tensors` (a dict of str to Tensor, e.g. model.state_dict()) to a .safetensors file;
    metadata: an optional dict of str to str stored in the header."""
    from ..serialization import atomic_write
    data = save(tensors, metadata)
    atomic_write(filename, lambda f: f.write(data))


def load_file(filename, device="cpu"):
    """The dict of tensors in a .safetensors file (e.g. for model.load_state_dict)."""
    return _tensors(_safetensors_numpy().load_file(os.fspath(filename)), device)
