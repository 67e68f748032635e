"""isclose, allclose, equal, count_nonzero, nan_to_num: values against numpy, nan_to_num's
gradient by finite differences, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import BINARY_SHAPES, UNARY_SHAPES, check_backward, check_forward, randn

INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize("sa,sb", BINARY_SHAPES)
def test_isclose_allclose_broadcast(sa, sb, rng):
    a = randn(sa, rng)
    b = a + rng.uniform(-2e-5, 2e-5, sa) if sa == sb else randn(sb, rng)
    got = hb.isclose(hb.tensor(a, dtype=hb.float64), hb.tensor(b, dtype=hb.float64), rtol=1e-5,
                     atol=1e-6)
    want = np.isclose(a, b, rtol=1e-5, atol=1e-6)
    assert got.dtype is hb.bool
    np.testing.assert_array_equal(got.numpy(), want)
    assert hb.allclose(hb.tensor(a), hb.tensor(b)) == bool(np.allclose(a.astype(np.float32),
                                                                       b.astype(np.float32)))


def test_isclose_special_values_and_dtypes():
    a = hb.tensor([NAN, INF, -INF, 1.0, 0.0])
    b = hb.tensor([NAN, INF, INF, 1.0 + 1e-9, 1e-9])
    assert hb.isclose(a, b).tolist() == [False, True, False, True, True]
    assert a.isclose(b, equal_nan=True).tolist() == [True, True, False, True, True]
    assert hb.isclose(hb.tensor([1, 2]), hb.tensor([1, 3])).tolist() == [True, False]
    assert hb.isclose(hb.tensor([True, False]), hb.tensor([True, True])).tolist() == [True, False]
    assert hb.allclose(hb.ones(3), hb.ones(2, 3))
    assert not hb.ones(3).allclose(hb.tensor([1.0, 1.0, 1.1]))


def test_isclose_errors():
    with pytest.raises(RuntimeError, match="Float did not match Double"):
        hb.isclose(hb.ones(3), hb.ones(3, dtype=hb.float64))
    with pytest.raises(RuntimeError, match="rtol must be greater than or equal to zero, but got -1"):
        hb.isclose(hb.ones(3), hb.ones(3), rtol=-1)
    with pytest.raises(RuntimeError, match="atol must be greater than or equal to zero"):
        hb.allclose(hb.ones(3), hb.ones(3), atol=-1)
    with pytest.raises(TypeError, match="argument 'other' \\(position 2\\) must be Tensor, not float"):
        hb.isclose(hb.ones(3), 1.0)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of "
                                           r"tensor b \(4\)"):
        hb.allclose(hb.ones(3), hb.ones(4))


def test_equal():
    assert hb.equal(hb.tensor([1.0, 2.0]), hb.tensor([1.0, 2.0]))
    assert not hb.equal(hb.ones(3), hb.ones(4))
    assert not hb.equal(hb.ones(3), hb.ones(1, 3))
    assert hb.equal(hb.ones(3), hb.ones(3, dtype=hb.int64))
    assert not hb.tensor([NAN]).equal(hb.tensor([NAN]))
    assert hb.equal(hb.zeros(0), hb.zeros(0))
    assert isinstance(hb.equal(hb.ones(()), hb.ones(())), bool)


@pytest.mark.parametrize("dim", [None, 0, -1, (0, 1), [1, 2]])
def test_count_nonzero(dim, rng):
    x = np.where(rng.random((3, 4, 2)) < 0.5, 0.0, randn((3, 4, 2), rng))
    got = hb.count_nonzero(hb.tensor(x), dim=dim)
    want = np.count_nonzero(x, axis=tuple(dim) if isinstance(dim, list) else dim)
    assert got.dtype is hb.int64
    np.testing.assert_array_equal(got.numpy(), want)


def test_count_nonzero_edges_and_errors():
    assert hb.count_nonzero(hb.tensor(2.0)).item() == 1
    assert hb.tensor(0.0).count_nonzero(0).item() == 0
    assert hb.count_nonzero(hb.zeros(0, 3), 0).tolist() == [0, 0, 0]
    assert hb.count_nonzero(hb.tensor([[True, False], [True, True]]), 1).tolist() == [1, 2]
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        hb.count_nonzero(hb.ones(2, 2), dim=(0, -2))
    with pytest.raises(IndexError, match="Dimension out of range"):
        hb.count_nonzero(hb.ones(2, 2), dim=2)


@pytest.mark.parametrize("shape", UNARY_SHAPES)
def test_nan_to_num_values_and_gradient(shape, rng):
    x = randn(shape, rng)
    if x.size:
        x.reshape(-1)[::3] = NAN
        x.reshape(-1)[1::4] = INF
        x.reshape(-1)[2::5] = -INF
    check_forward(lambda t: hb.nan_to_num(t, 1.5, 100.0, -200.0),
                  lambda a: np.nan_to_num(a, nan=1.5, posinf=100.0, neginf=-200.0), [x],
                  rtol=0, atol=0, dtype=hb.float64)
    check_forward(hb.nan_to_num, np.nan_to_num, [x], rtol=0, atol=0, dtype=hb.float64)
    f32 = hb.nan_to_num(hb.tensor(x, dtype=hb.float32))
    np.testing.assert_array_equal(f32.numpy(), np.nan_to_num(x.astype(np.float32)))
    check_backward(lambda t: t.nan_to_num(posinf=5.0), [x])


def test_nan_to_num_integers_and_in_place():
    ints = hb.tensor([1, 2])
    out = hb.nan_to_num(ints, nan=3.5)
    assert out.tolist() == [1, 2] and out.dtype is hb.int64 and out is not ints
    t = hb.tensor([NAN, 1.0])
    assert t.nan_to_num_(nan=-1.0) is t and t.tolist() == [-1.0, 1.0]


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    a = np.array([NAN, INF, -INF, 1.0, 2.0, 1e-9])
    b = np.array([NAN, INF, INF, 1.0 + 1e-6, 2.1, 0.0])
    for kw in ({}, {"equal_nan": True}, {"rtol": 0.1, "atol": 0.0}):
        np.testing.assert_array_equal(hb.isclose(hb.tensor(a), hb.tensor(b), **kw).numpy(),
                                      torch.isclose(torch.tensor(a), torch.tensor(b), **kw).numpy())
    np.testing.assert_array_equal(hb.nan_to_num(hb.tensor(a, dtype=hb.float32)).numpy(),
                                  torch.nan_to_num(torch.tensor(a, dtype=torch.float32)).numpy())
    x = np.where(rng.random((3, 4)) < 0.5, 0, 1)
    np.testing.assert_array_equal(hb.count_nonzero(hb.tensor(x), (0, 1)).numpy(),
                                  torch.count_nonzero(torch.tensor(x), (0, 1)).numpy())
