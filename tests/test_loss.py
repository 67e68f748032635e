"""Losses: cross-entropy (class indices and probabilities), NLL, MSE, L1, smooth L1, Huber, BCE,
BCE with logits, KL divergence: numpy float64 references, finite differences, edges, errors."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.functional as F
from hayabusa.autograd import gradcheck
from opcheck import check_noncontiguous


def np_cross_entropy(x, t, weight=None, ignore_index=-100, smoothing=0.0, reduction="mean"):
    """PyTorch's definition, in float64, with the class dim at axis 1."""
    x = np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])
    t = t.reshape(-1)
    c = x.shape[1]
    w = np.ones(c) if weight is None else weight
    logp = x - x.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    valid = t != ignore_index
    tt = np.where(valid, t, 0)
    nll = -logp[np.arange(len(t)), tt] * w[tt] * valid
    smooth = -(logp * w).sum(1) * valid
    loss = (1 - smoothing) * nll + smoothing / c * smooth
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    return loss.sum() / (w[tt] * valid).sum()


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy(reduction, weighted, smoothing, ignore, rng):
    x = rng.standard_normal((6, 4)) * 2
    t = np.array([0, 3, 1, 1, 2, 3])
    if ignore:
        t[2] = -100
    w = rng.uniform(0.5, 2.0, 4) if weighted else None
    kw = dict(weight=None if w is None else hb.tensor(w, dtype=hb.float64),
              label_smoothing=smoothing, reduction=reduction)
    got = F.cross_entropy(hb.tensor(x, dtype=hb.float64), hb.tensor(t), **kw)
    want = np_cross_entropy(x, t, w, -100, smoothing, reduction)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-12)
    got32 = F.cross_entropy(hb.tensor(x, dtype=hb.float32), hb.tensor(t),
                            **dict(kw, weight=None if w is None else hb.tensor(w, dtype=hb.float32)))
    np.testing.assert_allclose(got32.numpy(), want, rtol=1e-5, atol=1e-6)
    assert gradcheck(lambda inp: F.cross_entropy(inp, hb.tensor(t), **kw),
                     (hb.tensor(x, dtype=hb.float64, requires_grad=True),))


def test_cross_entropy_layouts(rng):
    x = rng.standard_normal((2, 3, 4, 5))
    t = rng.integers(0, 3, (2, 4, 5))
    got = F.cross_entropy(hb.tensor(x, dtype=hb.float64), hb.tensor(t), reduction="none")
    assert got.shape == (2, 4, 5)
    np.testing.assert_allclose(got.numpy().reshape(-1), np_cross_entropy(x, t, reduction="none"), rtol=1e-10)
    assert gradcheck(lambda inp: F.cross_entropy(inp, hb.tensor(t)),
                     (hb.tensor(x, dtype=hb.float64, requires_grad=True),))
    v = rng.standard_normal(4)
    got1 = F.cross_entropy(hb.tensor(v, dtype=hb.float64), hb.tensor(2))
    np.testing.assert_allclose(got1.item(), np_cross_entropy(v[None], np.array([2])), rtol=1e-12)


def test_cross_entropy_module_and_training_value():
    crit = hb.nn.CrossEntropyLoss()
    x = hb.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
    t = hb.tensor([0, 2])
    loss = crit(x, t)
    np.testing.assert_allclose(loss.item(), np_cross_entropy(x.detach().numpy().astype(float), t.numpy()), rtol=1e-6)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy().sum(1), [0, 0], atol=1e-7)
    assert loss.grad_fn.name() == "NllLossBackward0"


def test_cross_entropy_errors():
    x = hb.zeros(3, 4)
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Int"):
        F.cross_entropy(x, hb.tensor([0, 1, 2], dtype=hb.int32))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target batch_size \(2\)"):
        F.cross_entropy(x, hb.tensor([0, 1]))
    with pytest.raises(IndexError, match="Target 4 is out of bounds"):
        F.cross_entropy(x, hb.tensor([0, 1, 4]))
    with pytest.raises(ValueError, match="is not a valid value for reduction"):
        F.cross_entropy(x, hb.tensor([0, 1, 2]), reduction="avg")
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 4 classes"):
        F.cross_entropy(x, hb.tensor([0, 1, 2]), weight=hb.ones(3))


