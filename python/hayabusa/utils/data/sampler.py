"""Samplers: the order in which a DataLoader visits a dataset.

The built-in samplers also give a whole epoch's order as one numpy array (``_epoch_indices``), which
the DataLoader slices into batches when the dataset is in-memory tensors, instead of collecting
indices one by one.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from typing import Iterable, Sequence, Sized

    from ..._random import Generator


class Sampler:
    """Base class of samplers: iterables over dataset indices that a DataLoader visits in order.

    Subclasses define ``__iter__`` (and usually ``__len__``).
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """The indices ``0, 1, ..., len(data_source) - 1``, in order.

    Args:
        data_source (Dataset): the dataset (anything with a length).

    Example::

        >>> from hayabusa.utils.data import SequentialSampler
        >>> list(SequentialSampler(range(3)))
        [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def _epoch_indices(self):
        return np.arange(len(self.data_source), dtype=np.int64)

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


def _permutation(n, generator):
    from ..._factories import randperm
    return randperm(n, generator=generator).numpy()


class RandomSampler(Sampler):
    """The indices in a new random order each epoch: a permutation (repeated if ``num_samples``
    exceeds the length), or ``num_samples`` draws with replacement.

    Args:
        data_source (Dataset): the dataset.
        replacement (bool, optional): draw with replacement. Default: ``False``.
        num_samples (int, optional): how many indices per epoch. Default: ``len(data_source)``.
        generator (hayabusa.Generator, optional): the generator for the order. Default: the
            global one.

    Example::

        >>> from hayabusa.utils.data import RandomSampler
        >>> sorted(RandomSampler(range(4)))
        [0, 1, 2, 3]
        >>> len(RandomSampler(range(4), replacement=True, num_samples=10))
        10
    """

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator: Generator | None = None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or isinstance(self.num_samples, bool) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        """The number of indices per epoch."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _epoch_indices(self):
        from ..._factories import randint
        n, count = len(self.data_source), self.num_samples
        if self.replacement:
            return randint(0, n, (count,), generator=self.generator).numpy()
        parts = [_permutation(n, self.generator) for _ in range(count // n)]
        if count % n:
            parts.append(_permutation(n, self.generator)[:count % n])
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def __iter__(self):
        return iter(self._epoch_indices().tolist())

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices, in a new random order each epoch.

    Args:
        indices (sequence of ints): the indices.
        generator (hayabusa.Generator, optional): the generator for the order. Default: the
            global one.

    Example::

        >>> from hayabusa.utils.data import SubsetRandomSampler
        >>> sorted(SubsetRandomSampler([1, 3, 5]))
        [1, 3, 5]
    """

    def __init__(self, indices: Sequence[int], generator: Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator

    def _epoch_indices(self):
        return np.asarray(self.indices, dtype=np.int64)[_permutation(len(self.indices), self.generator)]

    def __iter__(self):
        for i in _permutation(len(self.indices), self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class BatchSampler(Sampler):
    """Groups another sampler's indices into lists of ``batch_size``.

    Args:
        sampler (Sampler or iterable): the indices.
        batch_size (int): the size of a batch.
        drop_last (bool): drop the last batch if it is smaller.

    Example::

        >>> from hayabusa.utils.data import BatchSampler, SequentialSampler
        >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
        [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        batch = []
        for i in self.sampler:
            batch.append(i)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
