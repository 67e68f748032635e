"""Reductions: values against numpy float64, gradients by finite differences, PyTorch's edge cases."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn

CASES = {
    "sum_all": (lambda x: x.sum(), lambda x: x.sum()),
    "sum_dim": (lambda x: x.sum(1), lambda x: x.sum(1)),
    "sum_neg_keepdim": (lambda x: x.sum(-1, keepdim=True), lambda x: x.sum(-1, keepdims=True)),
    "sum_dims": (lambda x: x.sum((0, 2)), lambda x: x.sum((0, 2))),
    "mean_all": (lambda x: x.mean(), lambda x: x.mean()),
    "mean_dim": (lambda x: x.mean(0), lambda x: x.mean(0)),
    "mean_keepdim": (lambda x: x.mean(2, keepdim=True), lambda x: x.mean(2, keepdims=True)),
    "var": (lambda x: x.var(), lambda x: x.var(ddof=1)),
    "var_dim_biased": (lambda x: x.var(1, unbiased=False), lambda x: x.var(1)),
    "std_dim": (lambda x: x.std(0), lambda x: x.std(0, ddof=1)),
    "prod_all": (lambda x: x.prod(), lambda x: x.prod()),
    "prod_dim": (lambda x: x.prod(1), lambda x: x.prod(1)),
    "max_all": (lambda x: x.max(), lambda x: x.max()),
    "min_all": (lambda x: x.min(), lambda x: x.min()),
    "max_dim": (lambda x: x.max(1)[0], lambda x: x.max(1)),
    "min_dim_keepdim": (lambda x: x.min(2, keepdim=True).values, lambda x: x.min(2, keepdims=True)),
    "amax": (lambda x: x.amax((0, 1)), lambda x: x.max((0, 1))),
}


@pytest.mark.parametrize("name", CASES)
def test_reduction(name, rng):
    fn, ref = CASES[name]
    x = randn((3, 4, 5), rng)
    check_forward(fn, ref, [x], rtol=1e-5, atol=1e-5)
    check_backward(fn, [x])


@pytest.mark.parametrize("name", ["sum_dim", "mean_dim", "max_dim", "var"])
def test_reduction_noncontiguous(name, rng):
    check_noncontiguous(CASES[name][0], [randn((3, 4, 5), rng)])


def test_reductions_of_scalars_and_empty():
    s = hb.tensor(2.5, dtype=hb.float64, requires_grad=True)
    assert s.sum().item() == 2.5 and s.sum(0).item() == 2.5 and s.mean().item() == 2.5
    s.sum().backward()
    assert s.grad.item() == 1.0
    e = hb.zeros(0, 3)
    assert e.sum().item() == 0 and e.sum(0).tolist() == [0, 0, 0]
    assert np.isnan(e.mean().item())
    assert hb.zeros(0).prod().item() == 1
    with pytest.raises(RuntimeError, match="numel\\(\\) == 0"):
        e.max()
    with pytest.raises(IndexError, match="Expected reduction dim 0 to have non-zero size"):
        e.max(0)


def test_max_returns_values_and_first_indices():
    x = hb.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    values, indices = hb.max(x, 1)
    assert values.tolist() == [3.0, 2.0] and indices.tolist() == [1, 0]
    assert indices.dtype is hb.int64
    r = x.min(dim=0)
    assert r.values.tolist() == [1.0, 0.0, 2.0] and r.indices.tolist() == [0, 1, 1]
    assert x.argmax().item() == 1 and x.argmax(1).tolist() == [1, 0]
    assert x.argmin(0, keepdim=True).tolist() == [[0, 1, 1]]
    assert hb.max(x, hb.tensor(2.5)).tolist() == [[2.5, 3.0, 3.0], [2.5, 2.5, 2.5]]


def test_max_all_shares_gradient_among_ties():
    x = hb.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]


def test_integer_sums_and_mean_of_integers():
    x = hb.tensor([[1, 2], [3, 4]], dtype=hb.int32)
    assert x.sum().dtype is hb.int64 and x.sum().item() == 10
    assert hb.tensor([True, True, False]).sum().item() == 2
    with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
        x.mean()
    assert x.float().mean().item() == 2.5
    assert x.sum(dtype=hb.float64).dtype is hb.float64


def test_dim_errors():
    with pytest.raises(IndexError, match="Dimension out of range \\(expected to be in range of \\[-2, 1\\], but got 2\\)"):
        hb.zeros(2, 3).sum(2)


def test_long_float32_sums_are_accurate():
    x = hb.ones(1_000_003) * 0.1
    assert abs(x.sum().item() - 100000.3) < 1e-1
    y = hb.ones(3, 200_001) * 0.1
    np.testing.assert_allclose(y.sum(1).numpy(), [20000.1] * 3, rtol=1e-6)


def test_any_all():
    x = hb.tensor([[True, False], [True, True]])
    assert x.all().item() is False and x.any().item() is True
    assert x.all(1).tolist() == [False, True] and x.any(0).tolist() == [True, True]


# ---- logsumexp
def logsumexp_reference(x, dims, keepdim=False):
    """log(sum(exp(x))) in float64, max-shifted as PyTorch (an infinite max shifts by 0)."""
    x = np.asarray(x, np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        kept = [1 if d in dims else n for d, n in enumerate(x.shape)]
        m = x.max(axis=dims, keepdims=True) if x.size else np.zeros(kept)
        m = np.where(np.isinf(m), 0.0, m)
        out = np.log(np.exp(x - m).sum(axis=dims, keepdims=True)) + m
    return out if keepdim else out.reshape([n for d, n in enumerate(x.shape) if d not in dims])


@pytest.mark.parametrize("dim,dims,keepdim", [
    (1, (1,), False), (-1, (2,), True), ((0, 2), (0, 2), False), ((), (0, 1, 2), True), ((-3, 1), (0, 1), True),
])
def test_logsumexp(dim, dims, keepdim, rng):
    x = randn((3, 4, 5), rng) * 30
    fn = lambda t: hb.logsumexp(t, dim, keepdim=keepdim)  # noqa: E731
    check_forward(fn, lambda a: logsumexp_reference(a, dims, keepdim), [x], rtol=1e-6, atol=1e-5)
    check_backward(lambda t: t.logsumexp(dim, keepdim), [x / 30])
    check_noncontiguous(fn, [x])


def test_logsumexp_scalars_empty_and_integers():
    s = hb.tensor(2.5, dtype=hb.float64, requires_grad=True)
    assert hb.logsumexp(s, 0).item() == 2.5 and hb.logsumexp(s, ()).item() == 2.5
    hb.logsumexp(s, -1).backward()
    assert s.grad.item() == 1.0
    assert hb.logsumexp(hb.zeros(0), 0).item() == -np.inf  # log of an empty sum
    assert hb.logsumexp(hb.zeros(2, 0), 1).tolist() == [-np.inf, -np.inf]
    assert tuple(hb.logsumexp(hb.zeros(0, 3), 1).shape) == (0,)
    r = hb.logsumexp(hb.tensor([1, 2, 3]), 0)
    assert r.dtype == hb.float32 and abs(r.item() - 3.4076059644) < 1e-6
    assert hb.tensor([True, False]).logsumexp(0).dtype == hb.float32
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)"):
        hb.logsumexp(hb.ones(2), 1)
    with pytest.raises(TypeError):
        hb.logsumexp(hb.ones(2))  # dim is required, as in PyTorch


def test_logsumexp_matches_torch_on_random_input(rng):
    torch = pytest.importorskip("torch")
    x = randn((4, 6, 3), rng) * 10
    for dim in (0, -1, (0, 2)):
        for keepdim in (False, True):
            t = torch.tensor(x, requires_grad=True)
            h = hb.tensor(x, requires_grad=True)
            tw = torch.logsumexp(t, dim, keepdim)
            hw = hb.logsumexp(h, dim, keepdim)
            np.testing.assert_allclose(hw.detach().numpy(), tw.detach().numpy(), rtol=1e-12)
            (tw * tw).sum().backward()
            (hw * hw).sum().backward()
            np.testing.assert_allclose(h.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-14)
