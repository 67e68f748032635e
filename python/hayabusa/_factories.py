"""Tensor factories: tensor, from_numpy, zeros, ones, arange, rand, ... (PyTorch's signatures)."""
from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING

import numpy as np

from . import _dtype
from ._device import as_device
from ._random import default_generator
from ._tensor import Tensor, _wrap

if TYPE_CHECKING:
    from typing import Any, Sequence

    from ._random import Generator
    from ._typing import DeviceLike, DTypeLike, Number, ShapeLike


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


def tensor(data: Any, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
           requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """Constructs a tensor holding a copy of ``data``.

    The dtype is inferred as PyTorch infers it: Python floats give the default dtype, Python
    ints int64, bools bool; numpy arrays and tensors keep theirs.

    Args:
        data: a number, a (nested) list or tuple of numbers or one-element tensors, a numpy
            array, or a tensor.
        dtype (hayabusa.dtype, optional): the element type. Default: inferred from ``data``.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        pin_memory (bool, optional): accepted for PyTorch's signature; unused.

    Example::

        >>> torch.tensor([[1, 2], [3, 4]])
        tensor([[1, 2],
                [3, 4]])
        >>> torch.tensor([1.5, 2])
        tensor([1.5000, 2.0000])
        >>> torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
        tensor([1., 2.], dtype=hayabusa.float64, requires_grad=True)
    """
    arr = _to_array(data)
    dt = _dtype.to_dtype(dtype) if dtype is not None else (
        data.dtype if isinstance(data, Tensor) else _infer_dtype(data, arr))
    return _finish(np.array(arr, dtype=dt.numpy, copy=True), requires_grad, device)


def as_tensor(data: Any, dtype: DTypeLike | None = None,
              device: DeviceLike | None = None) -> Tensor:
    """Converts ``data`` to a tensor, sharing memory with a numpy array or tensor when it can.

    A tensor of the requested dtype is returned as it is; a numpy array of a supported dtype
    becomes a tensor over the same memory; anything else is copied as by :func:`tensor`.

    Args:
        data: a tensor, a numpy array, or what :func:`tensor` takes.
        dtype (hayabusa.dtype, optional): the element type. Default: ``data``'s (or inferred).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.

    Example::

        >>> import numpy as np
        >>> a = np.array([1., 2.])
        >>> t = torch.as_tensor(a)
        >>> a[0] = 5.
        >>> t
        tensor([5., 2.], dtype=hayabusa.float64)
    """
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray):
        dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.from_numpy_dtype(data.dtype)
        return _finish(data if data.dtype == dt.numpy else data.astype(dt.numpy), False, device)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj: Any, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
            copy: bool | None = None, requires_grad: bool = False) -> Tensor:
    """Converts ``obj`` to a tensor: as :func:`as_tensor` (sharing memory), or a copy if ``copy``.

    Args:
        obj: a tensor, a numpy array, a number or a nested sequence of numbers.
        dtype (hayabusa.dtype, optional): the element type. Default: ``obj``'s (or inferred).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        copy (bool, optional): always copy (True) or share memory where possible. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.asarray([1, 2])
        tensor([1, 2])
    """
    t = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype=dtype, device=device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array: writes through either are seen by both.

    Supported dtypes: float64, float32, float16, int64, int32, int16, int8, uint8 and bool;
    others raise TypeError.

    Args:
        ndarray (numpy.ndarray): the array.

    Example::

        >>> import numpy as np
        >>> a = np.array([1., 2.])
        >>> t = torch.from_numpy(a)
        >>> t[1] = 7.
        >>> a
        array([1., 7.])
    """
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


def zeros(*size: int | Sequence[int], dtype: DTypeLike | None = None,
          device: DeviceLike | None = None, requires_grad: bool = False,
          out: Tensor | None = None) -> Tensor:
    """A tensor of the given shape filled with 0.

    Args:
        *size (int or sequence of ints): the shape, as ints or one list or tuple.
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        out: accepted for PyTorch's signature but not written: the result is always a new tensor.

    Example::

        >>> torch.zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]])
    """
    return _finish(np.zeros(_size(size), _float_dtype(dtype).numpy), requires_grad, device)


def ones(*size: int | Sequence[int], dtype: DTypeLike | None = None,
         device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of the given shape filled with 1.

    Args:
        *size (int or sequence of ints): the shape, as ints or one list or tuple.
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.ones(2, dtype=torch.int64)
        tensor([1, 1])
    """
    return _finish(np.ones(_size(size), _float_dtype(dtype).numpy), requires_grad, device)


