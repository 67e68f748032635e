"""Elementwise arithmetic: forward against numpy float64, backward by finite differences."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import (BINARY_SHAPES, UNARY_SHAPES, check_backward, check_forward,
                     check_noncontiguous, randn)

BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: a / b, np.divide),
    "maximum": (hb.maximum, np.maximum),
    "minimum": (hb.minimum, np.minimum),
    "add_alpha": (lambda a, b: hb.add(a, b, alpha=2.5), lambda a, b: a + 2.5 * b),
}


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shapes", BINARY_SHAPES, ids=str)
def test_binary_ops(name, shapes, rng):
    fn, ref = BINARY[name]
    a, b = randn(shapes[0], rng), randn(shapes[1], rng)
    if name == "div":
        b = np.where(np.abs(b) < 0.3, 1.0, b)
    check_forward(fn, ref, [a, b])
    check_backward(fn, [a, b])


@pytest.mark.parametrize("name", BINARY)
def test_binary_ops_noncontiguous(name, rng):
    fn, _ = BINARY[name]
    a, b = randn((4, 3), rng), rng.uniform(0.5, 2.0, (4, 3))
    check_noncontiguous(fn, [a, b])


UNARY = {
    "exp": (hb.exp, np.exp, None),
    "log": (hb.log, np.log, (0.2, 3.0)),
    "sqrt": (hb.sqrt, np.sqrt, (0.2, 3.0)),
    "abs": (hb.abs, np.abs, None),
    "neg": (lambda x: -x, np.negative, None),
    "sin": (hb.sin, np.sin, None),
    "cos": (hb.cos, np.cos, None),
    "log1p": (hb.log1p, np.log1p, (0.0, 3.0)),
    "expm1": (hb.expm1, np.expm1, None),
    "rsqrt": (hb.rsqrt, lambda x: 1 / np.sqrt(x), (0.3, 3.0)),
    "square": (hb.square, np.square, None),
    "pow2": (lambda x: x ** 2, lambda x: x ** 2, None),
    "pow_half": (lambda x: x ** 0.5, lambda x: x ** 0.5, (0.2, 3.0)),
    "pow_neg": (lambda x: x ** -1.5, lambda x: x ** -1.5, (0.3, 3.0)),
    "rpow": (lambda x: 2 ** x, lambda x: 2 ** x, None),
    "scalar_ops": (lambda x: (3 - x) * 2 / 4 + 1, lambda x: (3 - x) * 2 / 4 + 1, None),
    "rdiv": (lambda x: 1 / x, lambda x: 1 / x, (0.5, 2.0)),
    "clamp": (lambda x: hb.clamp(x, -0.5, 0.7), lambda x: np.clip(x, -0.5, 0.7), None),
    "clamp_min": (lambda x: x.clamp(min=0.1), lambda x: np.maximum(x, 0.1), None),
}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("shape", UNARY_SHAPES, ids=str)
def test_unary_ops(name, shape, rng):
    fn, ref, domain = UNARY[name]
    x = randn(shape, rng, *(domain or (None, None)))
    if name.startswith("clamp") or name == "abs":
        x = np.where(np.abs(np.abs(x) - 0.6) < 0.15, 0.2, x)  # keep finite differences off the kinks
        x = np.where(np.abs(x - 0.1) < 0.01, 0.3, x)
    check_forward(fn, ref, [x], rtol=1e-5, atol=1e-5)
    check_backward(fn, [x])


def test_pow_tensor_exponent(rng):
    a, b = rng.uniform(0.5, 2, (3, 4)), rng.uniform(-1, 2, (4,))
    check_forward(hb.pow, np.power, [a, b])
    check_backward(hb.pow, [a, b])


def test_pow_gradient_at_zero_base_matches_pytorch():
    x = hb.tensor([0.0, 1.0], dtype=hb.float64, requires_grad=True)
    (x ** 2).sum().backward()
    assert x.grad.tolist() == [0.0, 2.0]
    x.grad = None
    (x ** 0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_where(rng):
    cond = rng.standard_normal((3, 4)) > 0
    a, b = randn((3, 4), rng), randn((4,), rng)
    c = hb.tensor(cond)
    check_forward(lambda x, y: hb.where(c, x, y), lambda x, y: np.where(cond, x, y), [a, b])
    check_backward(lambda x, y: hb.where(c, x, y), [a, b])
    with pytest.raises(RuntimeError, match="boolean"):
        hb.where(hb.ones(2), hb.ones(2), hb.ones(2))


def test_maximum_ties_split_the_gradient():
    a = hb.tensor([1.0, 2.0], requires_grad=True)
    b = hb.tensor([1.0, 1.0], requires_grad=True)
    hb.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 1.0] and b.grad.tolist() == [0.5, 0.0]


def test_comparisons_return_bool_and_no_grad(rng):
    a = hb.tensor(randn((3,), rng), requires_grad=True)
    for op in (a < 0, a <= 0, a > 0, a >= 0, a == 0, a != 0):
        assert op.dtype is hb.bool and not op.requires_grad
    assert (hb.tensor([1, 2]) == hb.tensor([1, 3])).tolist() == [True, False]
    assert (~hb.tensor([True, False])).tolist() == [False, True]
    assert (hb.tensor([True, False]) & hb.tensor([True, True])).tolist() == [True, False]


def test_broadcast_mismatch_raises():
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of "
                                            r"tensor b \(4\) at non-singleton dimension 1"):
        hb.ones(2, 3) + hb.ones(4)


def test_bool_subtraction_and_negation_raise_like_pytorch():
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        hb.tensor([True]) - hb.tensor([False])
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        -hb.tensor([True])


def test_integer_ops_stay_integer():
    a = hb.tensor([7, -7])
    assert (a // 2).tolist() == [3, -4] and (a // 2).dtype is hb.int64
    assert (a % 3).tolist() == [1, 2]
    assert hb.div(a, 2, rounding_mode="trunc").tolist() == [3, -3]
    assert (a * a).dtype is hb.int64
    assert hb.exp(hb.tensor([0])).dtype is hb.float32
