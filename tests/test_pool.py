"""Max, average and adaptive pooling (1-D and 2-D) and their modules: against loop references
in numpy float64 (values and argmax indices, ties and NaN), gradients by finite differences,
PyTorch's errors, and torch itself where installed."""
import math

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
import hayabusa.nn.functional as F
from hayabusa import _C
from hayabusa.autograd import gradcheck
from opcheck import noncontiguous


def pool_size(size, k, s, p, d, ceil_mode):
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def max_pool_ref(x, k, s, p, d, ceil_mode):
    """Values and plane indices: the first maximum of each window, a NaN winning over numbers
    (the last NaN, as PyTorch's loop keeps taking NaN)."""
    *lead, h, w = x.shape
    oh, ow = (pool_size(h, k[0], s[0], p[0], d[0], ceil_mode),
              pool_size(w, k[1], s[1], p[1], d[1], ceil_mode))
    planes = x.reshape(-1, h, w)
    vals = np.empty((len(planes), oh, ow))
    idx = np.empty((len(planes), oh, ow), np.int64)
    for q, plane in enumerate(planes):
        for i in range(oh):
            for j in range(ow):
                best, where = -np.inf, None
                for a in range(k[0]):
                    for b in range(k[1]):
                        r, c = i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]
                        if 0 <= r < h and 0 <= c < w:
                            v = plane[r, c]
                            if where is None:
                                where = r * w + c
                            if v > best or np.isnan(v):
                                best, where = v, r * w + c
                vals[q, i, j], idx[q, i, j] = best, where
    return vals.reshape(*lead, oh, ow), idx.reshape(*lead, oh, ow)


