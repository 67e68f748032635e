"""Softmax kernels (csrc/kernels/isa/softmax.c) through _C.softmax_forward/softmax_backward."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from hayabusa import _C

TOL = {np.float32: dict(rtol=1e-5, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-14)}

# (shape, dim): last-dim rows, strided columns (inner > 1, including more columns
# than one block of 64 and a partial block), odd sizes, and sizes past the OpenMP threshold.
CASES = [
    ((1,), 0), ((7,), 0), ((33,), -1), ((1000,), 0),
    ((3, 33), 1), ((3, 33), 0), ((5, 7), -2),
    ((2, 5, 7), 1), ((2, 3, 130), 1), ((4, 70, 3), 1), ((2, 9, 65), 0),
    ((3, 100003), 1), ((100003, 2), 0), ((40, 33, 50), 1),
]


def reference(x, dim, log):
    x = x.astype(np.float64)
    if x.ndim == 0:
        x = x.reshape(1)
        return reference(x, 0, log).reshape(())
    with np.errstate(invalid="ignore", over="ignore"):
        z = x - x.max(axis=dim, keepdims=True)
        s = np.exp(z).sum(axis=dim, keepdims=True)
        return z - np.log(s) if log else np.exp(z) / s


def reference_backward(g, y, dim, log):
    g, y = g.astype(np.float64), y.astype(np.float64)
    if log:
        return g - np.exp(y) * g.sum(axis=dim, keepdims=True)
    return y * (g - (g * y).sum(axis=dim, keepdims=True))


def forward(x, dim, log):
    out = np.empty(x.shape, x.dtype)
    assert _C.softmax_forward(x, out, dim, log) is out
    np.testing.assert_array_equal(_C.softmax_forward(x, None, dim, log), out)
    return out


def backward(g, y, dim, log):
    grad_in = np.empty(g.shape, g.dtype)
    assert _C.softmax_backward(g, y, grad_in, dim, log) is grad_in
    np.testing.assert_array_equal(_C.softmax_backward(g, y, None, dim, log), grad_in)
    return grad_in


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,dim", CASES)
def test_matches_reference(shape, dim, dtype, log, isa):
    rng = np.random.default_rng(sum(shape))
    x = (rng.standard_normal(shape) * 3).astype(dtype)
    g = rng.standard_normal(shape).astype(dtype)
    y = forward(x, dim, log)
    np.testing.assert_allclose(y, reference(x, dim, log), **TOL[dtype])
    # the backward subtracts a row sum, accumulated in double, from each entry: besides the
    # dtype's rounding, allow that sum's, which grows with the row (the order of the
    # additions, and so the error, changes with the build: -O1 adds them one by one)
    p = np.exp(y.astype(np.float64)) if log else np.abs(y.astype(np.float64))
    sum_error = shape[dim] * 2.0**-52 * p * np.abs(g.astype(np.float64) * (1 if log else y)).sum(axis=dim, keepdims=True)
    want = reference_backward(g, y, dim, log)
    err = np.abs(backward(g, y, dim, log) - want)
    assert np.all(err <= TOL[dtype]["atol"] + sum_error + TOL[dtype]["rtol"] * np.abs(want)), err.max()
    if not log:
        np.testing.assert_allclose(y.astype(np.float64).sum(axis=dim), 1.0, rtol=1e-5)


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("shape,dim", [((4, 5), 1), ((4, 5), 0), ((2, 3, 4), 1), ((6,), 0)])
def test_backward_matches_finite_differences(shape, dim, log):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape)
    g = rng.standard_normal(shape)
    h = 1e-6
    numeric = np.empty(shape)
    for i in np.ndindex(shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        numeric[i] = (g * (forward(xp, dim, log) - forward(xm, dim, log))).sum() / (2 * h)
    np.testing.assert_allclose(backward(g, forward(x, dim, log), dim, log), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("dim", [0, -1])
def test_zero_d_is_one_element_row(dim):
    x = np.array(3.5)
    assert forward(x, dim, False) == 1.0 and forward(x, dim, False).shape == ()
    assert forward(x, dim, True) == 0.0
    np.testing.assert_array_equal(backward(np.array(2.0), np.array(1.0), dim, False), 0.0)
    np.testing.assert_array_equal(backward(np.array(2.0), np.array(0.0), dim, True), 0.0)


@pytest.mark.parametrize("shape,dim", [((0,), 0), ((0, 5), 1), ((3, 0), 1), ((3, 0), 0), ((2, 0, 3), 1), ((2, 0, 3), 2)])
def test_empty(shape, dim):
    x = np.empty(shape, np.float32)
    assert forward(x, dim, False).shape == shape
    assert backward(x, x, dim, True).shape == shape


@pytest.mark.parametrize("log", [False, True])
def test_numerically_stable_and_non_finite_rows_like_torch(log, isa):
    x = np.array([
        [1000.0, 1000.0, 0.0],
        [-1000.0, -1001.0, -1000.0],
        [-np.inf, -np.inf, -np.inf],
        [-np.inf, 0.0, 1.0],
        [np.inf, 1.0, 2.0],
        [np.nan, 1.0, 2.0],
    ], np.float32)
    y = forward(x, 1, log)
    np.testing.assert_allclose(y[:2], reference(x[:2], 1, log), rtol=1e-6)
    assert np.isnan(y[2]).all()  # all -inf: -inf - -inf
    assert np.isnan(y[4]).all() and np.isnan(y[5]).all()
    np.testing.assert_allclose(y[3], reference(x[3], 0, log), rtol=1e-6)
    torch = pytest.importorskip("torch")
    ref = (torch.log_softmax if log else torch.softmax)(torch.from_numpy(x), 1).numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-6, equal_nan=True)
    # The same rows laid out as columns (inner > 1).
    np.testing.assert_allclose(forward(np.ascontiguousarray(x.T), 0, log), ref.T, rtol=1e-6, equal_nan=True)


def test_non_contiguous_inputs_are_copied():
    rng = np.random.default_rng(2)
    base = rng.standard_normal((6, 10))
    x = base[::2, ::2]  # (3, 5)
    g = base.T[::2, ::2].T  # (3, 5) strided
    assert not x.flags.c_contiguous and not g.flags.c_contiguous
    for log in (False, True):
        y = forward(x, 1, log)
        np.testing.assert_allclose(y, reference(x, 1, log), rtol=1e-12)
        y_strided = np.asfortranarray(y)
        np.testing.assert_allclose(backward(g, y_strided, 1, log), reference_backward(g, y, 1, log), rtol=1e-12, atol=1e-15)


def test_bad_arguments():
    x = np.zeros((2, 3), np.float32)
    out = np.empty_like(x)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
        _C.softmax_forward(x, out, 2, False)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-2, 1\], but got -3"):
        _C.softmax_backward(x, x, out, -3, True)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        _C.softmax_forward(np.array(1.0), np.array(0.0), 1, False)
    with pytest.raises(TypeError, match="x must be float32 or float64, got int64"):
        _C.softmax_forward(np.zeros((2, 3), np.int64), out, 1, False)
    with pytest.raises(TypeError, match=r"dtypes differ \(float32 and float64\)"):
        _C.softmax_forward(x, np.empty((2, 3)), 1, False)
    with pytest.raises(ValueError, match=r"shapes differ \(\(2, 3\) and \(3, 2\)\)"):
        _C.softmax_forward(x, np.empty((3, 2), np.float32), 1, False)
    readonly = np.empty_like(x)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="out is read-only"):
        _C.softmax_forward(x, readonly, 1, False)
    with pytest.raises(ValueError, match="grad_in must be C-contiguous"):
        _C.softmax_backward(x, x, np.empty((3, 2), np.float32).T, 1, False)
    with pytest.raises(ValueError, match="grad_out and out: shapes differ"):
        _C.softmax_backward(x, np.zeros((2, 4), np.float32), out, 1, False)
    with pytest.raises(TypeError, match="out must be a numpy.ndarray, got list"):
        _C.softmax_backward(x, [[0.0]], out, 1, False)


@st.composite
def softmax_cases(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=9))
    rank = max(len(shape), 1)
    dim = draw(st.integers(-rank, rank - 1))
    width = 32 if dtype == np.float32 else 64
    x = draw(hnp.arrays(dtype, shape, elements=st.floats(-80, 80, width=width) | st.just(-np.inf)))
    g = draw(hnp.arrays(dtype, shape, elements=st.floats(-10, 10, width=width)))
    return x, g, dim, draw(st.booleans())


@settings(max_examples=50, deadline=None)
@given(softmax_cases())
def test_fuzz_against_torch(case):
    torch = pytest.importorskip("torch")
    x, g, dim, log = case
    tx = torch.from_numpy(x.copy()).requires_grad_()
    ty = (torch.log_softmax if log else torch.softmax)(tx, dim)
    ty.backward(torch.from_numpy(g))
    tol = dict(rtol=1e-5, atol=1e-5) if x.dtype == np.float32 else dict(rtol=1e-11, atol=1e-12)
    y = forward(x, dim, log)
    np.testing.assert_allclose(y, ty.detach().numpy(), equal_nan=True, **tol)
    np.testing.assert_allclose(backward(g, y, dim, log), tx.grad.numpy(), equal_nan=True, **tol)
