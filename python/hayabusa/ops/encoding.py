"""one_hot: class indices to int64 indicator vectors (not differentiable, as PyTorch)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import _wrap

if TYPE_CHECKING:
    from .._tensor import Tensor


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Turns int64 class indices into one-hot int64 vectors: a new last dimension of
    ``num_classes``, 1 at each index and 0 elsewhere.

    Not differentiable (as PyTorch's). Negative indices, or indices of ``num_classes`` or more,
    raise RuntimeError.

    Args:
        tensor (Tensor): int64 class indices, of any shape.
        num_classes (int, optional): the number of classes; -1 takes the largest index plus one.
            Default: ``-1``.

    Returns:
        Tensor: int64, of shape ``tensor.shape + (num_classes,)``.

    Example::

        >>> F.one_hot(torch.tensor([0, 2, 1]))
        tensor([[1, 0, 0],
                [0, 0, 1],
                [0, 1, 0]])
        >>> F.one_hot(torch.tensor([1]), num_classes=4)
        tensor([[0, 1, 0, 0]])
    """
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    be, idx = tensor._backend, tensor._data
    if idx.size == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return _wrap(be.zeros(idx.shape + (num_classes,), _dtype.int64.numpy))
    if idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(idx.max()) + 1
    elif num_classes <= idx.max():
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = be.arange(num_classes)
    return _wrap(be.astype(be.equal(idx[..., None], classes), _dtype.int64.numpy))
