"""DataLoader: batches from a dataset, in order or shuffled, collated into tensors."""
from __future__ import annotations

import collections.abc
import copy
import numbers
import re
from typing import TYPE_CHECKING

import numpy as np

from ..._tensor import Tensor, _wrap
from .dataset import Subset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Sequence

    from ..._random import Generator
    from .dataset import Dataset
    from .sampler import Sampler

_NOT_COLLATABLE = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
_STRING_OR_OBJECT = re.compile(r"[SaUO]")


def _numpy_to_tensor(array):
    from ..._factories import as_tensor
    return as_tensor(array)


def default_collate(batch: Sequence[Any]) -> Any:
    """Merges a list of samples into a batch, as ``torch.utils.data.default_collate``.

    Tensors and numpy arrays are stacked into one tensor with a new first dimension; Python
    ints become an int64 tensor, floats a float64 tensor, bools a bool tensor, numpy scalars a
    tensor of their dtype; strings stay a list; dicts, tuples, lists and namedtuples are
    collated field by field (a tuple of fields becomes a list of batches).

    Args:
        batch (list): the samples.

    Example::

        >>> from hayabusa.utils.data import default_collate
        >>> default_collate([(1, 2.0), (3, 4.0)])
        [tensor([1, 3]), tensor([2., 4.], dtype=hayabusa.float64)]
        >>> default_collate([{"x": torch.tensor([1., 2.])}, {"x": torch.tensor([3., 4.])}])
        {'x': tensor([[1., 2.],
                [3., 4.]])}
    """
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


def default_convert(data: Any) -> Any:
    """Converts one sample the way a DataLoader with ``batch_size=None`` does, without batching.

    numpy arrays and scalars become tensors (sharing memory where possible), containers are
    converted element by element (tuples become lists, as PyTorch), the rest is left as is.

    Example::

        >>> from hayabusa.utils.data import default_convert
        >>> import numpy as np
        >>> default_convert(np.array([1, 2]))
        tensor([1, 2])
    """
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
    """Iterates over a dataset in batches, as ``torch.utils.data.DataLoader``.

    Each batch is ``collate_fn`` of ``batch_size`` samples (default: :func:`default_collate`,
    which stacks them into tensors). ``shuffle=True`` visits the samples in a new random order
    each epoch, drawn from ``generator`` (or the global generator). ``len(loader)`` is the
    number of batches.

    Loading happens in the calling process: ``num_workers``, ``pin_memory``, ``timeout``,
    ``worker_init_fn``, ``prefetch_factor`` and ``persistent_workers`` are checked as PyTorch
    checks them but start no workers (the batches are the same, in the same order). Over
    in-memory tensors (a :class:`TensorDataset`, or Subsets of one, as :func:`random_split`
    makes) with the default collation, a batch is one indexing operation per tensor.

    Args:
        dataset (Dataset): the samples.
        batch_size (int, optional): samples per batch; ``None`` yields single samples,
            converted by :func:`default_convert` but not batched. Default: ``1``.
        shuffle (bool, optional): reshuffle every epoch. Default: ``False``.
        sampler (Sampler or iterable, optional): the order of the indices (exclusive with
            ``shuffle``).
        batch_sampler (Sampler or iterable, optional): yields lists of indices, one per batch
            (exclusive with ``batch_size``, ``shuffle``, ``sampler`` and ``drop_last``).
        num_workers (int, optional): accepted and checked; loading is in-process. Default: ``0``.
        collate_fn (callable, optional): merges a list of samples into a batch.
        pin_memory (bool, optional): accepted; no effect on the CPU. Default: ``False``.
        drop_last (bool, optional): drop the last batch if it is smaller. Default: ``False``.
        timeout, worker_init_fn, multiprocessing_context, prefetch_factor, persistent_workers,
            pin_memory_device, in_order: accepted for PyTorch's signature.
        generator (hayabusa.Generator, optional): the generator for ``shuffle``.

    Example::

        >>> from hayabusa.utils.data import DataLoader, TensorDataset
        >>> x, y = torch.arange(10.).reshape(5, 2), torch.arange(5)
        >>> loader = DataLoader(TensorDataset(x, y), batch_size=2)
        >>> len(loader)
        3
        >>> [yb.tolist() for xb, yb in loader]
        [[0, 1], [2, 3], [4]]
        >>> loader = DataLoader(TensorDataset(x, y), batch_size=2, shuffle=True,
        ...                     generator=torch.Generator().manual_seed(0))
        >>> sorted(v for xb, yb in loader for v in yb.tolist())
        [0, 1, 2, 3, 4]
    """

    def __init__(self, dataset: Dataset | Any, batch_size: int | None = 1,
                 shuffle: bool | None = None, sampler: Sampler | Iterable[int] | None = None,
                 batch_sampler: Sampler | Iterable[list[int]] | None = None, num_workers: int = 0,
                 collate_fn: Callable[[list[Any]], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None, generator: Generator | None = None, *,
                 prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True) -> None:
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
