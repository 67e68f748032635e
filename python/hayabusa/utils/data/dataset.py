"""Datasets: Dataset, TensorDataset, Subset, ConcatDataset, random_split."""
from __future__ import annotations

import bisect
import math
import warnings
from typing import TYPE_CHECKING

from ..._tensor import Tensor

if TYPE_CHECKING:
    from typing import Iterable, Sequence

    from ..._random import Generator


class Dataset:
    """A map-style dataset, as ``torch.utils.data.Dataset``: subclasses define
    ``__getitem__(index)`` (one sample) and ``__len__``.

    A subclass may also define ``__getitems__(indices)`` to return a whole batch of samples at
    once; the DataLoader then uses it. ``a + b`` concatenates two datasets.

    Example::

        >>> from hayabusa.utils.data import DataLoader, Dataset
        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 4
        ...
        ...     def __getitem__(self, i):
        ...         return torch.tensor([float(i)]), i * i
        >>> for x, y in DataLoader(Squares(), batch_size=2):
        ...     print(x.shape, y)
        hayabusa.Size([2, 1]) tensor([0, 1])
        hayabusa.Size([2, 1]) tensor([4, 9])
    """

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """A dataset of tensors of one first size: sample ``i`` is ``tuple(t[i] for t in tensors)``.

    Over a TensorDataset (or Subsets of one), the DataLoader with the default collation gathers
    each batch with one indexing operation per tensor instead of stacking samples one by one.

    Args:
        *tensors (Tensor): at least one, all of the same first size.

    Example::

        >>> from hayabusa.utils.data import TensorDataset
        >>> x, y = torch.arange(10.).reshape(5, 2), torch.arange(5)
        >>> ds = TensorDataset(x, y)
        >>> len(ds), ds[1]
        (5, (tensor([2., 3.]), tensor(1)))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise IndexError("TensorDataset needs at least one tensor")
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset takes tensors, got {type(t).__name__}")
            if t.ndim == 0:
                raise IndexError("dimension specified as 0 but tensor has no dimensions")
        if any(t.shape[0] != tensors[0].shape[0] for t in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order (what :func:`random_split` returns).

    Args:
        dataset (Dataset): the whole dataset.
        indices (sequence of ints): the indices of the samples to keep.

    Example::

        >>> from hayabusa.utils.data import Subset, TensorDataset
        >>> ds = TensorDataset(torch.arange(5))
        >>> sub = Subset(ds, [4, 0])
        >>> len(sub), sub[0]
        (2, (tensor(4),))
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        """A batch of samples (the DataLoader's fetch): the dataset's own __getitems__ if it has one."""
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Datasets one after another, as one dataset.

    Args:
        datasets (iterable of Datasets): at least one, each with a length.

    Example::

        >>> from hayabusa.utils.data import ConcatDataset, TensorDataset
        >>> ds = TensorDataset(torch.arange(5))
        >>> both = ConcatDataset([ds, ds])
        >>> len(both), both[7]
        (10, (tensor(2),))
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        self.cumulative_sizes = []
        total = 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx += len(self)
        d = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[d - 1] if d else 0
        return self.datasets[d][idx - start]


def random_split(dataset: Dataset, lengths: Sequence[int | float],
                 generator: Generator | None = None) -> list[Subset]:
    """Splits ``dataset`` at random into non-overlapping :class:`Subset` s of the given lengths.

    ``lengths`` are counts summing to ``len(dataset)``, or fractions summing to 1 (each
    ``floor(n * fraction)``, the remainder dealt one by one from the first), as PyTorch.

    Args:
        dataset (Dataset): the dataset.
        lengths (sequence of ints or floats): the sizes or fractions of the splits.
        generator (hayabusa.Generator, optional): the generator for the permutation. Default:
            the global one.

    Example::

        >>> from hayabusa.utils.data import TensorDataset, random_split
        >>> ds = TensorDataset(torch.arange(10))
        >>> train, val = random_split(ds, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
        >>> len(train), len(val)
        (8, 2)
    """
    from ..._factories import randperm
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            counts.append(int(math.floor(n * frac)))
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
        for i, length in enumerate(lengths):
            if length == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=2)
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    perm = randperm(sum(lengths), generator=generator).tolist()
    out, start = [], 0
    for length in lengths:
        out.append(Subset(dataset, perm[start:start + length]))
        start += length
    return out
