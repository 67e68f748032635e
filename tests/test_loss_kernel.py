"""Cross-entropy and NLL loss kernels (csrc/kernels/loss.c) through _C."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from hayabusa import _C

REDUCTIONS = ("mean", "sum", "none")
TOL = {np.float32: dict(rtol=2e-5, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-14)}


def loss_shape(reduction, n):
    return (n,) if reduction == "none" else ()


def ce_forward(x, t, w=None, ignore_index=-100, eps=0.0, reduction="mean"):
    """The kernel writing into given outputs, checked against it allocating its own."""
    loss = np.empty(loss_shape(reduction, x.shape[0]), x.dtype)
    lse = np.empty((2, x.shape[0]))  # the rows' maxes and log-sum-exps less them, float64
    got_loss, got_lse = _C.cross_entropy_forward(x, t, w, ignore_index, eps, reduction, loss, lse)
    assert got_loss is loss and got_lse is lse
    new_loss, new_lse = _C.cross_entropy_forward(x, t, w, ignore_index, eps, reduction)
    np.testing.assert_array_equal(new_loss, loss)
    np.testing.assert_array_equal(new_lse, lse)
    return loss, lse


def ce_backward(g, x, t, lse, w=None, ignore_index=-100, eps=0.0, reduction="mean"):
    grad = np.empty(x.shape, x.dtype)
    assert _C.cross_entropy_backward(g, x, t, w, lse, ignore_index, eps, reduction, grad) is grad
    np.testing.assert_array_equal(_C.cross_entropy_backward(g, x, t, w, lse, ignore_index, eps, reduction), grad)
    return grad


def nll_forward(logp, t, w=None, ignore_index=-100, reduction="mean"):
    loss = np.empty(loss_shape(reduction, logp.shape[0]), logp.dtype)
    assert _C.nll_loss_forward(logp, t, w, ignore_index, reduction, loss) is loss
    np.testing.assert_array_equal(_C.nll_loss_forward(logp, t, w, ignore_index, reduction), loss)
    return loss


def nll_backward(g, shape, dtype, t, w=None, ignore_index=-100, reduction="mean"):
    grad = np.empty(shape, dtype)
    assert _C.nll_loss_backward(g, t, w, ignore_index, reduction, grad) is grad
    return grad


def reference_ce(x, t, w, ignore_index, eps, reduction):
    """PyTorch's definition in float64: per non-ignored row
    (1 - eps) * w[t] * -logp[t] + eps / C * sum_c w[c] * -logp[c]; 'mean' divides by sum of w[t]."""
    x = x.astype(np.float64)
    n, c = x.shape
    w = np.ones(c) if w is None else w.astype(np.float64)
    logp = x - (x.max(1, keepdims=True) + np.log(np.exp(x - x.max(1, keepdims=True)).sum(1, keepdims=True)))
    keep = t != ignore_index
    safe_t = np.where(keep, t, 0)
    nll = -w[safe_t] * logp[np.arange(n), safe_t]
    smooth = -(logp * w).sum(1)
    rows = np.where(keep, (1 - eps) * nll + eps / c * smooth, 0.0)
    if reduction == "none":
        return rows
    if reduction == "sum":
        return rows.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return rows.sum() / w[safe_t][keep].sum()


def case(n, c, dtype, seed=0, ignore_index=-100, ignored=0):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal((n, c)) * 3).astype(dtype)
    t = rng.integers(0, c, n).astype(np.int64)
    t[:ignored] = ignore_index
    return x, t


def random_weight(c, dtype, seed=0):
    return np.random.default_rng(seed + 100).uniform(0.1, 2.0, c).astype(dtype)


SETTINGS = list(itertools.product(REDUCTIONS, [0.0, 0.25], [False, True], [-100, 2]))


@pytest.mark.parametrize("reduction,eps,weighted,ignore_index", SETTINGS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_matches_torch(reduction, eps, weighted, ignore_index, dtype):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    for n, c in [(1, 7), (7, 3), (33, 33), (1000, 5), (400, 100)]:
        x, t = case(n, c, dtype, seed=n + c, ignore_index=ignore_index, ignored=min(n, 2) if ignore_index < 0 else 0)
        w = random_weight(c, dtype) if weighted else None
        loss, lse = ce_forward(x, t, w, ignore_index, eps, reduction)
        g = np.asarray(np.random.default_rng(n).standard_normal(loss_shape(reduction, n)), dtype)
        grad = ce_backward(g, x, t, lse, w, ignore_index, eps, reduction)

        tx = torch.from_numpy(x).requires_grad_()
        ref = F.cross_entropy(tx, torch.from_numpy(t), None if w is None else torch.from_numpy(w),
                              ignore_index=ignore_index, reduction=reduction, label_smoothing=eps)
        ref.backward(torch.from_numpy(g))
        np.testing.assert_allclose(loss, ref.detach().numpy(), **TOL[dtype])
        np.testing.assert_allclose(loss, reference_ce(x, t, w, ignore_index, eps, reduction), **TOL[dtype])
        np.testing.assert_allclose(lse.sum(0), torch.logsumexp(torch.from_numpy(x), 1).numpy(), **TOL[dtype])
        np.testing.assert_allclose(grad, tx.grad.numpy(), **TOL[dtype])


@pytest.mark.parametrize("reduction,weighted,ignore_index", list(itertools.product(REDUCTIONS, [False, True], [-100, 2])))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_nll_loss_matches_torch(reduction, weighted, ignore_index, dtype):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    for n, c in [(1, 7), (7, 3), (1000, 5), (400, 100)]:
        x, t = case(n, c, dtype, seed=n * c, ignore_index=ignore_index, ignored=min(n, 3) if ignore_index < 0 else 0)
        logp = F.log_softmax(torch.from_numpy(x), 1).numpy()
        w = random_weight(c, dtype) if weighted else None
        loss = nll_forward(logp, t, w, ignore_index, reduction)
        g = np.asarray(np.random.default_rng(n).standard_normal(loss_shape(reduction, n)), dtype)
        grad = nll_backward(g, x.shape, dtype, t, w, ignore_index, reduction)
        tl = torch.from_numpy(logp).requires_grad_()
        ref = F.nll_loss(tl, torch.from_numpy(t), None if w is None else torch.from_numpy(w),
                         ignore_index=ignore_index, reduction=reduction)
        ref.backward(torch.from_numpy(g))
        np.testing.assert_allclose(loss, ref.detach().numpy(), **TOL[dtype])
        np.testing.assert_allclose(grad, tl.grad.numpy(), **TOL[dtype])


@pytest.mark.parametrize("reduction,eps,weighted,ignore_index", SETTINGS)
def test_cross_entropy_backward_matches_finite_differences(reduction, eps, weighted, ignore_index):
    x, t = case(5, 4, np.float64, seed=3, ignore_index=ignore_index, ignored=1 if ignore_index < 0 else 0)
    w = random_weight(4, np.float64) if weighted else None
    g = np.asarray(np.random.default_rng(4).standard_normal(loss_shape(reduction, 5)))
    _, lse = ce_forward(x, t, w, ignore_index, eps, reduction)
    h = 1e-6
    numeric = np.empty_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        lp, _ = ce_forward(xp, t, w, ignore_index, eps, reduction)
        lm, _ = ce_forward(xm, t, w, ignore_index, eps, reduction)
        numeric[i] = (g * (lp - lm)).sum() / (2 * h)
    np.testing.assert_allclose(ce_backward(g, x, t, lse, w, ignore_index, eps, reduction), numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_backward_matches_finite_differences(reduction):
    rng = np.random.default_rng(5)
    logp = rng.standard_normal((6, 3))
    t = np.array([0, 2, -100, 1, 1, 0])
    w = random_weight(3, np.float64)
    g = np.asarray(rng.standard_normal(loss_shape(reduction, 6)))
    h = 1e-6
    numeric = np.empty_like(logp)
    for i in np.ndindex(logp.shape):
        xp, xm = logp.copy(), logp.copy()
        xp[i] += h
        xm[i] -= h
        numeric[i] = (g * (nll_forward(xp, t, w, -100, reduction) - nll_forward(xm, t, w, -100, reduction))).sum() / (2 * h)
    np.testing.assert_allclose(nll_backward(g, logp.shape, np.float64, t, w, -100, reduction), numeric, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_inputs_cross_openmp_threshold(dtype):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    for n, c in [(2, 100003), (40000, 3)]:
        x, t = case(n, c, dtype, seed=9, ignored=1)
        w = random_weight(c, dtype)
        loss, lse = ce_forward(x, t, w, -100, 0.1, "mean")
        grad = ce_backward(np.array(1.0, dtype), x, t, lse, w, -100, 0.1, "mean")
        tx = torch.from_numpy(x).requires_grad_()
        ref = F.cross_entropy(tx, torch.from_numpy(t), torch.from_numpy(w), label_smoothing=0.1)
        ref.backward()
        tol = dict(rtol=1e-4, atol=1e-7) if dtype == np.float32 else TOL[dtype]
        np.testing.assert_allclose(loss, ref.detach().numpy(), **tol)
        np.testing.assert_allclose(grad, tx.grad.numpy(), **tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_rows_ignored(dtype):
    # 'mean' then scales the rows by 1/0: the ignored rows' gradient must still be 0 * softmax
    x, t = case(3, 4, dtype, ignored=3)
    for eps in (0.0, 0.3):
        assert np.isnan(ce_forward(x, t, None, -100, eps, "mean")[0])  # 0 / 0, like torch
        assert ce_forward(x, t, None, -100, eps, "sum")[0] == 0.0
        np.testing.assert_array_equal(ce_forward(x, t, None, -100, eps, "none")[0], np.zeros(3))
        _, lse = ce_forward(x, t, None, -100, eps, "mean")
        np.testing.assert_array_equal(ce_backward(np.array(1.0, dtype), x, t, lse, None, -100, eps, "mean"), np.zeros((3, 4)))
    assert np.isnan(nll_forward(x, t, None, -100, "mean"))
    np.testing.assert_array_equal(nll_backward(np.array(1.0, dtype), x.shape, dtype, t), np.zeros((3, 4)))


def test_empty_batch():
    x = np.empty((0, 5))
    t = np.empty(0, np.int64)
    assert np.isnan(ce_forward(x, t)[0])
    assert ce_forward(x, t, reduction="sum")[0] == 0.0
    assert ce_forward(x, t, reduction="none")[0].shape == (0,)
    assert ce_backward(np.array(1.0), x, t, np.empty((2, 0))).shape == (0, 5)
    assert nll_forward(x, t, reduction="sum") == 0.0


def test_ignore_index_inside_class_range_and_none_rows_are_zero():
    x, _ = case(6, 4, np.float64, seed=11)
    t = np.array([0, 3, 1, 2, 3, 0])
    w = random_weight(4, np.float64)
    rows, lse = ce_forward(x, t, w, 3, 0.2, "none")
    assert rows[1] == 0.0 and rows[4] == 0.0 and (rows[[0, 2, 3, 5]] > 0).all()
    grad = ce_backward(np.ones(6), x, t, lse, w, 3, 0.2, "none")
    np.testing.assert_array_equal(grad[[1, 4]], 0.0)
    np.testing.assert_allclose(rows, reference_ce(x, t, w, 3, 0.2, "none"), rtol=1e-12)


def test_non_contiguous_inputs_are_copied():
    x, t = case(8, 6, np.float64, seed=12)
    xs = np.asfortranarray(x)
    ts = np.repeat(t, 2)[::2]
    w = random_weight(12, np.float64)[::2]
    assert not xs.flags.c_contiguous and not ts.flags.c_contiguous and not w.flags.c_contiguous
    loss, lse = ce_forward(xs, ts, w, -100, 0.1, "none")
    np.testing.assert_allclose(loss, reference_ce(x, t, np.ascontiguousarray(w), -100, 0.1, "none"), rtol=1e-12)
    g = np.arange(16.0)[::2]
    grad = ce_backward(g, xs, ts, lse[::-1].copy()[::-1], w, -100, 0.1, "none")
    np.testing.assert_allclose(grad, ce_backward(g.copy(), x, t, lse, np.ascontiguousarray(w), -100, 0.1, "none"), rtol=1e-15)


def test_label_smoothing_one_uses_only_smoothing_term():
    x, t = case(4, 5, np.float64, seed=13)
    w = random_weight(5, np.float64)
    loss, _ = ce_forward(x, t, w, -100, 1.0, "sum")
    logp = x - np.log(np.exp(x).sum(1, keepdims=True))
    np.testing.assert_allclose(loss, -(logp * w).sum() / 5, rtol=1e-12)


def test_bad_arguments():
    x = np.zeros((3, 4), np.float32)
    t = np.array([0, 1, 2])
    loss, lse = np.empty((), np.float32), np.empty((2, 3))
    with pytest.raises(IndexError, match=r"^Target 7 is out of bounds\.$"):
        _C.cross_entropy_forward(x, np.array([0, 7, 1]), None, -100, 0.0, "mean", loss, lse)
    with pytest.raises(IndexError, match=r"^Target -1 is out of bounds\.$"):
        _C.cross_entropy_backward(loss, x, np.array([0, -1, 1]), None, lse, -100, 0.0, "mean", x.copy())
    with pytest.raises(IndexError, match=r"^Target 4 is out of bounds\.$"):
        _C.nll_loss_forward(x, np.array([4, 0, 0]), None, -100, "sum", loss)
    with pytest.raises(IndexError, match=r"^Target 5 is out of bounds\.$"):
        _C.nll_loss_backward(loss, np.array([5, 0, 0]), None, -100, "sum", x.copy())
    with pytest.raises(RuntimeError, match="expected target dtype to be Long, but got Float"):
        _C.cross_entropy_forward(x, np.array([0.0, 1.0, 2.0], np.float32), None, -100, 0.0, "mean", loss, lse)
    with pytest.raises(RuntimeError, match="expected target dtype to be Long, but got Int"):
        _C.nll_loss_forward(x, t.astype(np.int32), None, -100, "mean", loss)
    with pytest.raises(ValueError, match=r"avg is not a valid value for reduction"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "avg", loss, lse)
    with pytest.raises(ValueError, match=r"elementwise is not a valid value for reduction"):
        _C.nll_loss_backward(loss, t, None, -100, "elementwise", x.copy())
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)\."):
        _C.cross_entropy_forward(x, t[:2], None, -100, 0.0, "mean", loss, lse)
    with pytest.raises(ValueError, match=r"target must be 1-D of shape \(3,\)"):
        _C.cross_entropy_forward(x, t.reshape(1, 3), None, -100, 0.0, "mean", loss, lse)
    with pytest.raises(RuntimeError, match=r"weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: \[2\]"):
        _C.cross_entropy_forward(x, t, np.ones(2, np.float32), -100, 0.0, "mean", loss, lse)
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        _C.cross_entropy_forward(x, t, np.ones(4), -100, 0.0, "mean", loss, lse)
    with pytest.raises(RuntimeError, match=r"label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        _C.cross_entropy_forward(x, t, None, -100, 1.5, "mean", loss, lse)
    with pytest.raises(RuntimeError, match=r"label_smoothing must be between 0.0 and 1.0. Got: -0.1"):
        _C.cross_entropy_backward(loss, x, t, None, lse, -100, -0.1, "mean", x.copy())
    with pytest.raises(TypeError, match="logits must be float32 or float64, got int64"):
        _C.cross_entropy_forward(np.zeros((3, 4), np.int64), t, None, -100, 0.0, "mean", loss, lse)
    with pytest.raises(ValueError, match=r"logits must be 2-D \(N, C\), got array of shape \(3, 4, 1\)"):
        _C.cross_entropy_forward(x[..., None], t, None, -100, 0.0, "mean", loss, lse)
    with pytest.raises(ValueError, match=r"loss_out must have shape \(3,\), got array of shape \(\)"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "none", loss, lse)
    with pytest.raises(ValueError, match=r"loss_out must have shape \(\), got array of shape \(3,\)"):
        _C.nll_loss_forward(x, t, None, -100, "sum", np.empty(3, np.float32))
    with pytest.raises(TypeError, match=r"loss_out and the input: dtypes differ \(float32 and float64\)"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "mean", np.empty(()), lse)
    with pytest.raises(ValueError, match=r"lse_out must have shape \(2, 3\)"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "mean", loss, np.empty((2, 4)))
    with pytest.raises(ValueError, match=r"lse_out must have shape \(2, 3\)"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "mean", loss, np.empty(3))
    with pytest.raises(TypeError, match="lse_out must be float64"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "mean", loss, np.empty((3, 2), np.float32))
    readonly = np.empty((), np.float32)
    readonly.flags.writeable = False
    with pytest.raises(ValueError, match="loss_out is read-only"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "mean", readonly, lse)
    with pytest.raises(ValueError, match="lse_out must be C-contiguous"):
        _C.cross_entropy_forward(x, t, None, -100, 0.0, "mean", loss, np.empty((2, 6))[:, ::2])
    with pytest.raises(ValueError, match="grad_logits must be C-contiguous"):
        _C.cross_entropy_backward(loss, x, t, None, lse, -100, 0.0, "mean", np.empty((4, 3), np.float32).T)
    with pytest.raises(ValueError, match=r"grad_loss must have shape \(3,\)"):
        _C.cross_entropy_backward(loss, x, t, None, lse, -100, 0.0, "none", x.copy())
    with pytest.raises(ValueError, match=r"grad_logits must have shape \(3, 4\)"):
        _C.cross_entropy_backward(loss, x, t, None, lse, -100, 0.0, "mean", np.empty((3, 5), np.float32))
    with pytest.raises(ValueError, match="grad_logp is read-only"):
        ro = x.copy()
        ro.flags.writeable = False
        _C.nll_loss_backward(loss, t, None, -100, "mean", ro)
    with pytest.raises(TypeError, match="target must be a numpy.ndarray, got list"):
        _C.nll_loss_forward(x, [0, 1, 2], None, -100, "mean", loss)


@st.composite
def loss_cases(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    n = draw(st.integers(0, 12))
    c = draw(st.integers(1, 9))
    ignore_index = draw(st.sampled_from([-100, 0, c - 1, c + 3]))
    width = 32 if dtype == np.float32 else 64
    x = np.array(draw(st.lists(st.floats(-30, 30, width=width), min_size=n * c, max_size=n * c)), dtype).reshape(n, c)
    t = np.array(draw(st.lists(st.integers(0, c - 1) | st.just(ignore_index), min_size=n, max_size=n)), np.int64)
    w = None
    if draw(st.booleans()):
        w = np.array(draw(st.lists(st.floats(0.0, 3.0, width=width), min_size=c, max_size=c)), dtype)
    eps = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]) | st.floats(0.0, 1.0))
    return x, t, w, ignore_index, eps, draw(st.sampled_from(REDUCTIONS))


@settings(max_examples=50, deadline=None)
@given(loss_cases())
def test_fuzz_cross_entropy_and_nll_against_torch(case):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    x, t, w, ignore_index, eps, reduction = case
    tol = dict(rtol=1e-4, atol=1e-5) if x.dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    tw = None if w is None else torch.from_numpy(w)
    loss, lse = ce_forward(x, t, w, ignore_index, eps, reduction)
    g = np.linspace(-1.0, 2.0, max(loss.size, 1)).astype(x.dtype).reshape(loss.shape) if loss.size else np.empty(loss.shape, x.dtype)
    tx = torch.from_numpy(x.copy()).requires_grad_()
    ref = F.cross_entropy(tx, torch.from_numpy(t), tw, ignore_index=ignore_index, reduction=reduction, label_smoothing=eps)
    ref.backward(torch.from_numpy(g))
    np.testing.assert_allclose(loss, ref.detach().numpy(), equal_nan=True, **tol)
    np.testing.assert_allclose(ce_backward(g, x, t, lse, w, ignore_index, eps, reduction), tx.grad.numpy(), equal_nan=True, **tol)

    logp = F.log_softmax(torch.from_numpy(x), 1).numpy()
    tl = torch.from_numpy(logp.copy()).requires_grad_()
    ref = F.nll_loss(tl, torch.from_numpy(t), tw, ignore_index=ignore_index, reduction=reduction)
    ref.backward(torch.from_numpy(g))
    np.testing.assert_allclose(nll_forward(logp, t, w, ignore_index, reduction), ref.detach().numpy(), equal_nan=True, **tol)
    np.testing.assert_allclose(nll_backward(g, x.shape, x.dtype, t, w, ignore_index, reduction), tl.grad.numpy(), equal_nan=True, **tol)


def test_mean_with_zero_total_weight_is_nan_even_with_smoothing():
    # found by the fuzz test: PyTorch divides the NLL and smoothing sums separately,
    # so a zero divisor gives 0/0 + x/0 = NaN, not the inf of one combined sum
    logits = np.zeros((3, 2), np.float32)
    target = np.array([0, 1, 0])
    weight = np.array([1.0, 0.0], np.float32)
    loss = np.empty((), np.float32)
    lse = np.empty((2, 3))
    _C.cross_entropy_forward(logits, target, weight, 0, 0.1, "mean", loss, lse)
    assert np.isnan(loss)
    _C.cross_entropy_forward(logits, target, weight, 0, 0.1, "sum", loss, lse)
    np.testing.assert_allclose(loss, 0.1 / 2 * np.log(2), rtol=1e-6)


@pytest.mark.parametrize("scale", [1e4, -1e4, 1e6, 1e20, -3e38])
@pytest.mark.parametrize("classes", [3, 40])  # the short-row and the long-row path
def test_large_logits_keep_float32_precision(scale, classes):
    """The row's log-sum-exp is kept as its max and the log-sum-exp of the row less it,
    in float64: rounded to float32 as one number at |max| = 1e4 it was 5e-4 off, and
    the loss and every gradient with it (log 3 came out 1.0986328); in float64 the
    log-sum vanished from it past 1e16 (a loss of 0 for log 2)."""
    offsets = -np.arange(classes) % 7  # logits scale, scale - 1, ...: exact in float32 up to 1e6
    x = (np.float64(scale) + offsets * max(1.0, np.spacing(np.float32(abs(scale)))))
    x = x.astype(np.float32)[None].repeat(2, 0)
    offsets = x[0].astype(np.float64) - x[0].astype(np.float64).max()
    t = np.array([0, classes - 1])
    z = offsets - offsets.max()
    logp = z - np.log(np.exp(z).sum())  # float64 reference, shift-invariant
    loss, lse = ce_forward(x, t, reduction="none")
    np.testing.assert_allclose(loss, -logp[t], rtol=2e-7, atol=1e-7)
    grad = ce_backward(np.ones(2, np.float32), x, t, lse, reduction="none")
    want = np.exp(logp)[None].repeat(2, 0)
    want[[0, 1], t] -= 1
    np.testing.assert_allclose(grad, want, rtol=1e-6, atol=1e-7)


def test_ignored_rows_gradient_is_zero_times_the_softmax():
    """PyTorch's gradient of an ignored row is 0 * softmax: 0 for finite logits, NaN
    where a NaN, a +inf or a row of -inf makes the softmax NaN (recorded from torch 2.13)."""
    nan, inf = np.nan, np.inf
    x = np.array([[0.5, nan, 1.0], [0.5, inf, 1.0], [-inf, -inf, -inf], [0.5, 2.0, 1.0]], np.float32)
    t = np.array([-100, -100, -100, 1])
    loss, lse = ce_forward(x, t, reduction="sum")
    assert np.isfinite(loss)
    grad = ce_backward(np.array(1.0, np.float32), x, t, lse, reduction="sum")
    assert np.isnan(grad[:3]).all()
    np.testing.assert_allclose(grad[3], [0.1402, -0.3715, 0.2312], atol=1e-4)
    x[:3] = [[0.5, -1.0, 1.0], [30.0, -30.0, 0.0], [-inf, 0.0, -inf]]
    loss, lse = ce_forward(x, t, reduction="sum")
    np.testing.assert_array_equal(ce_backward(np.array(1.0, np.float32), x, t, lse, reduction="sum")[:3], 0.0)
