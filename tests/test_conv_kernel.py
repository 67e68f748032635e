"""Convolution kernels (csrc/kernels/conv.c, isa/conv_direct.c) through _C: the direct
stride-1 path, the im2col + GEMM path and the 1x1 path, under every instruction set, against
numpy references; threaded and single-image batches; argument validation."""
import numpy as np
import pytest

from hayabusa import _C
from test_conv import conv2d_ref, conv_transpose2d_ref, fold_ref, unfold_ref

TOL = {np.float32: dict(rtol=2e-4, atol=2e-4), np.float64: dict(rtol=1e-11, atol=1e-11)}

# (N, C, H, W, O, kernel, stride, padding, dilation, groups): stride 1 takes the direct kernel
# (padding below, at and above dilation * (kernel - 1)), stride 2 im2col + GEMM, 1x1 the GEMM
# alone; output channels not a multiple of the register tile; batches large enough to thread,
# and one image large enough that the GEMM threads it instead.
CASES = [
    (3, 5, 9, 7, 13, (3, 3), (1, 1), (1, 1), (1, 1), 1),
    (2, 4, 8, 9, 6, (3, 2), (1, 1), (0, 1), (2, 1), 2),
    (4, 3, 6, 6, 5, (2, 3), (1, 1), (2, 3), (1, 1), 1),
    (2, 6, 7, 7, 6, (3, 3), (1, 1), (1, 1), (1, 1), 6),
    (3, 4, 9, 8, 7, (3, 3), (2, 2), (1, 1), (1, 1), 1),
    (2, 4, 5, 6, 8, (1, 1), (1, 1), (0, 0), (1, 1), 2),
    (1, 3, 17, 19, 9, (5, 3), (1, 1), (2, 1), (1, 2), 1),
    (32, 16, 14, 14, 32, (3, 3), (1, 1), (1, 1), (1, 1), 1),
    (1, 16, 40, 40, 48, (3, 3), (1, 1), (1, 1), (1, 1), 1),
]


