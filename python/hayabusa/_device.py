"""hayabusa.device: where a tensor's data lives."""
from __future__ import annotations



class device:
    """A device, as torch.device: ``device("cpu")``, ``device("cuda:0")``, ``device("cuda", 1)``.

    Tensors live on the CPU in this release: CUDA devices can be named, but using one raises
    RuntimeError. A device equals its string (``device("cpu") == "cpu"``).

    Args:
        type (str or device): ``'cpu'`` or ``'cuda'``, optionally with ``':index'``.
        index (int, optional): the device index. Default: ``None``.

    Attributes:
        type (str): ``'cpu'`` or ``'cuda'``.
        index (int or None): the index, if one was given.

    Example::

        >>> torch.device("cpu")
        device(type='cpu')
        >>> torch.device("cuda", 0)
        device(type='cuda', index=0)
    """

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None) -> None:
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: {type!r}")
        if ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {type}")
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type, self.index = type, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")


def as_device(d):
    """A device from a device, a string or a CUDA index, checked against what this machine has."""
    if isinstance(d, int):
        d = device("cuda", d)
    elif not isinstance(d, device):
        d = device(d)
    if d.type == "cuda":
        from . import cuda
        cuda._require()
    return d
