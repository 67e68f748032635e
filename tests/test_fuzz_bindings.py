"""Every kernel binding in hayabusa._C fuzzed with hypothesis against numpy float64 references.

Shapes of rank 0 to 4 with 0- and 1-sized dimensions; inputs in every layout
(tests/fuzzing.py: permuted axes, steps, negative steps, broadcast, padding
full of NaN, misaligned, read-only); outputs between guard regions; every
instruction set this CPU runs. Malformed calls are in test_fuzz_bad_calls.py.
HB_FUZZ_EXAMPLES sets the examples per test.
"""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

import fuzzing as fz
from fuzzing import FLOAT_DTYPES, Guarded, arrays, forced_isa, fuzz_settings, isas, outputs, shapes, sides
from hayabusa import _C
from test_activation_kernel import OPS as UNARY_OPS, PARAM_STRATEGIES, reference_derivative, reference_forward
from test_loss_kernel import reference_ce
from test_optim_kernel import ADAM_CASES, SGD_CASES, adam_reference, sgd_reference
from test_softmax_kernel import reference as softmax_reference, reference_backward as softmax_reference_backward

dtypes = st.sampled_from(FLOAT_DTYPES)
# Sizes past HB_OMP_MIN_ELEMENTS (32768), so the threaded loops see every layout too.
LARGE_SHAPES = st.sampled_from([(40000,), (3, 12000), (170, 200), (2, 130, 130)])


def big_or_small(max_rank=4, max_side=6):
    return st.one_of(shapes(0, max_rank, max_side), shapes(0, max_rank, max_side), LARGE_SHAPES)


def output_or_raise(out, call):
    """Runs call(out array or None); a misaligned output must be refused with ValueError
    before the kernel runs. Returns the result, or None when refused."""
    if out is not None and fz.is_misaligned(out.array):
        before = out.buffer.copy()
        with pytest.raises(ValueError, match="aligned"):
            call(out.array)
        np.testing.assert_array_equal(out.buffer.view(np.uint8), before.view(np.uint8))
        return None
    result = call(None if out is None else out.array)
    if out is not None:
        out.check()
    return result


def unchanged(*arrays_before):
    """Checks that inputs were not written: (array, copy taken before the call) pairs."""
    for a, before in arrays_before:
        np.testing.assert_array_equal(a, before)


# ------------------------------------------------------------------------ GEMM
gemm_sides = st.integers(0, 9) | st.integers(0, 70)


def gemm_scale(a, b, alpha, beta, c):
    scale = abs(alpha) * (np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64)))
    if beta != 0:
        scale = scale + abs(beta) * np.abs(c.astype(np.float64))
    return scale


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, m=gemm_sides, n=gemm_sides, k=gemm_sides,
       alpha=st.sampled_from([1.0, -1.0, 0.5, 0.0]), beta=st.sampled_from([0.0, 1.0, -0.5]))
def test_matmul_into(data, isa, dtype, m, n, k, alpha, beta):
    a = data.draw(arrays(dtype, (m, k), broadcast=True))
    b = data.draw(arrays(dtype, (k, n), broadcast=True))
    c = fz.fill(np.random.default_rng(m * n), (m, n), dtype)
    out = data.draw(outputs(dtype, (m, n)))
    if out is not None and beta != 0:
        out.array[...] = c
    a0, b0 = a.copy(), b.copy()
    with forced_isa(isa):
        got = output_or_raise(out, lambda o: _C.matmul_into(a, b, o, alpha=alpha, beta=beta))
    if got is None:
        return
    if out is None:
        beta = 0.0
    else:
        assert got is out.array
    want = alpha * (a.astype(np.float64) @ b.astype(np.float64)) + (beta * c if beta else 0)
    fz.assert_close(got, want, dtype, terms=k, scale=gemm_scale(a, b, alpha, beta, c))
    unchanged((a, a0), (b, b0))


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, batch=sides(4), m=gemm_sides, n=gemm_sides,
       k=st.integers(0, 20), alpha=st.sampled_from([1.0, -2.0]), beta=st.sampled_from([0.0, 1.0]))
