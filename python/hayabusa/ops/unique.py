"""Distinct values and their counts: unique and bincount (no gradients, as PyTorch)."""
from .. import _dtype
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ._util import normalize_dim


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values of input in ascending order (or its distinct slices along dim),
    with, on request, where each entry went (inverse) and how often each value occurs
    (counts). NaNs are all distinct, as PyTorch."""
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


def bincount(input, weights=None, minlength=0):
    """How often each value 0, 1, ..., max(input) occurs in a 1-D non-negative integer tensor
    (at least minlength bins); with weights, the sum of the weights of each value's entries."""
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
