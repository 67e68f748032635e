"""unique and bincount: values, inverse and counts against numpy, dtypes, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb

NAN = float("nan")


@pytest.mark.parametrize("values", [[3, 1, 1, 2], [[2.5, -1.0], [2.5, 0.0]], [], [True, False, True],
                                    5.0, [[[4, 4], [1, 2]]]])
def test_unique_flat(values):
    a = np.array(values)
    t = hb.tensor(values)
    want_values, want_inverse, want_counts = np.unique(a.reshape(-1), return_inverse=True,
                                                       return_counts=True)
    got = hb.unique(t)
    np.testing.assert_array_equal(got.numpy(), want_values)
    assert got.dtype is t.dtype
    v, inv, cnt = t.unique(return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(v.numpy(), want_values)
    np.testing.assert_array_equal(inv.numpy(), want_inverse.reshape(a.shape))
    np.testing.assert_array_equal(cnt.numpy(), want_counts)
    assert inv.dtype is hb.int64 and cnt.dtype is hb.int64
    np.testing.assert_array_equal(v[inv].numpy(), a)


def test_unique_along_dim_flags_and_nan():
    x = hb.tensor([[3, 1], [3, 1], [1, 2]])
    v, inv, cnt = hb.unique(x, dim=0, return_inverse=True, return_counts=True)
    assert v.tolist() == [[1, 2], [3, 1]]
    assert inv.tolist() == [1, 1, 0] and cnt.tolist() == [1, 2]
    v, inv = hb.unique(x, dim=1, return_inverse=True)
    assert v.tolist() == [[1, 3], [1, 3], [2, 1]] and inv.tolist() == [1, 0]
    v, cnt = hb.unique(hb.tensor([3, 1, 1]), return_counts=True)
    assert v.tolist() == [1, 3] and cnt.tolist() == [2, 1]
    assert hb.unique(hb.tensor([3, 1, 2]), sorted=False).tolist() == [1, 2, 3]
    # NaNs are all distinct, as PyTorch
    assert hb.unique(hb.tensor([NAN, NAN, 1.0])).numpy().tolist()[0] == 1.0
    assert hb.unique(hb.tensor([NAN, NAN, 1.0])).shape == (3,)
    _, inv = hb.unique(hb.tensor(2.0), return_inverse=True)
    assert inv.shape == ()
    w = hb.ones(2, 3, requires_grad=True)
    assert not hb.unique(w).requires_grad
    with pytest.raises(IndexError, match="Dimension out of range"):
        hb.unique(x, dim=2)


@pytest.mark.parametrize("values,minlength", [([0, 1, 1, 3], 0), ([0, 1, 1, 3], 6), ([], 0),
                                              ([], 3), ([5], 2)])
def test_bincount(values, minlength):
    t = hb.tensor(values, dtype=hb.int64)
    got = hb.bincount(t, minlength=minlength)
    assert got.dtype is hb.int64
    np.testing.assert_array_equal(got.numpy(), np.bincount(np.array(values, np.int64),
                                                           minlength=minlength))
    assert hb.tensor(values, dtype=hb.int32).bincount(minlength=minlength).dtype is hb.int64


def test_bincount_weights_and_errors():
    x = hb.tensor([0, 1, 1, 3])
    w32 = hb.bincount(x, hb.tensor([1.0, 2.0, 3.0, 4.0]))
    assert w32.dtype is hb.float32 and w32.tolist() == [1, 5, 0, 4]
    assert x.bincount(hb.tensor([1.0, 2, 3, 4], dtype=hb.float64)).dtype is hb.float64
    wi = hb.bincount(x, weights=hb.tensor([1, 2, 3, 4]))
    assert wi.dtype is hb.float64 and wi.tolist() == [1, 5, 0, 4]
    with pytest.raises(RuntimeError, match="weights should be 1-d and have the same length as input"):
        hb.bincount(x, hb.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs"):
        hb.bincount(hb.tensor([0, -1]))
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs"):
        hb.bincount(hb.tensor([[0, 1]]))
    with pytest.raises(NotImplementedError, match="\"bincount_cpu\" not implemented for 'Float'"):
        hb.bincount(hb.tensor([0.0, 1.0]))
    with pytest.raises(NotImplementedError, match="not implemented for 'Bool'"):
        hb.bincount(hb.tensor([True]))
    with pytest.raises(RuntimeError, match="minlength should be >= 0"):
        hb.bincount(x, minlength=-1)


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    x = rng.integers(0, 5, (4, 6))
    for kw in ({}, {"return_inverse": True, "return_counts": True},
               {"dim": 1, "return_inverse": True}):
        ours, theirs = hb.unique(hb.tensor(x), **kw), torch.unique(torch.tensor(x), **kw)
        for o, t in zip(ours if isinstance(ours, tuple) else (ours,),
                        theirs if isinstance(theirs, tuple) else (theirs,)):
            np.testing.assert_array_equal(o.numpy(), t.numpy())
    w = rng.standard_normal(6)
    np.testing.assert_allclose(hb.bincount(hb.tensor(x[0]), hb.tensor(w), 7).numpy(),
                               torch.bincount(torch.tensor(x[0]), torch.tensor(w), 7).numpy())
