"""Elementwise arithmetic: + - * / ** and the unary math functions, comparisons, where, clamp."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from ._util import cast, prepare_operands, shape_of, unbroadcast

if TYPE_CHECKING:
    from typing import Callable

    from .._typing import Number, TensorOrNumber

    # the elementwise functions made by the factories below
    _Unary = Callable[[Tensor], Tensor]
    _Binary = Callable[[TensorOrNumber, TensorOrNumber], Tensor]


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
        "__slots__": (), "forward": fwd, "backward": bwd,
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


def add(a: TensorOrNumber, b: TensorOrNumber, alpha: Number = 1) -> Tensor:
    """Adds ``b``, scaled by ``alpha``, to ``a``: ``out = a + alpha * b``.

    The operands broadcast to a common shape, and their dtype is PyTorch's result type (a float
    tensor plus an int tensor is the float tensor's dtype; a tensor plus a Python number keeps
    the tensor's dtype unless the number is of a higher category). ``a + b`` calls this function.

    Args:
        a (Tensor or Number): the input.
        b (Tensor or Number): the value to add.
        alpha (Number, optional): the multiplier for ``b``. Default: ``1``.

    Returns:
        Tensor: the sum, of the broadcast shape.

    Example::

        >>> a = torch.tensor([1., 2., 3.])
        >>> torch.add(a, 1)
        tensor([2., 3., 4.])
        >>> torch.add(a, torch.tensor([10., 20., 30.]), alpha=2)
        tensor([21., 42., 63.])
    """
    return _binary(Add, a, b, alpha=alpha)


def sub(a: TensorOrNumber, b: TensorOrNumber, alpha: Number = 1) -> Tensor:
    """Subtracts ``b``, scaled by ``alpha``, from ``a``: ``out = a - alpha * b``.

    Broadcasting and type promotion as :func:`add`; ``a - b`` calls this function. Two bool
    operands raise RuntimeError (use ``^`` or :func:`logical_xor`), as in PyTorch.

    Args:
        a (Tensor or Number): the input.
        b (Tensor or Number): the value to subtract.
        alpha (Number, optional): the multiplier for ``b``. Default: ``1``.

    Returns:
        Tensor: the difference, of the broadcast shape.

    Example::

        >>> torch.sub(torch.tensor([5., 5.]), torch.tensor([1., 2.]), alpha=2)
        tensor([3., 1.])
    """
    a, b, dt = prepare_operands(a, b)
    if dt is _dtype.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    return Sub.apply(a, b, alpha=alpha)


def mul(a: TensorOrNumber, b: TensorOrNumber) -> Tensor:
    """Multiplies ``a`` by ``b`` elementwise.

    Broadcasting and type promotion as :func:`add`; ``a * b`` calls this function.

    Args:
        a (Tensor or Number): the input.
        b (Tensor or Number): the value to multiply by.

    Returns:
        Tensor: the product, of the broadcast shape.

    Example::

        >>> torch.mul(torch.tensor([1, 2]), 2.5)
        tensor([2.5000, 5.0000])
    """
    return _binary(Mul, a, b)


def div(a: TensorOrNumber, b: TensorOrNumber, rounding_mode: str | None = None) -> Tensor:
    """Divides ``a`` by ``b`` elementwise.

    With ``rounding_mode=None`` this is true division: integer inputs give a result of the
    default float dtype (``a / b`` calls this). ``'trunc'`` rounds the quotient toward zero and
    ``'floor'`` rounds it down (``a // b``); both keep the operands' result type, as PyTorch.
    The rounded forms do not record a graph in hayabusa (their gradient is zero where defined).

    Args:
        a (Tensor or Number): the dividend.
        b (Tensor or Number): the divisor.
        rounding_mode (str, optional): ``None``, ``'trunc'`` or ``'floor'``. Default: ``None``.

    Returns:
        Tensor: the quotient, of the broadcast shape.

    Example::

        >>> torch.div(torch.tensor([1, 2]), 2)
        tensor([0.5000, 1.0000])
        >>> torch.div(torch.tensor([-7, 7]), 2, rounding_mode="floor")
        tensor([-4,  3])
    """
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


def pow(a: TensorOrNumber, b: TensorOrNumber) -> Tensor:
    """Raises ``a`` to the power ``b`` elementwise.

    Either may be a Python number; tensors broadcast. An integer tensor raised to a negative
    integer raises RuntimeError, as in PyTorch. ``a ** b`` calls this function.

    Args:
        a (Tensor or Number): the base.
        b (Tensor or Number): the exponent.

    Returns:
        Tensor: ``a ** b``, of the broadcast shape.

    Example::

        >>> torch.pow(torch.tensor([1., 2., 3.]), 2)
        tensor([1., 4., 9.])
    """
    if isinstance(a, Tensor) and not isinstance(b, Tensor):
        dt = _dtype.result_type(a, b)
        a = cast(a, dt)
        if not dt.is_floating_point and isinstance(b, int) and b < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return Pow.apply(a, float(b) if dt.is_floating_point else b)
    return _binary(Pow, a, b)


def neg(x: Tensor) -> Tensor:
    """Returns ``-x``. Negating a bool tensor raises RuntimeError (use ``~``), as in PyTorch.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.neg(torch.tensor([1., -2.]))
        tensor([-1.,  2.])
    """
    if x.dtype is _dtype.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return Neg.apply(x)


def _float_unary(op, doc: str) -> _Unary:
    def fn(x):
        if not x.dtype.is_floating_point:
            x = cast(x, _dtype.get_default_dtype())
        return op.apply(x)
    fn.__name__ = op.__name__.lower()
    fn.__doc__ = doc
    return fn


# integer and bool inputs are computed in the default float dtype, as PyTorch
exp: _Unary = _float_unary(Exp, """
    Returns the exponential ``e ** x`` of each element of ``x``.

    Integer and bool inputs give a result of the default float dtype.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.exp(torch.tensor([0., 1.]))
        tensor([1.0000, 2.7183])
    """)
log: _Unary = _float_unary(Log, """
    Returns the natural logarithm of each element of ``x`` (-inf at 0, NaN below).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.log(torch.tensor([1., 2.718281828]))
        tensor([0., 1.])
    """)
sqrt: _Unary = _float_unary(Sqrt, """
    Returns the square root of each element of ``x`` (NaN below 0).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.sqrt(torch.tensor([4., 9.]))
        tensor([2., 3.])
    """)
sin: _Unary = _float_unary(Sin, """
    Returns the sine of each element of ``x`` (in radians).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.sin(torch.tensor([0., 1.5707964]))
        tensor([0., 1.])
    """)
cos: _Unary = _float_unary(Cos, """
    Returns the cosine of each element of ``x`` (in radians).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.cos(torch.tensor([0., 3.1415927]))
        tensor([ 1., -1.])
    """)
log1p: _Unary = _float_unary(Log1p, """
    Returns ``log(1 + x)`` elementwise, accurate for small ``x``.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.log1p(torch.tensor([0., 1e-8], dtype=torch.float64))
        tensor([0.0000e+00, 1.0000e-08], dtype=hayabusa.float64)
    """)
expm1: _Unary = _float_unary(Expm1, """
    Returns ``exp(x) - 1`` elementwise, accurate for small ``x``.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.expm1(torch.tensor([0., 1e-8], dtype=torch.float64))
        tensor([0.0000e+00, 1.0000e-08], dtype=hayabusa.float64)
    """)
rsqrt: _Unary = _float_unary(Rsqrt, """
    Returns ``1 / sqrt(x)`` elementwise.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.rsqrt(torch.tensor([4., 16.]))
        tensor([0.5000, 0.2500])
    """)


def abs(x: Tensor) -> Tensor:
    """Returns the absolute value of each element of ``x``.

    The gradient at 0 is 0, as PyTorch's.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.abs(torch.tensor([-1.5, 0.0, 2.5]))
        tensor([1.5000, 0.0000, 2.5000])
    """
    return Abs.apply(x)


def square(x: Tensor) -> Tensor:
    """Returns ``x * x`` elementwise, in ``x``'s dtype.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.square(torch.tensor([2, -3]))
        tensor([4, 9])
    """
    return Square.apply(x)


def clamp(x: Tensor, min: TensorOrNumber | None = None,
          max: TensorOrNumber | None = None) -> Tensor:
    """Clamps every element of ``x`` into ``[min, max]``.

    ``min`` and ``max`` may be numbers or tensors (which broadcast); at least one must be given.
    The gradient passes where ``min <= x <= max``, as PyTorch's. ``clip`` is an alias.

    Args:
        x (Tensor): the input.
        min (Number or Tensor, optional): the lower bound. Default: ``None`` (no lower bound).
        max (Number or Tensor, optional): the upper bound. Default: ``None`` (no upper bound).

    Returns:
        Tensor: the clamped values.

    Example::

        >>> torch.clamp(torch.tensor([-1.5, 0.0, 2.5]), min=-1.0, max=1.0)
        tensor([-1.,  0.,  1.])
    """
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


def where(condition: Tensor, a: TensorOrNumber, b: TensorOrNumber) -> Tensor:
    """Picks ``a`` where ``condition`` is True and ``b`` elsewhere.

    ``condition``, ``a`` and ``b`` broadcast together; ``a`` and ``b`` may be Python numbers.
    The gradient flows to ``a`` where the condition holds and to ``b`` elsewhere. As a method,
    ``x.where(condition, y)`` is ``where(condition, x, y)``.

    Args:
        condition (Tensor): a bool tensor.
        a (Tensor or Number): the values where ``condition`` is True.
        b (Tensor or Number): the values where it is False.

    Returns:
        Tensor: of the broadcast shape and the result type of ``a`` and ``b``.

    Example::

        >>> x = torch.tensor([-1.5, 0.0, 2.5])
        >>> torch.where(x > 0, x, 0.0)
        tensor([0.0000, 0.0000, 2.5000])
    """
    if condition.dtype is not _dtype.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype.name.capitalize()}")
    a, b, _ = prepare_operands(a, b)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        t = condition
        return _wrap(t._backend.where(t._data, a, b).astype(_dtype.result_type(a, b).numpy))
    return Where.apply(condition, a, b)


def maximum(a: TensorOrNumber, b: TensorOrNumber) -> Tensor:
    """The elementwise maximum of ``a`` and ``b`` (which broadcast).

    Where they are equal the gradient is split evenly between them, as PyTorch's.

    Args:
        a (Tensor): the input.
        b (Tensor): the other input.

    Example::

        >>> torch.maximum(torch.tensor([1., 4.]), torch.tensor([3., 2.]))
        tensor([3., 4.])
    """
    return _binary(MaximumMinimum, a, b, is_max=True)


def minimum(a: TensorOrNumber, b: TensorOrNumber) -> Tensor:
    """The elementwise minimum of ``a`` and ``b`` (which broadcast); ties split the gradient.

    Args:
        a (Tensor): the input.
        b (Tensor): the other input.

    Example::

        >>> torch.minimum(torch.tensor([1., 4.]), torch.tensor([3., 2.]))
        tensor([1., 2.])
    """
    return _binary(MaximumMinimum, a, b, is_max=False)


def _compare(name, symbol: str, public: str, example: str) -> _Binary:
    def fn(a, b):
        a, b, _ = prepare_operands(a, b)
        t = a if isinstance(a, Tensor) else b
        av = a._data if isinstance(a, Tensor) else a
        bv = b._data if isinstance(b, Tensor) else b
        return _wrap(t._backend.asarray(getattr(t._backend, name)(av, bv)))
    fn.__name__ = name
    fn.__doc__ = f"""Computes ``a {symbol} b`` elementwise: a bool tensor of the broadcast shape.

    The operands are compared in their promoted dtype; either may be a Python number.
    ``a {symbol} b`` on a tensor calls this function. Comparisons record no graph.

    Args:
        a (Tensor or Number): the input.
        b (Tensor or Number): the value to compare with.

    Example::

        >>> torch.{public}(torch.tensor([1, 2, 3]), 2)
        tensor({example})
    """
    return fn


eq: _Binary = _compare("equal", "==", "eq", "[False,  True, False]")
ne: _Binary = _compare("not_equal", "!=", "ne", "[ True, False,  True]")
lt: _Binary = _compare("less", "<", "lt", "[ True, False, False]")
le: _Binary = _compare("less_equal", "<=", "le", "[ True,  True, False]")
gt: _Binary = _compare("greater", ">", "gt", "[False, False,  True]")
ge: _Binary = _compare("greater_equal", ">=", "ge", "[False,  True,  True]")


def _no_grad_unary(name, out_dtype=None, doc: str = "") -> _Unary:
    def fn(x):
        be = x._backend
        r = getattr(be, name)(x._data)
        return _wrap(be.asarray(r))
    fn.__name__ = name
    fn.__doc__ = doc
    return fn


# these record no graph: the rounding functions' gradient is zero wherever it exists
# (PyTorch records them with that zero gradient; hayabusa returns a tensor without grad)
sign: _Unary = _no_grad_unary("sign", doc="""
    Returns the sign of each element of ``x``: -1, 0 or 1, in ``x``'s dtype.

    Records no graph (PyTorch's gradient is zero).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.sign(torch.tensor([-1.5, 0.0, 2.5]))
        tensor([-1.,  0.,  1.])
    """)
floor: _Unary = _no_grad_unary("floor", doc="""
    Rounds each element of ``x`` down to an integer value, in ``x``'s dtype.

    Records no graph (PyTorch's gradient is zero).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.floor(torch.tensor([-1.5, 0.0, 2.5]))
        tensor([-2.,  0.,  2.])
    """)
ceil: _Unary = _no_grad_unary("ceil", doc="""
    Rounds each element of ``x`` up to an integer value, in ``x``'s dtype.

    Records no graph (PyTorch's gradient is zero).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.ceil(torch.tensor([-1.5, 0.0, 2.5]))
        tensor([-1.,  0.,  3.])
    """)
round: _Unary = _no_grad_unary("round", doc="""
    Rounds each element of ``x`` to the nearest integer, halves to even, in ``x``'s dtype.

    PyTorch's ``decimals=`` argument is not supported. Records no graph (PyTorch's gradient
    is zero).

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.round(torch.tensor([-1.5, 0.5, 2.5, 2.6]))
        tensor([-2.,  0.,  2.,  3.])
    """)
isnan: _Unary = _no_grad_unary("isnan", doc="""
    A bool tensor: True where ``x`` is NaN.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.isnan(torch.tensor([1., float("nan")]))
        tensor([False,  True])
    """)
isinf: _Unary = _no_grad_unary("isinf", doc="""
    A bool tensor: True where ``x`` is +inf or -inf.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.isinf(torch.tensor([1., float("inf"), -float("inf")]))
        tensor([False,  True,  True])
    """)
isfinite: _Unary = _no_grad_unary("isfinite", doc="""
    A bool tensor: True where ``x`` is neither infinite nor NaN.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.isfinite(torch.tensor([1., float("inf"), float("nan")]))
        tensor([ True, False, False])
    """)


def logical_not(x: Tensor) -> Tensor:
    """Elementwise logical NOT: a bool tensor, True where ``x`` is zero (or False).

    Args:
        x (Tensor): the input, of any dtype.

    Example::

        >>> torch.logical_not(torch.tensor([0., 1.5]))
        tensor([ True, False])
    """
    return _wrap(x._backend.logical_not(x._data))


def _logical(name) -> _Binary:
    def fn(a, b):
        t = a if isinstance(a, Tensor) else b
        av = a._data if isinstance(a, Tensor) else a
        bv = b._data if isinstance(b, Tensor) else b
        return _wrap(t._backend.asarray(getattr(t._backend, name)(av, bv)))
    fn.__name__ = name
    fn.__doc__ = f"""Elementwise logical {name[8:].upper()}: a bool tensor of the broadcast shape.

    Non-zero elements count as True, whatever the dtypes.

    Args:
        a (Tensor): the input.
        b (Tensor or Number): the other input.

    Example::

        >>> torch.{name}(torch.tensor([True, False]), torch.tensor([True, True]))
        tensor({dict(logical_and="[ True, False]", logical_or="[True, True]",
                    logical_xor="[False,  True]")[name]})
    """
    return fn


logical_and: _Binary = _logical("logical_and")
logical_or: _Binary = _logical("logical_or")
logical_xor: _Binary = _logical("logical_xor")


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


def remainder(a: TensorOrNumber, b: TensorOrNumber) -> Tensor:
    """The elementwise remainder of ``a / b``, with the sign of the divisor (Python's ``%``).

    ``a % b`` calls this function. hayabusa records no graph for it (PyTorch's gradient with
    respect to ``a`` is 1).

    Args:
        a (Tensor or Number): the dividend.
        b (Tensor or Number): the divisor.

    Example::

        >>> torch.remainder(torch.tensor([-3, 3]), 2)
        tensor([1, 1])
    """
    a, b, dt = prepare_operands(a, b)
    t = a if isinstance(a, Tensor) else b
    av = a._data if isinstance(a, Tensor) else a
    bv = b._data if isinstance(b, Tensor) else b
    return _wrap(t._backend.asarray(t._backend.remainder(av, bv)).astype(dt.numpy, copy=False))
