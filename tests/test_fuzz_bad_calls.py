"""Malformed calls to every kernel binding: each must raise a Python exception
before any kernel runs, and leave every array it was given as it was.

A valid call is drawn (random shapes, including 0- and 1-sized dimensions),
then one argument is broken in a way no binding may accept: an array replaced
by None, a list or a number; the wrong dtype (integer, bool, half, complex, the
other float type, the other byte order); an output made read-only, strided,
misaligned or of the wrong shape; a target out of range; an axis out of range;
an integer too large for C; an unknown op or reduction. Valid calls themselves
are checked in test_fuzz_bindings.py. HB_FUZZ_EXAMPLES sets the examples per test.
"""
import numpy as np
import pytest
from hypothesis import given, strategies as st

import fuzzing as fz
from fuzzing import FLOAT_DTYPES, fuzz_settings, shapes, sides
from hayabusa import _C

ERRORS = (TypeError, ValueError, RuntimeError, IndexError, OverflowError, MemoryError)


class Arg:
    """One argument of a valid call and what kind of thing it is:
    'in' (a float input), 'out' (a float output), 'lse' (cross-entropy's float64
    log-sum-exps), 'target' (int64 class indices),
    'indices' (an int64 output), 'axis', 'int', 'str', 'float_list' / 'out_list'
    (an optimizer's lists of inputs / of arrays it updates). `bound`: a
    different shape is an error whatever it is (no other valid call has it)."""

    def __init__(self, value, kind, bound=True, optional=False):
        self.value, self.kind, self.bound, self.optional = value, kind, bound, optional


def _other(dtype):
    return np.float64 if dtype == np.float32 else np.float32


