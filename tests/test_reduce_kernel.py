"""Axis reductions (csrc/kernels/reduce.c) against numpy float64 and torch."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from hayabusa import _C


def reduced_shape(shape, axis):
    axis %= len(shape)
    return shape[:axis] + shape[axis + 1:]


def run_sum(x, axis, mean=False):
    out = np.empty(reduced_shape(x.shape, axis) if x.ndim else (), x.dtype)
    (_C.reduce_mean if mean else _C.reduce_sum)(x, out, axis)
    return out


def run_extreme(x, axis, is_max):
    shape = reduced_shape(x.shape, axis) if x.ndim else ()
    values, indices = np.empty(shape, x.dtype), np.empty(shape, np.int64)
    (_C.reduce_max if is_max else _C.reduce_min)(x, values, indices, axis)
    return values, indices


SHAPES = [(7,), (1,), (3, 5), (5, 1), (1, 5), (2, 3, 4), (3, 130, 67), (4, 1, 3, 2), (1000,), (2, 129, 2)]
TOL = {np.float32: dict(rtol=1e-6, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-12)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_sum_mean_every_axis(isa, dtype, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    ref = x.astype(np.float64)
    for axis in list(range(len(shape))) + [-1, -len(shape)]:
        np.testing.assert_allclose(run_sum(x, axis), ref.sum(axis), **TOL[dtype])
        np.testing.assert_allclose(run_sum(x, axis, mean=True), ref.mean(axis), **TOL[dtype])
        assert run_sum(x, axis).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_max_min_every_axis(isa, dtype, shape):
    rng = np.random.default_rng(1)
    # few distinct values, so ties are common and the first index must win
    x = rng.integers(-3, 4, size=shape).astype(dtype)
    for axis in list(range(len(shape))) + [-1]:
        values, indices = run_extreme(x, axis, True)
        np.testing.assert_array_equal(values, x.max(axis))
        np.testing.assert_array_equal(indices, x.argmax(axis))
        values, indices = run_extreme(x, axis, False)
        np.testing.assert_array_equal(values, x.min(axis))
        np.testing.assert_array_equal(indices, x.argmin(axis))


def test_full_reduction_via_reshape_and_0d(isa):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    out = np.empty((), np.float32)
    _C.reduce_sum(x.reshape(-1), out, 0)
    assert out == 276
    _C.reduce_mean(x.reshape(-1), out, 0)
    assert out == 11.5
    scalar = np.array(5.0)
    out64 = np.empty((), np.float64)
    _C.reduce_sum(scalar, out64, 0)
    assert out64 == 5.0
    values, indices = np.empty((), np.float64), np.empty((), np.int64)
    _C.reduce_max(scalar, values, indices, -1)
    assert values == 5.0 and indices == 0
    with pytest.raises(IndexError, match="Dimension out of range"):
        _C.reduce_sum(scalar, out64, 1)


def test_size_zero(isa):
    x = np.zeros((0, 3), np.float32)
    out = np.full(3, 7.0, np.float32)
    _C.reduce_sum(x, out, 0)
    np.testing.assert_array_equal(out, 0)
    _C.reduce_mean(x, out, 0)
    assert np.isnan(out).all()
    empty = np.empty((0,), np.float32)
    _C.reduce_sum(x, empty, 1)   # nothing to write
    values, indices = np.empty(0, np.float32), np.empty(0, np.int64)
    _C.reduce_max(x, values, indices, 1)
    with pytest.raises(IndexError, match=r"max\(\): Expected reduction dim 0 to have non-zero size."):
        _C.reduce_max(x, np.empty(3, np.float32), None, 0)
    with pytest.raises(IndexError, match=r"min\(\): Expected reduction dim 1 to have non-zero size."):
        _C.reduce_min(np.zeros((2, 0)), np.empty(2), None, -1)


def test_size_zero_matches_torch():
    torch = pytest.importorskip("torch")
    for fn in (torch.max, torch.min):
        with pytest.raises(IndexError) as expected:
            fn(torch.zeros(2, 0), -1)
        with pytest.raises(IndexError) as got:
            (_C.reduce_max if fn is torch.max else _C.reduce_min)(np.zeros((2, 0), np.float32),
                                                                 np.empty(2, np.float32), None, -1)
        assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_sum_is_accurate(isa, dtype):
    rng = np.random.default_rng(2)
    n = 1 << 21
    x = (rng.random(n) + 1.0).astype(dtype)   # all positive: naive float32 sums drift badly
    ref = math.fsum(x.astype(np.float64))   # exact, then rounded once
    out = np.empty((), dtype)
    _C.reduce_sum(x, out, 0)
    # float32: only the final rounding (a float32 accumulator would be ~1e-3 off);
    # float64: pairwise keeps it near 1e-16 where a running sum drifts to ~5e-14
    assert abs(float(out) - ref) <= (2e-7 if dtype == np.float32 else 2e-15) * ref
    cols = np.ascontiguousarray(np.broadcast_to(x[:, None], (n, 3)))   # the strided (inner > 1) path
    out3 = np.empty(3, dtype)
    _C.reduce_sum(cols, out3, 0)
    np.testing.assert_allclose(out3, ref, rtol=2e-7 if dtype == np.float32 else 1e-14)


@pytest.mark.parametrize("n", [2 * 65536, 2 * 65536 + 5, 3_000_001])
def test_one_long_sum_in_chunks_is_exact_and_independent_of_threads(isa, n):
    """A full reduction is cut into chunks (whose size depends only on n) summed in
    parallel: as accurate as one pairwise sum, and the same bits on any thread count."""
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n).astype(np.float32) + 0.5
    ref = math.fsum(x.astype(np.float64))
    before = _C.get_num_threads()
    results = []
    try:
        for threads in (1, 2, 3):
            _C.set_num_threads(threads)
            total, mean = np.empty((), np.float32), np.empty((), np.float32)
            _C.reduce_sum(x, total, 0)
            _C.reduce_mean(x, mean, 0)
            results.append((total.item(), mean.item()))
    finally:
        _C.set_num_threads(before)
    assert results[0] == results[1] == results[2]
    assert abs(results[0][0] - ref) <= 2e-7 * abs(ref) + 1e-3
    assert abs(results[0][1] - ref / n) <= 2e-7 * abs(ref / n) + 1e-9


def test_set_num_threads_rejects_nonpositive():
    with pytest.raises(RuntimeError, match="positive integer"):
        _C.set_num_threads(0)


def test_large_parallel_matches_numpy(isa):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((300, 257, 5)).astype(np.float32)
    ref = x.astype(np.float64)
    for axis in range(3):
        np.testing.assert_allclose(run_sum(x, axis), ref.sum(axis), rtol=1e-6, atol=1e-5)
        values, indices = run_extreme(x, axis, True)
        np.testing.assert_array_equal(values, x.max(axis))
        np.testing.assert_array_equal(indices, x.argmax(axis))


def test_nan_matches_torch(isa):
    torch = pytest.importorskip("torch")
    nan = np.nan
    x = np.array([[1, nan, 3, nan], [2, 2, 1, 1], [nan, 0, 0, 0], [4, 5, 6, nan]], np.float32)
    for axis in (0, 1):
        for is_max, fn in ((True, torch.max), (False, torch.min)):
            values, indices = run_extreme(x, axis, is_max)
            ref = fn(torch.from_numpy(x), axis)
            np.testing.assert_array_equal(values, ref.values.numpy())
            np.testing.assert_array_equal(indices, ref.indices.numpy())
    np.testing.assert_array_equal(run_sum(x, 1), torch.from_numpy(x).sum(1).numpy())


def test_nan_without_torch(isa):
    x = np.array([3.0, np.nan, 7.0, np.nan, 9.0])
    values, indices = run_extreme(x, 0, True)
    assert np.isnan(values) and indices == 1
    values, indices = run_extreme(x, 0, False)
    assert np.isnan(values) and indices == 1


def test_indices_optional():
    x = np.array([[1.0, 5.0], [7.0, 2.0]])
    values = np.empty(2)
    _C.reduce_max(x, values, None, 1)
    np.testing.assert_array_equal(values, [5.0, 7.0])


def test_non_contiguous_input_is_copied(isa):
    rng = np.random.default_rng(4)
    base = rng.standard_normal((6, 8, 10))
    x = base.transpose(2, 0, 1)[:, ::2]
    before = base.copy()
    for axis in range(3):
        np.testing.assert_allclose(run_sum(x, axis), x.sum(axis), rtol=1e-12)
        values, indices = run_extreme(x, axis, False)
        np.testing.assert_array_equal(indices, x.argmin(axis))
    np.testing.assert_array_equal(base, before)


def test_bad_arguments():
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(TypeError, match="x must be a numpy.ndarray"):
        _C.reduce_sum([1.0, 2.0], np.empty((), np.float32), 0)
    with pytest.raises(TypeError, match="float32 or float64, got int64"):
        _C.reduce_sum(np.zeros(3, np.int64), np.empty((), np.int64), 0)
    with pytest.raises(TypeError, match=r"dtypes differ \(float32 and float64\)"):
        _C.reduce_sum(x, np.empty(3), 0)
    with pytest.raises(ValueError, match=r"out must have shape \(3,\).*got \(2,\)"):
        _C.reduce_sum(x, np.empty(2, np.float32), 0)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-2, 1\], but got 2"):
        _C.reduce_sum(x, np.empty(3, np.float32), 2)
    read_only = np.empty(3, np.float32)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="out is read-only"):
        _C.reduce_mean(x, read_only, 0)
    with pytest.raises(ValueError, match="must be C-contiguous"):
        _C.reduce_sum(np.zeros((2, 3, 2), np.float32), np.empty((2, 2, 2), np.float32)[:, :, 0], 1)
    with pytest.raises(TypeError, match="indices_out must be int64, got int32"):
        _C.reduce_max(x, np.empty(3, np.float32), np.empty(3, np.int32), 0)
    with pytest.raises(ValueError, match=r"indices_out must have shape \(2,\)"):
        _C.reduce_min(x, np.empty(2, np.float32), np.empty(3, np.int64), 1)


@settings(max_examples=50, deadline=None)
@given(
    x=hnp.arrays(
        dtype=st.sampled_from([np.float32, np.float64]),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=9),
        elements=st.floats(-1e3, 1e3, width=32),
    ),
    data=st.data(),
)
def test_fuzz(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    ref = x.astype(np.float64)
    tol = TOL[x.dtype.type]
    np.testing.assert_allclose(run_sum(x, axis), ref.sum(axis), rtol=tol["rtol"], atol=1e-3 if x.dtype == np.float32 else 1e-9)
    np.testing.assert_allclose(run_sum(x, axis, mean=True), ref.mean(axis), rtol=tol["rtol"], atol=1e-4 if x.dtype == np.float32 else 1e-10)
    values, indices = run_extreme(x, axis, True)
    np.testing.assert_array_equal(values, x.max(axis))
    np.testing.assert_array_equal(indices, x.argmax(axis))
    values, indices = run_extreme(x, axis, False)
    np.testing.assert_array_equal(values, x.min(axis))
    np.testing.assert_array_equal(indices, x.argmin(axis))