def test_all_ignored_mean_is_nan():
    loss = F.cross_entropy(hb.zeros(2, 3), hb.tensor([-100, -100]))
    assert np.isnan(loss.item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss(reduction, rng):
    x = rng.standard_normal((5, 3))
    logp = x - np.log(np.exp(x).sum(1, keepdims=True))
    t = np.array([0, 2, 1, -100, 2])
    w = rng.uniform(0.5, 2, 3)
    got = F.nll_loss(hb.tensor(logp, dtype=hb.float64), hb.tensor(t), weight=hb.tensor(w, dtype=hb.float64),
                     reduction=reduction)
    # NLL is cross-entropy on inputs that are already log-probabilities
    want = np_cross_entropy(logp, t, w, -100, 0.0, reduction)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10)
    assert gradcheck(lambda inp: F.nll_loss(inp, hb.tensor(t), reduction=reduction),
                     (hb.tensor(logp, dtype=hb.float64, requires_grad=True),))
    # log_softmax followed by nll_loss equals cross_entropy
    a = F.nll_loss(F.log_softmax(hb.tensor(x), 1), hb.tensor(t), reduction=reduction)
    b = F.cross_entropy(hb.tensor(x), hb.tensor(t), reduction=reduction)
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss(reduction, rng):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    got = F.mse_loss(hb.tensor(a, dtype=hb.float64), hb.tensor(b, dtype=hb.float64), reduction=reduction)
    d = (a - b) ** 2
    want = {"mean": d.mean(), "sum": d.sum(), "none": d}[reduction]
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    assert gradcheck(lambda x, y: F.mse_loss(x, y, reduction=reduction),
                     (hb.tensor(a, dtype=hb.float64, requires_grad=True),
                      hb.tensor(b, dtype=hb.float64, requires_grad=True)))
    assert hb.nn.MSELoss(reduction=reduction)(hb.tensor(a), hb.tensor(b)).shape == np.shape(want)


# ------------------------------------------------------------------ shared helpers
def t64(a, grad=False):
    return hb.tensor(np.asarray(a, dtype=np.float64), dtype=hb.float64, requires_grad=grad)


def np_reduce(loss, reduction, count=None):
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    count = loss.size if count is None else count
    return loss.sum() / count if count else np.nan


REDUCTIONS = ["mean", "sum", "none"]


# ---------------------------------------------------------- regression losses
def _np_smooth_l1(d, beta):
    z = np.abs(d)
    return np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta) if beta else z


def _np_huber(d, delta):
    z = np.abs(d)
    return np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))


REGRESSION = {
    "mse": (lambda x, y, **kw: F.mse_loss(x, y, **kw), lambda d: d * d),
    "l1": (lambda x, y, **kw: F.l1_loss(x, y, **kw), np.abs),
    "smooth_l1": (lambda x, y, **kw: F.smooth_l1_loss(x, y, beta=0.7, **kw),
                  lambda d: _np_smooth_l1(d, 0.7)),
    "smooth_l1_beta0": (lambda x, y, **kw: F.smooth_l1_loss(x, y, beta=0.0, **kw),
                        lambda d: _np_smooth_l1(d, 0.0)),
    "huber": (lambda x, y, **kw: F.huber_loss(x, y, delta=0.6, **kw), lambda d: _np_huber(d, 0.6)),
}


@pytest.mark.parametrize("name", list(REGRESSION))
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(3, 5), (), (7,), (2, 3, 2)])
def test_regression_losses(name, reduction, shape, rng):
    fn, ref = REGRESSION[name]
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    want = np_reduce(ref(x - y), reduction)
    got = fn(t64(x), t64(y), reduction=reduction)
    assert got.dtype is hb.float64 and got.shape == np.shape(want)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-14)
    got32 = fn(hb.tensor(x, dtype=hb.float32), hb.tensor(y, dtype=hb.float32), reduction=reduction)
    assert got32.dtype is hb.float32
    np.testing.assert_allclose(got32.numpy(), want, rtol=1e-5, atol=1e-6)
    assert gradcheck(lambda a, b: fn(a, b, reduction=reduction), (t64(x, True), t64(y, True)))


