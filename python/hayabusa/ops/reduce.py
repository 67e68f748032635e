"""Reductions: sum, mean, var, std, prod, max, min, argmax, argmin, logsumexp."""
from __future__ import annotations

import builtins
import math
from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from .arith import maximum, minimum, sqrt
from ._util import cast, normalize_dim

if TYPE_CHECKING:
    from .._typing import DimsLike, DTypeLike


def _dims(x, dim):
    """A sorted tuple of reduced axes (all of them for dim=None)."""
    if dim is None:
        return tuple(range(x.ndim))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    out = tuple(sorted({normalize_dim(d, x.ndim) for d in dims}))
    if len(out) != len(dims):
        raise RuntimeError("dim appears multiple times in the list of dims")
    return out if x.ndim else ()


def _axis(dims):
    return dims[0] if len(dims) == 1 else dims


def _expand_back(be, grad, in_shape, dims, keepdim):
    """grad of a reduction broadcast back over the reduced axes."""
    if not keepdim and dims:
        shape = list(in_shape)
        for d in dims:
            shape[d] = 1
        grad = grad.reshape(shape)
    return be.broadcast_to(grad, in_shape)


class Sum(Function):
    def forward(self, x, dims, keepdim):
        self.in_shape, self.dims, self.keepdim = x.shape, dims, keepdim
        if not dims:
            return self.be.copy(x)
        # every axis: axis=None, the one long sum the backend splits across threads
        axis = None if len(dims) == x.ndim and not keepdim else _axis(dims)
        return self.be.asarray(self.be.sum(x, axis=axis, keepdims=keepdim))

    def backward(self, grad):
        return _expand_back(self.be, grad, self.in_shape, self.dims, self.keepdim)


class Mean(Function):
    def forward(self, x, dims, keepdim):
        self.in_shape, self.dims, self.keepdim = x.shape, dims, keepdim
        self.count = math.prod(x.shape[d] for d in dims)
        if not dims:
            return self.be.copy(x)
        return self.be.asarray(self.be.mean(x, axis=_axis(dims), keepdims=keepdim)).astype(x.dtype, copy=False)

    def backward(self, grad):
        g = _expand_back(self.be, grad, self.in_shape, self.dims, self.keepdim)
        return g / self.count if self.count else g * float("nan")


class Var(Function):
    saved_inputs = (0,)

    def forward(self, x, dims, correction, keepdim):
        self.x, self.dims, self.correction, self.keepdim = x, dims, correction, keepdim
        return self.be.asarray(self.be.var(x, axis=_axis(dims), ddof=correction,
                                           keepdims=keepdim)).astype(x.dtype, copy=False)

    def backward(self, grad):
        be, x = self.be, self.x
        n = math.prod(x.shape[d] for d in self.dims)
        centered = x - be.mean(x, axis=_axis(self.dims), keepdims=True)
        g = _expand_back(be, grad, x.shape, self.dims, self.keepdim)
        return (g * centered * (2.0 / builtins.max(n - self.correction, 0))).astype(x.dtype, copy=False)


class Prod(Function):
    saved_inputs = (0,)

    def forward(self, x, dims, keepdim):
        self.x, self.dims, self.keepdim = x, dims, keepdim
        return self.be.asarray(self.be.prod(x, axis=_axis(dims) if dims else None, keepdims=keepdim))

    def backward(self, grad):
        be, x = self.be, self.x
        axis = _axis(self.dims) if self.dims else None
        g = _expand_back(be, grad, x.shape, self.dims, self.keepdim)
        # product of the others: prod/x where x != 0, computed directly where x == 0
        zeros = x == 0
        safe = be.where(zeros, 1, x)
        others = be.prod(safe, axis=axis, keepdims=True) / safe
        zero_count = be.sum(zeros, axis=axis, keepdims=True)
        others = be.where(zero_count == 0, others,
                          be.where(zeros & (zero_count == 1), be.prod(safe, axis=axis, keepdims=True), 0))
        return (g * others).astype(x.dtype, copy=False)


class MaxAlong(Function):
    """values of max/min along one dim; the indices are returned without gradient."""

    torch_name = "MaxBackward0"

    def forward(self, x, dim, keepdim, values, indices):
        # values and indices come from one kernel call made by the caller
        self.in_shape, self.dim, self.keepdim, self.indices = x.shape, dim, keepdim, indices
        if keepdim:
            values = values.reshape(values.shape[:dim] + (1,) + values.shape[dim:])
        return values

    def backward(self, grad):
        be = self.be
        g = be.zeros(self.in_shape, grad.dtype)
        idx = self.indices.reshape(self.indices.shape[:self.dim] + (1,) + self.indices.shape[self.dim:])
        g_k = grad if self.keepdim else grad.reshape(idx.shape)
        be.put_along_axis(g, idx, g_k, self.dim)
        return g


