"""searchsorted and bucketize against numpy: sides, N-D boundaries, scalars, sorter, int32
output, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("values", [[3, 6, 9, 0, 1], [[3.5, 7.0], [1.0, 1.0]], [], 5])
def test_searchsorted_1d(values, right):
    boundaries = [1, 3, 5, 7]
    v = hb.tensor(values) if isinstance(values, list) else values
    got = hb.searchsorted(hb.tensor(boundaries), v, right=right)
    want = np.searchsorted(boundaries, np.array(values), side="right" if right else "left")
    assert got.dtype is hb.int64 and got.shape == np.shape(want)
    np.testing.assert_array_equal(got.numpy(), want)
    side = hb.searchsorted(hb.tensor(boundaries), v, side="right" if right else "left")
    np.testing.assert_array_equal(side.numpy(), want)
    bucket = hb.bucketize(v, hb.tensor(boundaries), right=right)
    np.testing.assert_array_equal(bucket.numpy(), want)


def test_searchsorted_nd_sorter_and_int32(rng):
    b = np.sort(rng.standard_normal((2, 3, 5)), axis=-1)
    v = rng.standard_normal((2, 3, 4))
    got = hb.searchsorted(hb.tensor(b), hb.tensor(v))
    for i in np.ndindex(2, 3):
        np.testing.assert_array_equal(got.numpy()[i], np.searchsorted(b[i], v[i]))
    unsorted = hb.tensor([7, 5, 3, 1])
    got = hb.searchsorted(unsorted, hb.tensor([3, 6, 9]), sorter=hb.tensor([3, 2, 1, 0]))
    assert got.tolist() == [1, 3, 4]
    assert hb.searchsorted(hb.tensor([1, 3]), hb.tensor([[2]]), out_int32=True).dtype is hb.int32
    assert hb.bucketize(hb.tensor([2.0]), hb.tensor([1, 3]), out_int32=True).dtype is hb.int32
    assert hb.searchsorted(hb.tensor([1, 3, 5, 7]), hb.tensor(5)).shape == ()


@pytest.mark.parametrize("call,message", [
    (lambda: hb.searchsorted(hb.tensor([1, 3]), hb.tensor([2]), side="left", right=True),
     "side and right can't be set to opposites, got side of left while right was True"),
    (lambda: hb.searchsorted(hb.tensor([1, 3]), hb.tensor([2]), side="foo"),
     "side can only be 'left' or 'right' but got foo"),
    (lambda: hb.searchsorted(hb.tensor(1), hb.tensor([3])),
     "boundaries tensor should have positive dimension, but got 0 dimension"),
    (lambda: hb.searchsorted(hb.tensor([[1, 3, 5, 7], [2, 4, 6, 8]]), hb.tensor([[3, 6, 9]])),
     r"first N-1 dimensions of boundaries tensor and input value tensor must match, but we got "
     r"boundaries tensor \[2, 4\] and input value tensor \[1, 3\]"),
    (lambda: hb.bucketize(hb.tensor([3]), hb.tensor([[1, 3]])),
     r"boundaries tensor must be 1 dimension, but got dim\(2\)"),
])
def test_search_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    b = np.sort(rng.standard_normal((3, 6)), axis=-1)
    v = np.concatenate([rng.standard_normal((3, 4)), b[:, :2]], axis=1)
    for right in (False, True):
        np.testing.assert_array_equal(
            hb.searchsorted(hb.tensor(b), hb.tensor(v), right=right).numpy(),
            torch.searchsorted(torch.tensor(b), torch.tensor(v), right=right).numpy())
        np.testing.assert_array_equal(
            hb.bucketize(hb.tensor(v), hb.tensor(b[0]), right=right).numpy(),
            torch.bucketize(torch.tensor(v), torch.tensor(b[0]), right=right).numpy())
