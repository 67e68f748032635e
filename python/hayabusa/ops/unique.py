"""Distinct values and their counts: unique and bincount (no gradients, as PyTorch)."""
from __future__ import annotations

from .. import _dtype
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ._util import normalize_dim


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False,
           dim: int | None = None) -> Tensor | tuple[Tensor, ...]:
    """The distinct values of ``input``, in ascending order (or its distinct slices along
    ``dim``).

    On request it also returns where each entry went (``inverse``: ``values[inverse]`` rebuilds
    ``input``) and how often each value occurs (``counts``). NaNs are all distinct, as PyTorch.
    The result is always sorted (``sorted=False`` is accepted). No gradient.

    Args:
        input (Tensor): the source (flattened unless ``dim`` is given).
        sorted (bool, optional): accepted; the values are sorted either way. Default: ``True``.
        return_inverse (bool, optional): also return the index of each entry's value. Default:
            ``False``.
        return_counts (bool, optional): also return the count of each value. Default:
            ``False``.
        dim (int, optional): find distinct slices along this dim. Default: ``None``.

    Returns:
        Tensor, or a tuple ``(values, inverse, counts)`` of the ones asked for (``inverse``
        of ``input``'s shape, or of ``size(dim)`` with ``dim``; int64 both).

    Example::

        >>> torch.unique(torch.tensor([3, 1, 3, 2, 1]))
        tensor([1, 2, 3])
        >>> torch.unique(torch.tensor([3, 1, 3, 2, 1]), return_inverse=True, return_counts=True)
        (tensor([1, 2, 3]), tensor([2, 0, 2, 1, 0]), tensor([2, 1, 2]))
        >>> torch.unique(torch.tensor([[1, 2], [3, 4], [1, 2]]), dim=0)
        tensor([[1, 2],
                [3, 4]])
    """
    be = input._backend
    if dim is None:
        values, inverse, counts = be.unique(input._data.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        inverse = inverse.reshape(input.shape)
    else:
        d = normalize_dim(dim, input.ndim)
        if input.ndim == 0:
            raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but "
                             f"got {dim})")
        values, inverse, counts = be.unique(input._data, return_inverse=True,
                                            return_counts=True, axis=d, equal_nan=False)
        inverse = inverse.reshape(-1)
    out = [_wrap(be.ascontiguousarray(values))]
    if return_inverse:
        out.append(_wrap(inverse.astype("int64", copy=False)))
    if return_counts:
        out.append(_wrap(counts.astype("int64", copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value ``0, 1, ..., max(input)`` occurs in a 1-D tensor of non-negative
    integers; with ``weights``, the sum of the weights of each value's entries.

    Args:
        input (Tensor): 1-D, non-negative integers.
        weights (Tensor, optional): 1-D, one weight per entry of ``input``. Default: ``None``.
        minlength (int, optional): the least number of bins. Default: ``0``.

    Returns:
        Tensor: ``(max(max(input) + 1, minlength),)``: int64 counts, or sums in the weights'
        floating dtype (float64 for integer weights).

    Example::

        >>> torch.bincount(torch.tensor([0, 1, 1, 3]))
        tensor([1, 2, 0, 1])
        >>> torch.bincount(torch.tensor([0, 1, 1]), weights=torch.tensor([0.5, 1., 2.]))
        tensor([0.5000, 3.0000])
    """
    if input.dtype.is_floating_point or input.dtype is _dtype.bool_:
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for "
                                  f"'{_TYPE_NAMES[input.dtype.name]}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    data = input._data
    if input.ndim != 1 or (data.size and data.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    be = input._backend
    if weights is None:
        return _wrap(be.bincount(data, minlength=minlength).astype("int64", copy=False))
    if not isinstance(weights, Tensor):
        raise TypeError(f"bincount(): argument 'weights' must be Tensor, not "
                        f"{type(weights).__name__}")
    if weights.ndim != 1 or weights.shape[0] != data.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    # float weights keep their dtype; others are summed in float64, as PyTorch
    out_dtype = weights._data.dtype if weights.dtype.is_floating_point else "float64"
    counts = be.bincount(data, weights=weights._data, minlength=minlength)
    return _wrap(counts.astype(out_dtype, copy=False))
