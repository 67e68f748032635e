"""dtypes: hayabusa.float32 and friends, and PyTorch's type-promotion rules."""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ._typing import DTypeLike, TensorOrNumber


class dtype:
    """A tensor element type, as ``torch.dtype``: ``hayabusa.float32`` and friends.

    hayabusa has ``bool``, ``uint8``, ``int8``, ``int16``, ``int32``, ``int64``, ``float16``,
    ``float32`` (the default) and ``float64``, with PyTorch's aliases (``long``, ``int``,
    ``float``, ``double``, ``half``). Compute kernels cover float32 and float64; int64 and
    bool serve as labels, indices and masks. Complex dtypes are not supported.

    Attributes:
        name (str): ``'float32'``, ...
        numpy (numpy.dtype): the numpy dtype of the data.
        is_floating_point (bool): a float16, float32 or float64.
        is_signed (bool): a type with negative values.
        itemsize (int): bytes per element.

    Example::

        >>> torch.float32, torch.long
        (hayabusa.float32, hayabusa.int64)
        >>> torch.float64.is_floating_point, torch.float64.itemsize
        (True, 8)
    """

    __slots__ = ("name", "numpy", "is_floating_point", "is_signed", "itemsize", "_rank")

    def __init__(self, name, numpy_dtype, rank):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.is_signed = self.numpy.kind in "fi"
        self.itemsize = self.numpy.itemsize
        self._rank = rank

    @property
    def is_complex(self) -> bool:
        """Whether this is a complex type: always False (hayabusa has none)."""
        return False

    def __repr__(self):
        return "hayabusa." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


bool_ = dtype("bool", np.bool_, 0)
uint8 = dtype("uint8", np.uint8, 1)
int8 = dtype("int8", np.int8, 2)
int16 = dtype("int16", np.int16, 3)
int32 = dtype("int32", np.int32, 4)
int64 = dtype("int64", np.int64, 5)
float16 = dtype("float16", np.float16, 6)
float32 = dtype("float32", np.float32, 7)
float64 = dtype("float64", np.float64, 8)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_FROM_NUMPY = {d.numpy: d for d in ALL}
_NAMES = {d.name: d for d in ALL}

_default_float = float32


def _by_name(name):
    return _NAMES[name]


def from_numpy_dtype(np_dtype):
    """The hayabusa dtype of a numpy dtype, or TypeError for ones we do not support."""
    d = _FROM_NUMPY.get(np_dtype)
    if d is not None:
        return d
    try:
        return _FROM_NUMPY[np.dtype(np_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool.") from None


def of_array(a):
    """The hayabusa dtype of an array's elements (Tensor.dtype: one dict lookup when supported)."""
    d = _FROM_NUMPY.get(a.dtype)
    return d if d is not None else from_numpy_dtype(a.dtype)


def to_dtype(d: DTypeLike) -> dtype:
    """Accept a hayabusa dtype, a numpy dtype or a Python type (float, int, bool)."""
    if isinstance(d, dtype):
        return d
    if d is float:
        return float64
    if d is int:
        return int64
    if d is bool:
        return bool_
    return from_numpy_dtype(d)


def get_default_dtype() -> dtype:
    """The dtype that Python floats and the float factories (``zeros``, ``randn``, ...) get.

    It is float32 unless :func:`set_default_dtype` changed it.

    Example::

        >>> torch.get_default_dtype()
        hayabusa.float32
    """
    return _default_float


def set_default_dtype(d: DTypeLike) -> None:
    """Sets the default floating dtype (float32, float64 or float16), as torch.set_default_dtype.

    Args:
        d (hayabusa.dtype): the new default.

    Example::

        >>> torch.set_default_dtype(torch.float64)
        >>> torch.tensor([1.5]).dtype
        hayabusa.float64
        >>> torch.set_default_dtype(torch.float32)
    """
    global _default_float
    d = to_dtype(d)
    if d not in (float32, float64, float16):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default_float = d


def _category(d):
    """0 bool, 1 integer, 2 floating point: promotion only ever moves up a category."""
    return 2 if d.is_floating_point else (0 if d is bool_ else 1)


def promote_types(a: dtype, b: dtype) -> dtype:
    """The smallest dtype both ``a`` and ``b`` convert to, as ``torch.promote_types``.

    Unlike numpy, an integer meeting a float gives that float (int64 and float32 give
    float32), because PyTorch keeps float32 models in float32.

    Example::

        >>> torch.promote_types(torch.int64, torch.float32)
        hayabusa.float32
    """
    if a is b:
        return a
    ca, cb = _category(a), _category(b)
    if ca != cb:
        return a if ca > cb else b
    if ca == 2:
        return a if a._rank > b._rank else b
    return from_numpy_dtype(np.promote_types(a.numpy, b.numpy))


def scalar_dtype(value):
    """The dtype PyTorch gives a Python number taking part in an op ("wrapped number")."""
    if isinstance(value, (bool, np.bool_)):
        return bool_
    if isinstance(value, numbers.Integral):
        return int64
    if isinstance(value, numbers.Real):
        return _default_float
    raise TypeError(f"unsupported operand type for a tensor op: {type(value).__name__}")


def _combine_categories(higher, lower):
    # as c10's combine_categories: a higher category wins outright; within a
    # category the more significant operand (dimensioned over 0-d over Python
    # number) decides, except that bool and floats still promote.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(*operands: TensorOrNumber) -> dtype:
    """The dtype of an elementwise op on tensors and Python numbers, as ``torch.result_type``.

    Tensors with dimensions outrank 0-d tensors, which outrank Python numbers, unless the
    lower-ranked operand is of a higher category (float over integer over bool).

    Example::

        >>> torch.result_type(torch.tensor([1, 2]), 1.0)
        hayabusa.float32
        >>> torch.result_type(torch.tensor([1., 2.]), torch.tensor(1., dtype=torch.float64))
        hayabusa.float32
    """
    dim_result = zero_result = wrapped_result = None
    for op in operands:
        d = getattr(op, "dtype", None)
        if d is None:
            wd = scalar_dtype(op)
            wrapped_result = wd if wrapped_result is None else promote_types(wrapped_result, wd)
        elif op.ndim == 0:
            zero_result = d if zero_result is None else promote_types(zero_result, d)
        else:
            dim_result = d if dim_result is None else promote_types(dim_result, d)
    return _combine_categories(dim_result, _combine_categories(zero_result, wrapped_result))