@pytest.mark.parametrize("name", list(REGRESSION))
def test_regression_losses_empty_noncontiguous_and_broadcast(name, rng):
    fn, ref = REGRESSION[name]
    empty = hb.zeros(0, 3, dtype=hb.float64)
    assert np.isnan(fn(empty, empty).item())
    assert fn(empty, empty, reduction="sum").item() == 0.0
    assert fn(empty, empty, reduction="none").shape == (0, 3)
    x, y = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    check_noncontiguous(lambda a, b: fn(a, b, reduction="none"), [x, y])
    # a target of another shape broadcasts, with PyTorch's warning
    row = rng.standard_normal(3)
    with pytest.warns(UserWarning, match="Using a target size .* different to the input size"):
        got = fn(t64(x), t64(row))
    np.testing.assert_allclose(got.numpy(), ref(x - row).mean(), rtol=1e-12)
    with pytest.warns(UserWarning):
        assert gradcheck(lambda a, b: fn(a, b), (t64(x, True), t64(row, True)))


def test_regression_gradients_at_kinks():
    # |x - y| has gradient 0 where x == y (sign), as PyTorch; smooth losses are continuous
    x = t64([1.0, 2.0, 3.0, 0.5], grad=True)
    y = t64([1.0, 2.5, 2.0, 1.5])
    F.l1_loss(x, y, reduction="sum").backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, -1.0, 1.0, -1.0])
    x.grad = None
    F.smooth_l1_loss(x, y, reduction="sum", beta=1.0).backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, -0.5, 1.0, -1.0])
    x.grad = None
    F.huber_loss(x, y, reduction="sum", delta=1.0).backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, -0.5, 1.0, -1.0])


def test_regression_dtypes_and_errors():
    x = hb.tensor([1.0, 2.0, 3.0])
    # an integer target is promoted; a float64 target makes a float64 loss
    assert F.mse_loss(x, hb.tensor([1, 2, 5])).item() == pytest.approx(4 / 3)
    assert F.l1_loss(x, hb.tensor([1.0, 2.0, 5.0], dtype=hb.float64)).dtype is hb.float64
    with pytest.raises(NotImplementedError, match="\"mse_cpu\" not implemented for 'Long'"):
        F.mse_loss(hb.tensor([1, 2]), hb.tensor([1, 0]))
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        F.l1_loss(hb.tensor([1, 2]), hb.tensor([1, 0]))
    assert F.l1_loss(hb.tensor([1, 2]), hb.tensor([1, 0]), reduction="sum").item() == 2
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="must match the size"):
        F.mse_loss(x, hb.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="smooth_l1_loss does not support negative values for beta"):
        F.smooth_l1_loss(x, x, beta=-1.0)
    with pytest.raises(RuntimeError, match="huber_loss does not support non-positive values for delta"):
        F.huber_loss(x, x, delta=0.0)
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.mse_loss(x, x, reduction="bad")
    with pytest.raises(TypeError, match="delta must be a float or int"):
        hb.nn.HuberLoss(delta="1")


def test_weighted_regression_losses(rng):
    x, y, w = rng.standard_normal(5), rng.standard_normal(5), rng.uniform(0.5, 2, 5)
    d = x - y
    np.testing.assert_allclose(F.mse_loss(t64(x), t64(y), weight=t64(w)).item(),
                               (w * d * d).sum() / w.sum(), rtol=1e-12)
    np.testing.assert_allclose(F.l1_loss(t64(x), t64(y), weight=t64(w), reduction="sum").item(),
                               (w * np.abs(d)).sum(), rtol=1e-12)
    # huber's weighted mean is over the element count, as PyTorch
    np.testing.assert_allclose(F.huber_loss(t64(x), t64(y), weight=t64(w)).item(),
                               (w * _np_huber(d, 1.0)).mean(), rtol=1e-12)
    assert gradcheck(lambda a, ww: F.mse_loss(a, t64(y), weight=ww), (t64(x, True), t64(w, True)))
    with pytest.raises(ValueError, match="Weights and input must have the same size"):
        F.mse_loss(t64(x), t64(y), weight=t64(w[:3]))
    with pytest.raises(ValueError, match="Invalid reduction mode: avg"):
        F.l1_loss(t64(x), t64(y), weight=t64(w), reduction="avg")