def test_bmm_into(data, isa, dtype, batch, m, n, k, alpha, beta):
    a = data.draw(arrays(dtype, (batch, m, k), broadcast=True))
    b = data.draw(arrays(dtype, (batch, k, n), broadcast=True))
    c = fz.fill(np.random.default_rng(batch), (batch, m, n), dtype)
    out = data.draw(outputs(dtype, (batch, m, n)))
    if out is not None and beta != 0:
        out.array[...] = c
    with forced_isa(isa):
        got = output_or_raise(out, lambda o: _C.bmm_into(a, b, o, alpha=alpha, beta=beta))
    if got is None:
        return
    if out is None:
        beta = 0.0
    want = alpha * (a.astype(np.float64) @ b.astype(np.float64)) + (beta * c if beta else 0)
    scale = np.stack([gemm_scale(a[i], b[i], alpha, beta, c[i]) for i in range(batch)]) if batch else want
    fz.assert_close(got, want, dtype, terms=k, scale=scale)


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, m=gemm_sides, n=gemm_sides, k=gemm_sides,
       with_bias=st.booleans())
def test_linear_forward(data, isa, dtype, m, n, k, with_bias):
    x = data.draw(arrays(dtype, (m, k), broadcast=True))
    w = data.draw(arrays(dtype, (n, k), broadcast=True))
    bias = data.draw(arrays(dtype, (n,), broadcast=True)) if with_bias else None
    out = data.draw(outputs(dtype, (m, n)))
    with forced_isa(isa):
        got = output_or_raise(out, lambda o: _C.linear_forward(x, w, bias, o))
    if got is None:
        return
    c = np.broadcast_to(bias, (m, n)) if with_bias else np.zeros((m, n))
    want = x.astype(np.float64) @ w.T.astype(np.float64) + c
    fz.assert_close(got, want, dtype, terms=k, scale=gemm_scale(x, w.T, 1.0, 1.0, c))


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, m=gemm_sides, n=gemm_sides, k=gemm_sides,
       accumulate=st.booleans(), which=st.tuples(*[st.sampled_from(["skip", "new", "given"])] * 3))
def test_linear_backward(data, isa, dtype, m, n, k, accumulate, which):
    g = data.draw(arrays(dtype, (m, n), broadcast=True))
    x = data.draw(arrays(dtype, (m, k), broadcast=True))
    w = data.draw(arrays(dtype, (n, k), broadcast=True))
    rng = np.random.default_rng(m + n + k)
    shapes_ = [(m, k), (n, k), (n,)]
    olds = [fz.fill(rng, s, dtype) for s in shapes_]
    guarded = [Guarded(s, dtype, fill_value=0) if kind == "given" else None for s, kind in zip(shapes_, which)]
    for gd, old in zip(guarded, olds):
        if gd is not None:
            gd.array[...] = old if accumulate else np.nan
    args = [gd.array if gd is not None else (True if kind == "new" else None)
            for gd, kind in zip(guarded, which)]
    with forced_isa(isa):
        if accumulate and "new" in which:
            with pytest.raises(ValueError, match="accumulate needs the outputs"):
                _C.linear_backward(g, x, w, *args, accumulate)
            return
        got = _C.linear_backward(g, x, w, *args, accumulate)
    g64, x64, w64 = (a.astype(np.float64) for a in (g, x, w))
    wants = [g64 @ w64, g64.T @ x64, g64.sum(axis=0)]
    scales = [np.abs(g64) @ np.abs(w64), np.abs(g64.T) @ np.abs(x64), np.abs(g64).sum(axis=0)]
    terms = [n, m, m]
    for i, kind in enumerate(which):
        if kind == "skip":
            assert got[i] is None
            continue
        if kind == "given":
            assert got[i] is guarded[i].array
            guarded[i].check()
        add = olds[i] if accumulate else 0
        fz.assert_close(got[i], wants[i] + add, dtype, terms=terms[i], scale=scales[i] + np.abs(add))


