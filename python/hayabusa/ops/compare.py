"""Comparing and cleaning values: isclose, allclose, equal, count_nonzero, nan_to_num."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ..autograd.function import Function
from ._util import broadcast_shapes

if TYPE_CHECKING:
    from .._typing import DimsLike


def _check_tensor(x, name, position):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{'input' if position == 1 else 'other'}' "
                        f"(position {position}) must be Tensor, not {type(x).__name__}")


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Where ``input`` and ``other`` are close: ``|input - other| <= atol + rtol * |other|``.

    Infinities are close only to themselves; NaN is close to nothing, or to NaN with
    ``equal_nan``. Bool tensors compare for equality.

    Args:
        input (Tensor): the first tensor.
        other (Tensor): the second tensor, of ``input``'s dtype, broadcastable with it.
        rtol (float, optional): the relative tolerance, at least 0. Default: ``1e-05``.
        atol (float, optional): the absolute tolerance, at least 0. Default: ``1e-08``.
        equal_nan (bool, optional): count NaN as close to NaN. Default: ``False``.

    Returns:
        Tensor: bool, of the broadcast shape.

    Example::

        >>> a = torch.tensor([1., 2., float("inf"), float("nan")])
        >>> b = torch.tensor([1.000001, 2.1, float("inf"), float("nan")])
        >>> torch.isclose(a, b)
        tensor([ True, False,  True, False])
        >>> torch.isclose(a, b, equal_nan=True)
        tensor([ True, False,  True,  True])
    """
    _check_tensor(input, "isclose", 1)
    _check_tensor(other, "isclose", 2)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_TYPE_NAMES[input.dtype.name]} did not match "
                           f"{_TYPE_NAMES[other.dtype.name]}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    broadcast_shapes(input.shape, other.shape)
    be = input._backend
    a, b = input._data, other._data
    if input.dtype is _dtype.bool_:
        return _wrap(be.asarray(be.equal(a, b)))
    return _wrap(be.asarray(be.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether :func:`isclose` holds for every pair of entries, as a Python bool.

    Args:
        input (Tensor): the first tensor.
        other (Tensor): the second tensor, of ``input``'s dtype, broadcastable with it.
        rtol (float, optional): the relative tolerance. Default: ``1e-05``.
        atol (float, optional): the absolute tolerance. Default: ``1e-08``.
        equal_nan (bool, optional): count NaN as close to NaN. Default: ``False``.

    Example::

        >>> torch.allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.000001]))
        True
    """
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape and the same values, as a Python bool.

    NaN equals nothing, so a tensor holding NaN is not equal to itself.

    Example::

        >>> torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))
        True
        >>> torch.equal(torch.tensor([1, 2]), torch.tensor([[1, 2]]))
        False
    """
    _check_tensor(input, "equal", 1)
    _check_tensor(other, "equal", 2)
    if input.shape != other.shape:
        return False
    return bool(input._backend.equal(input._data, other._data).all())


def count_nonzero(input: Tensor, dim: DimsLike | None = None) -> Tensor:
    """The number of non-zero entries of ``input``, over all of it or along ``dim``.

    Args:
        input (Tensor): the source.
        dim (int or tuple of ints, optional): the dims to count along (removed from the
            result). Default: ``None``, every dim.

    Returns:
        Tensor: int64.

    Example::

        >>> x = torch.tensor([[0, 1, 2], [0, 0, 3]])
        >>> torch.count_nonzero(x)
        tensor(3)
        >>> torch.count_nonzero(x, dim=0)
        tensor([0, 1, 2])
    """
    from ._util import normalize_dim
    be = input._backend
    if dim is None:
        return _wrap(be.asarray(be.count_nonzero(input._data), "int64"))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    dims = [normalize_dim(d, input.ndim) for d in dims]
    for i, d in enumerate(dims):
        if d in dims[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if input.ndim == 0:
        return _wrap(be.asarray(be.count_nonzero(input._data), "int64"))
    return _wrap(be.asarray(be.count_nonzero(input._data, axis=tuple(dims)), "int64"))


class NanToNum(Function):
    saved_inputs = (0,)

    def forward(self, x, nan, posinf, neginf):
        self.x = x
        return self.be.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)

    def backward(self, grad):
        # replaced entries are constants: the gradient flows only where x was finite
        be = self.be
        return be.where(be.isfinite(self.x), grad, 0).astype(grad.dtype, copy=False)


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """``input`` with NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf``.

    An integer or bool tensor has none of them and comes back as a copy. The gradient flows
    where the entries are finite and is zero where they were replaced.

    Args:
        input (Tensor): the source.
        nan (float, optional): the value for NaN. Default: ``0.0``.
        posinf (float, optional): the value for +inf. Default: ``None``, the dtype's largest
            finite value.
        neginf (float, optional): the value for -inf. Default: ``None``, the dtype's lowest
            finite value.

    Example::

        >>> x = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5])
        >>> torch.nan_to_num(x, posinf=9.0)
        tensor([ 0.0000e+00,  9.0000e+00, -3.4028e+38,  1.5000e+00])
    """
    if not input.dtype.is_floating_point:
        from .shape import clone
        return clone(input)
    return NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf)


def nan_to_num_(self: Tensor, nan: float = 0.0, posinf: float | None = None,
                neginf: float | None = None) -> Tensor:
    """In place, replaces NaN, +inf and -inf by ``nan``, ``posinf`` and ``neginf``
    (:func:`hayabusa.nan_to_num`); returns this tensor.

    An integer or bool tensor has none of them and is left unchanged. The gradient flows where
    the entries were finite and is zero where they were replaced. In-place: the tensor's version
    counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Args:
        nan (float, optional): the value for NaN. Default: ``0.0``.
        posinf (float, optional): the value for +inf. Default: ``None``, the dtype's largest
            finite value.
        neginf (float, optional): the value for -inf. Default: ``None``, the dtype's lowest
            finite value.

    Example::

        >>> t = torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5])
        >>> t.nan_to_num_(posinf=9.0, neginf=-9.0)
        tensor([ 0.0000,  9.0000, -9.0000,  1.5000])
        >>> torch.tensor([float("inf")]).nan_to_num_()
        tensor([3.4028e+38])
    """
    return self._inplace(lambda s: nan_to_num(s, nan, posinf, neginf))