class MaxAll(Function):
    """max/min over every element; the gradient is shared evenly among the ties (as PyTorch)."""

    torch_name = "MaxBackward1"

    saved_inputs = (0,)
    saves_output = True

    def forward(self, x, find_min):
        self.x = x
        self.out = self.be.asarray(self.be.amin(x) if find_min else self.be.amax(x))
        return self.out

    def backward(self, grad):
        mask = (self.x == self.out)
        return (mask * (grad / builtins.max(int(mask.sum()), 1))).astype(self.x.dtype, copy=False)


class LogSumExp(Function):
    """log(sum(exp(x))) over dims, shifted by the max as PyTorch: an infinite max
    shifts by 0 instead, so a row of -inf gives -inf and a +inf gives +inf, where
    inf - inf would give NaN; NaN stays NaN. The gradient is exp(x - result), with
    PyTorch's NaN where both are infinite."""

    saved_inputs = (0,)
    saves_output = True

    def forward(self, x, dims, keepdim):
        be = self.be
        self.x, self.dims, self.keepdim = x, dims, keepdim
        kept = tuple(1 if d in dims else n for d, n in enumerate(x.shape))
        with be.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if x.size:
                m = be.amax(x, axis=dims, keepdims=True)
                m = be.where(be.isinf(m), x.dtype.type(0), m)
            else:  # an empty sum: log 0 = -inf
                m = be.zeros(kept, x.dtype)
            out = be.log(be.sum(be.exp(x - m), axis=dims, keepdims=True)) + m
        self.out = out.astype(x.dtype, copy=False)
        return self.out if keepdim else self.out.reshape(tuple(n for d, n in enumerate(x.shape) if d not in dims))

    def backward(self, grad):
        be = self.be
        if not self.keepdim:
            grad = grad.reshape(self.out.shape)
        with be.errstate(invalid="ignore", over="ignore"):
            return (grad * be.exp(self.x - self.out)).astype(self.x.dtype, copy=False)


# ---------------------------------------------------------------- functions
def _sum_dtype(x, dtype):
    if dtype is not None:
        return _dtype.to_dtype(dtype)
    # integer and bool sums accumulate in int64, as PyTorch
    return x.dtype if x.dtype.is_floating_point else _dtype.int64


def sum(x: Tensor, dim: DimsLike | None = None, keepdim: bool = False,
        dtype: DTypeLike | None = None) -> Tensor:
    """Sums the elements of ``x``, over all of them or over the dimension(s) ``dim``.

    Integer and bool inputs are summed in int64, as PyTorch.

    Args:
        x (Tensor): the input.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``None``, all.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Returns:
        Tensor: a 0-d tensor when reducing everything, else ``x``'s shape without the reduced
        dims (with size-1 dims there when ``keepdim``).

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.sum(x)
        tensor(21.)
        >>> x.sum(dim=1)
        tensor([ 6., 15.])
        >>> x.sum(0, keepdim=True)
        tensor([[5., 7., 9.]])
        >>> torch.sum(torch.tensor([True, True, False]))
        tensor(2)
    """
    if dim is None and dtype is None and not keepdim and x._data.dtype.char in "fd":
        return Sum.apply(x, dims=tuple(range(x._data.ndim)), keepdim=False)
    x = cast(x, _sum_dtype(x, dtype))
    return Sum.apply(x, dims=_dims(x, dim), keepdim=keepdim)


def mean(x: Tensor, dim: DimsLike | None = None, keepdim: bool = False,
         dtype: DTypeLike | None = None) -> Tensor:
    """The mean of the elements of ``x``, over all of them or over the dimension(s) ``dim``.

    The input must be of a floating dtype (or be cast by ``dtype``), as in PyTorch; the mean of
    no elements is NaN.

    Args:
        x (Tensor): the input.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``None``, all.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.mean(x)
        tensor(3.5000)
        >>> x.mean(dim=0)
        tensor([2.5000, 3.5000, 4.5000])
    """
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if not x.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {x.dtype.name.capitalize()}")
    return Mean.apply(x, dims=_dims(x, dim), keepdim=keepdim)


