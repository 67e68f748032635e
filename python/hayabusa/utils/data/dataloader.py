"""DataLoader: batches from a dataset, in order or shuffled, collated into tensors."""
import collections.abc
import copy
import numbers
import re

import numpy as np

from ..._tensor import Tensor, _wrap
from .dataset import Subset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

_NOT_COLLATABLE = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
_STRING_OR_OBJECT = re.compile(r"[SaUO]")


def _numpy_to_tensor(array):
    from ..._factories import as_tensor
    return as_tensor(array)


def default_collate(batch):
    """Stacks a list of samples into a batch, as torch's default_collate: tensors and numpy arrays
    into one tensor (a new first dimension), numpy scalars and Python numbers into 1-D tensors
    (int64 for ints, float64 for floats, bool for bools), strings into a list, and dicts, tuples,
    lists and namedtuples element by element (a tuple of fields becomes a list of batches)."""
    from ... import _dtype, _factories
    from ...ops.shape import stack
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(list(batch), 0)
    if isinstance(first, np.ndarray):
        if _STRING_OR_OBJECT.search(first.dtype.str):
            raise TypeError(_NOT_COLLATABLE.format(first.dtype))
        for i, a in enumerate(batch):
            if a.shape != first.shape:
                raise RuntimeError("stack expects each tensor to be equal size, but got "
                                   f"{list(first.shape)} at entry 0 and {list(a.shape)} at entry {i}")
        return _numpy_to_tensor(np.stack(batch))
    if isinstance(first, (np.bool_, np.number)):
        return _numpy_to_tensor(np.array(batch))
    if isinstance(first, float):
        return _factories.tensor(batch, dtype=_dtype.float64)
    if isinstance(first, bool):
        return _factories.tensor(batch)
    if isinstance(first, int):
        return _factories.tensor(batch, dtype=_dtype.int64)
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in first}
        try:
            if isinstance(first, collections.abc.MutableMapping):
                clone = copy.copy(first)
                clone.update(collated)
                return clone
            return type(first)(collated)
        except TypeError:
            return collated
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(s) != len(first) for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(list(s)) for s in zip(*batch)]
        if isinstance(first, tuple):
            return columns
        try:
            if isinstance(first, collections.abc.MutableSequence):
                clone = copy.copy(first)
                for i, column in enumerate(columns):
                    clone[i] = column
                return clone
            return type(first)(columns)
        except TypeError:
            return columns
    raise TypeError(_NOT_COLLATABLE.format(type(first)))


def default_convert(data):
    """What a DataLoader with batch_size=None gives per sample: numpy arrays and scalars become
    tensors, containers are converted element by element, the rest is left as is."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _STRING_OR_OBJECT.search(data.dtype.str) else _numpy_to_tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return _numpy_to_tensor(np.asarray(data))
    if isinstance(data, (str, bytes)):
        return data
    if isinstance(data, collections.abc.Mapping):
        converted = {key: default_convert(data[key]) for key in data}
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update(converted)
                return clone
            return type(data)(converted)
        except TypeError:
            return converted
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence):
        converted = [default_convert(d) for d in data]
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(converted):
                    clone[i] = d
                return clone
            return type(data)(converted)
        except TypeError:
            return converted
    return data


def _tensor_rows(dataset):
    """(tensors, index map or None) when the dataset is a TensorDataset, or Subsets of one, whose
    samples are plain rows; None otherwise. A batch is then one fancy index per tensor."""
    index_map = None
    while type(dataset) is Subset:
        indices = dataset.indices
        indices = indices.numpy() if isinstance(indices, Tensor) else np.asarray(indices)
        if indices.dtype.kind not in "iu" or indices.ndim != 1:
            return None
        index_map = indices if index_map is None else indices[index_map]
        dataset = dataset.dataset
    if type(dataset) is not TensorDataset:
        return None
    return dataset.tensors, index_map


def _gather(tensors, rows):
    """Each tensor's rows (a slice or an index array) as a new tensor, never a view: a batch changed
    in place must not change the dataset."""
    out = []
    for t in tensors:
        if t.requires_grad:
            out.append(t[np.arange(rows.start, rows.stop) if isinstance(rows, slice) else rows])
        else:
            data = t._data[rows]
            out.append(_wrap(data.copy() if isinstance(rows, slice) else data))
    return out


class DataLoader:
    """Iterates over a dataset in batches.

    batch_size (None: one sample at a time, converted but not collated), shuffle (a new random order
    each epoch from ``generator``, or the global generator), sampler / batch_sampler (your own order),
    drop_last, collate_fn. ``len(loader)`` is the number of batches. num_workers, pin_memory,
    timeout, worker_init_fn, prefetch_factor and persistent_workers are checked as torch checks
    them, and loading happens in this process: the batches are the same, in the same order.

    Over in-memory tensors (a TensorDataset, or Subsets of one as random_split makes) with the
    default collate_fn, a batch is one fancy index per tensor instead of a stack of samples."""

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *, prefetch_factor=None,
                 persistent_workers=False, pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let "
                             "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, "
                                 "sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive "
                             "with drop_last")
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size, self.drop_last = batch_size, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.prefetch_factor = worker_init_fn, prefetch_factor
        self.persistent_workers, self.generator = persistent_workers, generator
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    def __iter__(self):
        if not self._auto_collation:
            for i in self.sampler:
                yield self.collate_fn(self.dataset[i])
            return
        rows = _tensor_rows(self.dataset) if self.collate_fn is default_collate else None
        if rows is not None:
            tensors, index_map = rows
            yield from self._tensor_batches(tensors, index_map)
            return
        fetch_many = getattr(self.dataset, "__getitems__", None)
        for batch in self.batch_sampler:
            samples = fetch_many(batch) if callable(fetch_many) else [self.dataset[i] for i in batch]
            yield self.collate_fn(samples)

    def _tensor_batches(self, tensors, index_map):
        sampler = self.batch_sampler.sampler if type(self.batch_sampler) is BatchSampler else None
        if sampler is not None and type(sampler) in (SequentialSampler, RandomSampler):
            # the epoch's order in one array, cut into batches: no per-sample Python work
            order = sampler._epoch_indices()
            if index_map is not None:
                order = index_map[order]
            size = self.batch_sampler.batch_size
            stop = len(order) - len(order) % size if self.batch_sampler.drop_last else len(order)
            if type(sampler) is SequentialSampler and index_map is None:
                for start in range(0, stop, size):
                    yield _gather(tensors, slice(start, min(start + size, stop)))
            else:
                for start in range(0, stop, size):
                    yield _gather(tensors, order[start:start + size])
            return
        for batch in self.batch_sampler:
            rows = np.asarray(batch, dtype=np.int64)
            yield _gather(tensors, rows if index_map is None else index_map[rows])

    def __len__(self):
        if self.batch_sampler is None:
            return len(self.sampler)
        return len(self.batch_sampler)
