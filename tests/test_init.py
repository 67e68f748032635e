"""nn.init: each initializer's values or distribution (bounds, moments) as PyTorch's definition,
fan and gain computation, the generator argument, zero-element and error cases."""
import math

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.init as init


def test_calculate_gain():
    # recorded from PyTorch 2.13
    for name in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose2d", "sigmoid"):
        assert init.calculate_gain(name) == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("selu") == 0.75
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("leaky_relu", 1) == 1.0
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")
    with pytest.raises(ValueError, match="negative_slope x not a valid number"):
        init.calculate_gain("leaky_relu", "x")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)


def test_fans_and_their_errors():
    assert init._calculate_fan_in_and_fan_out(hb.empty(4, 3)) == (3, 4)
    assert init._calculate_fan_in_and_fan_out(hb.empty(8, 3, 2, 5)) == (30, 80)
    for fn in (init.xavier_uniform_, init.xavier_normal_, init.kaiming_uniform_, init.kaiming_normal_):
        with pytest.raises(ValueError, match="Fan in and fan out can not be computed for tensor with "
                                             "fewer than 2 dimensions"):
            fn(hb.empty(3))
    with pytest.raises(ValueError, match=r"Mode fan_avg not supported, please use one of \['fan_in', 'fan_out'\]"):
        init.kaiming_uniform_(hb.empty(3, 4), mode="fan_avg")
    with pytest.raises(ValueError, match="Unsupported nonlinearity bogus"):
        init.kaiming_normal_(hb.empty(3, 4), nonlinearity="bogus")
    # the mode is case-insensitive, as PyTorch
    init.kaiming_uniform_(hb.empty(3, 4), mode="FAN_OUT")


def _stats(t):
    a = t.detach().numpy().astype(np.float64)
    return a.min(), a.max(), a.mean(), a.std()


def test_uniform_and_normal():
    lo, hi, mean, std = _stats(init.uniform_(hb.empty(200, 100), -2, 3))
    assert -2 <= lo < -1.99 and 2.99 < hi <= 3 and abs(mean - 0.5) < 0.03
    assert abs(std - 5 / math.sqrt(12)) < 0.02
    _, _, mean, std = _stats(init.normal_(hb.empty(200, 100), 2.0, 0.5))
    assert abs(mean - 2) < 0.01 and abs(std - 0.5) < 0.01


def test_generator_makes_draws_reproducible():
    a = init.normal_(hb.empty(5), generator=hb.Generator().manual_seed(3))
    b = init.normal_(hb.empty(5), generator=hb.Generator().manual_seed(3))
    assert a.tolist() == b.tolist()
    hb.manual_seed(7)
    c = init.xavier_uniform_(hb.empty(3, 4))
    hb.manual_seed(7)
    assert init.xavier_uniform_(hb.empty(3, 4)).tolist() == c.tolist()


@pytest.mark.parametrize("shape", [(300, 200), (16, 8, 3, 3)])
def test_xavier(shape):
    receptive = math.prod(shape[2:])
    fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
    std = 2.0 * math.sqrt(2.0 / (fan_in + fan_out))
    lo, hi, mean, s = _stats(init.xavier_uniform_(hb.empty(*shape), gain=2.0))
    bound = math.sqrt(3) * std
    assert -bound <= lo and hi <= bound and hi > 0.95 * bound and abs(s - std) < 0.03 * std
    _, _, mean, s = _stats(init.xavier_normal_(hb.empty(*shape), gain=2.0))
    assert abs(mean) < 0.05 * std and abs(s - std) < 0.03 * std


@pytest.mark.parametrize("mode,nonlinearity,a", [("fan_in", "relu", 0), ("fan_out", "leaky_relu", 0.2),
                                                 ("fan_in", "leaky_relu", math.sqrt(5))])
def test_kaiming(mode, nonlinearity, a):
    shape = (60, 400)
    fan = shape[1] if mode == "fan_in" else shape[0]
    std = init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    lo, hi, _, s = _stats(init.kaiming_uniform_(hb.empty(*shape), a, mode, nonlinearity))
    bound = math.sqrt(3) * std
    assert -bound <= lo and hi <= bound and hi > 0.95 * bound and abs(s - std) < 0.03 * std
    _, _, mean, s = _stats(init.kaiming_normal_(hb.empty(*shape), a, mode, nonlinearity))
    assert abs(mean) < 0.05 * std and abs(s - std) < 0.03 * std