# ------------------------------------------------------------------- BCE
def np_bce(x, y, w=None):
    loss = -(y * np.maximum(np.log(x), -100) + (1 - y) * np.maximum(np.log1p(-x), -100))
    return loss if w is None else loss * w


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_binary_cross_entropy(reduction, weighted, rng):
    x, y = rng.uniform(0.05, 0.95, (4, 3)), rng.uniform(0, 1, (4, 3))
    w = rng.uniform(0.5, 2, 3) if weighted else None
    kw = dict(weight=None if w is None else t64(w), reduction=reduction)
    want = np_reduce(np_bce(x, y, w), reduction)
    np.testing.assert_allclose(F.binary_cross_entropy(t64(x), t64(y), **kw).numpy(), want, rtol=1e-12)
    got32 = F.binary_cross_entropy(hb.tensor(x, dtype=hb.float32), hb.tensor(y, dtype=hb.float32),
                                   weight=None if w is None else hb.tensor(w, dtype=hb.float32),
                                   reduction=reduction)
    np.testing.assert_allclose(got32.numpy(), want, rtol=1e-5, atol=1e-6)
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b, **kw), (t64(x, True), t64(y, True)))
    module = hb.nn.BCELoss(weight=kw["weight"], reduction=reduction)
    np.testing.assert_allclose(module(t64(x), t64(y)).numpy(), want, rtol=1e-12)


def test_binary_cross_entropy_edges():
    # log is clamped at -100, so probabilities of exactly 0 or 1 give finite values and gradients
    x = hb.tensor([0.2, 0.9, 0.0, 1.0], requires_grad=True)
    y = hb.tensor([0.0, 1.0, 1.0, 0.0])
    loss = F.binary_cross_entropy(x, y, reduction="none")
    np.testing.assert_allclose(loss.detach().numpy(), [-np.log(0.8), -np.log(0.9), 100, 100], rtol=1e-6)
    F.binary_cross_entropy(x, y).backward()
    # recorded from PyTorch 2.13: (x - y) / max(x (1 - x), 1e-12) / 4
    np.testing.assert_allclose(x.grad.numpy(), [0.3125, -0.2777778, -2.5e11, 2.5e11], rtol=1e-5)
    assert loss.grad_fn.name() == "BinaryCrossEntropyBackward0"
    empty = hb.zeros(0)
    assert np.isnan(F.binary_cross_entropy(empty, empty).item())


def test_binary_cross_entropy_errors():
    p = hb.tensor([0.2, 0.9])
    with pytest.raises(ValueError, match="Using a target size .* is deprecated"):
        F.binary_cross_entropy(p, hb.tensor([[0.2, 0.9]]))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(hb.tensor([0.2, 1.9]), p)
    with pytest.raises(RuntimeError, match="all elements of target should be between 0 and 1"):
        F.binary_cross_entropy(p, hb.tensor([0.2, -0.1]))
    with pytest.raises(RuntimeError, match="Found dtype Long but expected Float"):
        F.binary_cross_entropy(p, hb.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="Found dtype Float but expected Double"):
        F.binary_cross_entropy(p.double(), p)
    with pytest.raises(NotImplementedError, match="\"binary_cross_entropy\" not implemented for 'Long'"):
        F.binary_cross_entropy(hb.tensor([1, 0]), hb.tensor([1, 0]))
    with pytest.raises(RuntimeError, match="Attempting to broadcast a dimension of length 3"):
        F.binary_cross_entropy(p, p, weight=hb.ones(3))
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
        F.binary_cross_entropy(p, p, weight=hb.ones(2, requires_grad=True))


