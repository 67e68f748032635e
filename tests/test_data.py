"""utils.data: TensorDataset and DataLoader batching, shuffling, dropping, collation."""
import numpy as np
import pytest

import hayabusa as hb
from hayabusa.utils.data import DataLoader, Dataset, TensorDataset, default_collate


def test_tensor_dataset_and_sequential_batches():
    x = hb.arange(10).float().reshape(10, 1)
    y = hb.arange(10)
    ds = TensorDataset(x, y)
    assert len(ds) == 10 and ds[3][1].item() == 3
    batches = list(DataLoader(ds, batch_size=4))
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0][0].shape == (4, 1) and batches[0][1].dtype is hb.int64
    assert len(DataLoader(ds, batch_size=4)) == 3
    assert len(DataLoader(ds, batch_size=4, drop_last=True)) == 2
    assert [b[1].tolist() for b in DataLoader(ds, batch_size=4, drop_last=True)][-1] == [4, 5, 6, 7]
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(x, hb.arange(3))


def test_shuffle_is_a_permutation_and_seedable():
    ds = TensorDataset(hb.arange(20))
    order = [int(v) for (b,) in DataLoader(ds, batch_size=3, shuffle=True) for v in b]
    assert sorted(order) == list(range(20)) and order != list(range(20))
    g1, g2 = hb.Generator().manual_seed(7), hb.Generator().manual_seed(7)
    a = [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True, generator=g1)]
    b = [b[0].tolist() for b in DataLoader(ds, batch_size=5, shuffle=True, generator=g2)]
    assert a == b


def test_custom_dataset_and_default_collate():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"x": np.array([i, i * i], np.float32), "y": i, "w": 0.5}

    (batch,) = list(DataLoader(Squares(), batch_size=5))
    assert batch["x"].shape == (5, 2) and batch["x"].dtype is hb.float32
    assert batch["y"].tolist() == [0, 1, 2, 3, 4] and batch["y"].dtype is hb.int64
    assert batch["w"].dtype is hb.float64
    out = default_collate([(hb.ones(2), 1), (hb.zeros(2), 2)])
    assert out[0].shape == (2, 2) and out[1].tolist() == [1, 2]


def test_batch_size_validation():
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        DataLoader(TensorDataset(hb.ones(3)), batch_size=0)
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(TensorDataset(hb.ones(3)), sampler=[0, 1], shuffle=True)