def avg_pool_ref(x, k, s, p, ceil_mode, count_include_pad, divisor_override):
    *lead, h, w = x.shape
    oh, ow = pool_size(h, k[0], s[0], p[0], 1, ceil_mode), pool_size(w, k[1], s[1], p[1], 1, ceil_mode)
    planes = x.reshape(-1, h, w)
    out = np.zeros((len(planes), oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s[0] - p[0], j * s[1] - p[1]
            r1, c1 = min(r0 + k[0], h + p[0]), min(c0 + k[1], w + p[1])
            padded = (r1 - r0) * (c1 - c0)
            r0, c0, r1, c1 = max(r0, 0), max(c0, 0), min(r1, h), min(c1, w)
            if r0 >= r1 or c0 >= c1:
                continue
            div = divisor_override or (padded if count_include_pad else (r1 - r0) * (c1 - c0))
            out[:, i, j] = planes[:, r0:r1, c0:c1].sum(axis=(1, 2)) / div
    return out.reshape(*lead, oh, ow)


def adaptive_ref(x, size, op):
    *lead, h, w = x.shape
    out = np.empty((*lead, *size))
    for i in range(size[0]):
        r0, r1 = i * h // size[0], -(-(i + 1) * h // size[0])
        for j in range(size[1]):
            c0, c1 = j * w // size[1], -(-(j + 1) * w // size[1])
            out[..., i, j] = op(x[..., r0:r1, c0:c1], axis=(-2, -1))
    return out


def t64(a, grad=False):
    return hb.tensor(np.asarray(a, np.float64), requires_grad=grad)


# (shape, kernel, stride, padding, dilation, ceil_mode): odd sizes, stride > kernel, padding,
# dilation, ceil mode with partial windows, unbatched input, a batch of 1
MAX_CASES = [
    ((2, 3, 8, 8), (2, 2), (2, 2), (0, 0), (1, 1), False),
    ((2, 3, 7, 9), (2, 2), (2, 2), (0, 0), (1, 1), True),
    ((1, 2, 9, 7), (3, 3), (2, 2), (1, 1), (1, 1), False),
    ((2, 2, 10, 11), (2, 3), (4, 3), (1, 0), (1, 1), True),
    ((3, 9, 9), (3, 2), (1, 2), (1, 0), (2, 3), False),
    ((1, 1, 5, 6), (3, 3), (1, 1), (0, 1), (1, 1), True),
]


@pytest.mark.parametrize("dtype", [hb.float32, hb.float64])
@pytest.mark.parametrize("shape, k, s, p, d, ceil", MAX_CASES, ids=str)
def test_max_pool2d(shape, k, s, p, d, ceil, dtype, rng):
    x = rng.standard_normal(shape).round(1)  # rounding makes ties
    x.flat[::17] = np.nan
    vals, idx = max_pool_ref(x, k, s, p, d, ceil)
    out, ind = F.max_pool2d(hb.tensor(x, dtype=dtype), k, s, p, d, ceil, return_indices=True)
    np.testing.assert_allclose(out.numpy(), vals.astype(out.numpy().dtype))
    np.testing.assert_array_equal(ind.numpy(), idx)
    assert ind.dtype is hb.int64
    # values only (no indices recorded) give the same numbers
    np.testing.assert_array_equal(F.max_pool2d(hb.tensor(x, dtype=dtype), k, s, p, d, ceil).numpy(),
                                  out.numpy())


@pytest.mark.parametrize("shape, k, s, p, d, ceil", MAX_CASES, ids=str)
def test_max_pool2d_gradient(shape, k, s, p, d, ceil, rng):
    x = rng.permutation(math.prod(shape)).reshape(shape) / 7.0  # distinct: no ties
    xt = t64(x, True)
    out = F.max_pool2d(xt, k, s, p, d, ceil)
    gy = rng.standard_normal(tuple(out.shape))
    out.backward(hb.tensor(gy))
    _, idx = max_pool_ref(x, k, s, p, d, ceil)
    want = np.zeros(x.shape).reshape(-1, shape[-2] * shape[-1])
    for q, (ii, gg) in enumerate(zip(idx.reshape(len(want), -1), gy.reshape(len(want), -1))):
        np.add.at(want[q], ii, gg)
    np.testing.assert_allclose(xt.grad.numpy(), want.reshape(shape))
    small = t64(x[..., :5, :5] if len(shape) == 4 else x[:, :5, :5], True)
    small = t64(rng.permutation(small.numel()).reshape(tuple(small.shape)) / 3.0, True)
    assert gradcheck(lambda t: F.max_pool2d(t, k, s, p, d, ceil), [small])


AVG_CASES = [
    ((2, 3, 8, 8), (2, 2), (2, 2), (0, 0), False, True, None),
    ((2, 2, 7, 9), (3, 3), (2, 2), (1, 1), True, True, None),
    ((2, 2, 7, 9), (3, 3), (2, 2), (1, 1), True, False, None),
    ((1, 3, 6, 5), (3, 2), (4, 3), (1, 1), False, False, 3),
    ((3, 5, 5), (2, 2), (1, 1), (1, 0), True, True, None),
]


@pytest.mark.parametrize("dtype", [hb.float32, hb.float64])
@pytest.mark.parametrize("shape, k, s, p, ceil, cip, div", AVG_CASES, ids=str)
def test_avg_pool2d(shape, k, s, p, ceil, cip, div, dtype, rng):
    x = rng.standard_normal(shape)
    out = F.avg_pool2d(hb.tensor(x, dtype=dtype), k, s, p, ceil, cip, div)
    tol = 1e-6 if dtype is hb.float32 else 1e-12
    np.testing.assert_allclose(out.numpy(), avg_pool_ref(x, k, s, p, ceil, cip, div), rtol=tol, atol=tol)
    xs = t64(x[..., :5, :4], True)
    assert gradcheck(lambda t: F.avg_pool2d(t, k, s, p, ceil, cip, div), [xs])


@pytest.mark.parametrize("size", [(1, 1), (3, 2), (7, 5), (10, 11), (None, 3)], ids=str)
def test_adaptive_pools(size, rng):
    x = rng.standard_normal((2, 3, 7, 5))
    want_size = (7 if size[0] is None else size[0], size[1])
    out = F.adaptive_avg_pool2d(t64(x), size)
    np.testing.assert_allclose(out.numpy(), adaptive_ref(x, want_size, np.mean), rtol=1e-12)
    mx, ind = F.adaptive_max_pool2d(t64(x), size, return_indices=True)
    np.testing.assert_allclose(mx.numpy(), adaptive_ref(x, want_size, np.max))
    flat = x.reshape(2, 3, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, ind.numpy().reshape(2, 3, -1), 2),
                                  mx.numpy().reshape(2, 3, -1))
    xs = t64(x[:1, :2], True)
    assert gradcheck(lambda t: F.adaptive_avg_pool2d(t, size), [xs])
    xd = t64(rng.permutation(xs.numel()).reshape(tuple(xs.shape)) / 5.0, True)
    assert gradcheck(lambda t: F.adaptive_max_pool2d(t, size), [xd])
    assert tuple(F.adaptive_avg_pool2d(t64(x[0]), size).shape) == (3,) + want_size


def test_pool1d(rng):
    x = rng.standard_normal((2, 3, 11))
    out, ind = F.max_pool1d(t64(x), 3, 2, 1, 2, True, return_indices=True)
    vals, idx = max_pool_ref(x[:, :, None], (1, 3), (1, 2), (0, 1), (1, 2), True)
    np.testing.assert_allclose(out.numpy(), vals[:, :, 0])
    np.testing.assert_array_equal(ind.numpy(), idx[:, :, 0])
    np.testing.assert_allclose(F.avg_pool1d(t64(x), 4, 3, 2, True, False).numpy(),
                               avg_pool_ref(x[:, :, None], (1, 4), (1, 3), (0, 2), True, False, None)[:, :, 0])
    np.testing.assert_allclose(F.adaptive_avg_pool1d(t64(x), 4).numpy(),
                               adaptive_ref(x[:, :, None], (1, 4), np.mean)[:, :, 0])
    np.testing.assert_allclose(F.adaptive_max_pool1d(t64(x), 4).numpy(),
                               adaptive_ref(x[:, :, None], (1, 4), np.max)[:, :, 0])
    assert tuple(F.max_pool1d(t64(x[0]), 2).shape) == (3, 5)
    xs = t64(rng.permutation(12).reshape(1, 2, 6) / 3.0, True)
    assert gradcheck(lambda t: F.max_pool1d(t, 2, 1), [xs])
    assert gradcheck(lambda t: F.avg_pool1d(t, 3, 2, 1), [xs])


def test_noncontiguous_and_empty_batch(rng):
    x = rng.standard_normal((2, 3, 6, 6))
    xs = hb.from_numpy(noncontiguous(x))
    np.testing.assert_array_equal(F.max_pool2d(xs, 2).numpy(), F.max_pool2d(t64(x), 2).numpy())
    np.testing.assert_allclose(F.avg_pool2d(xs, 3, 1, 1).numpy(), F.avg_pool2d(t64(x), 3, 1, 1).numpy())
    assert tuple(F.max_pool2d(hb.zeros(0, 1, 4, 4), 2).shape) == (0, 1, 2, 2)


def test_modules():
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.MaxPool2d(3, 2, 1, 2, True, True)) == (
        "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)")
    assert repr(nn.AvgPool2d(2)) == "AvgPool2d(kernel_size=2, stride=2, padding=0)"
    assert repr(nn.AvgPool1d(3, 2, 1)) == "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))"
    assert repr(nn.MaxPool1d(2)) == "MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AdaptiveAvgPool2d((2, 3))) == "AdaptiveAvgPool2d(output_size=(2, 3))"
    assert repr(nn.AdaptiveMaxPool2d(2, True)) == "AdaptiveMaxPool2d(output_size=2)"
    x = hb.randn(2, 3, 8, 8)
    out, ind = nn.MaxPool2d(2, return_indices=True)(x)
    assert tuple(out.shape) == (2, 3, 4, 4) and ind.dtype is hb.int64
    assert tuple(nn.AvgPool2d(3, stride=1, padding=1)(x).shape) == (2, 3, 8, 8)
    assert tuple(nn.AdaptiveAvgPool2d(1)(x).shape) == (2, 3, 1, 1)
    assert tuple(nn.AdaptiveMaxPool1d(3)(hb.randn(2, 3, 8)).shape) == (2, 3, 3)
    y = x.clone().requires_grad_()
    nn.MaxPool2d(2)(y).sum().backward()
    assert y.grad.numpy().sum() == 2 * 3 * 16
    assert nn.MaxPool2d(2)(y).grad_fn.name() == "MaxPool2DWithIndicesBackward0"