def var(x: Tensor, dim: DimsLike | None = None, unbiased: bool | None = None, keepdim: bool = False,
        correction: int | None = None) -> Tensor:
    """The variance of the elements of ``x``: ``sum((x - mean) ** 2) / (N - correction)``.

    ``correction`` defaults to 1 (Bessel's correction, the sample variance); ``correction=0`` is
    the population variance. The legacy ``unbiased=False`` means ``correction=0``.

    Args:
        x (Tensor): the input, of a floating dtype.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``None``, all.
        unbiased (bool, optional): legacy form of ``correction`` (True: 1, False: 0).
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.
        correction (int, optional): subtracted from the element count. Default: ``1``.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.var(x, dim=1)
        tensor([1., 1.])
        >>> torch.var(x, dim=1, correction=0)
        tensor([0.6667, 0.6667])
    """
    if not x.dtype.is_floating_point:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return Var.apply(x, dims=_dims(x, dim), correction=correction, keepdim=keepdim)


def std(x: Tensor, dim: DimsLike | None = None, unbiased: bool | None = None, keepdim: bool = False,
        correction: int | None = None) -> Tensor:
    """The standard deviation of the elements of ``x``: the square root of :func:`var`.

    Args:
        x (Tensor): the input, of a floating dtype.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``None``, all.
        unbiased (bool, optional): legacy form of ``correction`` (True: 1, False: 0).
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.
        correction (int, optional): subtracted from the element count. Default: ``1``.

    Example::

        >>> torch.std(torch.tensor([[1., 2., 3.], [4., 5., 6.]]))
        tensor(1.8708)
    """
    return sqrt(var(x, dim, unbiased, keepdim, correction))


def prod(x: Tensor, dim: DimsLike | None = None, keepdim: bool = False,
         dtype: DTypeLike | None = None) -> Tensor:
    """The product of the elements of ``x``, over all of them or over the dimension(s) ``dim``.

    Integer and bool inputs multiply in int64. The gradient is exact where elements are zero.

    Args:
        x (Tensor): the input.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``None``, all.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Example::

        >>> torch.prod(torch.tensor([[1., 2., 3.], [4., 5., 6.]]), 1)
        tensor([  6., 120.])
    """
    x = cast(x, _sum_dtype(x, dtype))
    return Prod.apply(x, dims=_dims(x, dim), keepdim=keepdim)


class _ReturnTypes(tuple):
    """(values, indices) with attribute access, like torch.return_types.max."""

    def __new__(cls, values, indices, name):
        self = super().__new__(cls, (values, indices))
        self._name = name
        return self

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f"torch.return_types.{self._name}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _max_min(x, dim, keepdim, find_min, name, other=None):
    if isinstance(dim, Tensor):
        return (minimum if find_min else maximum)(x, dim)
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument.")
        return MaxAll.apply(x, find_min=find_min)
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return _ReturnTypes(x.clone(), _wrap(x._backend.zeros((), "int64")), name)
    if x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    raw_values, idx = x._backend.max_along(x._data, d, find_min)
    values = MaxAlong.apply(x, dim=d, keepdim=keepdim, values=raw_values, indices=idx)
    if keepdim:
        idx = idx.reshape(idx.shape[:d] + (1,) + idx.shape[d:])
    return _ReturnTypes(values, _wrap(idx), name)


def max(x: Tensor, dim: int | Tensor | None = None, keepdim: bool = False) -> Tensor | _ReturnTypes:
    """The maximum of ``x``: over all elements, or along ``dim`` with the positions.

    ``max(x)`` returns a 0-d tensor; where several elements tie, the gradient is shared evenly
    among them. ``max(x, dim)`` returns a named tuple ``(values, indices)``: the maximum of
    each slice along ``dim`` and the (first) index where it is, the gradient going to that
    element. ``max(x, other)`` with a tensor ``other`` is :func:`maximum`.

    Args:
        x (Tensor): the input.
        dim (int or Tensor, optional): the dimension to reduce. Default: ``None``, all elements.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.max(x)
        tensor(6.)
        >>> values, indices = torch.max(x, dim=1)
        >>> values
        tensor([3., 6.])
        >>> indices
        tensor([2, 2])
    """
    return _max_min(x, dim, keepdim, False, "max")


def min(x: Tensor, dim: int | Tensor | None = None, keepdim: bool = False) -> Tensor | _ReturnTypes:
    """The minimum of ``x``: over all elements, or along ``dim`` with the positions.

    The forms and gradients are those of :func:`max`; ``min(x, other)`` is :func:`minimum`.

    Args:
        x (Tensor): the input.
        dim (int or Tensor, optional): the dimension to reduce. Default: ``None``, all elements.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> torch.min(torch.tensor([[1., 2., 3.], [4., 5., 6.]]), dim=0).values
        tensor([1., 2., 3.])
    """
    return _max_min(x, dim, keepdim, True, "min")


