"""Tensor: one array (numpy on the CPU), its autograd state, and PyTorch's methods.

The methods are thin: each forwards to the op family that implements it
(``ops/arith.py``, ``ops/shape.py``, ...). In-place methods compute the result
out of place, then write it into this tensor's array, bump the version counter
shared with its views, and (when recording) make the new node its grad_fn.
"""
import numbers
from collections import OrderedDict

import numpy as np

from . import _dtype
from ._device import CPU, as_device
from ._core import TensorBase, edge as _edge, is_grad_enabled as _grad_enabled, register_tensor_class, wrap as _wrap
from ._grad_mode import no_grad as _no_grad
from .backends import cpu as _cpu_backend


class Size(tuple):
    """A tensor's shape: a tuple printed as ``hayabusa.Size([2, 3])``."""

    def __repr__(self):
        return f"hayabusa.Size({list(self)})"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        out = tuple.__getitem__(self, item)
        return Size(out) if isinstance(item, slice) else out


class Tensor(TensorBase):
    # the fields (_data, _requires_grad, _grad, grad_fn, _version, _accumulator)
    # are TensorBase's, in the compiled core
    __slots__ = ("__weakref__", "__dict__")

    # numpy defers to our reflected operators (ndarray * Tensor -> Tensor.__rmul__)
    __array_priority__ = 1000

    def __init__(self, *args, dtype=None, device=None):
        """``Tensor(data)`` copies data as float32; ``Tensor(2, 3)`` is uninitialized, as PyTorch."""
        dt = _dtype.to_dtype(dtype) if dtype is not None else _dtype.get_default_dtype()
        if device is not None:
            as_device(device)
        if len(args) == 1 and not isinstance(args[0], numbers.Integral):
            data = np.array(args[0].numpy() if isinstance(args[0], Tensor) else args[0], dtype=dt.numpy)
        else:
            shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args
            data = np.zeros(tuple(int(s) for s in shape), dt.numpy)
        self._data = data
        self._requires_grad = False
        self._grad = None
        self.grad_fn = None
        self._version = [0]
        self._accumulator = None

    # ------------------------------------------------------------ properties
    # the backend module of this tensor's device (CPU only until the CUDA backend lands)
    _backend = _cpu_backend

    @property
    def data(self):
        """The same data, detached from the graph (assigning replaces the array)."""
        return self.detach()

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def dtype(self):
        return _dtype.of_array(self._data)

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        from .ops._util import normalize_dim
        return self._data.shape[normalize_dim(dim, self.ndim)]

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    def stride(self, dim=None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[dim]

    def is_contiguous(self, memory_format=None):
        return self._data.flags.c_contiguous

    def is_floating_point(self):
        return self.dtype.is_floating_point

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use "
                    "a computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach().")
            return self
        if requires_grad and not self.dtype.is_floating_point:
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value.dtype is not self.dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if value.shape != self.shape:
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def is_leaf(self):
        return self.grad_fn is None

    def retain_grad(self):
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            import weakref
            self.grad_fn._retained = weakref.ref(self)

    @property
    def retains_grad(self):
        gf = self.grad_fn
        return gf is not None and gf._retained is not None and gf._retained() is self

    def register_hook(self, hook):
        """Calls hook(grad) when this tensor's gradient is computed; it may return a new grad.
        Returns a handle whose ``remove()`` unregisters the hook."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .utils.hooks import RemovableHandle
        node = _edge(self)
        if node._hooks is None:
            node._hooks = OrderedDict()  # weakly referable, for the handle
        handle = RemovableHandle(node._hooks)
        node._hooks[handle.id] = hook
        return handle

    @property
    def _version_number(self):
        return self._version[0]

    # ------------------------------------------------------------ autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self):
        out = _wrap(self._data)
        out._version = self._version
        return out

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ------------------------------------------------------------ conversion
    def numpy(self, force=False):
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        data = self._data
        if dtype is not None and data.dtype != dtype:
            return data.astype(dtype)
        return data.copy() if copy else data

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __index__(self):
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    # identity hashing (tensors define __eq__ elementwise), in C: optimizer
    # state and autograd bookkeeping hash tensors on every step
    __hash__ = object.__hash__

    def __deepcopy__(self, memo):
        """A copy with its own storage, requires_grad and a copied .grad (copy.deepcopy of a
        model, as early stopping keeps its best weights); graph leaves only, as PyTorch."""
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.")
        if id(self) in memo:
            return memo[id(self)]
        import copy
        data = _wrap(self._data.copy())
        cls = type(self)
        new = data if cls is Tensor else cls.__new__(cls, data, self._requires_grad)
        new._requires_grad = self._requires_grad
        memo[id(self)] = new
        if self._grad is not None:
            new._grad = copy.deepcopy(self._grad, memo)
        if self.__dict__:
            new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    def __reduce_ex__(self, protocol):
        raise TypeError("hayabusa tensors are not pickled; use hayabusa.save / hayabusa.load")

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import format_tensor
        gf = self.grad_fn
        return format_tensor(self._data, self.dtype.name,
                             default_dtype_name=_dtype.get_default_dtype().name,
                             requires_grad=self._requires_grad and gf is None,
                             grad_fn_name=gf.name() if gf is not None else None)

    def __format__(self, spec):
        if self.ndim == 0:
            return format(self.item(), spec)
        return object.__format__(self, spec)

    def to(self, *args, **kwargs):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``; self if nothing changes."""
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        copy = kwargs.pop("copy", False)
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            elif isinstance(a, _dtype.dtype):
                dtype = a
            elif isinstance(a, (str, int)) or type(a).__name__ == "device":
                device = a
            elif a is not None and not isinstance(a, bool):
                dtype = _dtype.to_dtype(a)
        if device is not None:
            as_device(device)
        out = self
        if dtype is not None and _dtype.to_dtype(dtype) is not self.dtype:
            from .ops._util import cast
            out = cast(self, _dtype.to_dtype(dtype))
        elif copy:
            out = self.clone()
        return out

    def cpu(self):
        return self

    def cuda(self, device=None, non_blocking=False):
        as_device("cuda" if device is None else device)

    def type(self, dtype=None):
        if dtype is None:
            return {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
                    "int64": "torch.LongTensor", "int32": "torch.IntTensor",
                    "bool": "torch.BoolTensor", "float16": "torch.HalfTensor",
                    "uint8": "torch.ByteTensor", "int8": "torch.CharTensor",
                    "int16": "torch.ShortTensor"}[self.dtype.name]
        return self.to(dtype)

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def half(self):
        return self.to(_dtype.float16)

    def long(self):
        return self.to(_dtype.int64)

    def int(self):
        return self.to(_dtype.int32)

    def bool(self):
        return self.to(_dtype.bool_)

    def type_as(self, other):
        return self.to(other.dtype)

    # ------------------------------------------------------------ in place
    def _check_inplace(self):
        if _grad_enabled() and self._requires_grad and self.grad_fn is None:
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation.")

    def _write(self, result, recording):
        """Store result's values in this tensor's array; adopt its graph node when recording."""
        if result.shape != self.shape:
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                f"{list(result.shape)}")
        rd, sd = result.dtype, self.dtype
        if _dtype._category(rd) > _dtype._category(sd):
            raise RuntimeError(
                f"result type {_TYPE_NAMES.get(rd.name, rd.name)} can't be cast to the desired "
                f"output type {_TYPE_NAMES.get(sd.name, sd.name)}")
        self._data[...] = result._data
        self._version[0] += 1
        if recording and result.grad_fn is not None:
            self.grad_fn = result.grad_fn
            self._requires_grad = True
        return self

    def _inplace(self, fn, *args):
        """self = fn(self, *args), in place (the shared mechanism of every ``op_`` method)."""
        self._check_inplace()
        recording = _grad_enabled() and (
            self._requires_grad or any(isinstance(a, Tensor) and a._requires_grad for a in args))
        if recording:
            # the op may save its input for backward: give it a copy that will not change
            src = _wrap(self._data.copy(), self._requires_grad, self.grad_fn)
            src._accumulator = self._accumulator
            result = fn(src, *args)
        else:
            with _no_grad():
                result = fn(self, *args)
        return self._write(result, recording)

    def add_(self, other, alpha=1):
        return self._inplace(lambda s, o: arith.add(s, o, alpha=alpha), other)

    def sub_(self, other, alpha=1):
        return self._inplace(lambda s, o: arith.sub(s, o, alpha=alpha), other)

    def mul_(self, other):
        return self._inplace(arith.mul, other)

    def div_(self, other, rounding_mode=None):
        return self._inplace(lambda s, o: arith.div(s, o, rounding_mode), other)

    def pow_(self, other):
        return self._inplace(arith.pow, other)

    def clamp_(self, min=None, max=None):
        return self._inplace(lambda s: arith.clamp(s, min, max))

    def neg_(self):
        return self._inplace(arith.neg)

    def exp_(self):
        return self._inplace(arith.exp)

    def log_(self):
        return self._inplace(arith.log)

    def sqrt_(self):
        return self._inplace(arith.sqrt)

    def abs_(self):
        return self._inplace(arith.abs)

    def relu_(self):
        from .ops.activation import relu
        return self._inplace(relu)

    def sigmoid_(self):
        from .ops.activation import sigmoid
        return self._inplace(sigmoid)

    def tanh_(self):
        from .ops.activation import tanh
        return self._inplace(tanh)

    def fill_(self, value):
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise RuntimeError(
                    f"fill_ only supports 0-dimension value tensor but got tensor with "
                    f"{value.ndim} dimensions.")
            value = value.item()
        self._check_inplace()
        if _grad_enabled() and self._requires_grad:
            return self.mul_(0).add_(value)
        self._data.fill(value)
        self._version[0] += 1
        return self

    def zero_(self):
        return self.fill_(0)

    def copy_(self, src, non_blocking=False):
        if not isinstance(src, Tensor):
            raise TypeError(f"copy_(): argument 'other' must be Tensor, not {type(src).__name__}")
        try:
            np.broadcast_shapes(src.shape, self.shape)
        except ValueError:
            raise RuntimeError(
                f"The size of tensor a ({self.shape[-1] if self.ndim else 1}) must match the size "
                f"of tensor b ({src.shape[-1] if src.ndim else 1}) at non-singleton dimension "
                f"{max(self.ndim - 1, 0)}") from None
        self._check_inplace()
        if _grad_enabled() and (self._requires_grad or src._requires_grad):
            from .ops.shape import expand
            from .ops._util import cast
            return self.mul_(0).add_(expand(cast(src, self.dtype), self.shape))
        self._data[...] = src._data
        self._version[0] += 1
        return self

    def __setitem__(self, index, value):
        from .ops.shape import index_put
        if not isinstance(value, Tensor):
            if isinstance(value, (list, tuple)):
                value = Tensor._from_data(np.asarray(value, dtype=self._data.dtype))
        self._check_inplace()
        recording = _grad_enabled() and (
            self._requires_grad or (isinstance(value, Tensor) and value._requires_grad))
        if not recording:
            from .ops.shape import _check_bounds, convert_index
            idx = convert_index(index)
            _check_bounds(self, idx)
            self._data[idx] = value._data if isinstance(value, Tensor) else value
            self._version[0] += 1
            return
        src = _wrap(self._data.copy(), self._requires_grad, self.grad_fn)
        src._accumulator = self._accumulator
        self._write(index_put(src, index, value), True)

    @staticmethod
    def _from_data(data):
        return _wrap(data)

    # ------------------------------------------------------------ operators
    def __add__(self, other):
        return arith.add(self, other)

    def __radd__(self, other):
        return arith.add(other, self)

    def __sub__(self, other):
        return arith.sub(self, other)

    def __rsub__(self, other):
        return arith.sub(other, self)

    def __mul__(self, other):
        return arith.mul(self, other)

    def __rmul__(self, other):
        return arith.mul(other, self)

    def __truediv__(self, other):
        return arith.div(self, other)

    def __rtruediv__(self, other):
        return arith.div(other, self)

    def __floordiv__(self, other):
        return arith.div(self, other, rounding_mode="floor")

    def __rfloordiv__(self, other):
        return arith.div(other, self, rounding_mode="floor")

    def __mod__(self, other):
        return arith.remainder(self, other)

    def __pow__(self, other):
        return arith.pow(self, other)

    def __rpow__(self, other):
        return arith.pow(other, self)

    def __matmul__(self, other):
        from .ops.linalg import matmul
        return matmul(self, other)

    def __rmatmul__(self, other):
        from .ops.linalg import matmul
        return matmul(other, self)

    def __neg__(self):
        return arith.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return arith.abs(self)

    def __invert__(self):
        if self.dtype is _dtype.bool_:
            return arith.logical_not(self)
        if self.dtype.is_floating_point:
            raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
        return _wrap(~self._data)

    def __and__(self, other):
        return arith.bitwise("and", self, other)

    def __or__(self, other):
        return arith.bitwise("or", self, other)

    def __xor__(self, other):
        return arith.bitwise("xor", self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __eq__(self, other):
        return arith.eq(self, other)

    def __ne__(self, other):
        return arith.ne(self, other)

    def __lt__(self, other):
        return arith.lt(self, other)

    def __le__(self, other):
        return arith.le(self, other)

    def __gt__(self, other):
        return arith.gt(self, other)

    def __ge__(self, other):
        return arith.ge(self, other)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __ipow__(self, other):
        return self.pow_(other)

    def __getitem__(self, index):
        from .ops.shape import getitem
        return getitem(self, index)


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
               "bool": "Bool", "float16": "Half", "uint8": "Byte", "int8": "Char",
               "int16": "Short"}




register_tensor_class(Tensor)

# the op family behind the operators and the backward entry point; both import
# Tensor, so they come after the class
from .ops import arith  # noqa: E402
from . import autograd as _autograd  # noqa: E402
