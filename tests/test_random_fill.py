"""uniform_, normal_, random_, bernoulli_, exponential_, multinomial, normal: shapes, dtypes,
distributions (moments within sampling error), reproducibility by seed, zero gradients,
PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb

N = 20000  # samples for moment checks: the standard error of a mean is ~1/141 of a std dev


def _close(value, want, tol):
    assert abs(value - want) < tol, (value, want)


def test_uniform_normal_exponential_moments():
    u = hb.empty(N).uniform_(2.0, 5.0).numpy()
    assert u.min() >= 2.0 and u.max() < 5.0
    _close(u.mean(), 3.5, 0.05)
    _close(u.var(), 9 / 12, 0.05)
    g = hb.empty(N, dtype=hb.float64).normal_(1.5, 2.0).numpy()
    _close(g.mean(), 1.5, 0.06)
    _close(g.std(), 2.0, 0.05)
    e = hb.empty(N).exponential_(4.0).numpy()
    assert e.min() >= 0
    _close(e.mean(), 0.25, 0.01)
    _close(e.std(), 0.25, 0.015)


def test_random_and_bernoulli_ranges():
    r = hb.empty(N).random_(3, 8).numpy()
    assert set(np.unique(r)) == {3, 4, 5, 6, 7}
    assert set(hb.zeros(200, dtype=hb.int64).random_(4).tolist()) == {0, 1, 2, 3}
    f = hb.empty(N).random_().numpy()
    assert f.min() >= 0 and f.max() <= 2 ** 24 and f.max() > 2 ** 23
    bytes_ = hb.zeros(N, dtype=hb.uint8).random_().numpy()
    assert bytes_.max() > 250 and bytes_.dtype == np.uint8
    assert set(hb.zeros(100, dtype=hb.bool).random_().tolist()) == {False, True}
    b = hb.empty(N).bernoulli_(0.3).numpy()
    assert set(np.unique(b)) == {0.0, 1.0}
    _close(b.mean(), 0.3, 0.02)
    p = hb.tensor([0.0, 1.0, 1.0, 0.0])
    assert hb.ones(4).bernoulli_(p).tolist() == [0, 1, 1, 0]
    assert hb.ones(3, dtype=hb.int64).bernoulli_(0.5).dtype is hb.int64


@pytest.mark.parametrize("fill", [
    lambda x, g=None: x.uniform_(generator=g), lambda x, g=None: x.normal_(generator=g),
    lambda x, g=None: x.random_(10, generator=g), lambda x, g=None: x.bernoulli_(0.5, generator=g),
    lambda x, g=None: x.exponential_(generator=g),
])
def test_fills_in_place_and_reproducible(fill):
    t = hb.zeros(2, 3)
    hb.manual_seed(7)
    before = t._version_number
    assert fill(t) is t and t._version_number == before + 1
    first = t.numpy().copy()
    hb.manual_seed(7)
    np.testing.assert_array_equal(fill(t).numpy(), first)
    gen = hb.Generator().manual_seed(3)
    from_gen = fill(hb.zeros(2, 3), gen).numpy().copy()
    gen.manual_seed(3)
    np.testing.assert_array_equal(fill(hb.zeros(2, 3), gen).numpy(), from_gen)
    assert fill(hb.empty(0)).shape == (0,)
    assert fill(hb.empty(())).shape == ()


def test_fills_in_a_graph_have_zero_gradient():
    w = hb.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w.normal_()
    for fill, name in ((lambda y: y.normal_(), "NormalBackward0"),
                       (lambda y: y.uniform_(), "UniformBackward0"),
                       (lambda y: y.random_(), "RandomBackward2"),
                       (lambda y: y.bernoulli_(), "BernoulliBackward2"),
                       (lambda y: y.exponential_(), "ExponentialBackward0")):
        y = w * 2
        fill(y)
        assert y.grad_fn.name() == name
        (y * 3).sum().backward()
        assert w.grad.tolist() == [0, 0, 0]
        w.grad = None
    with hb.no_grad():
        w.uniform_(-1, 1)
    assert (w.abs() <= 1).all()


def test_fill_errors():
    with pytest.raises(RuntimeError, match=r"uniform_ expects to return a \[from, to\) range, but "
                                           r"found from=3 > to=2"):
        hb.ones(3).uniform_(3, 2)
    with pytest.raises(NotImplementedError, match="\"check_uniform_bounds\" not implemented for 'Long'"):
        hb.ones(3, dtype=hb.int64).uniform_()
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0, but found std -1"):
        hb.ones(3).normal_(0, -1)
    with pytest.raises(NotImplementedError, match="\"normal_kernel_cpu\" not implemented for 'Long'"):
        hb.ones(3, dtype=hb.int64).normal_()
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to', but got "
                                           "from=5 >= to=2"):
        hb.ones(3).random_(5, 2)
    with pytest.raises(RuntimeError, match="to - 1 is out of bounds for unsigned char"):
        hb.ones(3, dtype=hb.uint8).random_(0, 300)
    with pytest.raises(RuntimeError, match="bernoulli_ expects p to be in \\[0, 1\\], but got p=1.5"):
        hb.ones(3).bernoulli_(1.5)
    with pytest.raises(RuntimeError, match="exponential_ expects lambda > 0.0, but found lambda=0"):
        hb.ones(3).exponential_(0)
    with pytest.raises(RuntimeError, match="dtype must be a floating point but you specified Long"):
        hb.ones(3, dtype=hb.int64).exponential_()


def test_multinomial_with_replacement_frequencies():
    p = hb.tensor([0.0, 1.0, 3.0])
    s = hb.multinomial(p, N, replacement=True)
    assert s.dtype is hb.int64 and s.shape == (N,)
    counts = np.bincount(s.numpy(), minlength=3) / N
    assert counts[0] == 0
    _close(counts[2], 0.75, 0.02)
    rows = hb.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]).multinomial(5, True)
    assert rows.tolist() == [[0] * 5, [2] * 5]


def test_multinomial_without_replacement():
    p = hb.tensor([[0.0, 1.0, 2.0, 4.0], [5.0, 5.0, 0.0, 1.0]])
    for _ in range(20):
        s = hb.multinomial(p, 3).numpy()
        assert all(len(set(row)) == 3 for row in s)
        assert 0 not in s[0] and 2 not in s[1]
    # the first pick follows the weights: category 3 of row 0 has probability 4/7
    first = np.array([hb.multinomial(p[0], 1).item() for _ in range(2000)])
    _close((first == 3).mean(), 4 / 7, 0.04)
    assert hb.multinomial(hb.ones(0, 3), 2).shape == (0, 2)
    hb.manual_seed(1)
    a = hb.multinomial(hb.ones(10), 4)
    hb.manual_seed(1)
    assert hb.multinomial(hb.ones(10), 4).tolist() == a.tolist()


@pytest.mark.parametrize("call,exc,message", [
    (lambda: hb.multinomial(hb.tensor([0.0, 1.0, 2.0]), 4), RuntimeError,
     r"cannot sample n_sample > prob_dist.size\(-1\) samples without replacement"),
    (lambda: hb.multinomial(hb.tensor([0.0, -1.0]), 1), RuntimeError,
     "probability tensor contains either `inf`, `nan` or element < 0"),
    (lambda: hb.multinomial(hb.tensor([0.0, float("nan")]), 1), RuntimeError,
     "probability tensor contains either"),
    (lambda: hb.multinomial(hb.tensor([0.0, 0.0]), 1), RuntimeError,
     r"invalid multinomial distribution \(sum of probabilities <= 0\)"),
    (lambda: hb.multinomial(hb.ones(2, 2, 2), 1), RuntimeError, "prob_dist must be 1 or 2 dim"),
    (lambda: hb.multinomial(hb.ones(3), 0), RuntimeError, "cannot sample n_sample <= 0 samples"),
    (lambda: hb.multinomial(hb.ones(3, dtype=hb.int64), 1), RuntimeError,
     "multinomial only supports floating-point dtypes for input, got: Long"),
])
def test_multinomial_errors(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_normal_forms():
    mean = hb.tensor([0.0, 10.0, -10.0]).repeat(N // 3)
    s = hb.normal(mean, 2.0).numpy().reshape(-1, 3)
    np.testing.assert_allclose(s.mean(0), [0, 10, -10], atol=0.1)
    np.testing.assert_allclose(s.std(0), [2, 2, 2], atol=0.08)
    s2 = hb.normal(1.0, hb.tensor([0.5, 3.0]).repeat(N // 2)).numpy().reshape(-1, 2)
    np.testing.assert_allclose(s2.std(0), [0.5, 3.0], rtol=0.05)
    assert hb.normal(hb.zeros(3), hb.ones(2, 1)).shape == (2, 3)
    assert hb.normal(0.0, 1.0, (2, 3)).dtype is hb.float32
    assert hb.normal(0.0, 1.0, size=(4,), dtype=hb.float64).dtype is hb.float64
    assert hb.normal(hb.zeros(3, dtype=hb.float64), hb.ones(3)).dtype is hb.float64
    hb.manual_seed(5)
    a = hb.normal(hb.zeros(4), 1.0)
    hb.manual_seed(5)
    assert hb.normal(hb.zeros(4), 1.0).tolist() == a.tolist()


def test_normal_gradients_are_zero_and_errors():
    m = hb.zeros(3, requires_grad=True)
    s = hb.ones(3, requires_grad=True)
    out = hb.normal(m, s)
    assert out.grad_fn.name() == "NormalBackward3"
    out.sum().backward()
    assert m.grad.tolist() == [0, 0, 0] and s.grad.tolist() == [0, 0, 0]
    with pytest.raises(TypeError):
        hb.normal(0.0, 1.0)
    with pytest.raises(TypeError):
        hb.normal(hb.zeros(3), 1.0, size=(3,))
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0, but found std -1"):
        hb.normal(hb.zeros(3), -1.0)
    with pytest.raises(RuntimeError, match="normal expects all elements of std >= 0.0"):
        hb.normal(hb.zeros(3), hb.tensor([1.0, -1.0, 1.0]))
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match"):
        hb.normal(hb.zeros(3), hb.ones(4))
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        hb.normal(hb.zeros(3, dtype=hb.int64), hb.ones(3))