def test_backward_skips_indices_outside_the_plane():
    """A dilated window can hold no input element; PyTorch records an index past the plane for
    it. The kernel skips it instead of writing into the next plane."""
    vals, ind = np.empty((2, 1, 1)), np.empty((2, 1, 1), np.int64)
    x = np.arange(2.0).reshape(2, 1, 1)
    _C.max_pool2d_forward(x, vals, ind, (2, 2), (1, 1), (1, 1), (2, 2))
    assert np.all(vals == -np.inf) and np.all(ind == 2)
    gx = np.empty_like(x)
    _C.max_pool2d_backward(np.ones_like(vals), ind, gx)
    assert np.all(gx == 0)


def test_errors():
    x = hb.randn(1, 1, 4, 4)
    cases = [
        (lambda: F.max_pool2d(x, 3, padding=2), RuntimeError,
         "pad should be at most half of effective kernel size, but got pad=2, kernel_size=3"),
        (lambda: F.max_pool2d(hb.randn(1, 1, 1, 1), 3), RuntimeError,
         r"Given input size: \(1x1x1\). Calculated output size: \(1x0x0\). Output size is too small"),
        (lambda: F.max_pool2d(hb.randn(4, 4), 2), RuntimeError, "non-empty 3D or 4D"),
        (lambda: F.max_pool2d(x, 2, stride=0), RuntimeError, "stride should not be zero"),
        (lambda: F.max_pool2d(x, 2, dilation=0), RuntimeError, "dilation should be greater than zero"),
        (lambda: F.max_pool2d(hb.randn(1, 0, 4, 4), 2), RuntimeError, "optional 0 dim batch size"),
        (lambda: F.avg_pool2d(x, 3, padding=2), RuntimeError, "pad should be"),
        (lambda: F.avg_pool2d(hb.randn(4, 4), 2), IndexError, "Dimension out of range"),
        (lambda: F.avg_pool2d(x, 2, divisor_override=0), RuntimeError, "divisor must be not zero"),
        (lambda: F.max_pool1d(hb.randn(4), 2), RuntimeError, "max_pool1d: Expected 2D or 3D"),
        (lambda: F.max_pool1d(hb.randn(1, 1, 1), 2), RuntimeError, "Invalid computed output size: 0"),
        (lambda: F.avg_pool1d(hb.randn(4), 2), RuntimeError, "Expected 2 to 3 dimensions"),
        (lambda: F.adaptive_avg_pool2d(hb.randn(4), 2), RuntimeError, r"Expected 3D or 4D tensor, but got \[4\]"),
        (lambda: F.adaptive_avg_pool2d(hb.randn(1, 1, 0, 4), 2), RuntimeError,
         "with dimension 2 being empty"),
        (lambda: F.adaptive_max_pool2d(x, (2, -1)), RuntimeError, "negative dimension -1"),
        (lambda: F.max_pool2d(hb.ones(1, 1, 4, 4, dtype=hb.int64), 2), NotImplementedError, "int64"),
        (lambda: F.max_pool2d([1.0], 2), TypeError, "must be Tensor"),
    ]
    for fn, exc, msg in cases:
        with pytest.raises(exc, match=msg):
            fn()


