"""Elementwise arithmetic kernel (csrc/kernels/isa/binary.c) through _C.binary: every op,
operand layout and instruction set against numpy, which rounds each float op the same way."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hayabusa import _C

OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide}
DTYPES = [np.float32, np.float64]
# below and above the threading threshold (32768), not multiples of the vector width
SIZES = [0, 1, 7, 33, 1000, 40_001]


def values(rng, shape, dtype):
    x = rng.standard_normal(shape).astype(dtype)
    if x.size > 3:  # the special values division and sums meet
        x.flat[:4] = [0.0, -0.0, np.inf, np.nan]
    return x


def check(op, a, b, **kw):
    got = _C.binary(_C.BINARY_OPS[op], a, b, **kw)
    with np.errstate(all="ignore"):
        want = OPS[op](a, b)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    return got


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_layouts(isa, op, dtype):
    rng = np.random.default_rng(0)
    for n in SIZES:
        a, b = values(rng, n, dtype), values(rng, n, dtype)[::-1].copy()
        check(op, a, b)                                   # two arrays
        check(op, a, 2.5)                                 # array, Python float
        check(op, -3, b)                                  # Python int, array
        check(op, np.array(1.5, dtype), b)                # 0-d array repeated
        check(op, a, np.array([0.5], dtype))              # one-element array repeated
        check(op, a, np.broadcast_to(dtype(4.0), (n,)))   # a broadcast view of one value
    m = values(rng, (3, 5, 7), dtype)
    check(op, m, np.ones((1, 1), dtype) * 3)
    check(op, 2.0, m)


@pytest.mark.parametrize("op", OPS)
def test_in_place(isa, op):
    rng = np.random.default_rng(1)
    for n in (5, 50_000):
        a, b = rng.standard_normal(n), rng.standard_normal(n)
        with np.errstate(all="ignore"):
            want = OPS[op](a, b)
        assert _C.binary(_C.BINARY_OPS[op], a, b, out=a) is a
        np.testing.assert_array_equal(a, want)


def test_what_it_leaves_to_numpy():
    f32 = np.ones(6, np.float32)
    add = _C.BINARY_OPS["add"]
    for a, b in [
        (f32, np.ones(6)),                          # two dtypes: promotion is numpy's
        (np.ones(6, np.int64), 1),                  # integers
        (f32.reshape(2, 3), np.ones(3, np.float32)),  # general broadcasting
        (np.ones((2, 6), np.float32)[:, ::2], 1.0),  # strided view
        (f32, "x"), (1.0, 2.0),                     # not arrays
        (f32, np.float64(2.0)), (np.float32(2.0), f32),  # numpy scalars carry their own dtype
        (np.ones((1, 3), np.float32), np.ones(3, np.float32)),  # the result would be (1, 3)
    ]:
        assert _C.binary(add, a, b) is NotImplemented


def test_bad_calls():
    a = np.ones(4, np.float32)
    with pytest.raises(ValueError, match="unknown binary op"):
        _C.binary(9, a, a)
    with pytest.raises(ValueError, match="out must be a float32 array of shape"):
        _C.binary(0, a, a, out=np.empty(5, np.float32))
    with pytest.raises(ValueError, match="read-only"):
        ro = np.empty(4, np.float32)
        ro.flags.writeable = False
        _C.binary(0, a, a, out=ro)
    big = np.zeros(8, np.float32)
    with pytest.raises(ValueError, match="overlaps an operand"):
        _C.binary(0, big[:4], a, out=big[2:6])


@settings(max_examples=40, deadline=None)
@given(op=st.sampled_from(sorted(OPS)), dtype=st.sampled_from(DTYPES),
       n=st.integers(0, 300), left_scalar=st.booleans(), seed=st.integers(0, 2**16))
def test_fuzz(op, dtype, n, left_scalar, seed):
    rng = np.random.default_rng(seed)
    a, b = values(rng, n, dtype), values(rng, n, dtype)
    check(op, float(a[0]) if left_scalar and n else a, b)