def _misaligned_copy(a):
    raw = np.empty(a.nbytes + a.itemsize + 1, np.uint8)
    start = (-raw.ctypes.data) % a.itemsize + 1
    out = raw[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
    out[...] = a
    return out


def _strided_copy(a):
    big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
    out = big[..., ::2]
    out[...] = a
    return out


def array_mutations(arg):
    """(name, broken value) pairs for an array argument, each invalid in any call."""
    a = arg.value
    muts = [("list", a.tolist()), ("float", 2.0), ("str", "x")]
    if not arg.optional:
        muts.append(("None", None))
    if arg.kind in ("in", "out"):
        for dt in (np.int64, np.int32, np.bool_, np.float16, np.complex64, object):
            muts.append((f"dtype {np.dtype(dt).name}", np.zeros(a.shape, dt)))
        muts.append(("other float dtype", a.astype(_other(a.dtype))))
    if arg.kind == "lse":  # float64 whatever the logits' dtype
        for dt in (np.float32, np.int64, np.float16):
            muts.append((f"dtype {np.dtype(dt).name}", np.zeros(a.shape, dt)))
    if arg.kind in ("target", "indices"):
        for dt in (np.float64, np.int32, np.uint64, np.bool_):
            muts.append((f"dtype {np.dtype(dt).name}", np.zeros(a.shape, dt)))
    muts.append(("byte-swapped", a.astype(a.dtype.newbyteorder())))
    if arg.kind in ("out", "indices"):
        ro = a.copy()
        ro.flags.writeable = False
        muts.append(("read-only", ro))
        if a.size:
            muts.append(("misaligned", _misaligned_copy(a)))
        if a.size > 1 and a.shape[-1] > 1:
            muts.append(("strided", _strided_copy(a)))
    if arg.bound:
        muts.append(("extra dimension", np.zeros((2,) + a.shape, a.dtype)))
        if a.ndim:
            muts.append(("longer last dimension", np.zeros(a.shape[:-1] + (a.shape[-1] + 1,), a.dtype)))
    if arg.kind == "target" and a.size:
        for bad in (arg.classes, -2, 2**62, -(2**63)):
            t = a.copy()
            t[len(t) // 2] = bad
            muts.append((f"target {bad}", t))
    return muts


def mutations(arg):
    if arg.kind in ("in", "out", "target", "indices", "lse"):
        return array_mutations(arg)
    if arg.kind == "axis":
        return [("axis too large", arg.rank + 1), ("axis too small", -arg.rank - 1), ("axis 2**70", 2**70),
                ("axis str", "0")]
    if arg.kind == "int":
        return [("2**70", 2**70), ("-2**70", -(2**70)), ("str", "1")]
    if arg.kind == "str":
        return [("unknown", "bogus"), ("None", None), ("int", 3)]
    if arg.kind in ("float_list", "out_list"):
        muts = [("not a list", "abc"), ("one fewer", arg.value[:-1]),
                ("one more", arg.value + [arg.value[-1].copy()])]
        for i, a in enumerate(arg.value):
            inner = Arg(a, "out" if arg.kind == "out_list" else "in")
            for name, bad in array_mutations(inner):
                muts.append((f"[{i}] {name}", arg.value[:i] + [bad] + arg.value[i + 1:]))
        return muts
    raise AssertionError(arg.kind)


def rnd(shape, dtype, seed=0):
    return fz.fill(np.random.default_rng(seed), shape, dtype)


# ------------------------------------------------ a valid call for each binding
@st.composite
def gemm_call(draw, dtype):
    m, n, k = draw(sides(5)), draw(sides(5)), draw(sides(5))
    which = draw(st.sampled_from(["matmul", "bmm", "linear_forward", "linear_backward"]))
    if which == "matmul":
        return _C.matmul_into, [Arg(rnd((m, k), dtype), "in"), Arg(rnd((k, n), dtype), "in"),
                                Arg(rnd((m, n), dtype), "out", optional=True)]
    if which == "bmm":
        b = draw(sides(3))
        return _C.bmm_into, [Arg(rnd((b, m, k), dtype), "in"), Arg(rnd((b, k, n), dtype), "in"),
                             Arg(rnd((b, m, n), dtype), "out", optional=True)]
    if which == "linear_forward":
        return _C.linear_forward, [Arg(rnd((m, k), dtype), "in"), Arg(rnd((n, k), dtype), "in"),
                                   Arg(rnd((n,), dtype), "in", optional=True),
                                   Arg(rnd((m, n), dtype), "out", optional=True)]
    return _C.linear_backward, [Arg(rnd((m, n), dtype), "in"), Arg(rnd((m, k), dtype), "in"),
                                Arg(rnd((n, k), dtype), "in"), Arg(rnd((m, k), dtype), "out", optional=True),
                                Arg(rnd((n, k), dtype), "out", optional=True),
                                Arg(rnd((n,), dtype), "out", optional=True)]


@st.composite
def elementwise_call(draw, dtype):
    shape = draw(shapes(0, 4, 4))
    rank = max(len(shape), 1)
    which = draw(st.sampled_from(["unary_forward", "unary_backward", "softmax_forward", "softmax_backward"]))
    op = Arg(draw(st.sampled_from(sorted(_C.UNARY_SAVES))), "str")
    x, y = Arg(rnd(shape, dtype), "in"), Arg(rnd(shape, dtype, 1), "in")
    out = Arg(rnd(shape, dtype, 2), "out", optional=True)
    axis = Arg(draw(st.integers(-rank, rank - 1)), "axis")
    axis.rank = rank
    log = Arg(draw(st.booleans()), "bool")
    calls = {
        "unary_forward": (_C.unary_forward, [op, x, out]),
        "unary_backward": (_C.unary_backward, [op, x, y, out]),
        "softmax_forward": (_C.softmax_forward, [x, out, axis, log]),
        "softmax_backward": (_C.softmax_backward, [x, y, out, axis, log]),
    }
    return calls[which]


@st.composite
def reduce_call(draw, dtype):
    shape = draw(shapes(1, 4, 4))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    reduced = shape[:axis % len(shape)] + shape[axis % len(shape) + 1:]
    which = draw(st.sampled_from(["sum", "mean", "max", "min"]))
    # a shape change of x that keeps the reduced shape would be valid: only the rank is bound
    x = Arg(rnd(shape, dtype), "in", bound=False)
    ax = Arg(axis, "axis")
    ax.rank = len(shape)
    out = Arg(rnd(reduced, dtype), "out")
    if which in ("sum", "mean"):
        return getattr(_C, f"reduce_{which}"), [x, Arg(rnd(reduced, dtype), "out"), ax]
    if shape[axis] == 0:
        shape = shape[:axis % len(shape)] + (1,) + shape[axis % len(shape) + 1:]
        x = Arg(rnd(shape, dtype), "in", bound=False)
    indices = Arg(np.zeros(reduced, np.int64), "indices", optional=True)
    return getattr(_C, f"reduce_{which}"), [x, out, indices, ax]


@st.composite
def loss_call(draw, dtype):
    n, c = draw(sides(5)), draw(st.integers(1, 5))
    rng = np.random.default_rng(n * 10 + c)
    t = Arg(rng.integers(0, c, n).astype(np.int64), "target")
    t.classes = c
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    loss_shape = (n,) if reduction == "none" else ()
    x = Arg(rnd((n, c), dtype), "in")
    w = Arg(rng.uniform(0.5, 1.5, c).astype(dtype), "in", optional=True)
    ignore, red = Arg(-100, "int"), Arg(reduction, "str")
    which = draw(st.sampled_from(["ce_forward", "ce_backward", "nll_forward", "nll_backward"]))
    if which == "ce_forward":
        return _C.cross_entropy_forward, [x, t, w, ignore, Arg(0.0, "float"), red,
                                          Arg(rnd(loss_shape, dtype), "out", optional=True),
                                          Arg(rnd((2, n), np.float64), "out", optional=True)]
    if which == "ce_backward":
        return _C.cross_entropy_backward, [Arg(rnd(loss_shape, dtype), "in"), x, t, w,
                                           Arg(rnd((2, n), np.float64), "lse"), ignore, Arg(0.1, "float"), red,
                                           Arg(rnd((n, c), dtype), "out", optional=True)]
    if which == "nll_forward":
        return _C.nll_loss_forward, [x, t, w, ignore, red, Arg(rnd(loss_shape, dtype), "out", optional=True)]
    return _C.nll_loss_backward, [Arg(rnd(loss_shape, dtype), "in"), t, w, ignore, red,
                                  Arg(rnd((n, c), dtype), "out")]


@st.composite
def optim_call(draw, dtype):
    shapes_ = draw(st.lists(shapes(0, 3, 4), min_size=1, max_size=3))
    params = [rnd(s, dtype, i) for i, s in enumerate(shapes_)]

    def like(seed):
        return [np.asarray(np.abs(rnd(s, dtype, seed + i))) for i, s in enumerate(shapes_)]
    if draw(st.booleans()):
        return _C.sgd_step, [Arg(params, "out_list"), Arg(like(10), "float_list"), Arg(like(20), "out_list"),
                             Arg(0.1, "float"), Arg(0.9, "float"), Arg(0.0, "float"), Arg(False, "bool"),
                             Arg(0.0, "float"), Arg(False, "bool"), Arg(False, "bool")]
    return _C.adam_step, [Arg(params, "out_list"), Arg(like(10), "float_list"), Arg(like(20), "out_list"),
                          Arg(like(30), "out_list"), Arg(like(40), "out_list"), Arg([1] * len(shapes_), "steps"),
                          Arg(1e-3, "float"), Arg(0.9, "float"), Arg(0.999, "float"), Arg(1e-8, "float"),
                          Arg(0.0, "float"), Arg(True, "bool"), Arg(False, "bool"), Arg(False, "bool")]


def snapshot(args):
    """Bytes of every array in the call (lists' arrays included)."""
    arrays = []
    for a in args:
        for v in (a if isinstance(a, list) else [a]):
            if isinstance(v, np.ndarray):
                arrays.append((v, v.tobytes()))
    return arrays


def check_refused(fn, args, broken_at, name):
    before = snapshot(args)
    with pytest.raises(ERRORS):
        fn(*args)
    for a, data in before:
        assert a.tobytes() == data, f"{fn.__name__} wrote into an array before refusing a call ({name})"


def break_one(draw, fn, spec):
    breakable = [i for i, a in enumerate(spec) if a.kind not in ("bool", "float", "steps")]
    at = draw(st.sampled_from(breakable))
    name, bad = draw(st.sampled_from(mutations(spec[at])))
    args = [a.value for a in spec]
    args[at] = bad
    return args, at, name


@pytest.mark.parametrize("call", [gemm_call, elementwise_call, reduce_call, loss_call, optim_call],
                         ids=lambda c: c.__name__)
@fuzz_settings
@given(data=st.data(), dtype=st.sampled_from(FLOAT_DTYPES))
def test_broken_argument_is_refused(call, data, dtype):
    fn, spec = data.draw(call(dtype))
    fn(*[a.value for a in spec])  # the unbroken call is valid
    args, at, name = break_one(data.draw, fn, spec)
    check_refused(fn, args, at, name)


@fuzz_settings
@given(data=st.data(), dtype=st.sampled_from(FLOAT_DTYPES), shape=shapes(0, 4, 4),
       op=st.sampled_from(sorted(_C.BINARY_OPS)))
def test_binary_declines_or_refuses(data, dtype, shape, op):
    """binary() hands back NotImplemented for operands it does not take (the
    caller then uses numpy), and raises for a bad `out`."""
    a, b, out = rnd(shape, dtype), rnd(shape, dtype, 1), rnd(shape, dtype, 2)
    _C.binary(_C.BINARY_OPS[op], a, b, out)
    which = data.draw(st.sampled_from(["a", "b", "out"]))
    spec = Arg({"a": a, "b": b, "out": out}[which], "out" if which == "out" else "in")
    name, bad = data.draw(st.sampled_from(array_mutations(spec)))
    if which == "out":
        if bad is None:
            return  # out=None is valid: a new array
        args = (a, b, bad)
        check_refused(lambda *xs: _C.binary(_C.BINARY_OPS[op], *xs), args, 2, name)
        return
    args = (bad, b, out) if which == "a" else (a, bad, out)
    before = snapshot(args)
    try:
        result = _C.binary(_C.BINARY_OPS[op], *args)
    except ERRORS:
        result = NotImplemented
    if isinstance(bad, (float, int)) and not isinstance(bad, bool):
        return  # a Python number is a valid operand
    if isinstance(bad, np.ndarray) and bad.dtype == np.dtype(dtype):
        try:
            if np.broadcast_shapes(bad.shape, shape) == shape:
                return  # (1,) against (0,): numpy's broadcasting, a valid operand
        except ValueError:
            pass
    assert result is NotImplemented, f"binary took a broken operand ({name})"
    for arr, data_ in before:
        assert arr.tobytes() == data_


@pytest.mark.parametrize("call", [
    lambda huge: _C.unary_forward("relu", huge),
    lambda huge: _C.softmax_forward(huge, None, 0, False),
    lambda huge: _C.reduce_sum(huge, np.empty((), np.float32), 0),
    lambda huge: _C.matmul_into(huge[:2**25, None], huge[None, :2**25]),
    lambda huge: _C.linear_forward(huge[:2**25, None], huge[:2**25, None], None),
], ids=["unary", "softmax", "reduce", "matmul", "linear"])
def test_huge_broadcast_input_is_a_memory_error(call):
    """A broadcast view of 2**50 elements costs nothing to make; the copy or
    the output a binding needs for it cannot be allocated."""
    huge = np.broadcast_to(np.float32(1.0), (2**50,))
    with pytest.raises(MemoryError):
        call(huge)
