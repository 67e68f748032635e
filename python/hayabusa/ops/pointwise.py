"""More elementwise math: reciprocal, fmod, clamp_min/clamp_max, and the rounding ops'
in-place forms (floor_, ceil_, round_, sign_), whose gradient is zero, as PyTorch."""
from .. import _dtype
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import cast, prepare_operands, shape_of, unbroadcast


class Reciprocal(Function):
    saves_output = True

    def forward(self, x):
        with self.be.errstate(divide="ignore"):
            self.out = self.be.reciprocal(x)
        return self.out

    def backward(self, grad):
        be = self.be
        return be.negative(be.multiply(grad, be.multiply(self.out, self.out)))


def reciprocal(input):
    """1 / input (integer and bool inputs give the default float dtype)."""
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


def fmod(input, other):
    """The elementwise remainder of input / other, with the sign of input."""
    if not isinstance(input, Tensor):
        raise TypeError(f"fmod(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    a, b, dt = prepare_operands(input, other)
    if not dt.is_floating_point:
        divisor = b._data if isinstance(b, Tensor) else b
        if (input._backend.asarray(divisor) == 0).any():
            raise RuntimeError("ZeroDivisionError")
    return Fmod.apply(a, b)


def clamp_min(input, min):
    """input with every entry below min raised to min."""
    from .arith import clamp
    return clamp(input, min=min)


def clamp_max(input, max):
    """input with every entry above max lowered to max."""
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


def floor_(self):
    return _rounded_(self, "floor")


def ceil_(self):
    return _rounded_(self, "ceil")


def round_(self, decimals=0):
    return _rounded_(self, "round", decimals)


def sign_(self):
    return _rounded_(self, "sign")


def clamp_min_(self, min):
    return self._inplace(lambda s, m: clamp_min(s, m), min)


def clamp_max_(self, max):
    return self._inplace(lambda s, m: clamp_max(s, m), max)


def fmod_(self, other):
    return self._inplace(fmod, other)


def reciprocal_(self):
    return self._inplace(reciprocal)
