"""reciprocal, fmod, clamp_min/clamp_max and the in-place rounding ops: values against numpy,
gradients by finite differences (zero for rounding), dtypes, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import BINARY_SHAPES, UNARY_SHAPES, check_backward, check_forward, check_noncontiguous, randn


@pytest.mark.parametrize("shape", UNARY_SHAPES)
def test_reciprocal(shape, rng):
    x = randn(shape, rng, 0.5, 2.0) * np.where(rng.random(shape) < 0.5, -1, 1)
    check_forward(hb.reciprocal, np.reciprocal, [x], rtol=1e-6)
    check_backward(lambda t: t.reciprocal(), [x])


def test_reciprocal_dtypes_and_in_place(rng):
    assert hb.tensor([1, 2]).reciprocal().tolist() == [1.0, 0.5]
    assert hb.tensor([1, 2]).reciprocal().dtype is hb.float32
    assert hb.tensor([0.0, -0.0]).reciprocal().tolist() == [float("inf"), float("-inf")]
    t = hb.tensor([2.0, 4.0])
    assert t.reciprocal_() is t and t.tolist() == [0.5, 0.25]
    check_noncontiguous(hb.reciprocal, [randn((3, 4), rng, 1.0, 2.0)])


@pytest.mark.parametrize("sa,sb", BINARY_SHAPES)
def test_fmod(sa, sb, rng):
    a = randn(sa, rng) * 5
    b = randn(sb, rng, 0.7, 2.0) * np.where(rng.random(sb) < 0.5, -1, 1)
    check_forward(hb.fmod, np.fmod, [a, b], rtol=1e-6, atol=1e-6, dtype=hb.float64)
    check_backward(lambda x, y: x.fmod(y), [a, b])
    check_backward(lambda x: hb.fmod(x, -1.5), [a])


def test_fmod_dtypes_and_errors():
    assert hb.fmod(hb.tensor([-3.0, 3.0]), 2).tolist() == [-1.0, 1.0]
    ints = hb.fmod(hb.tensor([-3, 3]), 2)
    assert ints.dtype is hb.int64 and ints.tolist() == [-1, 1]
    assert hb.fmod(hb.tensor([-3, 3]), 2.5).tolist() == [-0.5, 0.5]
    assert np.isnan(hb.fmod(hb.tensor([3.0]), 0.0).item())
    t = hb.tensor([5.0, -5.0])
    assert t.fmod_(3) is t and t.tolist() == [2.0, -2.0]
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        hb.fmod(hb.tensor([-3, 3]), 0)
    with pytest.raises(TypeError, match="must be Tensor, not int"):
        hb.fmod(3, hb.tensor([2.0]))


def test_clamp_min_max(rng):
    x = randn((3, 4), rng)
    check_forward(lambda t: hb.clamp_min(t, 0.2), lambda a: np.maximum(a, 0.2), [x])
    check_forward(lambda t: t.clamp_max(-0.1), lambda a: np.minimum(a, -0.1), [x])
    check_backward(lambda t: t.clamp_min(0.3), [x])
    bound = randn((4,), rng)
    check_backward(lambda t, m: hb.clamp_max(t, m), [x, bound])
    assert hb.tensor([1, 2, 3]).clamp_min(2.5).tolist() == [2.5, 2.5, 3.0]
    t = hb.tensor([1.0, 2.0, 3.0])
    assert t.clamp_min_(2.5) is t and t.tolist() == [2.5, 2.5, 3.0]
    assert t.clamp_max_(2.7).tolist() == [2.5, 2.5, 2.7000000476837158]


@pytest.mark.parametrize("name,ref", [("floor_", np.floor), ("ceil_", np.ceil),
                                      ("round_", np.round), ("sign_", np.sign)])
def test_rounding_in_place(name, ref, rng):
    x = randn((3, 5), rng) * 3
    x[0, :3] = [0.5, 1.5, -2.5]
    t = hb.tensor(x, dtype=hb.float64)
    assert getattr(t, name)() is t
    np.testing.assert_array_equal(t.numpy(), ref(x))
    # in a graph the result is piecewise constant: zero gradient, PyTorch's node name
    w = hb.tensor(x, dtype=hb.float64, requires_grad=True)
    y = w * 2
    getattr(y, name)()
    assert y.grad_fn.name() == name[:-1].capitalize() + "Backward0"
    (y * 3).sum().backward()
    assert not w.grad.numpy().any()
    ints = hb.tensor([-2, 0, 3])
    assert getattr(ints, name)().tolist() == ref(np.array([-2, 0, 3])).tolist()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(hb.ones(2, requires_grad=True), name)()


def test_round_decimals():
    t = hb.tensor([1.55, 2.5, -0.125], dtype=hb.float64)
    assert t.round_(decimals=1).tolist() == [1.6, 2.5, -0.1]


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    a, b = randn((3, 4), rng) * 4, randn((4,), rng, 0.5, 2.0)
    np.testing.assert_allclose(hb.fmod(hb.tensor(a), hb.tensor(b)).numpy(),
                               torch.fmod(torch.tensor(a), torch.tensor(b)).numpy(), rtol=1e-12)
    ours = [hb.tensor(a, requires_grad=True), hb.tensor(b, requires_grad=True)]
    theirs = [torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)]
    hb.fmod(*ours).pow(2).sum().backward()
    torch.fmod(*theirs).pow(2).sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(hb.tensor(b).reciprocal().numpy(), torch.tensor(b).reciprocal().numpy())
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.7])
    np.testing.assert_array_equal(hb.tensor(x).round_().numpy(), torch.tensor(x).round_().numpy())
