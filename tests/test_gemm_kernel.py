"""GEMM kernels through their bindings (hayabusa._C): matmul_into, bmm_into,
linear_forward, linear_backward, against numpy float64 references, on every
instruction set this build holds and this CPU runs."""
import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hayabusa import _C

ISAS = _C.compiled_isas()


def _runs_here(name):
    try:
        _C.set_isa(name)
        return True
    except RuntimeError:
        return False
    finally:
        _C.set_isa(_C.detect_isa())


RUNNABLE_ISAS = [name for name in ISAS if _runs_here(name)]


@contextlib.contextmanager
def forced_isa(name):
    try:
        _C.set_isa(name)
    except RuntimeError as e:
        pytest.skip(f"{name}: {e}")
    try:
        yield
    finally:
        _C.set_isa(_C.detect_isa())


def reference(a, b, alpha=1.0, beta=0.0, c=None):
    ref = alpha * (a.astype(np.float64) @ b.astype(np.float64))
    if beta != 0:
        ref = ref + beta * c.astype(np.float64)
    return ref


def assert_gemm_close(out, a, b, alpha=1.0, beta=0.0, c=None):
    """Entrywise error bound for a length-k sum: a small multiple of k * eps
    times the same sum over absolute values."""
    k = a.shape[-1]
    eps = np.finfo(out.dtype).eps
    ref = reference(a, b, alpha, beta, c)
    scale = abs(alpha) * (np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64)))
    if beta != 0:
        scale = scale + abs(beta) * np.abs(c.astype(np.float64))
    bound = 2 * (k + 2) * eps * scale + np.finfo(out.dtype).tiny
    assert out.shape == ref.shape
    assert np.all(np.isfinite(out)), "non-finite entries in the result"
    err = np.abs(out - ref)
    if not np.all(err <= bound):
        worst = np.unravel_index(np.argmax(err - bound), err.shape)
        raise AssertionError(f"error {err[worst]} > bound {bound[worst]} at {worst}")


def operand(rng, rows, cols, dtype, trans):
    """A (rows, cols) matrix; with trans, a transposed view of a contiguous (cols, rows)."""
    x = rng.standard_normal((rows, cols)).astype(dtype)
    return np.ascontiguousarray(x.T).T if trans else x


TRANSPOSES = [(False, False), (False, True), (True, False), (True, True)]
DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_random_shapes(isa, dtype):
    rng = np.random.default_rng(1234)
    for _ in range(8):
        m, n, k = (int(v) for v in rng.integers(1, 301, size=3))
        for ta, tb in TRANSPOSES:
            a = operand(rng, m, k, dtype, ta)
            b = operand(rng, k, n, dtype, tb)
            out = np.full((m, n), np.nan, dtype)
            assert _C.matmul_into(a, b, out) is out
            assert_gemm_close(out, a, b)
            np.testing.assert_array_equal(_C.matmul_into(a, b), out)


