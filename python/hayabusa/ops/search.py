"""Binary search in sorted boundaries: searchsorted and bucketize (int64 or int32 indices)."""
from __future__ import annotations

import numbers

from .._tensor import Tensor, _wrap


def _values(values, like):
    """The searched values as an array, and whether they were a Python number."""
    if isinstance(values, Tensor):
        return values._data, False
    if isinstance(values, numbers.Number):
        return like._backend.asarray(values), True
    raise TypeError(f"expected a Tensor or a number for the values, got {type(values).__name__}")


def _side(side, right):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got "
                               f"{side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        return side
    return "right" if right else "left"


def searchsorted(sorted_sequence: Tensor, input: Tensor | int | float, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None,
                 sorter: Tensor | None = None) -> Tensor:
    """For each value, the index at which inserting it would keep ``sorted_sequence`` sorted.

    That is the first position ``p`` with ``value <= seq[p]`` (``side='left'``), or with
    ``value < seq[p]`` (``side='right'`` or ``right=True``); ``len(seq)`` past the end. A 1-D
    sequence is searched for every value; an N-D one searches each row of values in the
    sequence row with the same leading indices. No gradient.

    Args:
        sorted_sequence (Tensor): ascending along its last dim (or made so by ``sorter``).
        input (Tensor or Number): the values; a number gives a 0-d result.
        out_int32 (bool, optional, keyword-only): int32 indices instead of int64. Default:
            ``False``.
        right (bool, optional, keyword-only): search from the right (``side='right'``).
            Default: ``False``.
        side (str, optional, keyword-only): ``'left'`` or ``'right'``. Default: ``None``.
        sorter (Tensor, optional, keyword-only): the indices that sort ``sorted_sequence``
            along its last dim (what ``argsort`` gives). Default: ``None``.

    Returns:
        Tensor: int64 (or int32) indices, of ``input``'s shape.

    Example::

        >>> seq = torch.tensor([1, 3, 5, 7])
        >>> torch.searchsorted(seq, torch.tensor([3, 6, 9]))
        tensor([1, 3, 4])
        >>> torch.searchsorted(seq, torch.tensor([3, 6, 9]), right=True)
        tensor([2, 3, 4])
    """
    side = _side(side, right)
    seq = sorted_sequence
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    values, scalar = _values(input, seq)
    be = seq._backend
    boundaries = seq._data
    if sorter is not None:
        if sorter.shape != seq.shape:
            raise RuntimeError(f"torch.searchsorted(): boundary and sorter must have the same "
                               f"size, but got boundary tensor {list(seq.shape)} and got sorter "
                               f"tensor {list(sorter.shape)}")
        boundaries = be.take_along_axis(boundaries, sorter._data, axis=-1)
    if seq.ndim == 1:
        out = be.asarray(be.searchsorted(boundaries, values, side=side))
    else:
        if values.ndim != seq.ndim or values.shape[:-1] != seq.shape[:-1]:
            raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or "
                               f"the first N-1 dimensions of boundaries tensor and input value "
                               f"tensor must match, but we got boundaries tensor "
                               f"{list(seq.shape)} and input value tensor "
                               f"{list(values.shape)}")
        out = be.searchsorted_rows(boundaries.reshape(-1, seq.shape[-1]),
                                   values.reshape(-1, values.shape[-1]),
                                   side).reshape(values.shape)
    out = out.astype("int32" if out_int32 else "int64", copy=False)
    return _wrap(out.reshape(()) if scalar else out)


def bucketize(input: Tensor | int | float, boundaries: Tensor, *, out_int32: bool = False,
              right: bool = False) -> Tensor:
    """The bucket of each value of ``input`` among the sorted ``boundaries``: the ``i`` with
    ``boundaries[i-1] < x <= boundaries[i]`` (with ``right``, ``boundaries[i-1] <= x <
    boundaries[i]``).

    :func:`searchsorted` with the arguments the other way round. No gradient.

    Args:
        input (Tensor or Number): the values.
        boundaries (Tensor): 1-D, ascending.
        out_int32 (bool, optional, keyword-only): int32 indices instead of int64. Default:
            ``False``.
        right (bool, optional, keyword-only): close the buckets on the left instead. Default:
            ``False``.

    Returns:
        Tensor: int64 (or int32) bucket indices in ``[0, len(boundaries)]``, of ``input``'s
        shape.

    Example::

        >>> torch.bucketize(torch.tensor([0, 3, 6, 9]), torch.tensor([1, 3, 5, 7]))
        tensor([0, 1, 3, 4])
    """
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
