"""sort, argsort, topk: values carry gradients (scattered back by index), indices do not."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import _wrap
from ..autograd.function import Function
from ._util import normalize_dim
from .reduce import _ReturnTypes

if TYPE_CHECKING:
    from .._tensor import Tensor


class TakeAlong(Function):
    """x's values picked at precomputed int64 positions along one dim."""

    torch_name = "SortBackward0"

    def forward(self, x, index, dim):
        self.in_shape, self.dtype, self.index, self.dim = x.shape, x.dtype, index, dim
        return self.be.take_along_axis(x, index, axis=dim)

    def backward(self, grad):
        g = self.be.zeros(self.in_shape, self.dtype)
        self.be.put_along_axis(g, self.index, grad, self.dim)
        return g


def _order(x, d, descending, stable=True):
    be = x._backend
    data = x._data
    if x.ndim == 0:
        return be.zeros((), "int64")
    if descending:
        # a stable descending order: sort the reversed axis ascending by negated rank
        key = -data if x.dtype.is_floating_point or x.dtype.is_signed else -(data.astype("int64"))
        if x.dtype is _dtype.bool_:
            key = ~data
        idx = be.argsort(key, axis=d, kind="stable")
        if x.dtype.is_floating_point:
            # NaN sorts first when descending (it is the largest, as PyTorch)
            nan = be.isnan(be.take_along_axis(data, idx, axis=d))
            if nan.any():
                idx = be.argsort(be.where(be.isnan(data), -float("inf"), key), axis=d, kind="stable")
        return idx
    return be.argsort(data, axis=d, kind="stable")


def sort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> _ReturnTypes:
    """Sorts the elements of ``x`` along ``dim``: a named tuple ``(values, indices)``.

    The sort is always stable (equal elements keep their order), whatever ``stable`` says; NaN
    sorts as the largest value, as in PyTorch. The values carry the gradient back to the
    positions they came from.

    Args:
        x (Tensor): the input.
        dim (int, optional): the dimension to sort. Default: ``-1``.
        descending (bool, optional): largest first. Default: ``False``.
        stable (bool, optional): accepted; every sort is stable. Default: ``False``.

    Example::

        >>> values, indices = torch.sort(torch.tensor([3., 1., 2.]))
        >>> values, indices
        (tensor([1., 2., 3.]), tensor([1, 2, 0]))
    """
    d = normalize_dim(dim, x.ndim)
    idx = _order(x, d, descending)
    if x.ndim == 0:
        return _ReturnTypes(x.clone(), _wrap(idx), "sort")
    return _ReturnTypes(TakeAlong.apply(x, index=idx, dim=d), _wrap(idx), "sort")


def argsort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices (int64) that sort ``x`` along ``dim``: ``sort(x, dim, descending).indices``.

    Args:
        x (Tensor): the input.
        dim (int, optional): the dimension to sort. Default: ``-1``.
        descending (bool, optional): largest first. Default: ``False``.
        stable (bool, optional): accepted; every sort is stable. Default: ``False``.

    Example::

        >>> torch.argsort(torch.tensor([3., 1., 2.]), descending=True)
        tensor([0, 2, 1])
    """
    return _wrap(_order(x, normalize_dim(dim, x.ndim), descending))


def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True,
         sorted: bool = True) -> _ReturnTypes:
    """The ``k`` largest (or smallest) elements of ``x`` along ``dim``: ``(values, indices)``.

    The results are always in sorted order (``sorted=False`` is accepted and gives them sorted
    too); ties keep their original order.

    Args:
        x (Tensor): the input.
        k (int): how many, at most ``x.shape[dim]``.
        dim (int, optional): the dimension to search. Default: ``-1``.
        largest (bool, optional): the largest (True) or the smallest (False). Default: ``True``.
        sorted (bool, optional): accepted; the result is sorted. Default: ``True``.

    Example::

        >>> torch.topk(torch.tensor([1., 5., 3., 4.]), 2).indices
        tensor([1, 3])
    """
    d = normalize_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if x.ndim == 0:
        return _ReturnTypes(x.clone(), _wrap(x._backend.zeros((), "int64")), "topk")
    idx = _order(x, d, largest)
    sl = [slice(None)] * x.ndim
    sl[d] = slice(0, k)
    idx = x._backend.ascontiguousarray(idx[tuple(sl)])
    return _ReturnTypes(TakeAlong.apply(x, index=idx, dim=d), _wrap(idx), "topk")
