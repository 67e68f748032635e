"""median: values and indices against numpy, NaN propagation, gradients by finite differences
(shared among ties for the global median, as PyTorch), PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_noncontiguous, randn

NAN = float("nan")


def _lower_median(a, axis=None):
    s = np.sort(a, axis=axis)
    n = a.size if axis is None else a.shape[axis]
    return (s.reshape(-1) if axis is None else s).take((n - 1) // 2, axis=0 if axis is None else axis)


@pytest.mark.parametrize("shape", [(), (1,), (6,), (7,), (3, 4), (2, 3, 5)])
def test_median_all(shape, rng):
    x = randn(shape, rng)
    got = hb.median(hb.tensor(x, dtype=hb.float64))
    assert got.shape == ()
    assert got.item() == _lower_median(x)
    check_backward(hb.median, [x])


@pytest.mark.parametrize("shape,dim", [((4,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 5), -2),
                                       ((0, 3), 1), ((), 0)])
@pytest.mark.parametrize("keepdim", [False, True])
def test_median_along_dim(shape, dim, keepdim, rng):
    x = randn(shape, rng)
    values, indices = hb.tensor(x, dtype=hb.float64).median(dim, keepdim=keepdim)
    if x.ndim:
        want = _lower_median(x, dim)
        if keepdim:
            want = np.expand_dims(want, dim)
        np.testing.assert_array_equal(values.numpy(), want)
        np.testing.assert_array_equal(np.take_along_axis(x, indices.numpy() if keepdim else
                                                         np.expand_dims(indices.numpy(), dim), dim),
                                      want if keepdim else np.expand_dims(want, dim))
    else:
        assert values.item() == x.item() and indices.item() == 0
    assert indices.dtype is hb.int64 and indices.shape == values.shape
    if x.size:
        check_backward(lambda t: hb.median(t, dim, keepdim).values, [x])


def test_median_nan_ties_ints_and_noncontiguous(rng):
    assert np.isnan(hb.median(hb.tensor([1.0, NAN, 2.0, 4.0])).item())
    v, i = hb.median(hb.tensor([[1.0, NAN, 2.0, 4.0], [1.0, 3.0, 2.0, 4.0]]), 1)
    assert np.isnan(v[0].item()) and v[1].item() == 2.0 and i.tolist() == [1, 2]
    assert hb.median(hb.tensor([1, 2, 3, 4])).item() == 2
    assert np.isnan(hb.median(hb.tensor([])).item())
    v, i = hb.tensor([2.0, 2.0, 1.0, 2.0]).median(0)
    assert v.item() == 2.0 and i.item() == 0
    w = hb.tensor([2.0, 2.0, 1.0, 2.0], requires_grad=True)
    hb.median(w).backward()
    np.testing.assert_allclose(w.grad.numpy(), [1 / 3, 1 / 3, 0, 1 / 3])
    w = hb.tensor([1.0, NAN, 2.0, NAN], requires_grad=True)
    hb.median(w).backward()
    np.testing.assert_allclose(w.grad.numpy(), [0, 0.5, 0, 0.5])
    check_noncontiguous(lambda t: t.median(1).values, [randn((3, 5), rng)])
    with pytest.raises(IndexError, match="median\\(\\): Expected reduction dim 0 to have non-zero size"):
        hb.median(hb.ones(0, 3), 0)


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    x = randn((4, 7), rng)
    x[1, 3] = NAN
    for dim in (0, 1):
        ours, theirs = hb.tensor(x).median(dim), torch.tensor(x).median(dim)
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    y = randn((5, 6), rng)
    np.testing.assert_array_equal(hb.median(hb.tensor(y)).numpy(), torch.median(torch.tensor(y)).numpy())
