"""softmax / log_softmax over any dim: against numpy float64, gradients by finite differences."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn


def np_log_softmax(x, axis):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("shape, dim", [((7,), 0), ((3, 5), 1), ((3, 5), 0), ((2, 3, 4), -1),
                                        ((2, 3, 4), 1), ((1, 1), 1), ((0, 4), 1), ((), 0)], ids=str)
def test_softmax(shape, dim, log, rng):
    fn = (lambda x: hb.log_softmax(x, dim)) if log else (lambda x: hb.softmax(x, dim))

    def ref(x):
        out = np_log_softmax(x, dim if x.ndim else None)
        return out if log else np.exp(out)

    x = randn(shape, rng) * 3
    check_forward(fn, ref, [x], rtol=1e-5, atol=1e-6)
    check_backward(fn, [x])


def test_softmax_noncontiguous(rng):
    check_noncontiguous(lambda x: hb.softmax(x, 1), [randn((4, 5), rng)])
    check_noncontiguous(lambda x: hb.log_softmax(x, 0), [randn((4, 5), rng)])


def test_softmax_is_stable_for_large_inputs():
    x = hb.tensor([[1e4, 0.0, -1e4]])
    np.testing.assert_allclose(hb.softmax(x, 1).numpy(), [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(hb.log_softmax(x, 1).numpy(), [[0.0, -1e4, -2e4]])
    y = hb.tensor([[-float("inf"), 0.0]])
    assert hb.softmax(y, 1).tolist() == [[0.0, 1.0]]


def test_softmax_modules_and_methods(rng):
    x = hb.tensor(randn((3, 4), rng))
    np.testing.assert_allclose(hb.nn.Softmax(dim=1)(x).numpy(), x.softmax(1).numpy())
    np.testing.assert_allclose(hb.nn.LogSoftmax(dim=1)(x).numpy(), x.log_softmax(dim=1).numpy())
    assert hb.softmax(x, 1, dtype=hb.float64).dtype is hb.float64
    with pytest.raises(IndexError, match="Dimension out of range"):
        hb.softmax(x, 2)


def test_functional_softmax_implicit_dim_warns_as_pytorch():
    x = hb.tensor([[-2.0, -0.5, 0.0], [0.5, 3.0, 1.0]])
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        implicit = hb.nn.functional.softmax(x)
    np.testing.assert_array_equal(implicit.numpy(), hb.softmax(x, 1).numpy())
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        hb.nn.LogSoftmax()(hb.zeros(2, 3, 4))
    # dtype is keyword-only in the functional form's PyTorch signature position
    assert hb.nn.functional.softmax(x, 1, dtype=hb.float64).dtype is hb.float64
