"""DataLoader: batches from a dataset, in order or shuffled, collated into tensors."""
import numbers

import numpy as np

from ..._tensor import Tensor
from .dataset import TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler


def default_collate(batch):
    """Stack a list of samples: tensors, numpy arrays and numbers into tensors; recurse into tuples and dicts."""
    from ... import _dtype, _factories
    from ...ops.shape import stack
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(list(batch), 0)
    if isinstance(first, np.ndarray):
        return _factories.as_tensor(np.stack(batch))
    if isinstance(first, bool):
        return _factories.tensor(batch)
    if isinstance(first, numbers.Integral):
        return _factories.tensor(batch, dtype=_dtype.int64)
    if isinstance(first, numbers.Real):
        return _factories.tensor(batch, dtype=_dtype.float64)
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, dict):
        return {k: default_collate([d[k] for d in batch]) for k in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(default_collate(list(s)) for s in zip(*batch)))
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(s)) for s in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                    f"or lists; found {type(first)}")


class DataLoader:
    """Iterates over a dataset in batches (``batch_size``, ``shuffle``, ``drop_last``, ``sampler``)."""

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, generator=None, prefetch_factor=None,
                 persistent_workers=False):
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
            raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, "
                             "sampler, and drop_last")
        self.dataset = dataset
        self.batch_size = batch_size if batch_sampler is None else None
        self.drop_last = drop_last
        self.num_workers = num_workers
        self.generator = generator
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        self.sampler = sampler
        if batch_sampler is None and batch_size is not None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_sampler = batch_sampler
        self.collate_fn = collate_fn or (default_collate if batch_sampler is not None else (lambda x: x))
        # in-memory tensors batch by fancy indexing: one gather per tensor instead of a stack
        self._index_directly = (isinstance(dataset, TensorDataset) and collate_fn is None
                                and batch_sampler is not None)

    def __iter__(self):
        if self.batch_sampler is None:
            for i in self.sampler:
                yield self.collate_fn(self.dataset[i])
            return
        if self._index_directly:
            tensors = self.dataset.tensors
            for batch in self.batch_sampler:
                idx = np.asarray(batch, dtype=np.int64)
                yield [Tensor._from_data(t._data[idx]) if not t.requires_grad else t[idx]
                       for t in tensors]
            return
        for batch in self.batch_sampler:
            yield self.collate_fn([self.dataset[i] for i in batch])

    def __len__(self):
        if self.batch_sampler is None:
            return len(self.sampler)
        return len(self.batch_sampler)