def test_matches_torch(rng):
    torch = pytest.importorskip("torch")
    for shape, k, s, p, d, ceil in MAX_CASES:
        x = rng.standard_normal(shape).round(1)
        x.flat[::13] = np.nan
        want, want_i = torch.nn.functional.max_pool2d(torch.tensor(x), k, s, p, d, ceil, return_indices=True)
        got, got_i = F.max_pool2d(t64(x), k, s, p, d, ceil, return_indices=True)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        np.testing.assert_array_equal(got_i.numpy(), want_i.numpy())
    for shape, k, s, p, ceil, cip, div in AVG_CASES:
        x = rng.standard_normal(shape)
        xt, xh = torch.tensor(x, requires_grad=True), t64(x, True)
        want = torch.nn.functional.avg_pool2d(xt, k, s, p, ceil, cip, div)
        got = F.avg_pool2d(xh, k, s, p, ceil, cip, div)
        np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-12, atol=1e-12)
        gy = rng.standard_normal(tuple(want.shape))
        want.backward(torch.tensor(gy))
        got.backward(hb.tensor(gy))
        np.testing.assert_allclose(xh.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    x = rng.standard_normal((2, 3, 9, 7))
    for size in [(4, 3), (9, 7), (12, 2)]:
        np.testing.assert_allclose(
            F.adaptive_avg_pool2d(t64(x), size).numpy(),
            torch.nn.functional.adaptive_avg_pool2d(torch.tensor(x), size).numpy(), rtol=1e-12)
        got, gi = F.adaptive_max_pool2d(t64(x), size, return_indices=True)
        want, wi = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), size, return_indices=True)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
        np.testing.assert_array_equal(gi.numpy(), wi.numpy())