def empty(*size: int | Sequence[int], dtype: DTypeLike | None = None,
          device: DeviceLike | None = None, requires_grad: bool = False,
          memory_format: None = None) -> Tensor:
    """A tensor of the given shape whose values are uninitialized (whatever the memory held).

    Args:
        *size (int or sequence of ints): the shape, as ints or one list or tuple.
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        memory_format: accepted for PyTorch's signature; tensors are always contiguous.

    Example::

        >>> torch.empty(2, 3).shape
        hayabusa.Size([2, 3])
    """
    return _finish(np.empty(_size(size), _float_dtype(dtype).numpy), requires_grad, device)


def full(size: ShapeLike, fill_value: Number, dtype: DTypeLike | None = None,
         device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value``.

    Without ``dtype``, the dtype is ``fill_value``'s: bool, int64 for ints, the default dtype
    for floats.

    Args:
        size (int or sequence of ints): the shape.
        fill_value (Number): the value.
        dtype (hayabusa.dtype, optional): the element type. Default: inferred from ``fill_value``.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.full((2, 2), 7)
        tensor([[7, 7],
                [7, 7]])
        >>> torch.full((2,), 0.5)
        tensor([0.5000, 0.5000])
    """
    if dtype is None:
        dt = _dtype.scalar_dtype(fill_value) if isinstance(fill_value, (bool, numbers.Number)) \
            else _dtype.get_default_dtype()
    else:
        dt = _dtype.to_dtype(dtype)
    return _finish(np.full(_size((size,)), fill_value, dt.numpy), requires_grad, device)


def _like(t, dtype):
    return _dtype.to_dtype(dtype) if dtype is not None else t.dtype


def zeros_like(t: Tensor, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
               requires_grad: bool = False, memory_format: None = None) -> Tensor:
    """A tensor of ``t``'s shape (and dtype, unless given) filled with 0.

    Args:
        t (Tensor): the tensor whose shape (and dtype) to take.
        dtype (hayabusa.dtype, optional): the element type. Default: ``t``'s dtype.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        memory_format: accepted for PyTorch's signature; tensors are always contiguous.

    Example::

        >>> x = torch.tensor([[1, 2]])
        >>> torch.zeros_like(x)
        tensor([[0, 0]])
    """
    return _finish(np.zeros(t.shape, _like(t, dtype).numpy), requires_grad, device)


def ones_like(t: Tensor, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
              requires_grad: bool = False, memory_format: None = None) -> Tensor:
    """A tensor of ``t``'s shape (and dtype, unless given) filled with 1.

    Args:
        t (Tensor): the tensor whose shape (and dtype) to take.
        dtype (hayabusa.dtype, optional): the element type. Default: ``t``'s dtype.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        memory_format: accepted for PyTorch's signature; tensors are always contiguous.

    Example::

        >>> x = torch.tensor([[1, 2]])
        >>> torch.ones_like(x, dtype=torch.float32)
        tensor([[1., 1.]])
    """
    return _finish(np.ones(t.shape, _like(t, dtype).numpy), requires_grad, device)


def empty_like(t: Tensor, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
               requires_grad: bool = False, memory_format: None = None) -> Tensor:
    """A tensor of ``t``'s shape (and dtype, unless given) uninitialized.

    Args:
        t (Tensor): the tensor whose shape (and dtype) to take.
        dtype (hayabusa.dtype, optional): the element type. Default: ``t``'s dtype.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        memory_format: accepted for PyTorch's signature; tensors are always contiguous.

    Example::

        >>> x = torch.tensor([[1, 2]])
        >>> torch.empty_like(x).shape
        hayabusa.Size([1, 2])
    """
    return _finish(np.empty(t.shape, _like(t, dtype).numpy), requires_grad, device)


def full_like(t: Tensor, fill_value: Number, dtype: DTypeLike | None = None,
              device: DeviceLike | None = None, requires_grad: bool = False,
              memory_format: None = None) -> Tensor:
    """A tensor of ``t``'s shape (and dtype, unless given) filled with ``fill_value``.

    Args:
        t (Tensor): the tensor whose shape (and dtype) to take.
        fill_value (Number): the value.
        dtype (hayabusa.dtype, optional): the element type. Default: ``t``'s dtype.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.
        memory_format: accepted for PyTorch's signature; tensors are always contiguous.

    Example::

        >>> torch.full_like(torch.tensor([[1, 2]]), 9)
        tensor([[9, 9]])
    """
    return _finish(np.full(t.shape, fill_value, _like(t, dtype).numpy), requires_grad, device)


def rand_like(t: Tensor, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
              requires_grad: bool = False) -> Tensor:
    """A tensor of ``t``'s shape (and dtype, unless given) of uniform samples in ``[0, 1)``.

    Args:
        t (Tensor): the tensor whose shape (and dtype) to take.
        dtype (hayabusa.dtype, optional): a floating element type. Default: ``t``'s dtype.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.rand_like(torch.zeros(2, 3)).shape
        hayabusa.Size([2, 3])
    """
    return rand(t.shape, dtype=_like(t, dtype), requires_grad=requires_grad)


def randn_like(t: Tensor, dtype: DTypeLike | None = None, device: DeviceLike | None = None,
               requires_grad: bool = False) -> Tensor:
    """A tensor of ``t``'s shape (and dtype, unless given) of standard normal samples.

    Args:
        t (Tensor): the tensor whose shape (and dtype) to take.
        dtype (hayabusa.dtype, optional): a floating element type. Default: ``t``'s dtype.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.randn_like(torch.zeros(2, 3)).shape
        hayabusa.Size([2, 3])
    """
    return randn(t.shape, dtype=_like(t, dtype), requires_grad=requires_grad)


def arange(start: Number, end: Number | None = None, step: Number = 1,
           dtype: DTypeLike | None = None, device: DeviceLike | None = None,
           requires_grad: bool = False) -> Tensor:
    """The values ``start, start + step, ...`` up to (not including) ``end``, as a 1-D tensor.

    ``arange(n)`` is ``arange(0, n)``. Integer arguments give int64, any float gives the default
    dtype. The count is ``ceil((end - start) / step)``, computed as PyTorch computes it.

    Args:
        start (Number): the first value (or ``end`` when it is the only argument).
        end (Number, optional): the bound, excluded. Default: ``None``.
        step (Number, optional): the gap between values, not 0. Default: ``1``.
        dtype (hayabusa.dtype, optional): the element type. Default: inferred.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.arange(5)
        tensor([0, 1, 2, 3, 4])
        >>> torch.arange(1, 2.5, 0.5)
        tensor([1.0000, 1.5000, 2.0000])
    """
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


def linspace(start: Number, end: Number, steps: int, dtype: DTypeLike | None = None,
             device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """``steps`` values evenly spaced from ``start`` to ``end``, both included, as a 1-D tensor.

    Args:
        start (Number): the first value.
        end (Number): the last value.
        steps (int): how many values, 0 or more.
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.linspace(0, 1, 5)
        tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = _float_dtype(dtype)
    return _finish(np.linspace(start, end, steps).astype(dt.numpy), requires_grad, device)


def eye(n: int, m: int | None = None, dtype: DTypeLike | None = None,
        device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """An ``n`` by ``m`` matrix with ones on the diagonal and zeros elsewhere.

    Args:
        n (int): the number of rows.
        m (int, optional): the number of columns. Default: ``n``.
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.eye(2, 3)
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    return _finish(np.eye(n, n if m is None else m, dtype=_float_dtype(dtype).numpy),
                   requires_grad, device)


def _gen(generator):
    return (generator or default_generator)._impl


def rand(*size: int | Sequence[int], generator: Generator | None = None,
         dtype: DTypeLike | None = None, device: DeviceLike | None = None,
         requires_grad: bool = False) -> Tensor:
    """A tensor of the given shape of samples from the uniform distribution on ``[0, 1)``.

    The same seed gives the same values in hayabusa, but not PyTorch's values: the generators
    differ.

    Args:
        *size (int or sequence of ints): the shape, as ints or one list or tuple.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one (seeded by :func:`manual_seed`).
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> g = torch.Generator().manual_seed(0)
        >>> a = torch.rand(2, 3, generator=g)
        >>> a.shape, bool(((a >= 0) & (a < 1)).all())
        (hayabusa.Size([2, 3]), True)
        >>> b = torch.rand(2, 3, generator=g.manual_seed(0))
        >>> bool((a == b).all())
        True
    """
    dt = _float_dtype(dtype)
    return _finish(_gen(generator).uniform(_size(size), dt.numpy), requires_grad, device)


def randn(*size: int | Sequence[int], generator: Generator | None = None,
          dtype: DTypeLike | None = None, device: DeviceLike | None = None,
          requires_grad: bool = False) -> Tensor:
    """A tensor of the given shape of samples from the standard normal distribution.

    Args:
        *size (int or sequence of ints): the shape, as ints or one list or tuple.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one (seeded by :func:`manual_seed`).
        dtype (hayabusa.dtype, optional): the element type. Default: the default dtype
            (:func:`get_default_dtype`, float32 unless changed).
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.randn(4, dtype=torch.float64).dtype
        hayabusa.float64
    """
    dt = _float_dtype(dtype)
    return _finish(_gen(generator).normal(_size(size), dt.numpy), requires_grad, device)


def randint(low: int, high: int | None = None, size: ShapeLike | None = None,
            generator: Generator | None = None, dtype: DTypeLike | None = None,
            device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape ``size`` of integers drawn uniformly from ``[low, high)``.

    ``randint(high, size)`` draws from ``[0, high)``.

    Args:
        low (int): the lowest value (or ``high`` when ``high`` is not given).
        high (int, optional): one above the highest value.
        size (tuple of ints): the shape.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one (seeded by :func:`manual_seed`).
        dtype (hayabusa.dtype, optional): the element type. Default: int64.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> x = torch.randint(0, 10, (3,))
        >>> x.dtype, bool(((x >= 0) & (x < 10)).all())
        (hayabusa.int64, True)
    """
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(_gen(generator).integers(low, high, _size((size,)), dt.numpy), requires_grad, device)


def randperm(n: int, generator: Generator | None = None, dtype: DTypeLike | None = None,
             device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A random permutation of ``0, ..., n - 1``.

    Args:
        n (int): the number of values.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one (seeded by :func:`manual_seed`).
        dtype (hayabusa.dtype, optional): the element type. Default: int64.
        device (hayabusa.device or str, optional): only the CPU is available; asking for CUDA
            raises RuntimeError. Default: ``None``.
        requires_grad (bool, optional): whether autograd records operations on the result.
            Default: ``False``.

    Example::

        >>> torch.randperm(5).sort().values
        tensor([0, 1, 2, 3, 4])
    """
    dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.int64
    return _finish(_gen(generator).permutation(n, dt.numpy), requires_grad, device)


def bernoulli(input: Tensor, p: float | None = None, generator: Generator | None = None) -> Tensor:
    """Draws 0 or 1 for each element: 1 with probability ``input`` (or ``p`` when given).

    Args:
        input (Tensor): the probabilities, in [0, 1]; the result has its shape and dtype.
        p (float, optional): one probability for every element instead. Default: ``None``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one (seeded by :func:`manual_seed`).

    Example::

        >>> torch.bernoulli(torch.tensor([0., 1.]))
        tensor([0., 1.])
    """
    prob = input._data if p is None else p
    return _wrap(_gen(generator).bernoulli(prob, input.shape, input._data.dtype))
