"""utils.data: datasets, samplers, DataLoader batching, shuffling, dropping, collation, errors."""
import collections

import numpy as np
import pytest

import hayabusa as hb
from hayabusa.utils.data import (
    BatchSampler, ConcatDataset, DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, SubsetRandomSampler,
    TensorDataset, default_collate, default_convert, random_split,
)


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


# --- default_collate / default_convert, as torch's (values recorded from torch 2.13) ---

def describe(x):
    """A comparable summary: tensors as (dtype, shape, values), containers recursively."""
    if hasattr(x, "dtype") and hasattr(x, "tolist") and not isinstance(x, np.ndarray):
        return ("tensor", str(x.dtype).split(".")[-1], tuple(x.shape), x.tolist())
    if isinstance(x, dict):
        return (type(x).__name__, {k: describe(v) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [describe(v) for v in x])
    return (type(x).__name__, x)


Point = collections.namedtuple("Point", "x y")
COLLATE_CASES = {
    "ints": ([1, 2, 3], ("tensor", "int64", (3,), [1, 2, 3])),
    "floats": ([1.5, 2.0], ("tensor", "float64", (2,), [1.5, 2.0])),
    "bools": ([True, False], ("tensor", "bool", (2,), [True, False])),
    "numpy float32 scalars": ([np.float32(1), np.float32(2)], ("tensor", "float32", (2,), [1.0, 2.0])),
    "numpy int32 scalars": ([np.int32(1), np.int32(2)], ("tensor", "int32", (2,), [1, 2])),
    "numpy bool scalars": ([np.bool_(True), np.bool_(False)], ("tensor", "bool", (2,), [True, False])),
    "numpy arrays": ([np.ones(2, np.float32), np.zeros(2, np.float32)],
                     ("tensor", "float32", (2, 2), [[1.0, 1.0], [0.0, 0.0]])),
    "strings": (["a", "b"], ("list", [("str", "a"), ("str", "b")])),
    "tuples": ([(1, 2.0), (3, 4.0)], ("list", [("tensor", "int64", (2,), [1, 3]),
                                               ("tensor", "float64", (2,), [2.0, 4.0])])),
    "lists": ([[1, 2], [3, 4]], ("list", [("tensor", "int64", (2,), [1, 3]), ("tensor", "int64", (2,), [2, 4])])),
    "dicts": ([{"a": 1, "b": np.ones(2)}, {"a": 2, "b": np.zeros(2)}],
              ("dict", {"a": ("tensor", "int64", (2,), [1, 2]),
                        "b": ("tensor", "float64", (2, 2), [[1.0, 1.0], [0.0, 0.0]])})),
    "ordered dicts": ([collections.OrderedDict(a=1), collections.OrderedDict(a=2)],
                      ("OrderedDict", {"a": ("tensor", "int64", (2,), [1, 2])})),
    "namedtuples": ([Point(1, 2.0), Point(3, 4.0)], ("Point", [("tensor", "int64", (2,), [1, 3]),
                                                               ("tensor", "float64", (2,), [2.0, 4.0])])),
    "nested": ([{"a": (1, [np.float32(2)])}, {"a": (3, [np.float32(4)])}],
               ("dict", {"a": ("list", [("tensor", "int64", (2,), [1, 3]),
                                        ("list", [("tensor", "float32", (2,), [2.0, 4.0])])])})),
}


@pytest.mark.parametrize("name", list(COLLATE_CASES))
def test_default_collate_as_torch(name):
    batch, want = COLLATE_CASES[name]
    assert describe(default_collate(batch)) == want


@pytest.mark.parametrize("name", list(COLLATE_CASES))
def test_default_collate_matches_torch_itself(name):
    torch = pytest.importorskip("torch")
    batch, _ = COLLATE_CASES[name]
    assert describe(default_collate(batch)) == describe(torch.utils.data.default_collate(batch))


@pytest.mark.parametrize("batch, error, message", [
    ([[1, 2], [3]], RuntimeError, "each element in list of batch should be of equal size"),
    ([np.array(["a"], dtype=object)], TypeError, "found object"),
    ([np.ones(2), np.ones(3)], RuntimeError, "stack expects each tensor to be equal size, but got \\[2\\] at entry 0 "
                                             "and \\[3\\] at entry 1"),
    ([None, None], TypeError, "found <class 'NoneType'>"),
    ([{1}, {2}], TypeError, "found <class 'set'>"),
])
def test_default_collate_errors(batch, error, message):
    with pytest.raises(error, match=message):
        default_collate(batch)


def test_batch_size_none_converts_without_collating():
    class Rows(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return {"x": np.full(2, i, np.float32), "y": np.int64(i), "name": f"row{i}", "pair": (i, [i])}

    items = list(DataLoader(Rows(), batch_size=None))
    assert len(items) == 3 and len(DataLoader(Rows(), batch_size=None)) == 3
    assert describe(items[2]) == ("dict", {"x": ("tensor", "float32", (2,), [2.0, 2.0]),
                                           "y": ("tensor", "int64", (), 2), "name": ("str", "row2"),
                                           "pair": ("list", [("int", 2), ("list", [("int", 2)])])})
    assert default_convert(np.array(["a"])).dtype.kind == "U"      # strings stay numpy


# --- DataLoader ---

def tensors(n=10):
    return hb.arange(n * 2.0).reshape(n, 2), hb.arange(n)


def batches(loader):
    return [[t.tolist() for t in b] for b in loader]


def slow(batch):
    return default_collate(batch)


@pytest.mark.parametrize("make", [
    lambda ds: DataLoader(ds, batch_size=3),
    lambda ds: DataLoader(ds, batch_size=4, drop_last=True),
    lambda ds: DataLoader(ds, batch_size=3, shuffle=True, generator=hb.Generator().manual_seed(1)),
    lambda ds: DataLoader(ds, batch_size=3, shuffle=True, drop_last=True, generator=hb.Generator().manual_seed(1)),
    lambda ds: DataLoader(ds, batch_size=2, sampler=SubsetRandomSampler([1, 5, 7], hb.Generator().manual_seed(2))),
    lambda ds: DataLoader(ds, batch_size=2, sampler=RandomSampler(ds, replacement=True, num_samples=7,
                                                                  generator=hb.Generator().manual_seed(3))),
    lambda ds: DataLoader(ds, batch_sampler=[[0, 2], [5, 1, 3]]),
])
@pytest.mark.parametrize("dataset", ["tensors", "subset", "random_split"])
def test_fast_tensor_batches_equal_collated_samples(make, dataset):
    """Batches taken by indexing the tensors equal the ones collate_fn builds sample by sample."""
    base = TensorDataset(*tensors(12))
    if dataset == "subset":
        base = Subset(Subset(base, list(range(11, -1, -1))), [0, 2, 3, 5, 6, 7, 8, 9, 10, 11])
    elif dataset == "random_split":
        base = random_split(base, [10, 2], generator=hb.Generator().manual_seed(0))[0]
    fast = make(base)
    reference = make(base)
    reference.collate_fn = slow
    got = batches(fast)
    assert got == batches(reference) and got
    assert len(fast) == len(got)


def test_batches_are_copies_and_keep_gradients():
    x, y = tensors(6)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    xb, _ = next(iter(loader))
    xb.add_(100)
    assert x[0].tolist() == [0.0, 1.0]
    w = hb.ones(6, 2, requires_grad=True)
    (wb,) = next(iter(DataLoader(TensorDataset(w), batch_size=3, shuffle=True)))
    wb.sum().backward()
    assert w.grad.sum().item() == 6.0


def test_shuffle_draws_a_new_order_each_epoch_and_the_global_seed_repeats_it():
    loader = DataLoader(TensorDataset(hb.arange(50)), batch_size=50, shuffle=True)
    first, second = [b[0].tolist() for b in loader], [b[0].tolist() for b in loader]
    assert first != second and sorted(first[0]) == list(range(50))
    hb.manual_seed(0)
    again = [b[0].tolist() for b in loader]
    assert again == first


def test_lengths_and_samplers():
    ds = TensorDataset(hb.arange(10))
    assert len(DataLoader(ds)) == 10
    assert len(DataLoader(ds, batch_size=3)) == 4 and len(DataLoader(ds, batch_size=3, drop_last=True)) == 3
    assert len(DataLoader(ds, batch_size=4, sampler=SubsetRandomSampler([0, 1, 2]))) == 1
    assert len(DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 4, False))) == 3
    assert len(RandomSampler(ds, num_samples=25)) == 25
    order = list(RandomSampler(ds, num_samples=25, generator=hb.Generator().manual_seed(0)))
    assert len(order) == 25 and sorted(order[:10]) == list(range(10)) and sorted(order[10:20]) == list(range(10))
    drawn = list(RandomSampler(ds, replacement=True, num_samples=40, generator=hb.Generator().manual_seed(0)))
    assert len(drawn) == 40 and all(0 <= i < 10 for i in drawn) and len(set(drawn)) < 10 + 1
    assert sorted(SubsetRandomSampler([7, 3, 5])) == [3, 5, 7]
    assert list(BatchSampler(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]


def test_num_workers_loads_in_process_with_the_same_batches():
    ds = TensorDataset(*tensors(9))
    g = lambda: hb.Generator().manual_seed(4)  # noqa: E731
    assert batches(DataLoader(ds, batch_size=2, shuffle=True, generator=g(), num_workers=2,
                              persistent_workers=True, pin_memory=True)) == \
        batches(DataLoader(ds, batch_size=2, shuffle=True, generator=g()))


def test_custom_dataset_with_getitems():
    class Batched(Dataset):
        calls = 0

        def __len__(self):
            return 5

        def __getitems__(self, indices):
            Batched.calls += 1
            return [(np.float32(i), i) for i in indices]

    out = list(DataLoader(Batched(), batch_size=2))
    assert Batched.calls == 3 and out[2][0].tolist() == [4.0] and out[0][1].dtype is hb.int64
    sub = Subset(Batched(), [4, 0])
    assert [b[1].tolist() for b in DataLoader(sub, batch_size=2)] == [[4, 0]]


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(batch_sampler=[[0]], batch_size=2), ValueError, "batch_sampler option is mutually exclusive with "
                                                           "batch_size, shuffle, sampler, and drop_last"),
    (dict(batch_sampler=[[0]], shuffle=True), ValueError, "batch_sampler option is mutually exclusive"),
    (dict(batch_size=None, drop_last=True), ValueError, "batch_size=None option disables auto-batching and is "
                                                        "mutually exclusive with drop_last"),
    (dict(num_workers=-1), ValueError, "num_workers option should be non-negative; use num_workers=0 to disable "
                                       "multiprocessing."),
    (dict(timeout=-1), ValueError, "timeout option should be non-negative"),
    (dict(persistent_workers=True), ValueError, "persistent_workers option needs num_workers > 0"),
    (dict(prefetch_factor=2), ValueError, "prefetch_factor option could only be specified in multiprocessing"),
    (dict(batch_size=2.5), ValueError, "batch_size should be a positive integer value, but got batch_size=2.5"),
    (dict(batch_size=2, drop_last=1), ValueError, "drop_last should be a boolean value, but got drop_last=1"),
])
def test_dataloader_errors_as_torch(kwargs, error, message):
    ds = TensorDataset(hb.ones(3))
    with pytest.raises(error, match=message):
        DataLoader(ds, **kwargs)