# ------------------------------------------------------- BCE with logits
def np_bce_logits(x, y, w=None, pw=None):
    lw = 1.0 if pw is None else (pw - 1) * y + 1
    loss = (1 - y) * x + lw * np.logaddexp(0, -x)
    return loss if w is None else loss * w


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pos_weighted", [False, True])
def test_bce_with_logits(reduction, weighted, pos_weighted, rng):
    x, y = rng.standard_normal((4, 3)) * 3, rng.uniform(0, 1, (4, 3))
    w = rng.uniform(0.5, 2, (4, 1)) if weighted else None
    pw = rng.uniform(0.5, 3, 3) if pos_weighted else None
    kw = dict(weight=None if w is None else t64(w), pos_weight=None if pw is None else t64(pw),
              reduction=reduction)
    want = np_reduce(np_bce_logits(x, y, w, pw), reduction)
    got = F.binary_cross_entropy_with_logits(t64(x), t64(y), **kw)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    assert got.grad_fn is None
    assert gradcheck(lambda a, b: F.binary_cross_entropy_with_logits(a, b, **kw),
                     (t64(x, True), t64(y, True)))
    module = hb.nn.BCEWithLogitsLoss(weight=kw["weight"], pos_weight=kw["pos_weight"],
                                     reduction=reduction)
    np.testing.assert_allclose(module(t64(x), t64(y)).numpy(), want, rtol=1e-12)


def test_bce_with_logits_extreme_logits_are_stable():
    x = hb.tensor([-1e4, -3.0, 0.0, 2.0, 1e4], requires_grad=True)
    y = hb.tensor([0.0, 1.0, 0.5, 1.0, 0.0])
    loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    # recorded from PyTorch 2.13
    np.testing.assert_allclose(loss.detach().numpy(), [0.0, 3.0485873, 0.6931472, 0.126928, 1e4],
                               rtol=1e-6, atol=1e-7)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0474259 - 1, 0.0, 0.8807971 - 1, 1.0],
                               rtol=1e-5, atol=1e-7)
    assert loss.grad_fn.name() == "BinaryCrossEntropyWithLogitsBackward0"


def test_bce_with_logits_errors():
    with pytest.raises(ValueError, match=r"Target size \(.*\[2\]\)\) must be the same as input size"):
        F.binary_cross_entropy_with_logits(hb.zeros(3), hb.zeros(2))
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(2\) must match the size of tensor b \(3\)"):
        F.binary_cross_entropy_with_logits(hb.zeros(3), hb.zeros(3), pos_weight=hb.ones(2))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        F.binary_cross_entropy_with_logits(hb.zeros(3), hb.zeros(3, dtype=hb.int64))
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'pos_weight'"):
        F.binary_cross_entropy_with_logits(hb.zeros(2), hb.zeros(2), pos_weight=hb.ones(2, requires_grad=True))


# ------------------------------------------------------------------- KL divergence
def np_kl(x, y, log_target):
    if log_target:
        return np.exp(y) * (y - x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, 0.0, y * np.log(y)) - y * x