# Sizes around the register tile (6 or 12 rows, 8..32 columns), the cache blocks
# (144 / 72 rows, 256 deep) and the small-product threshold (64^3).
EDGE_SHAPES = [
    (1, 1, 1), (1, 17, 1), (17, 1, 3), (6, 16, 256), (7, 17, 257), (5, 15, 255),
    (12, 32, 64), (13, 33, 65), (11, 31, 63), (64, 64, 64), (63, 65, 64),
    (145, 40, 20), (144, 48, 512), (73, 9, 300), (2, 600, 300), (300, 2, 300),
    (150, 150, 1), (1, 300, 300), (300, 300, 1), (2, 3, 2500), (5, 20, 2049),
    # packed, with few columns: computed transposed
    (300, 5, 2100), (200, 8, 400), (64, 10, 3000),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ta,tb", TRANSPOSES)
def test_matmul_edge_shapes(isa, dtype, ta, tb):
    rng = np.random.default_rng(7)
    for m, n, k in EDGE_SHAPES:
        a = operand(rng, m, k, dtype, ta)
        b = operand(rng, k, n, dtype, tb)
        out = np.full((m, n), np.nan, dtype)
        _C.matmul_into(a, b, out)
        assert_gemm_close(out, a, b)


# The small-product paths: a dot product per entry (m * n <= 64; outputs of at
# most 4 x 4 with the loop over the depth outermost), the narrow
# path (n and k both at most 4: every (n, k) pair below, at a few row counts),
# the product computed transposed (few columns, many rows: n <= 16 with
# AVX-512, 8 with AVX2, 4 portable) and the plain direct path, with the shapes
# of tiny Linear layers (400x2 -> 3 and its gradients) among them.
SMALL_PRODUCT_SHAPES = [
    (400, 3, 2), (3, 2, 400), (400, 2, 3), (32, 4, 32), (4, 32, 32), (8, 8, 2000), (1, 1, 2048),
    (1, 64, 3), (64, 1, 3), (65, 1, 3), (100, 16, 7), (100, 17, 7), (16, 100, 7), (9, 8, 5),
    (200, 4, 1), (33, 5, 64), (100, 5, 4), (100, 4, 5),
] + [(m, n, k) for n in range(1, 5) for k in range(1, 5) for m in (17, 131)] + [
    # outputs of at most 4 x 4 (the sums by p mod 4 with p outermost): depths that leave
    # 0 to 3 steps over
    (m, n, k) for m in range(1, 5) for n in range(1, 5) for k in (1, 6, 403)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("ta,tb", TRANSPOSES)
@pytest.mark.parametrize("alpha,beta", [(1.0, 0.0), (-1.5, 0.5)])
def test_small_product_paths(isa, dtype, ta, tb, alpha, beta):
    rng = np.random.default_rng(11)
    for m, n, k in SMALL_PRODUCT_SHAPES:
        a = operand(rng, m, k, dtype, ta)
        b = operand(rng, k, n, dtype, tb)
        c = rng.standard_normal((m, n)).astype(dtype)
        out = c.copy() if beta != 0 else np.full((m, n), np.nan, dtype)
        _C.matmul_into(a, b, out, alpha=alpha, beta=beta)
        assert_gemm_close(out, a, b, alpha, beta, c)


@pytest.mark.parametrize("size", [5, 40, 130])  # direct, direct, packed + threads
@pytest.mark.parametrize("ta,tb", TRANSPOSES)
@pytest.mark.parametrize("alpha,beta", [(1.0, 1.0), (-2.5, 0.5), (0.5, -1.0), (0.0, 2.0), (3.0, 0.0)])
def test_alpha_beta(isa, size, ta, tb, alpha, beta):
    rng = np.random.default_rng(size)
    m, n, k = size, size + 3, size + 1
    a = operand(rng, m, k, np.float32, ta)
    b = operand(rng, k, n, np.float32, tb)
    c = rng.standard_normal((m, n)).astype(np.float32)
    out = c.copy()
    _C.matmul_into(a, b, out, alpha=alpha, beta=beta)
    assert_gemm_close(out, a, b, alpha, beta, c)


@pytest.mark.parametrize("size", [5, 130])
def test_beta_zero_ignores_nan(isa, size):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((size, size)).astype(np.float32)
    b = rng.standard_normal((size, size)).astype(np.float32)
    out = np.full((size, size), np.nan, np.float32)
    _C.matmul_into(a, b, out, alpha=2.0, beta=0.0)
    assert_gemm_close(out, a, b, alpha=2.0)


def test_leading_dims_larger_than_width(isa):
    rng = np.random.default_rng(3)
    for dtype in DTYPES:
        for m, n, k in [(7, 9, 5), (70, 90, 110), (150, 33, 260)]:
            big_a = rng.standard_normal((m + 3, k + 11)).astype(dtype)
            big_b = rng.standard_normal((k + 5, n + 7)).astype(dtype)
            cases = [
                (big_a[:m, :k], big_b[:k, :n]),
                (big_a[1:m + 1, 2:k + 2], big_b[3:k + 3, 1:n + 1]),
                # transposed views of slices: columns contiguous, ld = the big row width
                (np.ascontiguousarray(big_a.T)[:k, :m].T, np.ascontiguousarray(big_b.T)[:n, :k].T),
            ]
            for a, b in cases:
                assert a.shape == (m, k) and b.shape == (k, n)
                out = np.full((m, n), np.nan, dtype)
                _C.matmul_into(a, b, out)
                assert_gemm_close(out, a, b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("beta", [0.0, 1.0])
def test_edge_tiles_write_nothing_past_the_output(isa, dtype, beta):
    """Edge tiles are stored with masked stores: nothing past the last column of a
    row (the next row's start) or past the array may change."""
    rng = np.random.default_rng(5)
    for m, n, k in [(13, 17, 9), (7, 33, 40), (25, 3, 100), (97, 101, 31), (150, 45, 300)]:
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        c = rng.standard_normal((m, n)).astype(dtype)
        buf = np.full(m * n + 64, 1234.5, dtype)
        out = buf[:m * n].reshape(m, n)
        out[...] = c
        _C.matmul_into(a, b, out, beta=beta)
        assert_gemm_close(out, a, b, 1.0, beta, c)
        assert np.all(buf[m * n:] == 1234.5)


@pytest.mark.parametrize("m,n,k", [(0, 4, 3), (4, 0, 3), (0, 0, 0), (4, 5, 0), (1, 1, 0), (0, 5, 0)])
def test_zero_sizes(isa, m, n, k):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    c = rng.standard_normal((m, n)).astype(np.float32)
    out = np.full((m, n), np.nan, np.float32)
    _C.matmul_into(a, b, out)
    np.testing.assert_array_equal(out, np.zeros((m, n), np.float32))
    out = c.copy()
    _C.matmul_into(a, b, out, beta=2.0)
    np.testing.assert_allclose(out, 2.0 * c)
    # transposed and empty views have arbitrary strides; they must still work
    _C.matmul_into(a.T.T, np.ascontiguousarray(b.T).T, out, beta=0.0)
    np.testing.assert_array_equal(out, np.zeros((m, n), np.float32))


def test_noncontiguous_inputs(isa):
    rng = np.random.default_rng(5)
    big = rng.standard_normal((80, 90))
    for dtype in DTYPES:
        base = big.astype(dtype)
        cases = [
            (base[::2, :30], base[:30, ::3]),            # odd row stride, odd column stride
            (base[::-1, :30], base[30:0:-1, :20]),       # negative strides
            (base[:40, ::-1][:, :30], base[:30, :25]),   # negative column stride
            (np.broadcast_to(base[0, :30], (40, 30)), np.broadcast_to(base[:30, :1], (30, 20))),
            (np.asfortranarray(base[:40, :30]), np.asfortranarray(base[:30, :20])),
            (base[:40, :30:2], base[:15, 5].reshape(15, 1)),  # single column with a row stride
            (base[3, :30].reshape(1, 30), base[::2, :7][:30]),  # single row
        ]
        for a, b in cases:
            out = np.full((a.shape[0], b.shape[1]), np.nan, dtype)
            _C.matmul_into(a, b, out)
            assert_gemm_close(out, a, b)


def test_unaligned_input(isa):
    raw = np.zeros(20 * 30 * 4 + 1, np.uint8)
    a = raw[1:].view(np.float32).reshape(20, 30)
    assert not a.flags.aligned
    a[...] = np.random.default_rng(0).standard_normal((20, 30))
    b = np.random.default_rng(1).standard_normal((30, 10)).astype(np.float32)
    out = np.empty((20, 10), np.float32)
    _C.matmul_into(a, b, out)
    assert_gemm_close(out, a, b)


@pytest.mark.parametrize("size", [8, 100])
def test_output_aliasing_input(isa, size):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((size, size))
    b = rng.standard_normal((size, size))
    c = a.copy()
    _C.matmul_into(c, b, c, beta=0.5)  # c = c @ b + 0.5 c, from c's old values
    assert_gemm_close(c, a, b, 1.0, 0.5, a)
    c = b.copy()
    _C.matmul_into(a, c.T, c)  # c = a @ c.T, reading c transposed while writing it
    assert_gemm_close(c, a, b.T)


@pytest.mark.parametrize("dtype", DTYPES)
def test_float64_precision(isa, dtype):
    rng = np.random.default_rng(9)
    a = rng.standard_normal((50, 200))
    b = rng.standard_normal((200, 60))
    out = np.empty((50, 60), dtype)
    _C.matmul_into(a.astype(dtype), b.astype(dtype), out)
    err = np.abs(out - a @ b).max()
    # float64 is not computed in float32: its error is far below float32's eps
    assert err < (1e-11 if dtype == np.float64 else 1e-3), err


@pytest.mark.parametrize("dtype", DTYPES)
def test_bmm(isa, dtype):
    rng = np.random.default_rng(11)
    for batch, m, n, k in [(3, 5, 7, 4), (64, 32, 32, 32), (2, 130, 70, 90), (1, 1, 1, 1), (4, 0, 3, 2), (3, 4, 5, 0)]:
        for ta, tb in TRANSPOSES:
            a = rng.standard_normal((batch, m, k)).astype(dtype)
            b = rng.standard_normal((batch, k, n)).astype(dtype)
            if ta:
                a = np.ascontiguousarray(a.transpose(0, 2, 1)).transpose(0, 2, 1)
            if tb:
                b = np.ascontiguousarray(b.transpose(0, 2, 1)).transpose(0, 2, 1)
            out = np.full((batch, m, n), np.nan, dtype)
            assert _C.bmm_into(a, b, out) is out
            np.testing.assert_array_equal(_C.bmm_into(a, b), out)
            for i in range(batch):
                assert_gemm_close(out[i], a[i], b[i])


def test_bmm_broadcast_and_alpha_beta(isa):
    rng = np.random.default_rng(12)
    batch, m, n, k = 40, 30, 20, 50
    a = rng.standard_normal((batch, m, k)).astype(np.float32)
    w = rng.standard_normal((k, n)).astype(np.float32)
    b = np.broadcast_to(w, (batch, k, n))
    assert b.strides[0] == 0
    c = rng.standard_normal((batch, m, n)).astype(np.float32)
    out = c.copy()
    _C.bmm_into(a, b, out, alpha=0.5, beta=-1.0)
    for i in range(batch):
        assert_gemm_close(out[i], a[i], w, 0.5, -1.0, c[i])
    # broadcast the first operand, transposed
    x = np.ascontiguousarray(rng.standard_normal((k, m)).astype(np.float32)).T
    a = np.broadcast_to(x, (batch, m, k))
    b = rng.standard_normal((batch, k, n)).astype(np.float32)[:, :, ::-1]  # negative strides: copied
    out = np.full((batch, m, n), np.nan, np.float32)
    _C.bmm_into(a, b, out)
    for i in range(batch):
        assert_gemm_close(out[i], x, b[i])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear_forward(isa, dtype, with_bias):
    rng = np.random.default_rng(13)
    # (400, 3, 2), (5, 15, 3), (3, 1, 2): narrow rows, whose bias is filled in by doubling
    # copies (odd row counts leave a part-copy at the end); (9, 16, 4): the first wide row
    for m, n, k in [(1, 1, 1), (4, 3, 5), (32, 64, 64), (128, 256, 784 // 4), (7, 10, 0), (0, 5, 3),
                    (400, 3, 2), (5, 15, 3), (3, 1, 2), (9, 16, 4)]:
        x = rng.standard_normal((m, k)).astype(dtype)
        w = rng.standard_normal((n, k)).astype(dtype)
        bias = rng.standard_normal(n).astype(dtype) if with_bias else None
        out = np.full((m, n), np.nan, dtype)
        assert _C.linear_forward(x, w, bias, out) is out
        c = np.broadcast_to(bias, (m, n)) if with_bias else None
        assert_gemm_close(out, x, w.T, 1.0, 1.0 if with_bias else 0.0, c)
        np.testing.assert_array_equal(_C.linear_forward(x, w, bias), out)


def test_linear_forward_noncontiguous(isa):
    rng = np.random.default_rng(14)
    x = rng.standard_normal((20, 60))[:, ::2]
    w = rng.standard_normal((30, 16)).T  # (16, 30): weight given as a transposed view
    bias = rng.standard_normal(32)[::2]
    out = np.empty((20, 16))
    _C.linear_forward(x, w, bias, out)
    assert_gemm_close(out, x, w.T, 1.0, 1.0, np.broadcast_to(bias, (20, 16)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("accumulate", [False, True])
def test_linear_backward(isa, dtype, accumulate):
    rng = np.random.default_rng(15)
    # the bias gradient sums four rows at a time in blocks of 64 columns: row counts that
    # leave 1-3 rows over and column counts past a block's edge
    for m, n, k in [(1, 1, 1), (5, 3, 4), (128, 256, 100), (0, 4, 3), (4, 0, 3), (4, 3, 0),
                    (400, 3, 2), (7, 65, 3), (3, 130, 2), (6, 64, 1)]:
        g = rng.standard_normal((m, n)).astype(dtype)
        x = rng.standard_normal((m, k)).astype(dtype)
        w = rng.standard_normal((n, k)).astype(dtype)
        old_x = rng.standard_normal((m, k)).astype(dtype)
        old_w = rng.standard_normal((n, k)).astype(dtype)
        old_b = rng.standard_normal(n).astype(dtype)
        gx, gw, gb = old_x.copy(), old_w.copy(), old_b.copy()
        if not accumulate:
            gx[...] = gw[...] = gb[...] = np.nan
        beta = 1.0 if accumulate else 0.0
        got = _C.linear_backward(g, x, w, gx, gw, gb, accumulate)
        assert got[0] is gx and got[1] is gw and got[2] is gb
        assert_gemm_close(gx, g, w, 1.0, beta, old_x)
        assert_gemm_close(gw, g.T, x, 1.0, beta, old_w)
        ref_b = g.astype(np.float64).sum(axis=0) + (old_b if accumulate else 0)
        tol = 4 * (m + 2) * np.finfo(dtype).eps * (np.abs(g).sum(axis=0) + np.abs(old_b)) + 1e-30
        assert np.all(np.abs(gb - ref_b) <= tol)


def test_linear_backward_partial_outputs(isa):
    rng = np.random.default_rng(16)
    m, n, k = 9, 7, 5
    g, x, w = (rng.standard_normal(s).astype(np.float32) for s in [(m, n), (m, k), (n, k)])
    for which in range(8):
        gx = np.full((m, k), np.nan, np.float32) if which & 1 else None
        gw = np.full((n, k), np.nan, np.float32) if which & 2 else None
        gb = np.full(n, np.nan, np.float32) if which & 4 else None
        _C.linear_backward(g, x, w, gx, gw, gb)
        if gx is not None:
            assert_gemm_close(gx, g, w)
        if gw is not None:
            assert_gemm_close(gw, g.T, x)
        if gb is not None:
            np.testing.assert_allclose(gb, g.sum(axis=0), rtol=1e-5, atol=1e-5)
        # True asks the binding for a new array; None skips that gradient
        new = _C.linear_backward(g, x, w, *(True if a is not None else None for a in (gx, gw, gb)))
        for given, made in zip((gx, gw, gb), new):
            assert (made is None) == (given is None)
            if given is not None:
                np.testing.assert_array_equal(made, given)
    with pytest.raises(ValueError, match="accumulate needs the outputs"):
        _C.linear_backward(g, x, w, True, None, None, True)


@settings(max_examples=100, deadline=None)
@given(
    isa_name=st.sampled_from(RUNNABLE_ISAS),
    m=st.integers(0, 90), n=st.integers(0, 90), k=st.integers(0, 90),
    ta=st.booleans(), tb=st.booleans(),
    dtype=st.sampled_from(DTYPES),
    alpha=st.sampled_from([1.0, -1.0, 0.5, 2.0]),
    beta=st.sampled_from([0.0, 1.0, -0.5]),
    pad_a=st.integers(0, 3), pad_b=st.integers(0, 3),
    seed=st.integers(0, 2**32 - 1),
)
def test_matmul_fuzz(isa_name, m, n, k, ta, tb, dtype, alpha, beta, pad_a, pad_b, seed):
    rng = np.random.default_rng(seed)
    # operands live in larger arrays (leading dims wider than the rows), possibly transposed
    big_a = rng.standard_normal((k + pad_a, m + pad_a) if ta else (m + pad_a, k + pad_a)).astype(dtype)
    big_b = rng.standard_normal((n + pad_b, k + pad_b) if tb else (k + pad_b, n + pad_b)).astype(dtype)
    a = big_a[:k, :m].T if ta else big_a[:m, :k]
    b = big_b[:n, :k].T if tb else big_b[:k, :n]
    c = rng.standard_normal((m, n)).astype(dtype)
    out = c.copy() if beta != 0 else np.full((m, n), np.nan, dtype)
    with forced_isa(isa_name):
        _C.matmul_into(a, b, out, alpha=alpha, beta=beta)
    assert_gemm_close(out, a, b, alpha, beta, c)


F32 = np.zeros((2, 3), np.float32)
F32B = np.zeros((3, 4), np.float32)


def _readonly(shape):
    x = np.zeros(shape, np.float32)
    x.flags.writeable = False
    return x


@pytest.mark.parametrize("call,exc,match", [
    (lambda: _C.matmul_into(F32, np.zeros((4, 5), np.float32), np.zeros((2, 5), np.float32)),
     RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
    (lambda: _C.matmul_into(F32, F32B.astype(np.float64), np.zeros((2, 4), np.float32)),
     RuntimeError, "float32 != float64"),
    (lambda: _C.matmul_into(F32.astype(np.int64), F32B, np.zeros((2, 4), np.float32)),
     TypeError, "mat1 must be float32 or float64, got int64"),
    (lambda: _C.matmul_into(F32, F32B.astype(np.int32), np.zeros((2, 4), np.float32)),
     TypeError, "mat2 must be float32 or float64, got int32"),
    (lambda: _C.matmul_into(F32, F32B, np.zeros((2, 4), np.float64)),
     TypeError, "out must have dtype float32, got float64"),
    (lambda: _C.matmul_into(F32, F32B, np.zeros((4, 2), np.float32)),
     ValueError, r"out must have shape \(2, 4\), got \(4, 2\)"),
    (lambda: _C.matmul_into(F32, F32B, _readonly((2, 4))), ValueError, "read-only"),
    (lambda: _C.matmul_into(F32, F32B, np.zeros((4, 2), np.float32).T), ValueError, "C-contiguous"),
    (lambda: _C.matmul_into(F32, F32B, np.zeros((2, 8), np.float32)[:, ::2]), ValueError, "C-contiguous"),
    (lambda: _C.matmul_into(F32[None], F32B, np.zeros((2, 4), np.float32)),
     RuntimeError, r"mat1 must be a matrix \(2-D\), got an array of shape \(1, 2, 3\)"),
    (lambda: _C.matmul_into(F32, F32B[0], np.zeros((2, 4), np.float32)), RuntimeError, "mat2 must be a matrix"),
    (lambda: _C.matmul_into(F32.tolist(), F32B, np.zeros((2, 4), np.float32)),
     TypeError, "mat1 must be a numpy.ndarray, got list"),
    (lambda: _C.bmm_into(F32[None], F32B[None].repeat(2, 0), np.zeros((1, 2, 4), np.float32)),
     RuntimeError, r"batch1 and batch2 shapes cannot be multiplied \(1x2x3 and 2x3x4\)"),
    (lambda: _C.bmm_into(F32, F32B, np.zeros((2, 4), np.float32)), RuntimeError, r"batch1 must be a batch of matrices \(3-D\)"),
    (lambda: _C.bmm_into(F32[None], F32B[None], np.zeros((2, 4), np.float32)),
     ValueError, r"out must have shape \(1, 2, 4\)"),
    (lambda: _C.linear_forward(F32, np.zeros((4, 2), np.float32), None, np.zeros((2, 4), np.float32)),
     RuntimeError, r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x4\)"),
    (lambda: _C.linear_forward(F32, np.zeros((4, 3), np.float32), np.zeros(5, np.float32), np.zeros((2, 4), np.float32)),
     RuntimeError, r"bias must have shape \(4,\), got \(5,\)"),
    (lambda: _C.linear_forward(F32, np.zeros((4, 3), np.float32), np.zeros(4), np.zeros((2, 4), np.float32)),
     RuntimeError, "float32 != float64"),
    (lambda: _C.linear_forward(F32, np.zeros((4, 3), np.float32), None, _readonly((2, 4))), ValueError, "read-only"),
    (lambda: _C.linear_backward(np.zeros((2, 4), np.float32), F32, np.zeros((4, 3), np.float32),
                                np.zeros((3, 2), np.float32), None, None),
     ValueError, r"grad_input must have shape \(2, 3\), got \(3, 2\)"),
    (lambda: _C.linear_backward(np.zeros((2, 5), np.float32), F32, np.zeros((4, 3), np.float32), None, None, None),
     RuntimeError, "shapes do not match"),
    (lambda: _C.linear_backward(np.zeros((2, 4), np.float32), F32, np.zeros((4, 3)), None, None, None),
     RuntimeError, "float32 != float64"),
    (lambda: _C.linear_backward(np.zeros((2, 4), np.float32), F32, np.zeros((4, 3), np.float32),
                                None, None, np.zeros(4, np.int64)),
     TypeError, "grad_bias must have dtype float32, got int64"),
])
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_set_isa_restored():
    assert _C.get_isa() == _C.detect_isa()
    assert "generic" in RUNNABLE_ISAS and _C.detect_isa() in RUNNABLE_ISAS
