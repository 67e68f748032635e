"""Losses: cross-entropy (weights, ignore_index, label smoothing, reductions), NLL, MSE."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.functional as F
from hayabusa.autograd import gradcheck


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
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Int"):
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
