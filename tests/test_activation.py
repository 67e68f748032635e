"""Activations (fused C kernels) and dropout: forward vs numpy float64, backward by finite differences."""
import math

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.functional as F
from opcheck import UNARY_SHAPES, check_backward, check_forward, check_noncontiguous, randn

_erf = np.vectorize(math.erf, otypes=[float])


def _softplus(x, beta=1.0, threshold=20.0):
    return np.where(beta * x > threshold, x, np.log1p(np.exp(beta * x)) / beta)


ACTIVATIONS = {
    "relu": (F.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    "sigmoid": (F.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (F.tanh, np.tanh),
    "gelu": (F.gelu, lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"),
                  lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    "elu": (lambda x: F.elu(x, 1.5), lambda x: np.where(x > 0, x, 1.5 * np.expm1(x))),
    "silu": (F.silu, lambda x: x / (1 + np.exp(-x))),
    "softplus": (lambda x: F.softplus(x, 2.0, 3.0), lambda x: _softplus(x, 2.0, 3.0)),
    "hardtanh": (lambda x: F.hardtanh(x, -0.5, 0.8), lambda x: np.clip(x, -0.5, 0.8)),
}


def _off_kinks(x):
    """Move points away from the kinks (0, ±0.5, 0.8, softplus threshold) for finite differences."""
    for k in (0.0, -0.5, 0.8, 1.5):
        x = np.where(np.abs(x - k) < 0.02, k + 0.1, x)
    return x


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("shape", UNARY_SHAPES, ids=str)
def test_activation(name, shape, rng):
    fn, ref = ACTIVATIONS[name]
    x = _off_kinks(randn(shape, rng) * 2)
    check_forward(fn, ref, [x], rtol=1e-5, atol=1e-6)
    check_forward(fn, ref, [x], rtol=1e-12, atol=1e-12, dtype=hb.float64)
    check_backward(fn, [x])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_noncontiguous(name, rng):
    check_noncontiguous(ACTIVATIONS[name][0], [_off_kinks(randn((5, 4), rng))])


def test_activation_methods_and_modules(rng):
    x = hb.tensor(randn((3, 4), rng))
    np.testing.assert_allclose(x.relu().numpy(), np.maximum(x.numpy(), 0))
    np.testing.assert_allclose(hb.nn.ReLU()(x).numpy(), np.maximum(x.numpy(), 0))
    np.testing.assert_allclose(hb.nn.Tanh()(x).numpy(), np.tanh(x.numpy()), rtol=1e-6)
    np.testing.assert_allclose(hb.sigmoid(x).numpy(), 1 / (1 + np.exp(-x.numpy())), rtol=1e-6)
    assert hb.relu(hb.tensor([-1, 2])).tolist() == [0, 2]


def test_relu_saves_its_output_and_catches_inplace_change():
    x = hb.tensor([-1.0, 2.0], requires_grad=True)
    y = F.relu(x)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_inplace_relu_module():
    x = hb.tensor([-1.0, 2.0], requires_grad=True)
    h = x * 1
    out = hb.nn.ReLU(inplace=True)(h)
    assert out is h
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0]


def test_dropout_scales_and_masks_consistently():
    hb.manual_seed(0)
    x = hb.ones(10000, requires_grad=True)
    y = F.dropout(x, 0.3, training=True)
    kept = y.detach().numpy() != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy() != 0, kept)
    assert F.dropout(x, 0.3, training=False) is x
    d = hb.nn.Dropout(0.5)
    d.eval()
    assert d(x) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        hb.nn.Dropout(1.5)


INPLACE = [
    ("relu", lambda x: F.relu(x, inplace=True), lambda x: F.relu(x)),
    ("relu6", lambda x: F.relu6(x, inplace=True), lambda x: F.hardtanh(x, 0.0, 6.0)),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.1, inplace=True), lambda x: F.leaky_relu(x, 0.1)),
    ("elu", lambda x: F.elu(x, 0.7, inplace=True), lambda x: F.elu(x, 0.7)),
    ("silu", lambda x: F.silu(x, inplace=True), F.silu),
    ("hardtanh", lambda x: F.hardtanh(x, -0.5, 2.0, inplace=True), lambda x: F.hardtanh(x, -0.5, 2.0)),
    ("dropout", lambda x: F.dropout(x, 0.0, True, True), lambda x: x),
]


