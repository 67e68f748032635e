"""Tensor factories: tensor, from_numpy, zeros, ones, arange, rand, ... (PyTorch's signatures)."""
import math
import numbers

import numpy as np

from . import _dtype
from ._device import as_device
from ._random import default_generator
from ._tensor import Tensor, _wrap


def _finish(data, requires_grad, device):
    if device is not None:
        as_device(device)
    t = _wrap(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_dtype(data, arr):
    """PyTorch's inference: numpy arrays keep their dtype; Python floats give the default dtype."""
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return _dtype.from_numpy_dtype(arr.dtype)
    if arr.dtype.kind == "f" and arr.dtype != np.float64:
        return _dtype.from_numpy_dtype(arr.dtype)
    if arr.dtype.kind == "f":
        # float64 here came from Python floats (or a mix), unless every leaf was a float64 array
        return _dtype.get_default_dtype() if not _all_float64_leaves(data) else _dtype.float64
    if arr.dtype.kind in "iu":
        return _dtype.int64 if not _has_array_leaves(data) else _dtype.from_numpy_dtype(arr.dtype)
    if arr.dtype.kind == "b":
        return _dtype.bool_
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _leaves(data):
    if isinstance(data, (list, tuple)):
        for d in data:
            yield from _leaves(d)
    else:
        yield data


def _has_array_leaves(data):
    return any(isinstance(x, (np.ndarray, np.generic, Tensor)) for x in _leaves(data))


def _all_float64_leaves(data):
    leaves = list(_leaves(data))
    return bool(leaves) and all(
        (isinstance(x, (np.ndarray, np.generic)) and x.dtype == np.float64) or
        (isinstance(x, Tensor) and x.dtype is _dtype.float64) for x in leaves)


def _to_array(data):
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _leaves(data)):
        for x in _leaves(data):
            if isinstance(x, Tensor) and x.numel() != 1:
                raise ValueError("only one element tensors can be converted to Python scalars")
        return np.asarray(_map_leaves(data, lambda x: x._data.reshape(()) if isinstance(x, Tensor) else x))
    try:
        arr = np.asarray(data)
    except ValueError as e:
        raise ValueError(f"expected sequence of equal-length lists: {e}") from None
    if arr.dtype == object:
        raise TypeError(f"Could not infer dtype of {type(data).__name__}: ragged or non-numeric data")
    return arr


def _map_leaves(data, fn):
    if isinstance(data, (list, tuple)):
        return [_map_leaves(d, fn) for d in data]
    return fn(data)


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of data (nested lists, numbers, numpy arrays, tensors)."""
    arr = _to_array(data)
    dt = _dtype.to_dtype(dtype) if dtype is not None else (
        data.dtype if isinstance(data, Tensor) else _infer_dtype(data, arr))
    return _finish(np.array(arr, dtype=dt.numpy, copy=True), requires_grad, device)


def as_tensor(data, dtype=None, device=None):
    """Like tensor(), but shares memory with a numpy array or tensor when no conversion is needed."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray):
        dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.from_numpy_dtype(data.dtype)
        return _finish(data if data.dtype == dt.numpy else data.astype(dt.numpy), False, device)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, dtype=None, device=None, copy=None, requires_grad=False):
    t = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype=dtype, device=device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray):
    """A tensor sharing memory with a numpy array (writes through either are seen by both)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return _wrap(ndarray)


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, numbers.Integral):
            raise TypeError(f"expected a sequence of integers for the size, got {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _float_dtype(dtype):
    return _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()


def zeros(*size, dtype=None, device=None, requires_grad=False, out=None):
    return _finish(np.zeros(_size(size), _float_dtype(dtype).numpy), requires_grad, device)


def ones(*size, dtype=None, device=None, requires_grad=False):
    return _finish(np.ones(_size(size), _float_dtype(dtype).numpy), requires_grad, device)


def empty(*size, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.empty(_size(size), _float_dtype(dtype).numpy), requires_grad, device)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        dt = _dtype.scalar_dtype(fill_value) if isinstance(fill_value, (bool, numbers.Number)) \
            else _dtype.get_default_dtype()
    else:
        dt = _dtype.to_dtype(dtype)
    return _finish(np.full(_size((size,)), fill_value, dt.numpy), requires_grad, device)


def _like(t, dtype):
    return _dtype.to_dtype(dtype) if dtype is not None else t.dtype


def zeros_like(t, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.zeros(t.shape, _like(t, dtype).numpy), requires_grad, device)


def ones_like(t, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.ones(t.shape, _like(t, dtype).numpy), requires_grad, device)


def empty_like(t, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.empty(t.shape, _like(t, dtype).numpy), requires_grad, device)


def full_like(t, fill_value, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _finish(np.full(t.shape, fill_value, _like(t, dtype).numpy), requires_grad, device)


def rand_like(t, dtype=None, device=None, requires_grad=False):
    return rand(t.shape, dtype=_like(t, dtype), requires_grad=requires_grad)


def randn_like(t, dtype=None, device=None, requires_grad=False):
    return randn(t.shape, dtype=_like(t, dtype), requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = values
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        is_int = all(isinstance(v, numbers.Integral) for v in values)
        dt = _dtype.int64 if is_int else _dtype.get_default_dtype()
    else:
        dt = _dtype.to_dtype(dtype)
    # PyTorch counts the elements in double precision, then computes start + i*step
    n = max(int(math.ceil((end - start) / step)), 0)
    data = (start + np.arange(n, dtype=np.float64) * step) if not dt.numpy.kind in "iu" \
        else np.arange(start, start + n * step, step)[:n]
    return _finish(data.astype(dt.numpy), requires_grad, device)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _float_dtype(dtype)
    return _finish(np.linspace(start, end, steps).astype(dt.numpy), requires_grad, device)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    return _finish(np.eye(n, n if m is None else m, dtype=_float_dtype(dtype).numpy),
                   requires_grad, device)


def _gen(generator):
    return (generator or default_generator)._impl


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    dt = _float_dtype(dtype)
    return _finish(_gen(generator).uniform(_size(size), dt.numpy), requires_grad, device)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    dt = _float_dtype(dtype)
    return _finish(_gen(generator).normal(_size(size), dt.numpy), requires_grad, device)


def randint(low, high=None, size=None, generator=None, dtype=None, device=None,
            requires_grad=False):
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(_gen(generator).integers(low, high, _size((size,)), dt.numpy), requires_grad, device)


def randperm(n, generator=None, dtype=None, device=None, requires_grad=False):
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(_gen(generator).permutation(n, dt.numpy), requires_grad, device)


def bernoulli(input, p=None, generator=None):
    prob = input._data if p is None else p
    return _wrap(_gen(generator).bernoulli(prob, input.shape, input._data.dtype))