# ---------------------------------------------------------------- elementwise
BINARY_REFERENCE = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}


@st.composite
def binary_operand(draw, dtype, shape):
    kind = draw(st.sampled_from(["array", "array", "one value", "python float", "python int"]))
    if kind == "array":
        return draw(arrays(dtype, shape, specials=0.1))
    if kind == "one value":
        one = draw(arrays(dtype, (), specials=0.1, layout=False))
        lead = draw(st.integers(0, len(shape)))
        return np.broadcast_to(one, (1,) * (len(shape) - lead) if draw(st.booleans()) else shape)
    if kind == "python float":
        return draw(st.sampled_from([0.0, -0.0, 1.5, -3.25, math.inf, math.nan, 1e300]))
    return draw(st.sampled_from([0, 1, -7, 2**40]))


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, op=st.sampled_from(sorted(BINARY_REFERENCE)),
       shape=big_or_small(), out_kind=st.sampled_from(["none", "guarded", "a", "b"]))
def test_binary(data, isa, dtype, op, shape, out_kind):
    a = data.draw(binary_operand(dtype, shape))
    b = data.draw(binary_operand(dtype, shape))
    want_shape = np.broadcast_shapes(np.shape(a), np.shape(b))
    out = None
    if out_kind == "guarded":
        out = data.draw(outputs(dtype, want_shape))
    elif out_kind in ("a", "b"):
        operand = a if out_kind == "a" else b
        if isinstance(operand, np.ndarray) and operand.flags.writeable and operand.shape == want_shape:
            out = operand
    with np.errstate(all="ignore"):
        # a Python number takes the array's dtype first (1e300 is inf in float32), as in PyTorch
        want = BINARY_REFERENCE[op](np.asarray(a, dtype).astype(np.float64), np.asarray(b, dtype).astype(np.float64))
    target = out.array if isinstance(out, Guarded) else out
    with forced_isa(isa):
        if isinstance(out, Guarded) and fz.is_misaligned(out.array):
            # refused, unless the operands already send the caller to numpy
            try:
                assert _C.binary(_C.BINARY_OPS[op], a, b, target) is NotImplemented
            except ValueError as e:
                assert "aligned" in str(e)
            return
        got = _C.binary(_C.BINARY_OPS[op], a, b, target)
    if got is NotImplemented:
        # only layouts the kernel does not take: mixed, integer or strided operands
        arrays_ = [v for v in (a, b) if isinstance(v, np.ndarray)]
        simple = all(v.flags.c_contiguous and v.flags.aligned and v.shape == want_shape for v in arrays_)
        assert not (simple and len(arrays_) >= 1 and type(a) in (np.ndarray, float, int)
                    and type(b) in (np.ndarray, float, int)), "binary declined operands it handles"
        return
    if target is not None:
        assert got is target
    if isinstance(out, Guarded):
        out.check()
    assert got.dtype == dtype and got.shape == want_shape
    fz.assert_close(got, want.astype(dtype).astype(np.float64), dtype)


@st.composite
def unary_case(draw):
    op = draw(st.sampled_from(UNARY_OPS))
    p1, p2 = draw(PARAM_STRATEGIES.get(op, st.just((0.0, 0.0))))
    return op, p1, p2


UNARY_TOL = {np.float32: dict(rtol=2e-5, atol=2e-5), np.float64: dict(rtol=1e-12, atol=1e-12)}


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, case=unary_case(), shape=big_or_small(),
       scale=st.sampled_from([1.0, 3.0, 10.0]), in_place=st.booleans())