def amax(x: Tensor, dim: DimsLike = (), keepdim: bool = False) -> Tensor:
    """The maximum of ``x`` over the dimension(s) ``dim`` (values only; ``()`` means all).

    Args:
        x (Tensor): the input.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``()``, all.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> torch.amax(torch.tensor([[1., 2., 3.], [4., 5., 6.]]), dim=0)
        tensor([4., 5., 6.])
    """
    dims = _dims(x, dim if dim != () else None)
    out = x
    for d in reversed(dims):
        out = _max_min(out, d, keepdim, False, "amax")[0]
    return out


def amin(x: Tensor, dim: DimsLike = (), keepdim: bool = False) -> Tensor:
    """The minimum of ``x`` over the dimension(s) ``dim`` (values only; ``()`` means all).

    Args:
        x (Tensor): the input.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``()``, all.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> torch.amin(torch.tensor([[1., 2., 3.], [4., 5., 6.]]), dim=(0, 1))
        tensor(1.)
    """
    dims = _dims(x, dim if dim != () else None)
    out = x
    for d in reversed(dims):
        out = _max_min(out, d, keepdim, True, "amin")[0]
    return out


def _arg(x, dim, keepdim, find_min, name):
    be = x._backend
    if dim is None:
        if x.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        flat = x._data.reshape(-1)
        _, idx = be.max_along(flat, 0, find_min)
        idx = be.asarray(idx)
        return _wrap(idx.reshape((1,) * x.ndim) if keepdim else idx)
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return _wrap(be.zeros((), "int64"))
    if x.shape[d] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    _, idx = be.max_along(x._data, d, find_min)
    if keepdim:
        idx = idx.reshape(idx.shape[:d] + (1,) + idx.shape[d:])
    return _wrap(be.asarray(idx))


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The index of the maximum of ``x`` (int64): in the flattened tensor, or along ``dim``.

    Ties give the first index.

    Args:
        x (Tensor): the input.
        dim (int, optional): the dimension to reduce. Default: ``None``, the flattened tensor.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.argmax(x)
        tensor(5)
        >>> x.argmax(dim=1)
        tensor([2, 2])
    """
    return _arg(x, dim, keepdim, False, "argmax")


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """The index of the minimum of ``x`` (int64): in the flattened tensor, or along ``dim``.

    Args:
        x (Tensor): the input.
        dim (int, optional): the dimension to reduce. Default: ``None``, the flattened tensor.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> torch.argmin(torch.tensor([[1., 2., 3.], [4., 5., 6.]]), dim=0)
        tensor([0, 0, 0])
    """
    return _arg(x, dim, keepdim, True, "argmin")


def logsumexp(x, dim, keepdim=False):
    """torch.logsumexp: dim an int or a tuple of ints (() for all of them); integer
    and bool input is computed in the default dtype."""
    if not x.dtype.is_floating_point:
        x = cast(x, _dtype.get_default_dtype())
    dims = _dims(x, None if dim == () else dim)
    return LogSumExp.apply(x, dims=dims, keepdim=keepdim)


def all(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Whether every element of ``x`` is non-zero (True): a bool tensor, overall or along ``dim``.

    Args:
        x (Tensor): the input, of any dtype.
        dim (int, optional): the dimension to reduce. Default: ``None``, all elements.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> torch.all(torch.tensor([[1., 2.], [3., 4.]]) > 0)
        tensor(True)
    """
    be = x._backend
    axis = None if dim is None else normalize_dim(dim, x.ndim)
    return _wrap(be.asarray(be.logical_and.reduce(x._data.astype(bool), axis=axis, keepdims=keepdim)) if axis is not None
                 else be.asarray(x._data.astype(bool).all()))


def any(x: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Whether any element of ``x`` is non-zero (True): a bool tensor, overall or along ``dim``.

    Args:
        x (Tensor): the input, of any dtype.
        dim (int, optional): the dimension to reduce. Default: ``None``, all elements.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.

    Example::

        >>> torch.any(torch.tensor([[1., 2., 3.], [4., 5., 6.]]) > 5, dim=1)
        tensor([False,  True])
    """
    be = x._backend
    axis = None if dim is None else normalize_dim(dim, x.ndim)
    return _wrap(be.asarray(be.logical_or.reduce(x._data.astype(bool), axis=axis, keepdims=keepdim)) if axis is not None
                 else be.asarray(x._data.astype(bool).any()))
