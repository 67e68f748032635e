"""F.one_hot: int64 indicator vectors, num_classes inferred or given, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.functional as F


def test_one_hot_values_shapes_and_dtype():
    out = F.one_hot(hb.tensor([0, 2, 1]))
    assert out.dtype is hb.int64 and out.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert F.one_hot(hb.tensor([0, 2, 1]), 5).shape == (3, 5)
    np.testing.assert_array_equal(F.one_hot(hb.tensor([[0], [2]]), num_classes=3).numpy(),
                                  np.eye(3, dtype=np.int64)[[[0], [2]]])
    assert F.one_hot(hb.tensor(1), 3).tolist() == [0, 1, 0]
    assert F.one_hot(hb.zeros(0, dtype=hb.int64), 3).shape == (0, 3)
    # a non-contiguous index tensor
    idx = hb.tensor([[0, 1, 2], [2, 1, 0]]).t()
    np.testing.assert_array_equal(F.one_hot(idx).numpy(), np.eye(3, dtype=np.int64)[idx.numpy()])


def test_one_hot_errors():
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(hb.tensor([0, 3]), 3)
    with pytest.raises(RuntimeError, match="Class values must be non-negative."):
        F.one_hot(hb.tensor([0, -1]), 3)
    with pytest.raises(RuntimeError, match="only applicable to index tensor of type LongTensor"):
        F.one_hot(hb.tensor([0.0, 1.0]), 3)
    with pytest.raises(RuntimeError, match="only applicable to index tensor of type LongTensor"):
        F.one_hot(hb.tensor([1, 2], dtype=hb.int32), 3)
    with pytest.raises(RuntimeError, match="Can not infer total number of classes from empty tensor."):
        F.one_hot(hb.zeros(0, dtype=hb.int64))


def test_one_hot_matches_torch(rng):
    torch = pytest.importorskip("torch")
    idx = rng.integers(0, 6, (4, 5))
    np.testing.assert_array_equal(F.one_hot(hb.tensor(idx), 7).numpy(),
                                  torch.nn.functional.one_hot(torch.tensor(idx), 7).numpy())