def test_unary_forward_backward(data, isa, dtype, case, shape, scale, in_place):
    op, p1, p2 = case
    x = data.draw(arrays(dtype, shape, scale=scale, broadcast=True))
    g = data.draw(arrays(dtype, shape, broadcast=True))
    out = data.draw(outputs(dtype, shape))
    with forced_isa(isa):
        y = output_or_raise(out, lambda o: _C.unary_forward(op, x, o, p1, p2))
        if y is None:
            return
        want = reference_forward(op, x, p1, p2)
        np.testing.assert_allclose(y, want, equal_nan=True, **UNARY_TOL[dtype])
        saved = y if _C.UNARY_SAVES[op] == "output" else x
        if data.draw(st.booleans()):
            saved = fz.place(np.array(saved), data.draw(fz.layouts(len(shape))))
        grad_in = data.draw(outputs(dtype, shape))
        gi = output_or_raise(grad_in, lambda o: _C.unary_backward(op, g, saved, o, p1, p2))
        if gi is None:
            return
        np.testing.assert_allclose(gi, g.astype(np.float64) * reference_derivative(op, x, p1, p2),
                                   equal_nan=True, **{k: v * 4 for k, v in UNARY_TOL[dtype].items()})
        if in_place and x.flags.writeable and x.flags.c_contiguous and x.flags.aligned:
            # out is x itself: an elementwise op in place
            _C.unary_forward(op, x, x, p1, p2)
            np.testing.assert_array_equal(x, y)


# -------------------------------------------------------------------- softmax
@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, shape=big_or_small(), log=st.booleans())
def test_softmax_forward_backward(data, isa, dtype, shape, log):
    rank = max(len(shape), 1)
    dim = data.draw(st.integers(-rank, rank - 1))
    x = data.draw(arrays(dtype, shape, scale=10.0, specials=0.05, broadcast=True))
    out = data.draw(outputs(dtype, shape))
    with forced_isa(isa):
        y = output_or_raise(out, lambda o: _C.softmax_forward(x, o, dim, log))
        if y is None:
            return
        x64 = x.astype(np.float64).reshape(shape or (1,))
        d = dim if len(shape) else 0
        n = x64.shape[d]
        if x.size:
            with np.errstate(invalid="ignore", over="ignore"):
                want = softmax_reference(x64, d, log).reshape(shape)
                # log_softmax is x - max - log(sum): rounding follows the terms, not the result
                scale = np.abs(want) + (np.abs(x64 - x64.max(d, keepdims=True)).reshape(shape) if log else 0)
            fz.assert_close(y, want, dtype, scale=scale, rtol=16 * np.finfo(dtype).eps + 4 * n * 2.0**-52)
        g = data.draw(arrays(dtype, shape, broadcast=True))
        y_in = fz.place(y.copy(), data.draw(fz.layouts(len(shape)))) if data.draw(st.booleans()) else y
        grad_in = data.draw(outputs(dtype, shape))
        gi = output_or_raise(grad_in, lambda o: _C.softmax_backward(g, y_in, o, dim, log))
        if gi is None:
            return
        g64, y64 = g.astype(np.float64).reshape(shape or (1,)), y.astype(np.float64).reshape(shape or (1,))
        with np.errstate(invalid="ignore", over="ignore"):
            want = softmax_reference_backward(g64, y64, d, log).reshape(shape)
            # the backward subtracts a sum over the row from each entry: its rounding
            # scales with the row's absolute sum, not with the (cancelled) result
            p = np.exp(y64) if log else np.abs(y64)
            scale = (np.abs(g64) + p * np.abs(g64 * (1 if log else y64)).sum(d, keepdims=True)).reshape(shape)
        fz.assert_close(gi, want, dtype, terms=n, scale=scale)


