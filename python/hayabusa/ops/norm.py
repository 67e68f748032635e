"""Vector norms (torch.norm, Tensor.norm, linalg.vector_norm) and F.normalize."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import _TYPE_NAMES
from ..autograd.function import Function
from ._util import cast, normalize_dim
from .arith import clamp

if TYPE_CHECKING:
    from .._tensor import Tensor
    from .._typing import DimsLike, DTypeLike


class VectorNorm(Function):
    """(sum |x|^p)^(1/p) over dims; p = inf/-inf is max/min |x|, p = 0 counts non-zeros.

    Backward follows PyTorch's norm_backward: 0 where the norm is 0, and for
    inf-norms the gradient shared by the elements that reach the max (or min).
    """

    torch_name = "LinalgVectorNormBackward0"
    saved_inputs = (0,)
    saves_output = True

    def forward(self, x, ord, dims, keepdim):
        be = self.be
        self.x, self.ord, self.dims, self.keepdim = x, ord, dims, keepdim
        a = be.abs(x)
        if ord == 2:
            out = be.sqrt(be.sum(x * x, axis=dims, keepdims=keepdim))
        elif ord == 1:
            out = be.sum(a, axis=dims, keepdims=keepdim)
        elif ord == math.inf:
            out = be.amax(a, axis=dims, keepdims=keepdim)
        elif ord == -math.inf:
            out = be.amin(a, axis=dims, keepdims=keepdim)
        elif ord == 0:
            out = be.sum(x != 0, axis=dims, keepdims=keepdim)
        else:
            with be.errstate(divide="ignore"):
                out = be.power(be.sum(be.power(a, ord), axis=dims, keepdims=keepdim), 1.0 / ord)
        self.out = be.asarray(out, dtype=x.dtype)
        return self.out

    def backward(self, grad):
        be, x, p = self.be, self.x, self.ord
        norm, grad = self.out, grad
        if not self.keepdim:
            kept = tuple(1 if i in self.dims else n for i, n in enumerate(x.shape))
            norm, grad = norm.reshape(kept), grad.reshape(kept)
        if p == 0:
            return be.zeros(x.shape, x.dtype)
        with be.errstate(divide="ignore", invalid="ignore"):
            if p == 1:
                return be.sign(x) * grad
            if p == 2:
                return x * be.where(norm == 0, 0, grad / norm)
            if math.isinf(p):
                a = be.abs(x)
                mask = be.logical_or(a == norm, be.isnan(a))
                share = grad / be.sum(mask, axis=self.dims, keepdims=True)
                return be.sign(x) * share * mask
            if p < 1:
                scaled = be.where(x == 0, 0, be.sign(x) * be.power(be.abs(x), p - 1))
                return scaled * grad * be.power(norm, 1 - p)
            scaled = be.sign(x) * be.power(be.abs(x), p - 1)
            return scaled * be.where(norm == 0, 0, grad / be.power(norm, p - 1))


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if not x.dtype.is_floating_point:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_TYPE_NAMES.get(x.dtype.name, x.dtype.name)}")
    if dim is None:
        dims = tuple(range(x.ndim))
    else:
        dims = tuple(sorted({normalize_dim(d, x.ndim) for d in
                             (dim if isinstance(dim, (tuple, list)) else (dim,))}))
    ord = float(ord)
    if (ord < 0 or ord == math.inf) and any(x.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord:g} norm on an empty "
                           "tensor because the operation does not have an identity")
    return VectorNorm.apply(x, ord=ord, dims=dims, keepdim=bool(keepdim))


def norm(input: Tensor, p: float | str = "fro", dim: DimsLike | None = None, keepdim: bool = False,
         out: None = None, dtype: DTypeLike | None = None) -> Tensor:
    """The vector ``p``-norm of ``input``, over all elements or over the dimension(s) ``dim``.

    ``(sum |x| ** p) ** (1 / p)``; ``p=inf`` is ``max |x|``, ``p=-inf`` is ``min |x|``, ``p=0``
    counts the non-zero elements. ``'fro'`` (the default) is the 2-norm of all the elements
    taken together, whatever the shape. The nuclear norm (``p='nuc'``), matrix norms and
    ``out=`` raise NotImplementedError. The gradient is 0 where the norm is 0.

    Args:
        input (Tensor): the input, of a floating dtype (or cast by ``dtype``).
        p (float or str, optional): the order. Default: ``'fro'``.
        dim (int or tuple of ints, optional): the dimension(s) to reduce. Default: ``None``, all.
        keepdim (bool, optional): keep the reduced dimensions with size 1. Default: ``False``.
        out (None): not supported.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Example::

        >>> torch.norm(torch.tensor([3., 4.]))
        tensor(5.)
        >>> torch.tensor([[3., -4.], [1., 1.]]).norm(p=1, dim=1)
        tensor([7., 2.])
        >>> torch.norm(torch.tensor([3., -4.]), p=float("inf"))
        tensor(4.)
    """
    if out is not None:
        raise NotImplementedError("norm(out=...) is not supported; use the returned tensor")
    if p == "nuc":
        raise NotImplementedError("the nuclear norm (p='nuc') is not supported")
    if p == "fro":
        p = 2
    return vector_norm(input, p, dim, keepdim, dtype)


def normalize(input: Tensor, p: float = 2.0, dim: DimsLike = 1, eps: float = 1e-12,
              out: None = None) -> Tensor:
    """Divides ``input`` by its ``p``-norm along ``dim``: ``input / max(norm, eps)``.

    Args:
        input (Tensor): the input, of a floating dtype.
        p (float, optional): the order of the norm. Default: ``2.0``.
        dim (int or tuple of ints, optional): the dimension(s) normalized. Default: ``1``.
        eps (float, optional): the smallest divisor, to avoid dividing by zero. Default: ``1e-12``.
        out (None): not supported.

    Example::

        >>> F.normalize(torch.tensor([[3., 4.], [0., 2.]]))
        tensor([[0.6000, 0.8000],
                [0.0000, 1.0000]])
    """
    if out is not None:
        raise NotImplementedError("normalize(out=...) is not supported; use the returned tensor")
    return input / clamp(vector_norm(input, p, dim, keepdim=True), min=eps)
