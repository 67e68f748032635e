"""median: the lower of the two middle values (NaN if any value is NaN), over everything or
along one dim with the index it came from."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._tensor import _wrap
from ..autograd.function import Function
from ._util import normalize_dim
from .reduce import _ReturnTypes

if TYPE_CHECKING:
    from .._tensor import Tensor


class MedianAll(Function):
    """The median of every entry; its gradient is shared evenly among the entries equal to it
    (NaN entries when it is NaN), as PyTorch."""

    torch_name = "MedianBackward0"
    saved_inputs = (0,)
    saves_output = True

    def forward(self, x, value):
        self.x, self.out = x, value
        return value

    def backward(self, grad):
        be, x, out = self.be, self.x, self.out
        hits = be.isnan(x) if be.isnan(out) else (x == out)
        return be.multiply(hits, grad / max(int(hits.sum()), 1)).astype(x.dtype, copy=False)


class MedianAlong(Function):
    """The median along one dim; the gradient goes to the entry at the returned index."""

    torch_name = "MedianBackward1"

    def forward(self, x, dim, keepdim, values, indices):
        self.in_shape, self.dim, self.indices = x.shape, dim, indices
        return values if keepdim else values.squeeze(dim)

    def backward(self, grad):
        g = self.be.zeros(self.in_shape, grad.dtype)
        self.be.put_along_axis(g, self.indices, grad.reshape(self.indices.shape), self.dim)
        return g


def _median_along(be, data, axis):
    """(values, indices) with the reduced axis kept: the ((n-1)//2)-th smallest, or the first
    NaN in a slice that has one."""
    order = be.argsort(data, axis=axis, kind="stable")
    k = (data.shape[axis] - 1) // 2
    index = order.take([k], axis=axis)
    if data.dtype.kind == "f":
        nan = be.isnan(data)
        has_nan = nan.any(axis=axis, keepdims=True)
        if has_nan.any():
            index = be.where(has_nan, nan.argmax(axis=axis).reshape(has_nan.shape), index)
    index = index.astype("int64", copy=False)
    return be.take_along_axis(data, index, axis=axis), index


def median(input: Tensor, dim: int | None = None,
           keepdim: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The median of ``input``'s entries, or of each slice along ``dim`` with its position.

    For an even count it is the lower of the two middle values (not their mean), as PyTorch;
    a NaN makes the median NaN. Over all entries, the gradient is shared evenly among the
    entries equal to the median; along ``dim``, it goes to the returned position.

    Args:
        input (Tensor): the source.
        dim (int, optional): the dim to reduce. Default: ``None``, every entry (a 0-d result).
        keepdim (bool, optional): keep ``dim`` with size 1. Default: ``False``.

    Returns:
        Tensor, or with ``dim`` a named tuple ``(values, indices)`` (int64 positions along
        ``dim``).

    Example::

        >>> torch.median(torch.tensor([3., 1., 4., 2.]))
        tensor(2.)
        >>> values, indices = torch.median(torch.tensor([[3., 1., 4.], [2., 7., 5.]]), dim=1)
        >>> values, indices
        (tensor([3., 5.]), tensor([0, 2]))
    """
    be = input._backend
    if dim is None:
        data = input._data.reshape(-1)
        if data.size == 0:
            if not input.dtype.is_floating_point:
                raise RuntimeError("median() of an empty integer tensor has no value")
            return _wrap(be.asarray(float("nan"), input._data.dtype))
        value, _ = _median_along(be, data, 0)
        return MedianAll.apply(input, value=value.reshape(()))
    d = normalize_dim(dim, input.ndim)
    if input.ndim == 0:
        return _ReturnTypes(input.clone(), _wrap(be.zeros((), "int64")), "median")
    if input.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    values, indices = _median_along(be, input._data, d)
    out = MedianAlong.apply(input, dim=d, keepdim=keepdim, values=values, indices=indices)
    return _ReturnTypes(out, _wrap(indices if keepdim else indices.squeeze(d)), "median")