# --------------------------------------------------------------------- losses
def ce_grad_reference(g, x, t, w, ignore_index, eps, reduction):
    """d cross_entropy / d logits in float64 (PyTorch's formula, label smoothing and weights)."""
    x = x.astype(np.float64)
    n, c = x.shape
    w = np.ones(c) if w is None else w.astype(np.float64)
    z = x - x.max(1, keepdims=True) if c else x
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True) if c else x
    keep = t != ignore_index
    safe_t = np.where(keep, t, 0)
    onehot = np.zeros((n, c))
    if c:
        onehot[np.arange(n), safe_t] = 1
    wt = w[safe_t] if c else np.zeros(n)
    rows = (1 - eps) * wt[:, None] * (p - onehot) + eps / max(c, 1) * (w.sum() * p - w)
    rows = np.where(keep[:, None], rows, 0.0)
    g = np.asarray(g, np.float64)
    if reduction == "none":
        return rows * g[:, None]
    if reduction == "sum":
        return rows * g
    total = wt[keep].sum()
    return rows * g / total if total else rows  # every row ignored: zero gradient, as PyTorch


@st.composite
def loss_case(draw, dtype):
    n, c = draw(sides(8)), draw(st.integers(1, 9) | st.just(0))
    ignore_index = draw(st.sampled_from([-100, 0, 2]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    t = rng.integers(0, c, n) if c else np.full(n, ignore_index)
    t[rng.random(n) < 0.2] = ignore_index
    t = t.astype(np.int64)
    target = fz.place(t, draw(fz.layouts(1))) if draw(st.booleans()) else t
    weight = None
    if draw(st.booleans()):
        weight = fz.place(rng.uniform(0.1, 2.0, c).astype(dtype), draw(fz.layouts(1, broadcast=True)))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    return n, c, target, weight, ignore_index, reduction


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, label_smoothing=st.sampled_from([0.0, 0.1, 1.0]))
def test_cross_entropy(data, isa, dtype, label_smoothing):
    n, c, t, w, ignore_index, reduction = data.draw(loss_case(dtype))
    x = data.draw(arrays(dtype, (n, c), broadcast=True))
    loss_shape = (n,) if reduction == "none" else ()
    loss_out = data.draw(outputs(dtype, loss_shape))
    lse_out = data.draw(outputs(np.float64, (2, n)))  # float64 for either dtype
    tol = {np.float32: dict(rtol=2e-5, atol=2e-6), np.float64: dict(rtol=1e-12, atol=1e-13)}[dtype]
    with forced_isa(isa):
        def forward(loss_o, lse_o):
            return _C.cross_entropy_forward(x, t, w, ignore_index, label_smoothing, reduction, loss_o, lse_o)
        if any(o is not None and fz.is_misaligned(o.array) for o in (loss_out, lse_out)):
            with pytest.raises(ValueError, match="aligned"):
                forward(*(None if o is None else o.array for o in (loss_out, lse_out)))
            return
        loss, lse = forward(*(None if o is None else o.array for o in (loss_out, lse_out)))
        for o in (loss_out, lse_out):
            if o is not None:
                o.check()
        with np.errstate(all="ignore"):
            if c:
                want = reference_ce(x, np.asarray(t), w, ignore_index, label_smoothing, reduction)
            elif label_smoothing:  # no classes: smoothing divides by C = 0, as in PyTorch
                want = np.full(n, np.nan) if reduction == "none" else np.nan
            else:  # no classes, every target ignore_index: PyTorch's values
                want = {"none": np.zeros(n), "sum": 0.0, "mean": np.nan}[reduction]
        np.testing.assert_allclose(loss, want, equal_nan=True, **tol)
        g = data.draw(arrays(dtype, loss_shape, broadcast=True))
        grad_out = data.draw(outputs(dtype, (n, c)))
        gi = output_or_raise(grad_out, lambda o: _C.cross_entropy_backward(
            g, x, t, w, lse, ignore_index, label_smoothing, reduction, o))
        if gi is None:
            return
        with np.errstate(all="ignore"):
            want = ce_grad_reference(g, x, np.asarray(t), w, ignore_index, label_smoothing, reduction)
        np.testing.assert_allclose(gi, want, equal_nan=True, **tol)


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes)
def test_nll_loss(data, isa, dtype):
    n, c, t, w, ignore_index, reduction = data.draw(loss_case(dtype))
    logp = data.draw(arrays(dtype, (n, c), broadcast=True))
    loss_shape = (n,) if reduction == "none" else ()
    loss_out = data.draw(outputs(dtype, loss_shape))
    with forced_isa(isa):
        loss = output_or_raise(loss_out, lambda o: _C.nll_loss_forward(logp, t, w, ignore_index, reduction, o))
        if loss is None:
            return
        t64 = np.asarray(t)
        keep = t64 != ignore_index
        safe_t = np.where(keep, t64, 0)
        w64 = np.ones(c) if w is None else np.asarray(w, np.float64)
        wt = np.where(keep, w64[safe_t] if c else 0.0, 0.0)
        rows = -wt * (logp.astype(np.float64)[np.arange(n), safe_t] if c else 0.0)
        with np.errstate(all="ignore"):
            want = {"none": rows, "sum": rows.sum(), "mean": rows.sum() / wt.sum()}[reduction]
        fz.assert_close(loss, want, dtype, terms=n, scale=np.abs(rows).sum() if reduction != "none" else None)
        g = data.draw(arrays(dtype, loss_shape, broadcast=True))
        grad = data.draw(outputs(dtype, (n, c), fill_value=np.nan)) or Guarded((n, c), dtype)
        gi = output_or_raise(grad, lambda o: _C.nll_loss_backward(g, t, w, ignore_index, reduction, o))
        if gi is None:
            return
        want = np.zeros((n, c))
        g64 = np.asarray(g, np.float64)
        with np.errstate(all="ignore"):
            scale = {"none": g64, "sum": np.full(n, g64), "mean": np.full(n, g64 / wt.sum())}[reduction]
        if c:
            want[np.arange(n)[keep], safe_t[keep]] = -(wt * scale)[keep]
        fz.assert_close(gi, want, dtype)