def test_zero_element_tensors():
    for fn in (init.kaiming_uniform_, init.kaiming_normal_):
        t = hb.empty(0, 4)
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            assert fn(t) is t
    assert init.xavier_uniform_(hb.empty(0, 4)).shape == (0, 4)
    assert init.orthogonal_(hb.empty(0, 3)).shape == (0, 3)
    with pytest.warns(UserWarning, match="zero-element"):
        lin = hb.nn.Linear(0, 4)
    assert lin(hb.ones(2, 0)).tolist() == [[0.0] * 4] * 2


def test_constant_zeros_ones_eye():
    t = hb.empty(3, 4)
    assert init.constant_(t, 2.5) is t and t.tolist() == [[2.5] * 4] * 3
    assert init.zeros_(t).tolist() == [[0.0] * 4] * 3
    assert init.ones_(t).tolist() == [[1.0] * 4] * 3
    np.testing.assert_array_equal(init.eye_(hb.empty(3, 4)).numpy(), np.eye(3, 4))
    np.testing.assert_array_equal(init.eye_(hb.empty(4, 2, dtype=hb.float64)).numpy(), np.eye(4, 2))
    for bad in (hb.empty(3), hb.empty(3, 2, 2)):
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            init.eye_(bad)


def _truncated_moments(mean, std, a, b):
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    m = (pdf(alpha) - pdf(beta)) / z
    var = 1 + (alpha * pdf(alpha) - beta * pdf(beta)) / z - m * m
    return mean + std * m, std * math.sqrt(var)


# a wide interval (normal proposals) and narrow or one-sided ones (uniform proposals)
@pytest.mark.parametrize("mean,std,a,b", [(0.0, 1.0, -2.0, 2.0), (1.0, 2.0, -1.0, 2.0),
                                          (0.0, 1.0, 1.5, 3.0), (0.0, 0.02, -2.0, 2.0)])
def test_trunc_normal(mean, std, a, b):
    t = init.trunc_normal_(hb.empty(40000, dtype=hb.float64), mean, std, a, b)
    lo, hi, got_mean, got_std = _stats(t)
    want_mean, want_std = _truncated_moments(mean, std, a, b)
    assert a <= lo and hi <= b
    assert abs(got_mean - want_mean) < 0.02 * want_std + 1e-12
    assert abs(got_std - want_std) < 0.02 * want_std


def test_trunc_normal_warns_when_the_mean_is_far_outside():
    with pytest.warns(UserWarning, match="mean is more than 2 std from \\[a, b\\] in nn.init.trunc_normal_"):
        t = init.trunc_normal_(hb.empty(100), mean=5.0, std=1.0, a=-1.0, b=1.0)
    assert t.numpy().min() >= -1 and t.numpy().max() <= 1


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4), (2, 3, 4)])
def test_orthogonal(shape):
    t = init.orthogonal_(hb.empty(*shape, dtype=hb.float64), gain=2.0)
    flat = t.numpy().reshape(shape[0], -1)
    gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(gram, 4 * np.eye(gram.shape[0]), atol=1e-12)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        init.orthogonal_(hb.empty(3))


def test_orthogonal_sign_correction_makes_it_haar():
    # with R's diagonal signs folded into Q, the first column of a 2x2 orthogonal matrix is
    # uniform on the circle; without, its first entry would keep the sign of the Gaussian draw
    hb.manual_seed(1)
    angles = []
    for _ in range(400):
        q = init.orthogonal_(hb.empty(2, 2, dtype=hb.float64)).numpy()
        angles.append(math.atan2(q[1, 0], q[0, 0]))
    counts, _ = np.histogram(angles, bins=4, range=(-math.pi, math.pi))
    assert counts.min() > 60


def test_initializers_keep_leaf_flags_dtype_and_bump_the_version():
    p = hb.nn.Parameter(hb.empty(3, 3, dtype=hb.float64))
    version = p._version[0]
    for fn in (init.normal_, init.uniform_, init.trunc_normal_, init.orthogonal_, init.xavier_normal_,
               init.kaiming_uniform_, init.ones_, init.eye_):
        out = fn(p)
        assert out is p and p.is_leaf and p.requires_grad and p.grad_fn is None and p.dtype is hb.float64
    assert p._version[0] > version


def test_init_errors_match_torch():
    torch = pytest.importorskip("torch")
    cases = [lambda m: m.nn.init.eye_(m.empty(3)), lambda m: m.nn.init.orthogonal_(m.empty(3)),
             lambda m: m.nn.init.kaiming_uniform_(m.empty(3, 4), mode="x"),
             lambda m: m.nn.init.xavier_uniform_(m.empty(3)), lambda m: m.nn.init.calculate_gain("x")]
    for case in cases:
        with pytest.raises(ValueError) as ours:
            case(hb)
        with pytest.raises(ValueError) as theirs:
            case(torch)
        assert str(ours.value) == str(theirs.value)