@pytest.mark.parametrize("reduction", ["sum", "none", "batchmean", "mean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target, rng):
    x = np.log(rng.dirichlet(np.ones(4), 3))
    p = rng.dirichlet(np.ones(4), 3)
    y = np.log(p) if log_target else p
    loss = np_kl(x, y, log_target)
    want = loss.sum() / 3 if reduction == "batchmean" else np_reduce(loss, reduction)
    kw = dict(reduction=reduction, log_target=log_target)
    if reduction == "mean":
        with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
            got = F.kl_div(t64(x), t64(y), **kw)
    else:
        got = F.kl_div(t64(x), t64(y), **kw)
        assert gradcheck(lambda a, b: F.kl_div(a, b, **kw), (t64(x, True), t64(y, True)))
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    got_module = hb.nn.KLDivLoss(reduction="sum", log_target=log_target)(t64(x), t64(y))
    np.testing.assert_allclose(got_module.numpy(), loss.sum(), rtol=1e-12)


def test_kl_div_zero_target_and_edges():
    x = t64([[-1.0, -0.5]], grad=True)
    y = t64([[0.0, 1.0]], grad=True)
    loss = F.kl_div(x, y, reduction="sum")
    np.testing.assert_allclose(loss.item(), 0.5)
    loss.backward()
    # PyTorch differentiates xlogy(y, y): NaN where y == 0
    np.testing.assert_allclose(x.grad.numpy(), [[0.0, -1.0]])
    assert np.isnan(y.grad.numpy()[0, 0]) and y.grad.numpy()[0, 1] == pytest.approx(1.5)
    assert np.isnan(hb.nn.KLDivLoss(reduction="batchmean")(hb.zeros(0, 3), hb.zeros(0, 3)).item())
    with pytest.raises(RuntimeError, match="kl_div: Integral inputs not supported"):
        F.kl_div(hb.zeros(2), hb.tensor([1, 0]), reduction="sum")
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.kl_div(hb.zeros(2), hb.zeros(2), reduction="bad")


# ------------------------------------------------ cross-entropy with probabilities
def np_cross_entropy_probs(x, t, weight=None, smoothing=0.0, reduction="mean"):
    x, t = np.moveaxis(x, 1, -1), np.moveaxis(t, 1, -1)
    c = x.shape[-1]
    logp = x - x.max(-1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(-1, keepdims=True))
    q = t * (1 - smoothing) + smoothing / c if smoothing else t
    w = np.ones(c) if weight is None else weight
    loss = -(logp * q * w).sum(-1)
    return np_reduce(loss, reduction, count=loss.size)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_probability_targets(reduction, weighted, smoothing, rng):
    x = rng.standard_normal((5, 4)) * 2
    t = rng.dirichlet(np.ones(4), 5)
    w = rng.uniform(0.5, 2, 4) if weighted else None
    kw = dict(weight=None if w is None else t64(w), label_smoothing=smoothing, reduction=reduction)
    want = np_cross_entropy_probs(x, t, w, smoothing, reduction)
    got = F.cross_entropy(t64(x), t64(t), **kw)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    got32 = F.cross_entropy(hb.tensor(x, dtype=hb.float32), hb.tensor(t, dtype=hb.float32),
                            **dict(kw, weight=None if w is None else hb.tensor(w, dtype=hb.float32)))
    np.testing.assert_allclose(got32.numpy(), want, rtol=1e-5, atol=1e-6)
    inputs = (t64(x, True), t64(t, True)) + ((t64(w, True),) if weighted else ())
    assert gradcheck(lambda a, b, *ww: F.cross_entropy(a, b, **dict(kw, weight=ww[0] if ww else None)),
                     inputs)


def test_cross_entropy_probability_layouts_and_edges(rng):
    x = rng.standard_normal((2, 3, 4))
    t = rng.dirichlet(np.ones(3), (2, 4)).transpose(0, 2, 1)
    got = F.cross_entropy(t64(x), t64(t), reduction="none")
    assert got.shape == (2, 4)
    np.testing.assert_allclose(got.numpy(), np_cross_entropy_probs(x, t, reduction="none"), rtol=1e-12)
    assert gradcheck(lambda a: F.cross_entropy(a, t64(t), label_smoothing=0.1), (t64(x, True),))
    v, p = rng.standard_normal(3), rng.dirichlet(np.ones(3))
    one = F.cross_entropy(t64(v), t64(p), reduction="none")
    assert one.shape == ()
    np.testing.assert_allclose(one.item(), np_cross_entropy_probs(v[None], p[None]), rtol=1e-12)
    # float32 logits with float64 probabilities compute in float64, as PyTorch
    assert F.cross_entropy(hb.zeros(2, 3), hb.full((2, 3), 1 / 3, dtype=hb.float64)).dtype is hb.float64
    empty = hb.zeros(0, 3)
    assert np.isnan(F.cross_entropy(empty, empty).item())
    total = F.cross_entropy(empty, empty, reduction="sum")
    assert total.item() == 0.0 and np.signbit(total.item())
    # extreme logits stay finite: log_softmax is shifted by the row max
    big = hb.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], requires_grad=True)
    loss = F.cross_entropy(big, hb.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]))
    assert loss.item() == pytest.approx(2e4)
    loss.backward()
    np.testing.assert_allclose(big.grad.numpy(), [[0.5, -0.5, 0], [-0.5, 0.5, 0]], atol=1e-7)
    assert loss.grad_fn.name() == "DivBackward1"