# ----------------------------------------------------------------- reductions
@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, shape=big_or_small(),
       kind=st.sampled_from(["sum", "mean", "max", "min"]))
def test_reduce(data, isa, dtype, shape, kind):
    rank = max(len(shape), 1)
    axis = data.draw(st.integers(-rank, rank - 1))
    x = data.draw(arrays(dtype, shape, specials=0.05, broadcast=True))
    reduced = shape[:axis % rank] + shape[axis % rank + 1:] if shape else ()
    out = data.draw(outputs(dtype, reduced)) or Guarded(reduced, dtype)
    x64 = x.astype(np.float64).reshape(shape or (1,))
    with forced_isa(isa):
        if kind in ("sum", "mean"):
            fn = _C.reduce_sum if kind == "sum" else _C.reduce_mean
            got = output_or_raise(out, lambda o: fn(x, o, axis) or o)
            if got is None:
                return
            n = x64.shape[axis]
            with np.errstate(all="ignore"):
                want = x64.sum(axis) if kind == "sum" else x64.mean(axis)
                scale = np.abs(x64).sum(axis) / (max(n, 1) if kind == "mean" else 1)
            fz.assert_close(got, want, dtype, terms=2, scale=scale)
            return
        indices = data.draw(outputs(np.int64, reduced, fill_value=-1)) if data.draw(st.booleans()) else None
        fn = _C.reduce_max if kind == "max" else _C.reduce_min
        if indices is not None and fz.is_misaligned(indices.array):
            with pytest.raises(ValueError, match="aligned"):
                fn(x, out.array, indices.array, axis)
            return
        if x64.shape[axis] == 0 and not fz.is_misaligned(out.array):
            with pytest.raises(IndexError, match="non-zero size"):
                fn(x, out.array, None if indices is None else indices.array, axis)
            return
        got = output_or_raise(out, lambda o: fn(x, o, None if indices is None else indices.array, axis) or o)
        if got is None:
            return
        arg = (np.argmax if kind == "max" else np.argmin)(x64, axis)
        want = np.take_along_axis(x64, np.expand_dims(arg, axis), axis).squeeze(axis)
        fz.assert_close(got, want, dtype)
        if indices is not None:
            indices.check()
            np.testing.assert_array_equal(indices.array, arg)