@pytest.mark.parametrize("name,inplace,reference", INPLACE, ids=[c[0] for c in INPLACE])
def test_functional_inplace_forms(name, inplace, reference, rng):
    a = rng.standard_normal(7) * 4
    x = hb.tensor(a)
    want = reference(hb.tensor(a)).numpy()
    assert inplace(x) is x
    np.testing.assert_array_equal(x.numpy(), want)
    # through the graph: the in-place result of a non-leaf backpropagates as the out-of-place one
    leaf = hb.tensor(a, dtype=hb.float64, requires_grad=True)
    inplace(leaf * 1.0).sum().backward()
    ref_leaf = hb.tensor(a, dtype=hb.float64, requires_grad=True)
    reference(ref_leaf * 1.0).sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), ref_leaf.grad.numpy())


def test_inplace_modules_return_their_input():
    for module in (hb.nn.ReLU(inplace=True), hb.nn.ReLU6(inplace=True), hb.nn.LeakyReLU(0.1, True),
                   hb.nn.ELU(inplace=True), hb.nn.SiLU(inplace=True), hb.nn.Hardtanh(inplace=True)):
        x = hb.tensor([-2.0, 0.5, 7.0])
        assert module(x) is x
    x = hb.ones(100)
    y = hb.nn.Dropout(0.5, inplace=True)(x)
    assert y is x and set(np.unique(x.numpy())) <= {0.0, 2.0}
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        F.relu(hb.ones(2, requires_grad=True), inplace=True)


def test_dropout_p_one_and_module_errors():
    x = hb.ones(4, requires_grad=True)
    y = F.dropout(x, p=1.0)
    y.sum().backward()
    assert y.tolist() == [0.0] * 4 and x.grad.tolist() == [0.0] * 4
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        F.dropout(x, p=-0.1)
    with pytest.raises(AssertionError, match=r"max_val \(1.0\) must be greater than min_val \(2.0\)"):
        hb.nn.Hardtanh(2.0, 1.0)
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        F.hardtanh(x, 2.0, 1.0)
    assert hb.nn.ReLU6()(hb.tensor([-1.0, 3.0, 7.0])).tolist() == [0.0, 3.0, 6.0]


def test_activation_module_reprs():
    # recorded from PyTorch 2.13
    modules = {
        "ReLU()": hb.nn.ReLU(), "ReLU(inplace=True)": hb.nn.ReLU(True),
        "ReLU6(inplace=True)": hb.nn.ReLU6(True),
        "LeakyReLU(negative_slope=0.2, inplace=True)": hb.nn.LeakyReLU(0.2, True),
        "GELU(approximate='tanh')": hb.nn.GELU("tanh"), "ELU(alpha=0.5)": hb.nn.ELU(0.5),
        "SiLU(inplace=True)": hb.nn.SiLU(inplace=True),
        "Softplus(beta=2, threshold=10)": hb.nn.Softplus(2, 10),
        "Hardtanh(min_val=-2, max_val=2)": hb.nn.Hardtanh(-2, 2), "Softmax(dim=None)": hb.nn.Softmax(),
        "LogSoftmax(dim=-1)": hb.nn.LogSoftmax(-1), "Dropout(p=0.3, inplace=True)": hb.nn.Dropout(0.3, True),
        "Sigmoid()": hb.nn.Sigmoid(), "Tanh()": hb.nn.Tanh(),
    }
    for text, module in modules.items():
        assert repr(module) == text


def test_activation_ops_save_what_the_kernels_expect():
    """The op records which tensor each backward kernel takes; it must be the kernels' own."""
    from hayabusa import _C
    from hayabusa.ops.activation import ACTIVATIONS
    assert {op: saves for op, (_, saves) in ACTIVATIONS.items()} == _C.UNARY_SAVES
