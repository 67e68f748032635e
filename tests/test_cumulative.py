"""cumsum, cumprod, diff: values against numpy, gradients by finite differences (cumprod's
through zeros too), dtypes, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import UNARY_SHAPES, check_backward, check_forward, check_noncontiguous, randn


@pytest.mark.parametrize("shape", UNARY_SHAPES)
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_scan_values_and_gradients(op, shape, rng):
    x = randn(shape, rng)
    ref = getattr(np, op)
    for dim in (0, -1):
        check_forward(lambda t: getattr(hb, op)(t, dim),
                      lambda a: ref(a, axis=dim) if a.ndim else a, [x], dtype=hb.float64,
                      rtol=1e-12, atol=1e-12)
        if x.size:
            check_backward(lambda t: getattr(t, op)(dim), [x])


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0, 0.5], [0.0, 1.5, 2.0], [1.5, 0.0, 0.0, 2.0],
                                    [1.0, -2.0, 0.0], [[0.0, 2.0, 3.0], [1.5, 0.0, 2.0]]])
def test_cumprod_gradient_through_zeros(values):
    x = np.array(values)
    check_backward(lambda t: hb.cumprod(t, -1), [x])


def test_scan_dtypes_and_noncontiguous(rng):
    assert hb.cumsum(hb.tensor([1, 2]), 0).dtype is hb.int64
    assert hb.cumsum(hb.tensor([True, True]), 0).tolist() == [1, 2]
    assert hb.cumprod(hb.tensor([1, 2], dtype=hb.int32), 0).dtype is hb.int64
    assert hb.ones(2, 3).cumsum(0, dtype=hb.float64).dtype is hb.float64
    assert hb.cumsum(hb.ones(3), 0).dtype is hb.float32
    check_noncontiguous(lambda t: t.cumsum(1), [randn((3, 4), rng)])
    check_noncontiguous(lambda t: t.cumprod(0), [randn((3, 4), rng)])
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        hb.cumsum(hb.tensor(2.0), 1)
    with pytest.raises(TypeError):
        hb.tensor([1, 2]).cumsum()


@pytest.mark.parametrize("shape,n,dim", [((6,), 1, -1), ((4, 5), 2, 0), ((3, 4, 2), 1, 1),
                                         ((3,), 5, 0), ((3, 2), 0, 0), ((0, 3), 1, 1)])
def test_diff(shape, n, dim, rng):
    x = randn(shape, rng)
    check_forward(lambda t: hb.diff(t, n, dim), lambda a: np.diff(a, n, axis=dim), [x],
                  dtype=hb.float64, rtol=1e-12, atol=1e-12)
    if np.diff(x, n, axis=dim).size:
        check_backward(lambda t: t.diff(n, dim), [x])


def test_diff_prepend_append_bool_and_errors(rng):
    x, pre, post = randn((2, 3), rng), randn((2, 1), rng), randn((2, 2), rng)
    check_forward(lambda t, p, q: hb.diff(t, prepend=p, append=q),
                  lambda a, p, q: np.diff(a, prepend=p, append=q), [x, pre, post],
                  dtype=hb.float64, rtol=1e-12, atol=1e-12)
    check_backward(lambda t, p, q: hb.diff(t, 2, -1, p, q), [x, pre, post])
    assert hb.diff(hb.tensor([True, False, False])).tolist() == [True, False]
    assert hb.diff(hb.tensor([1, 4, 9]), n=2).tolist() == [2]
    assert hb.diff(hb.tensor([1, 4]), prepend=hb.tensor([0.5])).tolist() == [0.5, 3.0]
    with pytest.raises(RuntimeError, match="order must be non-negative but got -1"):
        hb.diff(hb.tensor([1.0, 2.0]), n=-1)
    with pytest.raises(RuntimeError, match="diff expects input to be at least one-dimensional"):
        hb.diff(hb.tensor(3.0))
    with pytest.raises(RuntimeError, match="prepend or append to be the same dimension"):
        hb.diff(hb.tensor([1.0, 4.0]), append=hb.tensor([[2.0]]))


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    x = randn((3, 5), rng)
    x[1, 2] = 0.0
    for op in ("cumsum", "cumprod"):
        ours = hb.tensor(x, requires_grad=True)
        theirs = torch.tensor(x, requires_grad=True)
        getattr(ours, op)(1).pow(2).sum().backward()
        getattr(theirs, op)(1).pow(2).sum().backward()
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(hb.diff(hb.tensor(x), 2, 0).numpy(),
                               torch.diff(torch.tensor(x), 2, 0).numpy(), rtol=1e-6)