# ----------------------------------------------------------------- optimizers
@st.composite
def param_set(draw, dtype):
    count = draw(st.integers(0, 4))
    shapes_ = [draw(shapes(0, 3, 5)) for _ in range(count)] + draw(st.lists(LARGE_SHAPES, max_size=1))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    params = [Guarded(s, dtype) for s in shapes_]
    for p in params:
        p.array[...] = fz.fill(rng, p.array.shape, dtype)
    grads = [draw(arrays(dtype, s, broadcast=True)) for s in shapes_]
    return params, grads


def guarded_like(params, rng, positive=False):
    states = [Guarded(p.array.shape, p.array.dtype) for p in params]
    for s in states:
        v = fz.fill(rng, s.array.shape, s.array.dtype)
        s.array[...] = np.abs(v) if positive else v
    return states


def arrays_of(guarded):
    return [g.array for g in guarded]


def contiguous_copies(guarded):
    return [g.array.copy() for g in guarded]


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, case=st.sampled_from(SGD_CASES), lr=st.sampled_from([0.0, 1e-3, 0.5]),
       first_step=st.booleans())
def test_sgd_step(data, isa, dtype, case, lr, first_step):
    params, grads = data.draw(param_set(dtype))
    rng = np.random.default_rng(len(params))
    bufs = guarded_like(params, rng) if case["momentum"] else None
    want_p = contiguous_copies(params)
    want_b = contiguous_copies(bufs) if bufs is not None else None
    args = (lr, case["momentum"], case["dampening"], case["nesterov"], case["weight_decay"], case["maximize"],
            first_step)
    with forced_isa(isa):
        _C.sgd_step(arrays_of(params), grads, arrays_of(bufs) if bufs is not None else None, *args)
        sgd_reference(want_p, [np.ascontiguousarray(g) for g in grads], want_b, *args)
    tol = {np.float32: dict(rtol=1e-6, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-13)}[dtype]
    for got, want in zip(params + (bufs or []), want_p + (want_b or [])):
        got.check()
        np.testing.assert_allclose(got.array, want, **tol)


@fuzz_settings
@given(data=st.data(), isa=isas, dtype=dtypes, case=st.sampled_from(ADAM_CASES),
       lr=st.sampled_from([0.0, 1e-3, 0.1]), step=st.integers(1, 1000))
def test_adam_step(data, isa, dtype, case, lr, step):
    params, grads = data.draw(param_set(dtype))
    rng = np.random.default_rng(len(params))
    ms, vs = guarded_like(params, rng), guarded_like(params, rng, positive=True)
    maxs = guarded_like(params, rng, positive=True) if case["amsgrad"] else None
    want = [contiguous_copies(s) if s is not None else None for s in (params, ms, vs, maxs)]
    steps = [step + i for i in range(len(params))]
    args = (lr, case["beta1"], 0.999, 1e-8, case["weight_decay"], case["amsgrad"], case["maximize"],
            case["decoupled"])
    with forced_isa(isa):
        _C.adam_step(arrays_of(params), grads, arrays_of(ms), arrays_of(vs),
                     arrays_of(maxs) if maxs is not None else None,
                     steps, *args)
        adam_reference(want[0], [np.ascontiguousarray(g) for g in grads], want[1], want[2], want[3], steps, *args)
    tol = {np.float32: dict(rtol=2e-6, atol=2e-6), np.float64: dict(rtol=1e-12, atol=1e-13)}[dtype]
    for got_list, want_list in zip((params, ms, vs, maxs), want):
        for got, w in zip(got_list or [], want_list or []):
            got.check()
            np.testing.assert_allclose(got.array, w, **tol)