def test_cross_entropy_probability_errors():
    x = hb.zeros(2, 3)
    with pytest.raises(RuntimeError, match="ignore_index is not supported for floating point target"):
        F.cross_entropy(x, hb.zeros(2, 3), ignore_index=1)
    with pytest.raises(RuntimeError, match="Expected floating point type for target with class probabilities, got Long"):
        F.cross_entropy(x, hb.zeros(2, 3, dtype=hb.int64))
    with pytest.raises(RuntimeError, match="cross_entropy: weight tensor should be defined either for all 3 classes"):
        F.cross_entropy(x, hb.zeros(2, 3), weight=hb.ones(2))
    with pytest.raises(RuntimeError, match="label_smoothing must be between 0.0 and 1.0. Got: 1.5"):
        F.cross_entropy(x, hb.zeros(2, 3), label_smoothing=1.5)
    with pytest.raises(ValueError, match=r"Expected input batch_size \(2\) to match target batch_size \(1\)"):
        F.cross_entropy(x, hb.tensor([[0.2, 0.8]]))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 4\], got \[2, 3, 5\]"):
        F.cross_entropy(hb.zeros(2, 3, 4), hb.zeros(2, 3, 5, dtype=hb.int64))
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        F.cross_entropy(hb.zeros(2, 3, dtype=hb.int64), hb.tensor([0, 1]))


def test_class_index_targets_accept_bytes_and_refuse_weight_grads():
    x = hb.tensor([[1.0, 2.0], [0.5, -1.0]])
    want = F.cross_entropy(x, hb.tensor([1, 0])).item()
    assert F.cross_entropy(x, hb.tensor([1, 0], dtype=hb.uint8)).item() == pytest.approx(want)
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Float"):
        F.nll_loss(x, hb.tensor([1.0, 0.0]))
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
        F.cross_entropy(x, hb.tensor([1, 0]), weight=hb.ones(2, requires_grad=True))
    # a negative label_smoothing is no smoothing, as PyTorch
    assert F.cross_entropy(x, hb.tensor([1, 0]), label_smoothing=-0.1).item() == pytest.approx(want)


def test_legacy_size_average_and_reduce(rng):
    x, y = hb.tensor(rng.standard_normal(4)), hb.tensor(rng.standard_normal(4))
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated, please use reduction='sum'"):
        got = F.mse_loss(x, y, size_average=False)
    assert got.item() == pytest.approx(F.mse_loss(x, y, reduction="sum").item())
    with pytest.warns(UserWarning, match="reduction='none'"):
        module = hb.nn.CrossEntropyLoss(reduce=False)
    assert module.reduction == "none"
    with pytest.warns(UserWarning, match="reduction='none'"):
        assert F.cross_entropy(hb.zeros(2, 3), hb.tensor([0, 1]), reduce=False).shape == (2,)


def test_loss_modules_state_and_repr():
    w = hb.tensor([1.0, 2.0, 3.0])
    assert list(hb.nn.CrossEntropyLoss(weight=w).state_dict()) == ["weight"]
    assert list(hb.nn.BCEWithLogitsLoss(weight=w, pos_weight=w).state_dict()) == ["weight", "pos_weight"]
    assert list(hb.nn.MSELoss().state_dict()) == []
    for cls in (hb.nn.MSELoss, hb.nn.L1Loss, hb.nn.SmoothL1Loss, hb.nn.HuberLoss, hb.nn.BCELoss,
                hb.nn.BCEWithLogitsLoss, hb.nn.KLDivLoss, hb.nn.NLLLoss, hb.nn.CrossEntropyLoss):
        assert repr(cls()) == cls.__name__ + "()"
    assert hb.nn.SmoothL1Loss(beta=0.5).beta == 0.5 and hb.nn.HuberLoss(delta=2).delta == 2
    # the reduction is checked when the loss is computed, as PyTorch
    bad = hb.nn.L1Loss(reduction="avg")
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        bad(hb.zeros(2), hb.zeros(2))


