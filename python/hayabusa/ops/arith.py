"""Elementwise arithmetic: + - * / ** and the unary math functions, comparisons, where, clamp."""
from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._util import cast, prepare_operands, shape_of, unbroadcast


class ToDtype(Function):
    torch_name = "ToCopyBackward0"

    def forward(self, x, dtype):
        self.src = x.dtype
        return self.be.astype(x, dtype.numpy)

    def backward(self, grad):
        return self.be.astype(grad, self.src)


class Add(Function):
    def forward(self, a, b, alpha=1):
        self.shapes, self.alpha = (shape_of(a), shape_of(b)), alpha
        return self.be.add(a, b if alpha == 1 else self.be.multiply(b, alpha))

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        gb = None
        if need_b:
            gb = unbroadcast(self.be, grad if self.alpha == 1 else grad * self.alpha, self.shapes[1])
        return (unbroadcast(self.be, grad, self.shapes[0]) if need_a else None), gb


class Sub(Function):
    def forward(self, a, b, alpha=1):
        self.shapes, self.alpha = (shape_of(a), shape_of(b)), alpha
        return self.be.subtract(a, b if alpha == 1 else self.be.multiply(b, alpha))

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        gb = unbroadcast(self.be, self.be.negative(grad) * self.alpha, self.shapes[1]) if need_b else None
        return (unbroadcast(self.be, grad, self.shapes[0]) if need_a else None), gb


