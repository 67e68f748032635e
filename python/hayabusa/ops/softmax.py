"""softmax and log_softmax over one dim: one C kernel each way, backward from the output alone."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from ..autograd.function import Function
from ._util import cast, normalize_dim

if TYPE_CHECKING:
    from .._tensor import Tensor
    from .._typing import DTypeLike


class Softmax(Function):
    saves_output = True

    def forward(self, x, dim, log):
        self.dim, self.log = dim, log
        self.out = self.be.softmax(x, dim, log)
        return self.out

    def backward(self, grad):
        return self.be.softmax_backward(grad, self.out, self.dim, self.log)

    def name(self):
        return "LogSoftmaxBackward0" if self.log else "SoftmaxBackward0"


def _softmax(x, dim, dtype, log):
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"\"{'log_' if log else ''}softmax_lastdim_kernel_impl\" not implemented for "
                           f"'{x.dtype.name.capitalize()}'")
    if dim is None:
        # PyTorch's legacy implicit dim: 0 for 0-, 1- and 3-D input, else 1
        dim = 0 if x.ndim in (0, 1, 3) else 1
    d = normalize_dim(dim, x.ndim)
    return Softmax.apply(x, dim=d, log=log)


def softmax(x: Tensor, dim: int | None = None, dtype: DTypeLike | None = None) -> Tensor:
    """Applies softmax over dimension ``dim``: ``exp(x) / exp(x).sum(dim, keepdim=True)``.

    Each slice along ``dim`` becomes non-negative and sums to 1. One C kernel computes it (with
    the maximum subtracted first, so large inputs do not overflow), and one computes its
    backward from the output alone.

    Args:
        x (Tensor): the input, of a floating dtype (or cast by ``dtype``).
        dim (int): the dimension to normalize. ``None`` takes PyTorch's legacy implicit choice
            (0 for 0-, 1- and 3-D input, else 1); pass it explicitly.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Returns:
        Tensor: of ``x``'s shape.

    Example::

        >>> torch.softmax(torch.tensor([1., 2., 3.]), dim=0)
        tensor([0.0900, 0.2447, 0.6652])
    """
    return _softmax(x, dim, dtype, False)


def log_softmax(x: Tensor, dim: int | None = None, dtype: DTypeLike | None = None) -> Tensor:
    """Applies ``log(softmax(x, dim))``, computed directly (stable for large inputs).

    Args:
        x (Tensor): the input, of a floating dtype (or cast by ``dtype``).
        dim (int): the dimension to normalize. ``None``: the legacy implicit choice, as
            :func:`softmax`.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Returns:
        Tensor: of ``x``'s shape.

    Example::

        >>> torch.log_softmax(torch.tensor([1., 2., 3.]), dim=0)
        tensor([-2.4076, -1.4076, -0.4076])
    """
    return _softmax(x, dim, dtype, True)
