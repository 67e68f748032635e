"""batch_norm (training and evaluation, running statistics), layer_norm, group_norm, their
modules and kernels: numpy float64 references, finite differences, every instruction set,
PyTorch's errors, and torch itself where installed."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
import hayabusa.nn.functional as F
from hayabusa import _C
from hayabusa.autograd import gradcheck
from opcheck import noncontiguous


def norm_ref(x, axes, weight=None, bias=None, eps=1e-5, shape=None):
    """(x - mean) / sqrt(biased var + eps) over axes, then weight and bias broadcast as `shape`."""
    x = np.asarray(x, np.float64)
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        y = y * np.asarray(weight, np.float64).reshape(shape)
    if bias is not None:
        y = y + np.asarray(bias, np.float64).reshape(shape)
    return y


def channel_axes(x):
    return (0,) + tuple(range(2, x.ndim))


def channel_shape(x):
    return (1, -1) + (1,) * (x.ndim - 2)


def group_norm_ref(x, groups, weight, bias, eps=1e-5):
    n, c = x.shape[:2]
    xg = x.reshape(n, groups, -1)
    y = norm_ref(xg, (2,), eps=eps).reshape(x.shape)
    return y * weight.reshape(channel_shape(x)) + bias.reshape(channel_shape(x))


def t64(a, grad=False):
    return hb.tensor(np.asarray(a, np.float64), requires_grad=grad)


# ----------------------------------------------------------------- batch norm
@pytest.mark.parametrize("shape", [(4, 3), (5, 3, 7), (2, 4, 5, 3), (1, 2, 3, 3)], ids=str)
@pytest.mark.parametrize("dtype", [hb.float32, hb.float64])
def test_batch_norm_training(shape, dtype, rng):
    x = rng.standard_normal(shape) * 3 + 2
    c = shape[1]
    w, b = rng.standard_normal(c), rng.standard_normal(c)
    rm, rv = hb.zeros(c, dtype=dtype), hb.ones(c, dtype=dtype)
    out = F.batch_norm(hb.tensor(x, dtype=dtype), rm, rv, hb.tensor(w, dtype=dtype),
                       hb.tensor(b, dtype=dtype), True, 0.3, 1e-5)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype is hb.float32 else dict(rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(out.numpy(), norm_ref(x, channel_axes(x), w, b, 1e-5, channel_shape(x)), **tol)
    count = x.size // c
    np.testing.assert_allclose(rm.numpy(), 0.3 * x.mean(axis=channel_axes(x)), **tol)
    # the running variance is unbiased, the normalization's biased
    np.testing.assert_allclose(rv.numpy(), 0.7 + 0.3 * x.var(axis=channel_axes(x)) * count / (count - 1), **tol)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradcheck(training, rng):
    x = t64(rng.standard_normal((3, 2, 2, 3)), True)
    w, b = t64(rng.standard_normal(2), True), t64(rng.standard_normal(2), True)
    rm, rv = t64(rng.standard_normal(2)), t64(rng.uniform(0.5, 2, 2))
    assert gradcheck(lambda x, w, b: F.batch_norm(x, rm.clone(), rv.clone(), w, b, training), [x, w, b])
    assert gradcheck(lambda x: F.batch_norm(x, None, None, training=True), [x])


def test_batch_norm_eval_uses_running_stats(rng):
    x = rng.standard_normal((4, 3, 2))
    rm, rv = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    w, b = rng.standard_normal(3), rng.standard_normal(3)
    out = F.batch_norm(t64(x), t64(rm), t64(rv), t64(w), t64(b), False, 0.1, 1e-3)
    want = (x - rm[None, :, None]) / np.sqrt(rv[None, :, None] + 1e-3) * w[None, :, None] + b[None, :, None]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-12)


def test_batch_norm_modules(rng):
    hb.manual_seed(0)
    bn = nn.BatchNorm2d(3)
    assert repr(bn) == "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert bn.num_batches_tracked.dtype is hb.int64 and bn.num_batches_tracked.item() == 0
    assert np.all(bn.weight.detach().numpy() == 1) and np.all(bn.bias.detach().numpy() == 0)
    xs = [rng.standard_normal((4, 3, 5, 5)) for _ in range(3)]
    rm, rv = np.zeros(3), np.ones(3)
    for x in xs:
        out = bn(hb.tensor(x, dtype=hb.float32))
        np.testing.assert_allclose(out.detach().numpy(), norm_ref(x, (0, 2, 3), shape=(1, -1, 1, 1)),
                                   rtol=1e-5, atol=1e-5)
        rm = 0.9 * rm + 0.1 * x.mean(axis=(0, 2, 3))
        rv = 0.9 * rv + 0.1 * x.var(axis=(0, 2, 3), ddof=1)
    assert bn.num_batches_tracked.item() == 3
    np.testing.assert_allclose(bn.running_mean.numpy(), rm, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bn.running_var.numpy(), rv, rtol=1e-5)
    bn.eval()
    x = rng.standard_normal((2, 3, 4, 4))
    np.testing.assert_allclose(bn(hb.tensor(x, dtype=hb.float32)).detach().numpy(),
                               (x - rm[None, :, None, None]) / np.sqrt(rv[None, :, None, None] + 1e-5),
                               rtol=1e-5, atol=1e-5)
    assert bn.num_batches_tracked.item() == 3
    # momentum=None: a cumulative average of the batch statistics
    cum = nn.BatchNorm1d(3, momentum=None, affine=False)
    assert repr(cum) == ("BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, bias=False, "
                         "track_running_stats=True)")
    batches = [rng.standard_normal((5, 3)) for _ in range(4)]
    for x in batches:
        cum(hb.tensor(x, dtype=hb.float32))
    np.testing.assert_allclose(cum.running_mean.numpy(), np.mean([x.mean(0) for x in batches], 0), rtol=1e-5, atol=1e-6)
    # no running statistics: batch statistics in evaluation too, no buffers in the state
    free = nn.BatchNorm1d(3, track_running_stats=False).eval()
    assert free.running_mean is None and list(free.state_dict()) == ["weight", "bias"]
    x = rng.standard_normal((6, 3, 4))
    np.testing.assert_allclose(free(hb.tensor(x, dtype=hb.float32)).detach().numpy(), norm_ref(x, (0, 2), shape=(1, -1, 1)),
                               rtol=1e-5, atol=1e-5)
    assert nn.BatchNorm2d(3, bias=False).bias is None
    assert nn.BatchNorm2d(2).double().running_mean.dtype is hb.float64
    empty = nn.BatchNorm2d(3)
    assert tuple(empty(hb.zeros(0, 3, 2, 2)).shape) == (0, 3, 2, 2)
    assert empty.num_batches_tracked.item() == 1 and np.all(empty.running_var.numpy() == 1)


def test_batch_norm_errors():
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        nn.BatchNorm2d(3)(hb.randn(2, 3, 4))
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        nn.BatchNorm1d(3)(hb.randn(2, 3, 4, 4))
    with pytest.raises(RuntimeError, match="running_mean should contain 4 elements not 3"):
        nn.BatchNorm1d(3)(hb.randn(2, 4))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm2d(3)(hb.randn(1, 3, 1, 1))
    assert tuple(nn.BatchNorm2d(3).eval()(hb.randn(1, 3, 1, 1)).shape) == (1, 3, 1, 1)
    with pytest.raises(RuntimeError, match="running_mean must be defined in evaluation mode"):
        F.batch_norm(hb.randn(2, 3), None, None, training=False)
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        F.batch_norm(hb.randn(2, 3), hb.zeros(3, dtype=hb.float64), hb.ones(3))


# ------------------------------------------------------------ layer and group norm
@pytest.mark.parametrize("shape, normalized", [((4, 5), (5,)), ((2, 3, 4), (3, 4)), ((3, 1), (1,)),
                                               ((2, 3, 65), (65,))], ids=str)
def test_layer_norm(shape, normalized, rng):
    x = rng.standard_normal(shape) * 2 + 1
    w, b = rng.standard_normal(normalized), rng.standard_normal(normalized)
    axes = tuple(range(len(shape) - len(normalized), len(shape)))
    for dtype, tol in ((hb.float32, 1e-5), (hb.float64, 1e-10)):
        out = F.layer_norm(hb.tensor(x, dtype=dtype), normalized, hb.tensor(w, dtype=dtype),
                           hb.tensor(b, dtype=dtype))
        np.testing.assert_allclose(out.numpy(), norm_ref(x, axes, w, b, shape=normalized), rtol=tol, atol=tol)
    np.testing.assert_allclose(F.layer_norm(t64(x), normalized).numpy(), norm_ref(x, axes), rtol=1e-10, atol=1e-10)
    small = t64(x[..., :3] if len(normalized) == 1 and normalized[0] > 3 else x, True)
    ns = tuple(small.shape[len(shape) - len(normalized):])
    ws, bs = t64(rng.standard_normal(ns), True), t64(rng.standard_normal(ns), True)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, ns, w, b), [small, ws, bs])


@pytest.mark.parametrize("shape, groups", [((2, 4, 3), 2), ((3, 6, 2, 2), 3), ((2, 4), 4), ((1, 3, 5), 1)],
                         ids=str)
def test_group_norm(shape, groups, rng):
    x = rng.standard_normal(shape) * 2 - 1
    c = shape[1]
    w, b = rng.standard_normal(c), rng.standard_normal(c)
    out = F.group_norm(t64(x), groups, t64(w), t64(b))
    np.testing.assert_allclose(out.numpy(), group_norm_ref(x, groups, w, b), rtol=1e-10, atol=1e-10)
    xt, wt, bt = t64(x, True), t64(w, True), t64(b, True)
    assert gradcheck(lambda x, w, b: F.group_norm(x, groups, w, b), [xt, wt, bt])
    out32 = F.group_norm(hb.tensor(x), groups, hb.tensor(w), hb.tensor(b))
    np.testing.assert_allclose(out32.numpy(), out.numpy(), rtol=1e-5, atol=1e-5)


def test_norm_modules_and_noncontiguous(rng):
    ln = nn.LayerNorm(4, dtype=hb.float64)
    assert repr(ln) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"
    assert repr(nn.LayerNorm((3, 4), eps=1e-6, elementwise_affine=False)) == (
        "LayerNorm((3, 4), eps=1e-06, elementwise_affine=False, bias=False)")
    assert list(nn.LayerNorm(4, bias=False).state_dict()) == ["weight"]
    gn = nn.GroupNorm(2, 4).double()
    assert repr(gn) == "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)"
    with pytest.raises(ValueError, match=r"num_channels \(3\) must be divisible by num_groups \(2\)"):
        nn.GroupNorm(2, 3)
    x = rng.standard_normal((3, 4, 5))
    xs = hb.from_numpy(noncontiguous(x))
    np.testing.assert_allclose(ln(hb.from_numpy(noncontiguous(x.transpose(0, 2, 1)))).detach().numpy(),
                               norm_ref(x.transpose(0, 2, 1), (2,)), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(gn(xs).detach().numpy(), group_norm_ref(x, 2, np.ones(4), np.zeros(4)),
                               rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(F.batch_norm(xs, None, None, training=True).numpy(),
                               norm_ref(x, (0, 2), shape=(1, -1, 1)), rtol=1e-10, atol=1e-10)


def test_layer_and_group_norm_errors():
    with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\]"):
        nn.LayerNorm(4)(hb.randn(2, 3))
    with pytest.raises(RuntimeError, match="Expected weight to be of same shape as normalized_shape"):
        F.layer_norm(hb.randn(2, 3), (3,), hb.randn(2))
    with pytest.raises(RuntimeError, match="Expected number of channels in input to be divisible by num_groups"):
        nn.GroupNorm(2, 4)(hb.randn(2, 3, 5))
    with pytest.raises(RuntimeError, match="Expected at least 2 dimensions for input tensor but received 1"):
        nn.GroupNorm(2, 4)(hb.randn(4))
    with pytest.raises(NotImplementedError, match="int64"):
        F.layer_norm(hb.ones(2, 3, dtype=hb.int64), (3,))


# ------------------------------------------------------------------ kernels
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 5), (4, 3, 7), (64, 9, 33, 17)], ids=str)
def test_norm_kernels(shape, dtype, isa):
    rng = np.random.default_rng(len(shape))
    tol = dict(rtol=3e-5, atol=3e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)
    x = (rng.standard_normal(shape) * 4 + 3).astype(dtype)
    gy = rng.standard_normal(shape).astype(dtype)
    c = shape[1]
    w, b = rng.standard_normal(c).astype(dtype), rng.standard_normal(c).astype(dtype)
    axes, cs = channel_axes(x), channel_shape(x)
    y, mean, invstd = np.empty_like(x), np.empty(c, dtype), np.empty(c, dtype)
    rm, rv = np.zeros(c, dtype), np.ones(c, dtype)
    _C.batch_norm_forward(x, y, w, b, mean, invstd, rm, rv, 0.25, 1e-5, True)
    np.testing.assert_allclose(y, norm_ref(x, axes, w, b, 1e-5, cs), **tol)
    np.testing.assert_allclose(rm, 0.25 * x.astype(np.float64).mean(axis=axes), **tol)
    gx, gw, gb = np.empty_like(x), np.empty_like(w), np.empty_like(b)
    _C.batch_norm_backward(gy, x, mean, invstd, w, gx, gw, gb, True)
    xhat = norm_ref(x, axes)
    g64 = gy.astype(np.float64)
    np.testing.assert_allclose(gb, g64.sum(axis=axes), **tol)
    np.testing.assert_allclose(gw, (g64 * xhat).sum(axis=axes), **tol)
    dxhat = g64 * w.reshape(cs)
    want = (dxhat - dxhat.mean(axis=axes, keepdims=True) - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True)) \
        * invstd.astype(np.float64).reshape(cs)
    np.testing.assert_allclose(gx, want, **tol)
    # evaluation: a fixed affine map of x
    _C.batch_norm_forward(x, y, w, b, mean, invstd, rm, rv, 0.25, 1e-5, False)
    np.testing.assert_allclose(y, (x - rm.reshape(cs)) / np.sqrt(rv.reshape(cs) + 1e-5) * w.reshape(cs) + b.reshape(cs), **tol)
    _C.batch_norm_backward(gy, x, mean, invstd, w, gx, None, None, False)
    np.testing.assert_allclose(gx, g64 * (w / np.sqrt(rv + 1e-5)).reshape(cs), **tol)
    # group norm over 1 group per sample, and as layer norm over the last dim
    n, s = shape[0], int(np.prod(shape[2:]))
    for groups, cg, ss, ref_axes in ((1, c, s, tuple(range(1, x.ndim))), (c, 1, s, None)):
        if ref_axes is None:
            if s == 1:
                continue
            ref_axes = tuple(range(2, x.ndim))
        y, m, r = np.empty_like(x), np.empty(n * groups, dtype), np.empty(n * groups, dtype)
        _C.group_norm_forward(x, y, w, b, m, r, n, groups, cg, ss, 1e-5)
        np.testing.assert_allclose(y, norm_ref(x, ref_axes) * w.reshape(cs) + b.reshape(cs), **tol)
        _C.group_norm_backward(gy, x, m, r, w, gx, gw, gb, n, groups, cg, ss)
        xh = norm_ref(x, ref_axes)
        d = g64 * w.reshape(cs)
        want = (d - d.mean(axis=ref_axes, keepdims=True) - xh * (d * xh).mean(axis=ref_axes, keepdims=True)) \
            / np.sqrt(x.astype(np.float64).var(axis=ref_axes, keepdims=True) + 1e-5)
        np.testing.assert_allclose(gx, want, **tol)
        np.testing.assert_allclose(gw, (g64 * xh).sum(axis=axes), **tol)


def test_norm_kernel_bad_arguments():
    x = np.zeros((2, 3, 4), np.float32)
    c = np.zeros(3, np.float32)
    with pytest.raises(ValueError, match=r"mean must have shape \(3,\)"):
        _C.batch_norm_forward(x, np.empty_like(x), None, None, np.zeros(2, np.float32), c, None, None, 0.1, 1e-5, True)
    with pytest.raises(TypeError, match="running_mean is required"):
        _C.batch_norm_forward(x, np.empty_like(x), None, None, c.copy(), c.copy(), None, None, 0.1, 1e-5, False)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        _C.batch_norm_forward(x[0, 0], np.empty(4, np.float32), None, None, c, c, None, None, 0.1, 1e-5, True)
    with pytest.raises(ValueError, match="does not hold n \\* groups \\* cg \\* s"):
        _C.group_norm_forward(x, np.empty_like(x), None, None, np.empty(2, np.float32),
                              np.empty(2, np.float32), 2, 1, 3, 5, 1e-5)
    with pytest.raises(TypeError, match="weight must have dtype float32"):
        _C.group_norm_forward(x, np.empty_like(x), c.astype(np.float64), None, np.empty(2, np.float32),
                              np.empty(2, np.float32), 2, 1, 3, 4, 1e-5)


def test_matches_torch(rng):
    torch = pytest.importorskip("torch")
    for cls, shape in ((nn.BatchNorm2d, (4, 3, 5, 5)), (nn.BatchNorm1d, (6, 3))):
        ours = cls(3, momentum=0.2)
        theirs = getattr(torch.nn, cls.__name__)(3, momentum=0.2)
        for step in range(3):
            x = rng.standard_normal(shape) * 2 + 1
            xo, xt = t64(x, True), torch.tensor(x, requires_grad=True)
            ours.double(), theirs.double()
            if step == 2:
                ours.eval(), theirs.eval()
            yo, yt = ours(xo), theirs(xt)
            np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-10)
            gy = rng.standard_normal(shape)
            yo.backward(hb.tensor(gy))
            yt.backward(torch.tensor(gy))
            np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-9, atol=1e-9)
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(), rtol=1e-12)
    x = rng.standard_normal((2, 6, 3, 4))
    w, b = rng.standard_normal(6), rng.standard_normal(6)
    np.testing.assert_allclose(
        F.group_norm(t64(x), 3, t64(w), t64(b)).numpy(),
        torch.nn.functional.group_norm(torch.tensor(x), 3, torch.tensor(w), torch.tensor(b)).numpy(), atol=1e-10)
    w, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(
        F.layer_norm(t64(x), (3, 4), t64(w), t64(b)).numpy(),
        torch.nn.functional.layer_norm(torch.tensor(x), (3, 4), torch.tensor(w), torch.tensor(b)).numpy(),
        atol=1e-10)


def test_batch_norm_training_needs_positive_eps():
    with pytest.raises(ValueError, match="eps must be positive during training, but got 0.0"):
        F.batch_norm(hb.randn(4, 3), None, None, training=True, eps=0.0)
