"""Scans along one dim: cumsum, cumprod, and diff (n-th forward differences)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import cast, normalize_dim

if TYPE_CHECKING:
    from .._typing import DTypeLike


def _reverse_cumsum(be, a, axis):
    """out[k] = sum of a[j] for j >= k along axis."""
    return be.flip(be.cumsum(be.flip(a, axis), axis=axis), axis)


class Cumsum(Function):
    def forward(self, x, dim):
        self.dim = dim
        return self.be.cumsum(x, axis=dim)

    def backward(self, grad):
        return self.be.ascontiguousarray(_reverse_cumsum(self.be, grad, self.dim))


class Cumprod(Function):
    saved_inputs = (0,)
    saves_output = True

    def forward(self, x, dim):
        self.x, self.dim = x, dim
        self.out = self.be.cumprod(x, axis=dim)
        return self.out

    def backward(self, grad):
        # d out[j] / d x[k] = prod of x[i] for i <= j, i != k (j >= k). Where x[k] != 0 that is
        # out[j] / x[k]; at the first zero of a slice it is the cumprod with that zero taken as
        # 1; past the first zero every such product holds a zero.
        be, x, dim = self.be, self.x, self.dim
        is_zero = x == 0
        safe_x = be.where(is_zero, 1, x)
        nonzero_part = _reverse_cumsum(be, be.multiply(grad, self.out), dim) / safe_x
        if not is_zero.any():
            return nonzero_part.astype(grad.dtype, copy=False)
        first_zero = is_zero & (be.cumsum(is_zero, axis=dim) == 1)
        at_first_zero = _reverse_cumsum(
            be, be.multiply(grad, be.cumprod(be.where(first_zero, 1, x), axis=dim)), dim)
        g = be.where(first_zero, at_first_zero, be.where(is_zero, 0, nonzero_part))
        return g.astype(grad.dtype, copy=False)


def _scan(op, input, dim, dtype):
    d = normalize_dim(dim, input.ndim)
    if dtype is not None:
        input = cast(input, _dtype.to_dtype(dtype))
    elif not input.dtype.is_floating_point:
        # integer and bool scans accumulate in int64, as PyTorch
        input = cast(input, _dtype.int64)
    if input.ndim == 0:
        from .shape import clone
        return clone(input)
    return op.apply(input, dim=d)


def cumsum(input: Tensor, dim: int, *, dtype: DTypeLike | None = None) -> Tensor:
    """The cumulative sum along ``dim``: ``out[..., k, ...] = sum(input[..., :k+1, ...])``.

    Integer and bool inputs accumulate in int64, as PyTorch. Differentiable.

    Args:
        input (Tensor): the source.
        dim (int): the dim to scan along.
        dtype (hayabusa.dtype, optional, keyword-only): cast the input to this dtype first.
            Default: ``None``.

    Example::

        >>> torch.cumsum(torch.tensor([[1, 2, 3], [4, 5, 6]]), dim=1)
        tensor([[ 1,  3,  6],
                [ 4,  9, 15]])
        >>> torch.cumsum(torch.tensor([True, True, False]), 0)
        tensor([1, 2, 2])
    """
    return _scan(Cumsum, input, dim, dtype)


def cumprod(input: Tensor, dim: int, *, dtype: DTypeLike | None = None) -> Tensor:
    """The cumulative product along ``dim``: ``out[..., k, ...] = prod(input[..., :k+1, ...])``.

    Integer and bool inputs accumulate in int64, as PyTorch. Differentiable, zeros included.

    Args:
        input (Tensor): the source.
        dim (int): the dim to scan along.
        dtype (hayabusa.dtype, optional, keyword-only): cast the input to this dtype first.
            Default: ``None``.

    Example::

        >>> torch.cumprod(torch.tensor([1., 2., 3., 4.]), 0)
        tensor([ 1.,  2.,  6., 24.])
    """
    return _scan(Cumprod, input, dim, dtype)


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,
         append: Tensor | None = None) -> Tensor:
    """The ``n``-th forward difference along ``dim``: ``out[i] = input[i + 1] - input[i]``,
    ``n`` times.

    ``prepend`` and ``append`` are joined to ``input`` along ``dim`` first. Bool tensors take
    ``!=`` (logical xor) for ``-``. Each application shortens ``dim`` by one. Differentiable.

    Args:
        input (Tensor): at least 1-D.
        n (int, optional): how many times to difference, at least 0. Default: ``1``.
        dim (int, optional): the dim. Default: ``-1``.
        prepend (Tensor, optional): values put before ``input`` along ``dim`` (as many dims as
            ``input``). Default: ``None``.
        append (Tensor, optional): values put after ``input`` along ``dim``. Default: ``None``.

    Example::

        >>> torch.diff(torch.tensor([1, 3, 6, 10]))
        tensor([2, 3, 4])
        >>> torch.diff(torch.tensor([1, 3, 6, 10]), n=2)
        tensor([1, 1])
        >>> torch.diff(torch.tensor([1, 3]), prepend=torch.tensor([0]), append=torch.tensor([10]))
        tensor([1, 2, 7])
    """
    from .arith import logical_xor, sub
    from .shape import cat
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = normalize_dim(dim, input.ndim)
    parts = [input]
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is None:
            continue
        if not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(extra).__name__}")
        if extra.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        parts.insert(0 if name == "prepend" else len(parts), extra)
    x = cat(parts, d) if len(parts) > 1 else input
    index = [slice(None)] * x.ndim
    for _ in range(n):
        if x.shape[d] == 0:
            break
        index[d] = slice(1, None)
        later = x[tuple(index)]
        index[d] = slice(None, -1)
        earlier = x[tuple(index)]
        x = logical_xor(later, earlier) if x.dtype is _dtype.bool_ else sub(later, earlier)
    if x is input:
        from .shape import clone
        return clone(input)
    return x