class Mul(Function):
    saved_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return self.be.multiply(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        be, a, b = self.be, self.a, self.b
        ga = unbroadcast(be, be.multiply(grad, b), shape_of(a)) if need_a else None
        gb = unbroadcast(be, be.multiply(grad, a), shape_of(b)) if need_b else None
        return ga, gb


class Div(Function):
    saved_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return self.be.true_divide(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        be, a, b = self.be, self.a, self.b
        ga = unbroadcast(be, be.true_divide(grad, b), shape_of(a)) if need_a else None
        gb = None
        if need_b:
            gb = unbroadcast(be, be.negative(be.true_divide(be.multiply(grad, a), be.multiply(b, b))),
                             shape_of(b))
        return ga, gb


class Pow(Function):
    saved_inputs = (0, 1)
    saves_output = True

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = self.be.power(a, b)
        return self.out

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        be, a, b = self.be, self.a, self.b
        ga = gb = None
        if need_a:
            if isinstance(b, (int, float)):
                # d/da a**n = n a**(n-1); n == 0 has zero gradient even at a == 0
                d = be.multiply(be.power(a, b - 1), b) if b != 0 else be.zeros(a.shape, a.dtype)
            else:
                d = be.where(b == 0, 0, be.multiply(b, be.power(a, b - 1)))
            ga = unbroadcast(be, be.multiply(grad, d), shape_of(a))
        if need_b:
            # d/db a**b = a**b log(a), taken as 0 where a == 0 and b >= 0 (PyTorch's convention)
            with_log = be.multiply(self.out, be.log(be.where(a == 0, 1, a)))
            d = be.where((a == 0) & (be.asarray(b) >= 0), 0, with_log)
            gb = unbroadcast(be, be.multiply(grad, d), shape_of(b))
        return ga, gb


class Neg(Function):
    def forward(self, x):
        return self.be.negative(x)

    def backward(self, grad):
        return self.be.negative(grad)


def _unary(name, forward, backward, saves="input"):
    """A unary op whose backward is grad * backward(x, y); saves x or y as it needs."""
    def fwd(self, x):
        y = forward(self.be, x)
        self.saved = x if saves == "input" else y
        return y

    def bwd(self, grad):
        return self.be.multiply(grad, backward(self.be, self.saved))

    return type(name, (Function,), {
        "forward": fwd, "backward": bwd,
        "saved_inputs": (0,) if saves == "input" else (),
        "saves_output": saves == "output"})


Exp = _unary("Exp", lambda be, x: be.exp(x), lambda be, y: y, saves="output")
Log = _unary("Log", lambda be, x: be.log(x), lambda be, x: 1 / x)
Sqrt = _unary("Sqrt", lambda be, x: be.sqrt(x), lambda be, y: 0.5 / y, saves="output")
Abs = _unary("Abs", lambda be, x: be.abs(x), lambda be, x: be.sign(x))
Sin = _unary("Sin", lambda be, x: be.sin(x), lambda be, x: be.cos(x))
Cos = _unary("Cos", lambda be, x: be.cos(x), lambda be, x: be.negative(be.sin(x)))
Log1p = _unary("Log1p", lambda be, x: be.log1p(x), lambda be, x: 1 / (x + 1))
Expm1 = _unary("Expm1", lambda be, x: be.expm1(x), lambda be, y: y + 1, saves="output")
Rsqrt = _unary("Rsqrt", lambda be, x: 1 / be.sqrt(x), lambda be, y: -0.5 * y * y * y, saves="output")
Square = _unary("Square", lambda be, x: be.multiply(x, x), lambda be, x: 2 * x)


class Clamp(Function):
    saved_inputs = (0,)

    def forward(self, x, min=None, max=None):
        self.x, self.min, self.max = x, min, max
        return self.be.clip(x, min, max)

    def backward(self, grad):
        be, x = self.be, self.x
        # PyTorch passes the gradient where min <= x <= max
        keep = be.ones(x.shape, bool)
        if self.min is not None:
            keep &= x >= self.min
        if self.max is not None:
            keep &= x <= self.max
        return be.where(keep, grad, 0).astype(grad.dtype, copy=False)


class Where(Function):
    saved_inputs = (0,)

    def forward(self, cond, a, b):
        self.cond, self.shapes = cond, (shape_of(a), shape_of(b))
        return self.be.where(cond, a, b)

    def backward(self, grad):
        _, need_a, need_b = self.needs_input_grad
        be, c = self.be, self.cond
        ga = unbroadcast(be, be.where(c, grad, 0).astype(grad.dtype, copy=False), self.shapes[0]) if need_a else None
        gb = unbroadcast(be, be.where(c, 0, grad).astype(grad.dtype, copy=False), self.shapes[1]) if need_b else None
        return None, ga, gb


class MaximumMinimum(Function):
    saved_inputs = (0, 1)

    def forward(self, a, b, is_max):
        self.a, self.b, self.is_max = a, b, is_max
        return (self.be.maximum if is_max else self.be.minimum)(a, b)

    def backward(self, grad):
        be, a, b = self.be, self.a, self.b
        need_a, need_b = self.needs_input_grad
        a_wins = (a > b) if self.is_max else (a < b)
        # ties split the gradient evenly, as PyTorch does
        share = be.where(a == b, 0.5, be.where(a_wins, 1.0, 0.0)).astype(grad.dtype, copy=False)
        ga = unbroadcast(be, grad * share, shape_of(a)) if need_a else None
        gb = unbroadcast(be, grad * (1 - share), shape_of(b)) if need_b else None
        return ga, gb


# ---------------------------------------------------------------- functions
def _binary(op, a, b, **params):
    a, b, _ = prepare_operands(a, b)
    return op.apply(a, b, **params)


def add(a, b, alpha=1):
    return _binary(Add, a, b, alpha=alpha)


def sub(a, b, alpha=1):
    a, b, dt = prepare_operands(a, b)
    if dt is _dtype.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    return Sub.apply(a, b, alpha=alpha)


def mul(a, b):
    return _binary(Mul, a, b)


def div(a, b, rounding_mode=None):
    if rounding_mode is None:
        a, b, dt = prepare_operands(a, b)
        if not dt.is_floating_point:
            a, b, _ = prepare_operands(a, b, _dtype.get_default_dtype())
        return Div.apply(a, b)
    dt = _dtype.result_type(a, b)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
    a, b, _ = prepare_operands(a, b, dt)
    t = a if isinstance(a, Tensor) else b
    be = t._backend
    av = a._data if isinstance(a, Tensor) else a
    bv = b._data if isinstance(b, Tensor) else b
    if rounding_mode == "floor":
        raw = be.floor(be.true_divide(av, bv)) if dt.is_floating_point else be.floor_divide(av, bv)
    else:
        raw = be.true_divide(av, bv)
        raw = be.where(raw < 0, be.ceil(raw), be.floor(raw))
    return _wrap(be.astype(be.asarray(raw), dt.numpy, copy=False))


def pow(a, b):
    if isinstance(a, Tensor) and not isinstance(b, Tensor):
        dt = _dtype.result_type(a, b)
        a = cast(a, dt)
        if not dt.is_floating_point and isinstance(b, int) and b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return Pow.apply(a, float(b) if dt.is_floating_point else b)
    return _binary(Pow, a, b)


def neg(x):
    if x.dtype is _dtype.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return Neg.apply(x)


def _float_unary(op):
    def fn(x):
        if not x.dtype.is_floating_point:
            x = cast(x, _dtype.get_default_dtype())
        return op.apply(x)
    fn.__name__ = op.__name__.lower()
    return fn


exp, log, sqrt, sin, cos, log1p, expm1, rsqrt = map(
    _float_unary, (Exp, Log, Sqrt, Sin, Cos, Log1p, Expm1, Rsqrt))


def abs(x):
    return Abs.apply(x)


def square(x):
    return Square.apply(x)


def clamp(x, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        out = x
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    if not x.dtype.is_floating_point and any(isinstance(v, float) for v in (min, max)):
        x = cast(x, _dtype.get_default_dtype())
    return Clamp.apply(x, min=min, max=max)


def where(condition, a, b):
    if condition.dtype is not _dtype.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype.name.capitalize()}")
    a, b, _ = prepare_operands(a, b)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        t = condition
        return _wrap(t._backend.where(t._data, a, b).astype(_dtype.result_type(a, b).numpy))
    return Where.apply(condition, a, b)


def maximum(a, b):
    return _binary(MaximumMinimum, a, b, is_max=True)


def minimum(a, b):
    return _binary(MaximumMinimum, a, b, is_max=False)


def _compare(name):
    def fn(a, b):
        a, b, _ = prepare_operands(a, b)
        t = a if isinstance(a, Tensor) else b
        av = a._data if isinstance(a, Tensor) else a
        bv = b._data if isinstance(b, Tensor) else b
        return _wrap(t._backend.asarray(getattr(t._backend, name)(av, bv)))
    fn.__name__ = name
    return fn


eq, ne, lt, le, gt, ge = map(_compare, ("equal", "not_equal", "less", "less_equal", "greater",
                                        "greater_equal"))


def _no_grad_unary(name, out_dtype=None):
    def fn(x):
        be = x._backend
        r = getattr(be, name)(x._data)
        return _wrap(be.asarray(r))
    fn.__name__ = name
    return fn


sign = _no_grad_unary("sign")
floor = _no_grad_unary("floor")
ceil = _no_grad_unary("ceil")
round = _no_grad_unary("round")
isnan = _no_grad_unary("isnan")
isinf = _no_grad_unary("isinf")
isfinite = _no_grad_unary("isfinite")


def logical_not(x):
    return _wrap(x._backend.logical_not(x._data))


def _logical(name):
    def fn(a, b):
        t = a if isinstance(a, Tensor) else b
        av = a._data if isinstance(a, Tensor) else a
        bv = b._data if isinstance(b, Tensor) else b
        return _wrap(t._backend.asarray(getattr(t._backend, name)(av, bv)))
    fn.__name__ = name
    return fn


logical_and, logical_or, logical_xor = map(_logical, ("logical_and", "logical_or", "logical_xor"))


def bitwise(name, a, b):
    """& | ^ on bool or integer tensors."""
    a, b, dt = prepare_operands(a, b)
    if dt.is_floating_point:
        raise RuntimeError(f"\"bitwise_{name}_cpu\" not implemented for '{dt.name.capitalize()}'")
    t = a if isinstance(a, Tensor) else b
    av = a._data if isinstance(a, Tensor) else a
    bv = b._data if isinstance(b, Tensor) else b
    fn = {"and": lambda x, y: x & y, "or": lambda x, y: x | y, "xor": lambda x, y: x ^ y}[name]
    return _wrap(t._backend.asarray(fn(av, bv)).astype(dt.numpy, copy=False))


def remainder(a, b):
    a, b, dt = prepare_operands(a, b)
    t = a if isinstance(a, Tensor) else b
    av = a._data if isinstance(a, Tensor) else a
    bv = b._data if isinstance(b, Tensor) else b
    return _wrap(t._backend.asarray(t._backend.remainder(av, bv)).astype(dt.numpy, copy=False))