def run_forward(x, w, b, s, p, d, g):
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    y = np.empty((n, o, (h + 2 * p[0] - d[0] * (kh - 1) - 1) // s[0] + 1,
                  (wd + 2 * p[1] - d[1] * (kw - 1) - 1) // s[1] + 1), x.dtype)
    assert _C.conv2d_forward(x, w, b, y, s, p, d, g) is y
    return y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_conv2d_kernels(case, dtype, isa):
    n, c, h, wd, o, k, s, p, d, g = case
    rng = np.random.default_rng(n * h + o)
    x = rng.standard_normal((n, c, h, wd)).astype(dtype)
    w = rng.standard_normal((o, c // g) + k).astype(dtype)
    b = rng.standard_normal(o).astype(dtype)
    y = run_forward(x, w, b, s, p, d, g)
    np.testing.assert_allclose(y, conv2d_ref(x, w, b, s, p, d, g), **TOL[dtype])
    gy = rng.standard_normal(y.shape).astype(dtype)
    gx, gw, gb = np.empty_like(x), np.empty_like(w), np.empty_like(b)
    _C.conv2d_backward(x, w, gy, gx, gw, gb, s, p, d, g)
    extra = [size - ((q - 1) * s_ + d_ * (k_ - 1) + 1 - 2 * p_)
             for size, q, s_, p_, d_, k_ in zip((h, wd), y.shape[2:], s, p, d, k)]
    np.testing.assert_allclose(gx, conv_transpose2d_ref(gy, w, None, s, p, extra, g, d), **TOL[dtype])
    oh, ow = y.shape[2:]
    cols = unfold_ref(x, k, d, p, s).reshape(n, g, -1, oh * ow)
    want_w = np.einsum("ngol,ngkl->gok", gy.astype(np.float64).reshape(n, g, o // g, -1), cols)
    np.testing.assert_allclose(gw, want_w.reshape(w.shape), **TOL[dtype])
    np.testing.assert_allclose(gb, gy.astype(np.float64).sum(axis=(0, 2, 3)), **TOL[dtype])
    # any subset of the gradients, the rest not computed
    gw2 = np.empty_like(w)
    _C.conv2d_backward(x, w, gy, None, gw2, None, s, p, d, g)
    np.testing.assert_array_equal(gw2, gw)
    gx2 = np.empty_like(x)
    _C.conv2d_backward(x, w, gy, gx2, None, None, s, p, d, g)
    np.testing.assert_array_equal(gx2, gx)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_transpose2d_kernel(dtype, isa):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 4, 5, 6)).astype(dtype)
    w = rng.standard_normal((4, 3, 3, 2)).astype(dtype)
    b = rng.standard_normal(6).astype(dtype)
    s, p, op, d, g = (2, 1), (1, 0), (1, 0), (1, 2), 2
    y = np.empty((3, 6, 10, 8), dtype)
    _C.conv_transpose2d_forward(x, w, b, y, s, p, d, g)
    np.testing.assert_allclose(y, conv_transpose2d_ref(x, w, b, s, p, op, g, d), **TOL[dtype])
    gy = rng.standard_normal(y.shape).astype(dtype)
    gx, gw, gb = np.empty_like(x), np.empty_like(w), np.empty_like(b)
    _C.conv_transpose2d_backward(x, w, gy, gx, gw, gb, s, p, d, g)
    # the adjoint of a transposed convolution is the convolution with the same weight
    np.testing.assert_allclose(gx, conv2d_ref(gy, w, None, s, p, d, g), **TOL[dtype])
    np.testing.assert_allclose(gb, gy.astype(np.float64).sum(axis=(0, 2, 3)), **TOL[dtype])
    # the weight gradient by the adjoint identity <y(w'), gy> is linear in w'
    delta = rng.standard_normal(w.shape)
    dy = conv_transpose2d_ref(x, delta, None, s, p, op, g, d)
    np.testing.assert_allclose((gw * delta).sum(), (dy * gy).sum(), rtol=1e-4 if dtype == np.float32 else 1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_im2col_col2im(dtype):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 7, 6)).astype(dtype)
    k, d, p, s = (3, 2), (2, 1), (1, 1), (2, 1)
    col = np.empty((2, 18, 21), dtype)
    _C.im2col(x, col, k, d, p, s)
    np.testing.assert_array_equal(col, unfold_ref(x, k, d, p, s).astype(dtype))
    back = np.empty_like(x)
    _C.col2im(col, back, k, d, p, s)
    np.testing.assert_allclose(back, fold_ref(col, (7, 6), k, d, p, s), **TOL[dtype])


def test_bad_arguments():
    x = np.zeros((2, 3, 5, 5), np.float32)
    w = np.zeros((4, 3, 3, 3), np.float32)
    y = np.zeros((2, 4, 3, 3), np.float32)
    one = (1, 1)
    with pytest.raises(TypeError, match="numpy.ndarray"):
        _C.conv2d_forward([1.0], w, None, y, one, (0, 0), one, 1)
    with pytest.raises(TypeError, match="float32 or float64"):
        _C.conv2d_forward(x.astype(np.int64), w, None, y, one, (0, 0), one, 1)
    with pytest.raises(TypeError, match="weight must have dtype float32"):
        _C.conv2d_forward(x, w.astype(np.float64), None, y, one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="4-D"):
        _C.conv2d_forward(x[0], w, None, y, one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="does not fit"):
        _C.conv2d_forward(x, w, None, y, one, (1, 1), one, 1)
    with pytest.raises(ValueError, match="does not fit"):
        _C.conv2d_forward(x, w[:, :2], None, y, one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="inconsistent geometry"):
        _C.conv2d_forward(x, w, None, y, (0, 1), (0, 0), one, 1)
    with pytest.raises(ValueError, match="inconsistent geometry"):
        _C.conv2d_forward(x, w, None, y, one, (0, 0), one, 2)
    with pytest.raises(ValueError, match="bias must have shape"):
        _C.conv2d_forward(x, w, np.zeros(3, np.float32), y, one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="C-contiguous"):
        _C.conv2d_forward(x, w, None, np.zeros((2, 4, 3, 6), np.float32)[..., ::2], one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="read-only"):
        ro = np.zeros_like(y)
        ro.flags.writeable = False
        _C.conv2d_forward(x, w, None, ro, one, (0, 0), one, 1)
    with pytest.raises(TypeError, match="tuple"):
        _C.conv2d_forward(x, w, None, y, 1, (0, 0), one, 1)
    with pytest.raises(ValueError, match="grad_x must have shape"):
        _C.conv2d_backward(x, w, y, np.empty((2, 3, 5, 4), np.float32), None, None, one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="does not fit"):
        _C.conv_transpose2d_forward(y, w, None, np.empty((2, 3, 9, 9), np.float32), one, (0, 0), one, 1)
    with pytest.raises(ValueError, match="columns must have shape"):
        _C.im2col(x, np.empty((2, 27, 8), np.float32), (3, 3), one, (0, 0), one)
    with pytest.raises(ValueError, match="no window"):
        _C.im2col(x, np.empty((2, 27, 9), np.float32), (7, 7), one, (0, 0), one)
