"""conv1d/conv2d/conv_transpose1d/2d, unfold/fold and their modules: against numpy float64
references, gradients by finite differences, PyTorch's errors, and torch itself where installed."""
import math
import warnings

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
import hayabusa.nn.functional as F
from hayabusa.autograd import gradcheck
from opcheck import noncontiguous


# ------------------------------------------------------------------ references
def conv2d_ref(x, w, b=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    """Cross-correlation, one kernel tap at a time: out += W[:, :, ki, kj] . shifted window."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, o, oh, ow))
    og = o // groups
    for g in range(groups):
        for ki in range(kh):
            for kj in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg, ki * dh:ki * dh + sh * (oh - 1) + 1:sh,
                           kj * dw:kj * dw + sw * (ow - 1) + 1:sw]
                out[:, g * og:(g + 1) * og] += np.einsum("nchw,oc->nohw", patch,
                                                         w[g * og:(g + 1) * og, :, ki, kj])
    if b is not None:
        out += np.asarray(b, np.float64)[None, :, None, None]
    return out


def conv_transpose2d_ref(x, w, b=None, stride=(1, 1), padding=(0, 0), output_padding=(0, 0),
                         groups=1, dilation=(1, 1)):
    """Every input element scatters its kernel-weighted copy into the output."""
    x, w = np.asarray(x, np.float64), np.asarray(w, np.float64)
    n, cin, h, wd = x.shape
    _, og, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    oh = (h - 1) * sh - 2 * ph + dh * (kh - 1) + output_padding[0] + 1
    ow = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + output_padding[1] + 1
    full = np.zeros((n, og * groups, oh + 2 * ph + sh + dh * kh, ow + 2 * pw + sw + dw * kw))
    cg = cin // groups
    for g in range(groups):
        for ki in range(kh):
            for kj in range(kw):
                contrib = np.einsum("nchw,co->nohw", x[:, g * cg:(g + 1) * cg],
                                    w[g * cg:(g + 1) * cg, :, ki, kj])
                full[:, g * og:(g + 1) * og, ki * dh:ki * dh + sh * (h - 1) + 1:sh,
                     kj * dw:kj * dw + sw * (wd - 1) + 1:sw] += contrib
    out = full[:, :, ph:ph + oh, pw:pw + ow]
    if b is not None:
        out = out + np.asarray(b, np.float64)[None, :, None, None]
    return out


def unfold_ref(x, kernel, dilation, padding, stride):
    x = np.asarray(x, np.float64)
    n, c, h, w = x.shape
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n, c, kh, kw, oh, ow))
    for ki in range(kh):
        for kj in range(kw):
            cols[:, :, ki, kj] = xp[:, :, ki * dh:ki * dh + sh * (oh - 1) + 1:sh,
                                    kj * dw:kj * dw + sw * (ow - 1) + 1:sw]
    return cols.reshape(n, c * kh * kw, oh * ow)


def fold_ref(col, size, kernel, dilation, padding, stride):
    col = np.asarray(col, np.float64)
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = kernel, dilation, padding, stride
    n, ckk, _ = col.shape
    c = ckk // (kh * kw)
    oh = (size[0] + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (size[1] + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = col.reshape(n, c, kh, kw, oh, ow)
    xp = np.zeros((n, c, size[0] + 2 * ph, size[1] + 2 * pw))
    for ki in range(kh):
        for kj in range(kw):
            xp[:, :, ki * dh:ki * dh + sh * (oh - 1) + 1:sh,
               kj * dw:kj * dw + sw * (ow - 1) + 1:sw] += cols[:, :, ki, kj]
    return xp[:, :, ph:ph + size[0], pw:pw + size[1]]


def t64(a, grad=False):
    return hb.tensor(np.asarray(a, np.float64), requires_grad=grad)


# (N, C, H, W, O, kernel, stride, padding, dilation, groups): odd sizes, stride > kernel,
# padding, dilation, groups (depthwise too), batch of 1, 1x1 kernels, uneven kernels
CONV_CASES = [
    (2, 3, 7, 5, 4, (3, 3), (1, 1), (1, 1), (1, 1), 1),
    (1, 1, 28, 28, 16, (3, 3), (1, 1), (1, 1), (1, 1), 1),
    (3, 4, 9, 8, 6, (3, 2), (2, 3), (1, 0), (1, 1), 2),
    (2, 3, 10, 11, 5, (2, 2), (3, 3), (0, 0), (1, 1), 1),
    (2, 2, 9, 9, 3, (3, 3), (1, 1), (2, 1), (2, 3), 1),
    (1, 6, 6, 7, 6, (3, 3), (1, 2), (1, 1), (1, 1), 6),
    (4, 5, 6, 6, 7, (1, 1), (1, 1), (0, 0), (1, 1), 1),
    (2, 4, 8, 5, 4, (1, 1), (2, 1), (1, 0), (1, 1), 2),
    (5, 2, 5, 5, 3, (5, 5), (1, 1), (0, 0), (1, 1), 1),
    (2, 3, 6, 6, 2, (3, 3), (1, 1), (3, 3), (1, 1), 1),
]


@pytest.mark.parametrize("dtype", [hb.float32, hb.float64])
@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_matches_reference(case, dtype, rng):
    n, c, h, w, o, k, s, p, d, g = case
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((o, c // g) + k)
    b = rng.standard_normal(o)
    out = F.conv2d(hb.tensor(x, dtype=dtype), hb.tensor(wt, dtype=dtype), hb.tensor(b, dtype=dtype),
                   s, p, d, g)
    assert out.dtype is dtype
    tol = dict(rtol=1e-4, atol=1e-4) if dtype is hb.float32 else dict(rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(out.numpy(), conv2d_ref(x, wt, b, s, p, d, g), **tol)


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_gradients_match_reference(case, rng):
    """Backward against the reference's own adjoints: grad_x through conv_transpose2d_ref,
    grad_w from the input windows (unfold_ref), grad_b the spatial sums."""
    n, c, h, w, o, k, s, p, d, g = case
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((o, c // g) + k)
    b = rng.standard_normal(o)
    xt, wtt, bt = t64(x, True), t64(wt, True), t64(b, True)
    out = F.conv2d(xt, wtt, bt, s, p, d, g)
    gy = rng.standard_normal(tuple(out.shape))
    out.backward(hb.tensor(gy))
    oh, ow = gy.shape[2:]
    # the transposed convolution's size, with the rows and columns no window reached added
    extra = [size - ((o_ - 1) * s_ - 2 * p_ + d_ * (k_ - 1) + 1)
             for size, o_, s_, p_, d_, k_ in zip((h, w), (oh, ow), s, p, d, k)]
    want_x = conv_transpose2d_ref(gy, wt, None, s, p, extra, g, d)
    np.testing.assert_allclose(xt.grad.numpy(), want_x, rtol=1e-10, atol=1e-10)
    cols = unfold_ref(x, k, d, p, s).reshape(n, g, c // g * k[0] * k[1], oh * ow)
    gyg = gy.reshape(n, g, o // g, oh * ow)
    want_w = np.einsum("ngol,ngkl->gok", gyg, cols).reshape(wt.shape)
    np.testing.assert_allclose(wtt.grad.numpy(), want_w, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(bt.grad.numpy(), gy.sum(axis=(0, 2, 3)), rtol=1e-12)


@pytest.mark.parametrize("kw", [
    dict(stride=2, padding=1), dict(dilation=2, padding=2, groups=2), dict(padding="same"),
    dict(padding="same", dilation=2), dict(padding="valid", stride=(1, 2))], ids=str)
def test_conv2d_gradcheck(kw, rng):
    c = 2 if kw.get("groups", 1) == 1 else 4
    x = t64(rng.standard_normal((2, c, 5, 4)), True)
    w = t64(rng.standard_normal((4, c // kw.get("groups", 1), 3, 2)), True)
    b = t64(rng.standard_normal(4), True)
    assert gradcheck(lambda x, w, b: F.conv2d(x, w, b, **kw), [x, w, b])


def test_conv2d_same_padding_even_kernel(rng):
    """An even kernel pads one more on the right/bottom, as PyTorch."""
    x = rng.standard_normal((2, 3, 6, 5))
    w = rng.standard_normal((2, 3, 2, 4))
    out = F.conv2d(t64(x), t64(w), padding="same")
    assert tuple(out.shape) == (2, 2, 6, 5)
    xp = np.pad(x, ((0, 0), (0, 0), (0, 1), (1, 2)))
    np.testing.assert_allclose(out.numpy(), conv2d_ref(xp, w), rtol=1e-10, atol=1e-10)
    xt, wt = t64(x, True), t64(w, True)
    assert gradcheck(lambda x, w: F.conv2d(x, w, padding="same"), [xt, wt])


def test_conv2d_unbatched_noncontiguous_and_empty(rng):
    x = rng.standard_normal((3, 7, 6))
    w = rng.standard_normal((4, 3, 3, 3))
    out = F.conv2d(t64(x), t64(w), padding=1)
    assert tuple(out.shape) == (4, 7, 6)
    np.testing.assert_allclose(out.numpy(), conv2d_ref(x[None], w, padding=(1, 1))[0], atol=1e-10)
    xb = rng.standard_normal((2, 3, 7, 6))
    xs = hb.from_numpy(noncontiguous(xb))
    assert not xs.is_contiguous()
    np.testing.assert_allclose(F.conv2d(xs, t64(w), stride=2).numpy(),
                               conv2d_ref(xb, w, stride=(2, 2)), atol=1e-10)
    xs.requires_grad_()
    F.conv2d(xs, t64(w)).sum().backward()
    dense = t64(xb, True)
    F.conv2d(dense, t64(w)).sum().backward()
    np.testing.assert_allclose(xs.grad.numpy(), dense.grad.numpy(), atol=1e-12)
    empty = F.conv2d(hb.zeros(0, 3, 5, 5), hb.zeros(2, 3, 3, 3))
    assert tuple(empty.shape) == (0, 2, 3, 3)


@pytest.mark.parametrize("kw", [dict(), dict(stride=2, padding=1), dict(dilation=2, groups=2),
                                dict(padding="same")], ids=str)
def test_conv1d(kw, rng):
    g = kw.get("groups", 1)
    x = rng.standard_normal((2, 4, 9))
    w = rng.standard_normal((6, 4 // g, 3))
    b = rng.standard_normal(6)
    out = F.conv1d(t64(x), t64(w), t64(b), **kw)
    pad = kw.get("padding", 0)
    pad = (0, kw.get("dilation", 1)) if pad == "same" else (0, pad)
    ref = conv2d_ref(x[:, :, None], w[:, :, None], b, (1, kw.get("stride", 1)), pad,
                     (1, kw.get("dilation", 1)), g)[:, :, 0]
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10, atol=1e-10)
    xt, wt = t64(x[:1, :, :6], True), t64(w, True)
    assert gradcheck(lambda x, w: F.conv1d(x, w, **kw), [xt, wt])
    assert tuple(F.conv1d(t64(x[0]), t64(w), **kw).shape) == tuple(out.shape[1:])


# (N, Cin, H, W, Cout, kernel, stride, padding, output_padding, groups, dilation)
TRANSPOSED_CASES = [
    (2, 3, 5, 4, 2, (3, 3), (1, 1), (0, 0), (0, 0), 1, (1, 1)),
    (1, 4, 3, 5, 6, (3, 2), (2, 3), (1, 0), (1, 2), 2, (1, 1)),
    (2, 2, 4, 4, 3, (2, 2), (2, 2), (0, 0), (0, 0), 1, (1, 1)),
    (1, 2, 3, 3, 2, (3, 3), (1, 1), (1, 1), (1, 1), 1, (2, 2)),
    (3, 3, 4, 2, 3, (1, 1), (1, 1), (0, 0), (0, 0), 3, (1, 1)),
]


@pytest.mark.parametrize("case", TRANSPOSED_CASES, ids=str)
def test_conv_transpose2d(case, rng):
    n, cin, h, w, cout, k, s, p, op, g, d = case
    x = rng.standard_normal((n, cin, h, w))
    wt = rng.standard_normal((cin, cout // g) + k)
    b = rng.standard_normal(cout)
    out = F.conv_transpose2d(t64(x), t64(wt), t64(b), s, p, op, g, d)
    np.testing.assert_allclose(out.numpy(), conv_transpose2d_ref(x, wt, b, s, p, op, g, d),
                               rtol=1e-10, atol=1e-10)
    out32 = F.conv_transpose2d(hb.tensor(x), hb.tensor(wt), hb.tensor(b), s, p, op, g, d)
    np.testing.assert_allclose(out32.numpy(), out.numpy(), rtol=1e-4, atol=1e-4)
    xs, ws = t64(x[:1], True), t64(wt, True)
    assert gradcheck(lambda x, w: F.conv_transpose2d(x, w, None, s, p, op, g, d), [xs, ws])


def test_conv_transpose1d_and_module_output_size(rng):
    x = rng.standard_normal((2, 3, 5))
    w = rng.standard_normal((3, 2, 3))
    out = F.conv_transpose1d(t64(x), t64(w), stride=2, output_padding=1)
    ref = conv_transpose2d_ref(x[:, :, None], w[:, :, None], None, (1, 2), (0, 0), (0, 1))[:, :, 0]
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-10)
    m = nn.ConvTranspose2d(3, 2, 3, stride=2)
    assert tuple(m(hb.randn(1, 3, 5, 5), output_size=[12, 12]).shape) == (1, 2, 12, 12)
    assert tuple(m(hb.randn(1, 3, 5, 5), output_size=[1, 2, 11, 12]).shape) == (1, 2, 11, 12)
    with pytest.raises(ValueError, match="valid sizes range from"):
        m(hb.randn(1, 3, 5, 5), output_size=[13, 13])


@pytest.mark.parametrize("kernel, dilation, padding, stride", [
    ((2, 2), (1, 1), (0, 0), (1, 1)), ((3, 2), (2, 1), (1, 1), (2, 1)), ((1, 1), (1, 1), (0, 0), (3, 2))],
    ids=str)
def test_unfold_fold(kernel, dilation, padding, stride, rng):
    x = rng.standard_normal((2, 3, 7, 6))
    col = F.unfold(t64(x), kernel, dilation, padding, stride)
    np.testing.assert_allclose(col.numpy(), unfold_ref(x, kernel, dilation, padding, stride))
    back = F.fold(col, (7, 6), kernel, dilation, padding, stride)
    np.testing.assert_allclose(back.numpy(), fold_ref(col.numpy(), (7, 6), kernel, dilation,
                                                      padding, stride), atol=1e-12)
    xs = t64(x[:1, :2, :5, :4], True)
    assert gradcheck(lambda x: F.unfold(x, kernel, dilation, padding, stride), [xs])
    cs = t64(F.unfold(xs.detach(), kernel, dilation, padding, stride).numpy(), True)
    assert gradcheck(lambda c: F.fold(c, (5, 4), kernel, dilation, padding, stride), [cs])
    assert tuple(nn.Unfold(kernel, dilation, padding, stride)(t64(x[0])).shape) == tuple(col.shape[1:])
    assert tuple(nn.Fold((7, 6), kernel, dilation, padding, stride)(col[0]).shape) == (3, 7, 6)


# -------------------------------------------------------------------- modules
def test_module_reprs():
    assert repr(nn.Conv2d(3, 16, 3)) == "Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1))"
    assert repr(nn.Conv2d(3, 16, (3, 5), stride=2, padding=1, dilation=2, bias=False)) == (
        "Conv2d(3, 16, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)")
    assert repr(nn.Conv2d(3, 15, 3, padding="same", groups=3)) == (
        "Conv2d(3, 15, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=3)")
    assert repr(nn.Conv1d(3, 5, 3)) == "Conv1d(3, 5, kernel_size=(3,), stride=(1,))"
    assert repr(nn.ConvTranspose2d(3, 4, 3, stride=2, output_padding=1)) == (
        "ConvTranspose2d(3, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))")
    assert repr(nn.Unfold(2)) == "Unfold(kernel_size=2, dilation=1, padding=0, stride=1)"
    assert repr(nn.Fold((4, 4), 2)) == "Fold(output_size=(4, 4), kernel_size=2, dilation=1, padding=0, stride=1)"


def test_module_initialization_and_forward(rng):
    hb.manual_seed(0)
    m = nn.Conv2d(4, 6, 3, groups=2)
    assert tuple(m.weight.shape) == (6, 2, 3, 3) and tuple(m.bias.shape) == (6,)
    bound = 1 / math.sqrt(2 * 9)  # kaiming_uniform(a=sqrt(5)) and the bias: 1/sqrt(fan_in)
    weight = np.abs(m.weight.detach().numpy())
    assert weight.max() <= bound and weight.max() > bound * 0.8
    assert np.abs(m.bias.detach().numpy()).max() <= bound
    t = nn.ConvTranspose2d(4, 6, 3, groups=2)
    assert tuple(t.weight.shape) == (4, 3, 3, 3)
    assert np.abs(t.bias.detach().numpy()).max() <= 1 / math.sqrt(27)
    x = rng.standard_normal((2, 4, 5, 5)).astype(np.float32)
    np.testing.assert_allclose(m(hb.tensor(x)).detach().numpy(),
                               conv2d_ref(x, m.weight.detach().numpy(), m.bias.detach().numpy(), groups=2),
                               rtol=1e-4, atol=1e-5)
    md = nn.Conv2d(2, 3, 3, dtype=hb.float64)
    assert md.weight.dtype is hb.float64
    assert nn.Conv2d(2, 3, 3).double().weight.dtype is hb.float64
    assert m(hb.randn(4, 5, 5)).shape == (6, 3, 3)


def test_module_argument_errors():
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 16, 3, groups=2)
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.Conv2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match="groups must be a positive integer"):
        nn.Conv2d(3, 2, 3, groups=0)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv2d(3, 2, 3, padding="same", stride=2)
    with pytest.raises(ValueError, match="Invalid padding string 'foo'"):
        nn.Conv2d(3, 2, 3, padding="foo")
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        nn.Conv2d(3, 2, 3, padding_mode="foo")
    with pytest.raises(NotImplementedError, match="padding_mode='reflect'"):
        nn.Conv2d(3, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match='Only "zeros" padding mode'):
        nn.ConvTranspose2d(3, 2, 3, padding_mode="reflect")


# ----------------------------------------------------------------- bad input
def test_conv_errors():
    w = hb.randn(16, 3, 3, 3)
    cases = [
        (lambda: F.conv2d(hb.randn(1, 1, 28, 28), w), RuntimeError,
         r"Given groups=1, weight of size \[16, 3, 3, 3\], expected input\[1, 1, 28, 28\] to have 3 "
         r"channels, but got 1 channels instead"),
        (lambda: F.conv2d(hb.randn(28, 28), w), RuntimeError,
         r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[28, 28\]"),
        (lambda: F.conv2d(hb.randn(1, 3, 2, 2), w), RuntimeError,
         r"Calculated padded input size per channel: \(2 x 2\). Kernel size: \(3 x 3\). Kernel size "
         r"can't be greater than actual input size"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, stride=0), RuntimeError, "non-positive stride"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, padding=-1), RuntimeError, "negative padding"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, dilation=0), RuntimeError,
         r"dilation should be greater than zero, but got \[0, 0\]"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, groups=0), RuntimeError, "non-positive groups"),
        (lambda: F.conv2d(hb.randn(1, 4, 5, 5), hb.randn(5, 2, 3, 3), groups=2), RuntimeError,
         "expected weight to be divisible by 2 at dimension 0"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, padding="same", stride=2), RuntimeError,
         "padding='same' is not supported for strided convolutions"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, padding="foo"), RuntimeError,
         "Invalid padding string: 'foo'"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, hb.randn(5)), RuntimeError,
         r"expected bias to be 1-dimensional with 16 elements, but got bias of size \[5\]"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5).double(), w), RuntimeError,
         "expected scalar type Double but found Float"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, hb.randn(16).double()), RuntimeError,
         r"Input type \(float\) and bias type \(double\) should be the same"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), hb.randn(3, 3)), RuntimeError,
         "weight should have at least three dimensions"),
        (lambda: F.conv2d(hb.randn(1, 3, 5, 5), w, stride=(1, 2, 3)), RuntimeError,
         r"expected stride to be a single integer value or a list of 2 values"),
        (lambda: F.conv1d(hb.randn(1, 3, 5, 5), hb.randn(4, 3, 3)), RuntimeError,
         r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d"),
        (lambda: F.conv2d([1.0], w), TypeError, "argument 'input' must be Tensor"),
        (lambda: F.conv2d(hb.ones(1, 3, 5, 5, dtype=hb.int64), hb.ones(2, 3, 3, 3, dtype=hb.int64)),
         NotImplementedError, "int64"),
        (lambda: F.conv_transpose2d(hb.randn(1, 3, 5, 5), hb.randn(4, 2, 3, 3)), RuntimeError,
         r"Given transposed=1, weight of size \[4, 2, 3, 3\], expected input\[1, 3, 5, 5\] to have 4 channels"),
        (lambda: F.conv_transpose2d(hb.randn(1, 3, 5, 5), hb.randn(3, 2, 3, 3), output_padding=1),
         RuntimeError, "output padding must be smaller than either stride or dilation"),
        (lambda: F.conv_transpose2d(hb.randn(1, 3, 1, 1), hb.randn(3, 2, 3, 3), padding=2), RuntimeError,
         r"Calculated output size per channel: \(-1 x -1\). Output size is too small"),
        (lambda: F.conv_transpose2d(hb.randn(1, 3, 5, 5), hb.randn(3, 2, 3, 3), padding="same"),
         TypeError, "must be tuple of ints, not str"),
        (lambda: F.unfold(hb.randn(2, 4), 2), RuntimeError, "Expected 3D or 4D"),
        (lambda: F.unfold(hb.randn(1, 2, 1, 1), 2), RuntimeError, "but its components must be at least one"),
        (lambda: F.fold(hb.randn(1, 7, 9), (4, 4), 2), RuntimeError, "divisible by the product of kernel_size"),
        (lambda: F.fold(hb.randn(1, 8, 8), (4, 4), 2), RuntimeError,
         r"calculated number of sliding blocks 3 \* 3 = 9, but got input.size\(2\)=8"),
    ]
    for fn, exc, msg in cases:
        with pytest.raises(exc, match=msg):
            fn()


# ----------------------------------------------------------------- vs torch
def test_matches_torch(rng):
    torch = pytest.importorskip("torch")
    for n, c, h, w, o, k, s, p, d, g in CONV_CASES:
        x = rng.standard_normal((n, c, h, w))
        wt = rng.standard_normal((o, c // g) + k)
        b = rng.standard_normal(o)
        gy_shape = tuple(torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(wt), None, s, p, d, g).shape)
        gy = rng.standard_normal(gy_shape)
        outs = []
        for lib in (torch, hb):
            xt, wtt, bt = (lib.tensor(a, requires_grad=True) for a in (x, wt, b))
            out = lib.nn.functional.conv2d(xt, wtt, bt, s, p, d, g)
            out.backward(lib.tensor(gy))
            outs.append([out.detach().numpy(), xt.grad.numpy(), wtt.grad.numpy(), bt.grad.numpy()])
        for a, b_ in zip(*outs):
            np.testing.assert_allclose(b_, a, rtol=1e-10, atol=1e-10)
    for n, cin, h, w, cout, k, s, p, op, g, d in TRANSPOSED_CASES:
        x = rng.standard_normal((n, cin, h, w)).astype(np.float32)
        wt = rng.standard_normal((cin, cout // g) + k).astype(np.float32)
        ref = torch.nn.functional.conv_transpose2d(torch.tensor(x), torch.tensor(wt), None, s, p, op, g, d)
        got = F.conv_transpose2d(hb.tensor(x), hb.tensor(wt), None, s, p, op, g, d)
        np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-4, atol=1e-4)
    x = rng.standard_normal((2, 3, 6, 5))
    w = rng.standard_normal((2, 3, 2, 4))
    for pad in ("same", "valid"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch warns that it copies the input for 'same'
            want = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), padding=pad).numpy()
        np.testing.assert_allclose(
            F.conv2d(t64(x), t64(w), padding=pad).numpy(), want, atol=1e-10)
