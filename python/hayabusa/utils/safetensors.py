"""State dicts to and from ``.safetensors`` files (the ``safetensors`` package), so weights move
between hayabusa and PyTorch: ``safetensors.torch.load_file`` reads what ``save_file`` writes, and
``load_file`` reads what ``safetensors.torch.save_file`` writes.

The package is imported on first use (``pip install 'hayabusa[safetensors]'``). The format holds
a flat dict of named tensors plus optional string metadata; tensors keep their dtype and shape,
not requires_grad. Files are written atomically, as by hayabusa.save.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .._tensor import Tensor
    from .._typing import DeviceLike

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


def save(tensors: dict[str, Tensor], metadata: dict[str, str] | None = None) -> bytes:
    """The bytes of a ``.safetensors`` file holding ``tensors`` (a dict of str to Tensor).

    Args:
        tensors (dict): name to tensor (tensors keep their dtype and shape, not requires_grad).
        metadata (dict of str to str, optional): stored in the header. Default: ``None``.

    Example::

        >>> from hayabusa.utils import safetensors
        >>> data = safetensors.save({"w": torch.ones(2)})
        >>> safetensors.load(data)
        {'w': tensor([1., 1.])}
    """
    return _safetensors_numpy().save(_arrays(tensors), metadata=metadata)


def load(data: bytes, device: DeviceLike | None = "cpu") -> dict[str, Tensor]:
    """The dict of tensors held in the bytes of a ``.safetensors`` file.

    Args:
        data (bytes): the file's contents.
        device (str, optional): where the tensors go (``'cpu'``). Default: ``'cpu'``.
    """
    return _tensors(_safetensors_numpy().load(data), device)


def save_file(tensors: dict[str, Tensor], filename: str | os.PathLike,
              metadata: dict[str, str] | None = None) -> None:
    """Writes ``tensors`` (e.g. ``model.state_dict()``) to a ``.safetensors`` file, atomically.

    The file is what ``safetensors.torch.save_file`` writes, so PyTorch loads it with
    ``safetensors.torch.load_file``: this is how weights move from hayabusa to PyTorch.

    Args:
        tensors (dict of str to Tensor): the tensors.
        filename (str or os.PathLike): the path.
        metadata (dict of str to str, optional): stored in the header. Default: ``None``.

    Example::

        >>> import os, tempfile
        >>> from hayabusa.utils.safetensors import load_file, save_file
        >>> model = nn.Linear(2, 1)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "model.safetensors")
        ...     save_file(model.state_dict(), path)
        ...     print(sorted(load_file(path)))
        ['bias', 'weight']
    """
    from ..serialization import atomic_write
    data = save(tensors, metadata)
    atomic_write(filename, lambda f: f.write(data))


def load_file(filename: str | os.PathLike, device: DeviceLike | None = "cpu") -> dict[str, Tensor]:
    """The dict of tensors in a ``.safetensors`` file (for ``model.load_state_dict``).

    It reads what ``safetensors.torch.save_file`` writes: this is how weights move from
    PyTorch to hayabusa. The tensors own their memory (the file is not kept mapped).

    Args:
        filename (str or os.PathLike): the path.
        device (str, optional): where the tensors go (``'cpu'``). Default: ``'cpu'``.
    """
    return _tensors(_safetensors_numpy().load_file(os.fspath(filename)), device)