def test_dataloader_errors_match_torch_itself():
    torch = pytest.importorskip("torch")
    for kwargs in [dict(batch_sampler=[[0]], batch_size=2), dict(batch_size=None, drop_last=True),
                   dict(num_workers=-1), dict(timeout=-1), dict(persistent_workers=True), dict(prefetch_factor=2),
                   dict(batch_size=0), dict(sampler=[0], shuffle=True)]:
        with pytest.raises(ValueError) as expected:
            torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(3)), **kwargs)
        with pytest.raises(ValueError) as got:
            DataLoader(TensorDataset(hb.ones(3)), **kwargs)
        assert str(got.value) == str(expected.value)


def test_sampler_errors_as_torch():
    ds = TensorDataset(hb.ones(3))
    with pytest.raises(TypeError, match="replacement should be a boolean value, but got replacement=1"):
        RandomSampler(ds, replacement=1)
    with pytest.raises(ValueError, match="num_samples should be a positive integer value, but got num_samples=0"):
        RandomSampler(ds, num_samples=0)


# --- datasets ---

def test_random_split_as_torch():
    ds = TensorDataset(hb.arange(11))
    parts = random_split(ds, [0.5, 0.5], generator=hb.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [6, 5]          # the remainder goes round-robin, as torch
    assert sorted(parts[0].indices + parts[1].indices) == list(range(11))
    again = random_split(ds, [0.5, 0.5], generator=hb.Generator().manual_seed(0))
    assert again[0].indices == parts[0].indices
    assert [len(p) for p in random_split(TensorDataset(hb.arange(10)), [0.3, 0.3, 0.4])] == [3, 3, 4]
    assert [len(p) for p in random_split(ds, [3, 8])] == [3, 8]
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length of the input dataset!"):
        random_split(ds, [3, 3])
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        random_split(ds, [1.5, -0.5])
    with pytest.warns(UserWarning) as record:
        random_split(TensorDataset(hb.arange(2)), [0.9, 0.05, 0.05])
    assert [str(w.message) for w in record] == [
        f"Length of split at index {i} is 0. This might result in an empty dataset." for i in (1, 2)]


def test_random_split_lengths_match_torch():
    torch = pytest.importorskip("torch")
    for n, lengths in [(11, [0.5, 0.5]), (10, [0.3, 0.3, 0.4]), (7, [0.1, 0.2, 0.7]), (100, [0.8, 0.1, 0.1])]:
        ours = random_split(TensorDataset(hb.arange(n)), lengths)
        theirs = torch.utils.data.random_split(torch.utils.data.TensorDataset(torch.arange(n)), lengths)
        assert [len(p) for p in ours] == [len(p) for p in theirs]


def test_subset_concat_and_dataset_errors():
    a, b = TensorDataset(hb.arange(3)), TensorDataset(hb.arange(10, 14))
    both = a + b
    assert isinstance(both, ConcatDataset) and len(both) == 7
    assert both[3][0].item() == 10 and both[-1][0].item() == 13 and both.cumulative_sizes == [3, 7]
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        both[-8]
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        ConcatDataset([])
    sub = Subset(b, [3, 1])
    assert len(sub) == 2 and sub[0][0].item() == 13 and sub[[0, 1]][0].tolist() == [13, 11]
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement __getitem__."):
        Dataset()[0]
    with pytest.raises(IndexError):
        TensorDataset(hb.tensor(1.0))
