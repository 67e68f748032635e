"""More elementwise math: reciprocal, fmod, clamp_min/clamp_max, and the rounding ops'
in-place forms (floor_, ceil_, round_, sign_), whose gradient is zero, as PyTorch."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import cast, prepare_operands, shape_of, unbroadcast

if TYPE_CHECKING:
    from .._typing import Number, TensorOrNumber


class Reciprocal(Function):
    saves_output = True

    def forward(self, x):
        with self.be.errstate(divide="ignore"):
            self.out = self.be.reciprocal(x)
        return self.out

    def backward(self, grad):
        be = self.be
        return be.negative(be.multiply(grad, be.multiply(self.out, self.out)))


def reciprocal(input: Tensor) -> Tensor:
    """``1 / input``, elementwise.

    Integer and bool inputs give the default float dtype; ``1 / 0`` is ``inf``. Differentiable.

    Example::

        >>> torch.reciprocal(torch.tensor([2., 0., -4.]))
        tensor([ 0.5000,     inf, -0.2500])
        >>> torch.reciprocal(torch.tensor([2, 4]))
        tensor([0.5000, 0.2500])
    """
    if not input.dtype.is_floating_point:
        input = cast(input, _dtype.get_default_dtype())
    return Reciprocal.apply(input)


class Fmod(Function):
    """The remainder of a / b with the sign of a (C's fmod)."""

    saved_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        with self.be.errstate(invalid="ignore"):
            return self.be.fmod(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        be = self.be
        ga = unbroadcast(be, grad, shape_of(self.a)) if need_a else None
        gb = None
        if need_b:
            # fmod(a, b) = a - trunc(a / b) * b
            with be.errstate(divide="ignore", invalid="ignore"):
                quotient = be.trunc(be.true_divide(self.a, self.b))
            gb = unbroadcast(be, be.negative(be.multiply(grad, quotient)), shape_of(self.b))
        return ga, gb


def fmod(input: Tensor, other: TensorOrNumber) -> Tensor:
    """The elementwise remainder of ``input / other``, with the sign of ``input`` (C's
    ``fmod``; :func:`hayabusa.remainder` takes the sign of ``other``).

    ``fmod(a, b) = a - trunc(a / b) * b``. The dtypes promote as for :func:`hayabusa.add`
    (integers stay integers); an integer division by zero raises RuntimeError. Differentiable
    with respect to both (the gradient of ``other`` is ``-trunc(a / b)``).

    Args:
        input (Tensor): the dividend.
        other (Tensor or Number): the divisor, broadcastable with ``input``.

    Example::

        >>> torch.fmod(torch.tensor([-3., 3., 5.5]), 2)
        tensor([-1.0000,  1.0000,  1.5000])
        >>> torch.fmod(torch.tensor([-3, 3]), torch.tensor([2, -2]))
        tensor([-1,  1])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"fmod(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    a, b, dt = prepare_operands(input, other)
    if not dt.is_floating_point:
        divisor = b._data if isinstance(b, Tensor) else b
        if (input._backend.asarray(divisor) == 0).any():
            raise RuntimeError("ZeroDivisionError")
    return Fmod.apply(a, b)


def clamp_min(input: Tensor, min: TensorOrNumber) -> Tensor:
    """``input`` with every entry below ``min`` raised to ``min``: ``clamp(input, min=min)``.

    Args:
        input (Tensor): the source.
        min (Number or Tensor): the lower bound (a tensor broadcasts with ``input``).

    Example::

        >>> torch.clamp_min(torch.tensor([-1.5, 0.5, 2.7]), 0.)
        tensor([0.0000, 0.5000, 2.7000])
    """
    from .arith import clamp
    return clamp(input, min=min)


def clamp_max(input: Tensor, max: TensorOrNumber) -> Tensor:
    """``input`` with every entry above ``max`` lowered to ``max``: ``clamp(input, max=max)``.

    Args:
        input (Tensor): the source.
        max (Number or Tensor): the upper bound (a tensor broadcasts with ``input``).

    Example::

        >>> torch.clamp_max(torch.tensor([-1.5, 0.5, 2.7]), torch.tensor([0., 0., 1.]))
        tensor([-1.5000,  0.0000,  1.0000])
    """
    from .arith import clamp
    return clamp(input, max=max)


class Rounded(Function):
    """floor, ceil, round or sign: piecewise constant, so the gradient is zero."""

    def forward(self, x, how, decimals=0):
        self.torch_name = how.capitalize() + "Backward0"
        be = self.be
        if how == "round":
            return be.round(x, decimals)
        return getattr(be, how)(x)

    def backward(self, grad):
        return self.be.zeros(grad.shape, grad.dtype)


def _rounded_(self, how, decimals=0):
    if not self.dtype.is_floating_point and (how != "sign" or self.dtype is _dtype.bool_):
        # integers are already whole (and bools their own sign): nothing changes
        return self
    return self._inplace(lambda s: Rounded.apply(s, how=how, decimals=decimals))


def floor_(self: Tensor) -> Tensor:
    """In place, rounds each entry down to an integer (:func:`hayabusa.floor`); returns this
    tensor.

    Integer and bool tensors are left as they are. The gradient is zero (PyTorch's). In-place: the
    tensor's version counter is bumped (so a graph that saved it refuses to run backward), and a
    leaf that requires grad raises RuntimeError unless grad mode is off.

    Example::

        >>> torch.tensor([-1.5, -0.5, 0.5, 2.7]).floor_()
        tensor([-2., -1.,  0.,  2.])
    """
    return _rounded_(self, "floor")


def ceil_(self: Tensor) -> Tensor:
    """In place, rounds each entry up to an integer (:func:`hayabusa.ceil`); returns this
    tensor.

    Integer and bool tensors are left as they are. The gradient is zero (PyTorch's). In-place: the
    tensor's version counter is bumped (so a graph that saved it refuses to run backward), and a
    leaf that requires grad raises RuntimeError unless grad mode is off.

    Example::

        >>> torch.tensor([-1.5, -0.5, 0.5, 2.7]).ceil_()
        tensor([-1., -0.,  1.,  3.])
    """
    return _rounded_(self, "ceil")


def round_(self: Tensor, decimals: int = 0) -> Tensor:
    """In place, rounds each entry to ``decimals`` decimal places, halves to even
    (:func:`hayabusa.round`); returns this tensor.

    Integer and bool tensors are left as they are. The gradient is zero (PyTorch's). In-place: the
    tensor's version counter is bumped (so a graph that saved it refuses to run backward), and a
    leaf that requires grad raises RuntimeError unless grad mode is off.

    Args:
        decimals (int, optional): the number of decimal places (negative: tens, hundreds, ...).
            Default: ``0``.

    Example::

        >>> torch.tensor([0.5, 1.5, 2.7]).round_()
        tensor([0., 2., 3.])
        >>> torch.tensor([1.2345, 2.5]).round_(decimals=2)
        tensor([1.2300, 2.5000])
    """
    return _rounded_(self, "round", decimals)


def sign_(self: Tensor) -> Tensor:
    """In place, replaces each entry by its sign, -1, 0 or 1 (:func:`hayabusa.sign`); returns
    this tensor.

    A bool tensor is left as it is. The gradient is zero (PyTorch's). In-place: the tensor's version
    counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Example::

        >>> torch.tensor([-1.5, 0., 2.7]).sign_()
        tensor([-1.,  0.,  1.])
    """
    return _rounded_(self, "sign")


def clamp_min_(self: Tensor, min: TensorOrNumber) -> Tensor:
    """In place, raises every entry below ``min`` to ``min`` (:func:`hayabusa.clamp_min`);
    returns this tensor.

    The result is cast back to this tensor's dtype, which must hold it. In-place: the tensor's
    version counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Args:
        min (Number or Tensor): the lower bound (a tensor broadcasts to this tensor's shape).

    Example::

        >>> torch.tensor([-1.5, 0.5, 2.7]).clamp_min_(0.)
        tensor([0.0000, 0.5000, 2.7000])
    """
    return self._inplace(lambda s, m: clamp_min(s, m), min)


def clamp_max_(self: Tensor, max: TensorOrNumber) -> Tensor:
    """In place, lowers every entry above ``max`` to ``max`` (:func:`hayabusa.clamp_max`);
    returns this tensor.

    The result is cast back to this tensor's dtype, which must hold it. In-place: the tensor's
    version counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Args:
        max (Number or Tensor): the upper bound (a tensor broadcasts to this tensor's shape).

    Example::

        >>> torch.tensor([-1.5, 0.5, 2.7]).clamp_max_(0.)
        tensor([-1.5000,  0.0000,  0.0000])
    """
    return self._inplace(lambda s, m: clamp_max(s, m), max)


def fmod_(self: Tensor, other: TensorOrNumber) -> Tensor:
    """In place, replaces each entry by the remainder of its division by ``other``, with the
    sign of the entry (C's ``fmod``; :func:`hayabusa.fmod`); returns this tensor.

    The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
    take a float result: RuntimeError, as PyTorch). An integer division by zero raises
    RuntimeError. In-place: the tensor's version
    counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Args:
        other (Number or Tensor): the divisor (a tensor broadcasts to this tensor's shape).

    Example::

        >>> torch.tensor([-3., 3., 5.5]).fmod_(2)
        tensor([-1.0000,  1.0000,  1.5000])
        >>> torch.tensor([-7, 7]).fmod_(3)
        tensor([-1,  1])
    """
    return self._inplace(fmod, other)


def reciprocal_(self: Tensor) -> Tensor:
    """In place, replaces each entry ``x`` by ``1 / x`` (:func:`hayabusa.reciprocal`); returns
    this tensor.

    ``1 / 0`` is ``inf``. An integer tensor cannot hold the float result: RuntimeError, as
    PyTorch. In-place: the tensor's version
    counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Example::

        >>> torch.tensor([2., 4., 0.5]).reciprocal_()
        tensor([0.5000, 0.2500, 2.0000])
    """
    return self._inplace(reciprocal)