def test_loss_grad_fn_names(rng):
    x = hb.tensor(rng.uniform(0.1, 0.9, 3), requires_grad=True)
    y = hb.tensor(rng.uniform(0.1, 0.9, 3))
    # the names PyTorch 2.13 prints in a loss's repr
    assert F.mse_loss(x, y).grad_fn.name() == "MseLossBackward0"
    assert F.l1_loss(x, y).grad_fn.name() == "MeanBackward0"
    assert F.l1_loss(x, y, reduction="none").grad_fn.name() == "AbsBackward0"
    assert F.smooth_l1_loss(x, y).grad_fn.name() == "SmoothL1LossBackward0"
    assert F.huber_loss(x, y).grad_fn.name() == "HuberLossBackward0"
    assert F.kl_div(x, y, reduction="batchmean").grad_fn.name() == "DivBackward0"
    assert "grad_fn=<MseLossBackward0>" in repr(F.mse_loss(x, y))


def test_l1_penalty_written_by_the_user_backpropagates():
    model = hb.nn.Sequential(hb.nn.Linear(2, 3), hb.nn.ReLU(), hb.nn.Linear(3, 1))
    for p in model.parameters():
        hb.nn.init.constant_(p, -0.5)
    penalty = sum(p.abs().sum() for p in model.parameters())
    assert penalty.item() == pytest.approx(0.5 * (6 + 3 + 3 + 1))
    penalty.backward()
    for p in model.parameters():
        np.testing.assert_array_equal(p.grad.numpy(), -np.ones(p.shape))


# ------------------------------------------------------------------ against PyTorch
def _torch_pair(torch, arrays, grads):
    ours = [hb.tensor(a, dtype=hb.float64, requires_grad=g) for a, g in zip(arrays, grads)]
    theirs = [torch.tensor(a, dtype=torch.float64, requires_grad=g) for a, g in zip(arrays, grads)]
    return ours, theirs


TORCH_CASES = [
    ("mse_loss", {}), ("l1_loss", {"reduction": "sum"}), ("smooth_l1_loss", {"beta": 0.3}),
    ("huber_loss", {"delta": 0.4, "reduction": "none"}), ("binary_cross_entropy", {}),
    ("binary_cross_entropy_with_logits", {"pos_weight": [2.0, 0.5, 1.0]}),
    ("kl_div", {"reduction": "batchmean"}), ("kl_div", {"reduction": "sum", "log_target": True}),
    ("cross_entropy", {"label_smoothing": 0.1, "weight": [1.0, 2.0, 0.5]}),
]


@pytest.mark.parametrize("name,kwargs", TORCH_CASES)
def test_losses_match_torch(name, kwargs, rng):
    torch = pytest.importorskip("torch")
    x = rng.uniform(0.05, 0.95, (4, 3)) if name == "binary_cross_entropy" else rng.standard_normal((4, 3))
    y = rng.dirichlet(np.ones(3), 4) if name in ("cross_entropy", "kl_div") else rng.uniform(0, 1, (4, 3))
    ours, theirs = _torch_pair(torch, [x, y], [True, True])
    kw_ours = {k: hb.tensor(v, dtype=hb.float64) if isinstance(v, list) else v for k, v in kwargs.items()}
    kw_theirs = {k: torch.tensor(v, dtype=torch.float64) if isinstance(v, list) else v
                 for k, v in kwargs.items()}
    a = getattr(F, name)(*ours, **kw_ours)
    b = getattr(torch.nn.functional, name)(*theirs, **kw_theirs)
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)
    a.sum().backward()
    b.sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-14)
    assert a.grad_fn.name() == b.grad_fn.name()


def test_class_index_cross_entropy_edges():
    # extreme logits: the fused kernel shifts by the row max
    x = hb.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], requires_grad=True)
    loss = F.cross_entropy(x, hb.tensor([1, 0]))
    assert loss.item() == pytest.approx(2e4)
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0.5, -0.5, 0], [-0.5, 0.5, 0]], atol=1e-7)
    empty = F.cross_entropy(hb.zeros(0, 3), hb.zeros(0, dtype=hb.int64))
    assert np.isnan(empty.item())
    assert F.cross_entropy(hb.zeros(0, 3), hb.zeros(0, dtype=hb.int64), reduction="none").shape == (0,)
    # every target ignored: 'sum' is 0, and no gradient flows
    y = hb.zeros(2, 3, requires_grad=True)
    F.cross_entropy(y, hb.tensor([-100, -100]), reduction="sum").backward()
    assert y.grad.abs().sum().item() == 0.0
