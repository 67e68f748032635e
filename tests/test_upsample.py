"""interpolate (nearest, nearest-exact, linear, bilinear with and without align_corners, area)
and nn.Upsample: numpy float64 references from the definitions, finite differences, the
resampling kernel's validation, PyTorch's errors, and torch where installed."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
import hayabusa.nn.functional as F
from hayabusa import _C
from hayabusa.autograd import gradcheck
from opcheck import noncontiguous


def nearest_index(out, size, scale=None, exact=False):
    s = 1.0 / scale if scale else size / out
    return np.minimum(np.floor((np.arange(out) + (0.5 if exact else 0.0)) * s).astype(int), size - 1)


def linear_weights(out, size, align_corners, scale=None):
    """(i0, i1, lambda) of each output position along one axis."""
    i = np.arange(out, dtype=np.float64)
    if align_corners:
        src = i * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        s = 1.0 / scale if scale else size / out
        src = np.maximum((i + 0.5) * s - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(int), size - 1)
    return i0, np.minimum(i0 + 1, size - 1), np.clip(src - i0, 0, 1)


def bilinear_ref(x, size, align_corners, scales=(None, None)):
    r0, r1, lr = linear_weights(size[0], x.shape[2], align_corners, scales[0])
    c0, c1, lc = linear_weights(size[1], x.shape[3], align_corners, scales[1])
    rows = x[:, :, r0] * (1 - lr)[:, None] + x[:, :, r1] * lr[:, None]
    return rows[..., c0] * (1 - lc) + rows[..., c1] * lc


def t64(a, grad=False):
    return hb.tensor(np.asarray(a, np.float64), requires_grad=grad)


@pytest.mark.parametrize("size", [(8, 10), (3, 7), (5, 5), (9, 2)], ids=str)
def test_nearest(size, rng):
    x = rng.standard_normal((2, 3, 4, 5))
    out = F.interpolate(t64(x), size=size)
    np.testing.assert_array_equal(out.numpy(), x[:, :, nearest_index(size[0], 4)][..., nearest_index(size[1], 5)])
    exact = F.interpolate(t64(x), size=size, mode="nearest-exact")
    np.testing.assert_array_equal(exact.numpy(), x[:, :, nearest_index(size[0], 4, exact=True)]
                                  [..., nearest_index(size[1], 5, exact=True)])
    xs = t64(x[:1, :2], True)
    assert gradcheck(lambda t: F.interpolate(t, size=size), [xs])
    assert gradcheck(lambda t: F.interpolate(t, size=size, mode="nearest-exact"), [xs])


def test_nearest_scale_factor_and_1d(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    out = F.interpolate(t64(x), scale_factor=2)
    np.testing.assert_array_equal(out.numpy(), x.repeat(2, axis=2).repeat(2, axis=3))
    out = F.interpolate(t64(x), scale_factor=(1.5, 0.5))
    assert tuple(out.shape) == (2, 3, 6, 2)
    np.testing.assert_array_equal(out.numpy(), x[:, :, nearest_index(6, 4, 1.5)][..., nearest_index(2, 5, 0.5)])
    x1 = rng.standard_normal((2, 3, 5))
    np.testing.assert_array_equal(F.interpolate(t64(x1), size=7).numpy(), x1[..., nearest_index(7, 5)])
    x1[0, 0, 0] = np.inf  # a nearest copy never multiplies by a zero weight
    assert F.interpolate(t64(x1), scale_factor=2).numpy()[0, 0, :2].tolist() == [np.inf, np.inf]


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("size", [(8, 10), (3, 7), (4, 5), (1, 1), (11, 2)], ids=str)
def test_bilinear(size, align_corners, rng):
    x = rng.standard_normal((2, 3, 4, 5))
    out = F.interpolate(t64(x), size=size, mode="bilinear", align_corners=align_corners)
    np.testing.assert_allclose(out.numpy(), bilinear_ref(x, size, align_corners), rtol=1e-12, atol=1e-12)
    out32 = F.interpolate(hb.tensor(x, dtype=hb.float32), size=size, mode="bilinear", align_corners=align_corners)
    np.testing.assert_allclose(out32.numpy(), out.numpy(), rtol=1e-5, atol=1e-5)
    xs = t64(x[:1, :2], True)
    assert gradcheck(lambda t: F.interpolate(t, size=size, mode="bilinear", align_corners=align_corners), [xs])


def test_bilinear_scale_factor_linear_and_area(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    out = F.interpolate(t64(x), scale_factor=(2.5, 1.5), mode="bilinear")
    np.testing.assert_allclose(out.numpy(), bilinear_ref(x, (10, 7), False, (2.5, 1.5)), rtol=1e-12)
    recomputed = F.interpolate(t64(x), scale_factor=(2.5, 1.5), mode="bilinear", recompute_scale_factor=True)
    np.testing.assert_allclose(recomputed.numpy(), bilinear_ref(x, (10, 7), False), rtol=1e-12)
    x1 = rng.standard_normal((2, 3, 5))
    lin = F.interpolate(t64(x1), size=9, mode="linear", align_corners=True)
    np.testing.assert_allclose(lin.numpy(), bilinear_ref(x1[:, :, None], (1, 9), True)[:, :, 0], rtol=1e-12)
    assert gradcheck(lambda t: F.interpolate(t, size=7, mode="linear"), [t64(x1[:1], True)])
    area = F.interpolate(t64(x), size=(2, 3), mode="area")
    np.testing.assert_allclose(area.numpy(), F.adaptive_avg_pool2d(t64(x), (2, 3)).numpy())
    xs = hb.from_numpy(noncontiguous(x))
    np.testing.assert_allclose(F.interpolate(xs, size=(6, 6), mode="bilinear").numpy(),
                               bilinear_ref(x, (6, 6), False), rtol=1e-12)


def test_modules():
    assert repr(nn.Upsample(scale_factor=2)) == "Upsample(scale_factor=2.0, mode='nearest')"
    assert repr(nn.Upsample(size=(3, 4), mode="bilinear", align_corners=True)) == "Upsample(size=(3, 4), mode='bilinear')"
    assert repr(nn.UpsamplingNearest2d(scale_factor=2)) == "UpsamplingNearest2d(scale_factor=2.0, mode='nearest')"
    assert repr(nn.UpsamplingBilinear2d(scale_factor=2)) == "UpsamplingBilinear2d(scale_factor=2.0, mode='bilinear')"
    x = hb.randn(1, 2, 3, 3)
    assert tuple(nn.Upsample(scale_factor=2, mode="bilinear")(x).shape) == (1, 2, 6, 6)
    np.testing.assert_allclose(nn.UpsamplingBilinear2d(size=5)(x).numpy(),
                               F.interpolate(x, size=5, mode="bilinear", align_corners=True).numpy())
    assert F.interpolate(x.requires_grad_(), scale_factor=2, mode="bilinear").grad_fn.name() == \
        "UpsampleBilinear2DBackward0"


def test_errors():
    x = hb.randn(1, 1, 4, 4)
    cases = [
        (lambda: F.interpolate(x, size=3, align_corners=True), ValueError,
         "align_corners option can only be set with the interpolating modes"),
        (lambda: F.interpolate(x, size=3, scale_factor=2), ValueError, "only one of size or scale_factor"),
        (lambda: F.interpolate(x), ValueError, "either size or scale_factor should be defined"),
        (lambda: F.interpolate(hb.randn(1, 1, 4), size=3, mode="bilinear"), NotImplementedError,
         "Got 3D input, but bilinear mode needs 4D input"),
        (lambda: F.interpolate(x, size=(3,)), ValueError,
         "Input and output must have the same number of spatial dimensions"),
        (lambda: F.interpolate(x, mode="foo", size=2), NotImplementedError, r"\(got foo\)"),
        (lambda: F.interpolate(x, mode="bicubic", size=2), NotImplementedError, "bicubic"),
        (lambda: F.interpolate(x, scale_factor=-1.0), RuntimeError,
         r"Input and output sizes should be greater than 0, but got input \(H: 4, W: 4\) output \(H: -4, W: -4\)"),
        (lambda: F.interpolate(x, size=(2, 3), recompute_scale_factor=True), ValueError,
         "recompute_scale_factor is not meaningful with an explicit size"),
    ]
    for fn, exc, msg in cases:
        with pytest.raises(exc, match=msg):
            fn()
    planes = np.zeros((2, 3, 3), np.float32)
    out = np.zeros((2, 4, 4), np.float32)
    taps = np.zeros((4, 2), np.int64)
    with pytest.raises(ValueError, match=r"source indices must lie in \[0, 3\)"):
        _C.upsample2d_forward(planes, out, taps + 3, None, taps, None)
    with pytest.raises(ValueError, match=r"rows must be int64 of shape \(4, 2\)"):
        _C.upsample2d_forward(planes, out, taps[:3], None, taps, None)
    with pytest.raises(ValueError, match="row_w must be of shape"):
        _C.upsample2d_forward(planes, out, taps, np.zeros((4, 2)), taps, None)


def test_matches_torch(rng):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 3, 5, 7)).astype(np.float32)
    configs = [dict(size=(9, 4)), dict(scale_factor=2.0), dict(scale_factor=(1.7, 0.6)),
               dict(size=(11, 13), mode="nearest-exact"), dict(size=(9, 4), mode="bilinear"),
               dict(scale_factor=(2.3, 1.3), mode="bilinear"), dict(size=(3, 12), mode="bilinear", align_corners=True),
               dict(scale_factor=1.5, mode="bilinear", recompute_scale_factor=True),
               dict(size=(3, 4), mode="area")]
    for kw in configs:
        xt, xh = torch.tensor(x, requires_grad=True), hb.tensor(x, requires_grad=True)
        want, got = torch.nn.functional.interpolate(xt, **kw), F.interpolate(xh, **kw)
        np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-6, atol=1e-6)
        gy = rng.standard_normal(tuple(want.shape)).astype(np.float32)
        want.backward(torch.tensor(gy))
        got.backward(hb.tensor(gy))
        np.testing.assert_allclose(xh.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-5)
    x1 = rng.standard_normal((2, 3, 6)).astype(np.float32)
    for kw in (dict(size=11, mode="linear"), dict(scale_factor=0.5), dict(size=4, mode="linear", align_corners=True)):
        np.testing.assert_allclose(F.interpolate(hb.tensor(x1), **kw).numpy(),
                                   torch.nn.functional.interpolate(torch.tensor(x1), **kw).numpy(), rtol=1e-6, atol=1e-6)


def test_upsample_warns_it_is_deprecated():
    with pytest.warns(UserWarning, match="upsample` is deprecated"):
        F.upsample(hb.ones(1, 1, 2, 2), scale_factor=2)
