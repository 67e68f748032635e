"""Tensor: one array (numpy on the CPU), its autograd state, and PyTorch's methods.

The methods are thin: each forwards to the op family that implements it
(``ops/arith.py``, ``ops/shape.py``, ...). In-place methods compute the result
out of place, then write it into this tensor's array, bump the version counter
shared with its views, and (when recording) make the new node its grad_fn.
"""
from __future__ import annotations

import numbers
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from . import _dtype
from ._device import CPU, as_device
from ._core import (TensorBase, backward_scalar as _backward_scalar, edge as _edge,
                    is_grad_enabled as _grad_enabled, register_tensor_class, wrap as _wrap)
from ._grad_mode import no_grad as _no_grad
from .backends import cpu as _cpu_backend

if TYPE_CHECKING:
    # the class defines methods named float, int, bool and type: annotations inside it
    # name the builtins as builtins.float etc.
    import builtins
    from typing import Any, Callable, Iterator, Sequence

    from . import _tensor_methods as _methods
    from ._device import device as Device
    from ._typing import DeviceLike, DTypeLike, Number, TensorOrNumber
    from .ops import activation as _activation, linalg as _linalg, norm as _norm, reduce as _reduce
    from .ops import arith as _arith, shape as _shape, softmax as _softmax, sort as _sort
    from .utils.hooks import RemovableHandle


class Size(tuple):
    """A tensor's shape: a tuple printed as ``hayabusa.Size([2, 3])``."""

    def __repr__(self):
        return f"hayabusa.Size({list(self)})"

    def numel(self) -> int:
        """The number of elements of a tensor of this shape (the product of the sizes).

        Example::

            >>> torch.Size([2, 3]).numel()
            6
        """
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        out = tuple.__getitem__(self, item)
        return Size(out) if isinstance(item, slice) else out


class Tensor(TensorBase):
    """A multi-dimensional array of one dtype, with autograd: ``torch.Tensor``'s counterpart.

    A tensor holds one numpy array (its data, on the CPU) and its autograd state:
    ``requires_grad``; ``grad``, the gradient accumulated into a leaf by :meth:`backward`;
    ``grad_fn``, the graph node of the operation that made it (``None`` for leaves: tensors
    made by the user); and a version counter shared with its views, bumped by every in-place
    change, so that backward refuses to use a saved tensor that changed.

    Make tensors with the factories (:func:`hayabusa.tensor`, :func:`~hayabusa.zeros`,
    :func:`~hayabusa.randn`, :func:`~hayabusa.from_numpy`, ...). ``Tensor(data)`` copies
    ``data`` in the default dtype; ``Tensor(2, 3)`` makes a tensor of that shape (PyTorch leaves
    it uninitialized, hayabusa fills it with zeros).

    The operators (``+ - * / // % ** @``, comparisons, ``& | ^ ~``, indexing and index
    assignment) follow PyTorch's broadcasting and type promotion. Methods that are also
    functions (``x.sum(1)`` is ``hayabusa.sum(x, 1)``) share that function's documentation,
    where the tensor is the first argument; ``op_`` methods are their in-place forms.

    Example::

        >>> x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        >>> y = (x * x).sum()
        >>> y
        tensor(30., grad_fn=<SumBackward0>)
        >>> y.backward()
        >>> x.grad
        tensor([[2., 4.],
                [6., 8.]])
    """

    # the fields (_data, _requires_grad, _grad, grad_fn, _version, _accumulator)
    # are TensorBase's, in the compiled core
    __slots__ = ("__weakref__", "__dict__")

    # numpy defers to our reflected operators (ndarray * Tensor -> Tensor.__rmul__)
    __array_priority__ = 1000

    def __init__(self, *args: Any, dtype: DTypeLike | None = None,
                 device: DeviceLike | None = None) -> None:
        """``Tensor(data)`` copies data in the default dtype; ``Tensor(2, 3)`` is zero-filled."""
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
    def data(self) -> Tensor:
        """This tensor's data as a new tensor detached from the graph (sharing memory).

        Assigning a tensor (or array) to ``.data`` replaces this tensor's array without autograd
        seeing it, as in PyTorch.
        """
        return self.detach()

    @data.setter
    def data(self, value: Tensor | np.ndarray) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def dtype(self) -> _dtype.dtype:
        """The element type (a :class:`hayabusa.dtype`, e.g. ``hayabusa.float32``).

        Example::

            >>> torch.tensor([1, 2]).dtype
            hayabusa.int64
        """
        return _dtype.of_array(self._data)

    @property
    def device(self) -> Device:
        """Where the data lives: always ``device(type='cpu')`` in this release."""
        return CPU

    @property
    def is_cuda(self) -> builtins.bool:
        """Whether the data is on a CUDA device: always False in this release."""
        return False

    @property
    def shape(self) -> Size:
        """The size of each dimension, as a :class:`hayabusa.Size` (a tuple).

        Example::

            >>> torch.zeros(2, 3).shape
            hayabusa.Size([2, 3])
        """
        return Size(self._data.shape)

    def size(self, dim: builtins.int | None = None) -> Size | builtins.int:
        """The shape (a :class:`hayabusa.Size`), or the size of dimension ``dim`` (an int).

        Args:
            dim (int, optional): a dimension, negative ones counting from the end. Default:
                ``None``.

        Example::

            >>> x = torch.zeros(2, 3)
            >>> x.size(), x.size(-1)
            (hayabusa.Size([2, 3]), 3)
        """
        if dim is None:
            return Size(self._data.shape)
        from .ops._util import normalize_dim
        return self._data.shape[normalize_dim(dim, self.ndim)]

    @property
    def ndim(self) -> builtins.int:
        """The number of dimensions (0 for a scalar tensor)."""
        return self._data.ndim

    def dim(self) -> builtins.int:
        """The number of dimensions (:attr:`ndim`)."""
        return self._data.ndim

    def numel(self) -> builtins.int:
        """The number of elements (``nelement`` is an alias).

        Example::

            >>> torch.zeros(2, 3).numel()
            6
        """
        return self._data.size

    nelement = numel

    def element_size(self) -> builtins.int:
        """The size of one element in bytes (4 for float32)."""
        return self._data.itemsize

    def stride(self, dim: builtins.int | None = None) -> tuple[builtins.int, ...] | builtins.int:
        """The step in elements between neighbours along each dimension, or along ``dim``.

        Example::

            >>> x = torch.zeros(2, 3)
            >>> x.stride(), x.t().stride()
            ((3, 1), (1, 3))
        """
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[dim]

    def is_contiguous(self, memory_format: None = None) -> builtins.bool:
        """Whether the elements lie in memory in row-major (C) order without gaps.

        ``memory_format`` is accepted for PyTorch's signature; only the row-major format exists.
        """
        return self._data.flags.c_contiguous

    def is_floating_point(self) -> builtins.bool:
        """Whether the dtype is a floating-point one (float16, float32 or float64)."""
        return self.dtype.is_floating_point

    @property
    def requires_grad(self) -> builtins.bool:
        """Whether autograd records the operations on this tensor, so gradients reach it.

        Settable on leaves only (and only True for floating dtypes), as PyTorch; the results of
        operations on a tensor that requires grad require grad while grad mode is on.
        """
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: builtins.bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: builtins.bool = True) -> Tensor:
        """Sets :attr:`requires_grad` in place and returns this tensor.

        Only leaves can change it, and only floating-point tensors can require grad (else
        RuntimeError, as PyTorch).

        Args:
            requires_grad (bool, optional): the new value. Default: ``True``.

        Example::

            >>> w = torch.zeros(3).requires_grad_()
            >>> w.requires_grad
            True
        """
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
    def grad(self) -> Tensor | None:
        """The gradient accumulated into this tensor by :meth:`backward`, or ``None``.

        Leaves that require grad get one (retained non-leaves too, see :meth:`retain_grad`);
        backward adds to it, so zero it between steps (``optimizer.zero_grad()``). Assigning
        checks the dtype and shape, as PyTorch.
        """
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
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
    def is_leaf(self) -> builtins.bool:
        """True for tensors the user made (no :attr:`grad_fn`), False for results of recorded ops.

        """
        return self.grad_fn is None

    def retain_grad(self) -> None:
        """Makes backward keep this non-leaf tensor's gradient in :attr:`grad` (a no-op on leaves).

        Example::

            >>> w = torch.tensor([1., 2.], requires_grad=True)
            >>> y = w * 2
            >>> y.retain_grad()
            >>> y.sum().backward()
            >>> y.grad
            tensor([1., 1.])
        """
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            import weakref
            self.grad_fn._retained = weakref.ref(self)

    @property
    def retains_grad(self) -> builtins.bool:
        """Whether :meth:`retain_grad` was called on this non-leaf tensor."""
        gf = self.grad_fn
        return gf is not None and gf._retained is not None and gf._retained() is self

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Registers ``hook(grad)``, called when this tensor's gradient is computed in backward.

        The hook may return a new gradient that replaces it (for what flows on, and for what a
        leaf accumulates). The returned handle's ``remove()`` unregisters it.

        Args:
            hook (callable): ``hook(grad) -> Tensor or None``.

        Returns:
            RemovableHandle

        Example::

            >>> w = torch.tensor([1., 2.], requires_grad=True)
            >>> handle = w.register_hook(lambda g: g * 10)
            >>> (w * 1).sum().backward()
            >>> w.grad
            tensor([10., 10.])
            >>> handle.remove()
        """
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
    def backward(self, gradient: Tensor | None = None, retain_graph: builtins.bool | None = None,
                 create_graph: builtins.bool = False,
                 inputs: Sequence[Tensor] | None = None) -> None:
        """Computes the gradient of this tensor with respect to the graph leaves, into their .grad.

        Gradients accumulate (they add to what ``.grad`` holds). The graph is freed afterwards
        unless ``retain_graph=True``. See :func:`hayabusa.autograd.backward`.

        Args:
            gradient (Tensor, optional): the gradient of some loss with respect to this tensor, of
                its shape; may be left out for a single-element tensor (it is then 1).
            retain_graph (bool, optional): keep the graph for another backward. Default: ``False``.
            create_graph (bool, optional): higher-order gradients; True raises NotImplementedError.
            inputs (sequence of Tensors, optional): not supported (NotImplementedError); use
                :func:`hayabusa.autograd.grad`.

        Example::

            >>> x = torch.tensor([1., 2.], requires_grad=True)
            >>> (x ** 2).sum().backward()
            >>> x.grad
            tensor([2., 4.])
        """
        # loss.backward() on a float32/float64 scalar goes straight to the engine (compiled)
        if (gradient is None and not create_graph and inputs is None
                and _backward_scalar(self, bool(retain_graph))):
            return
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A new tensor sharing this one's data (and version counter), outside the graph.

        The result does not require grad; changes to its data in place are seen by this tensor.

        Example::

            >>> w = torch.tensor([1., 2.], requires_grad=True)
            >>> w.detach().requires_grad
            False
        """
        out = _wrap(self._data)
        out._version = self._version
        return out

    def detach_(self) -> Tensor:
        """Detaches this tensor from the graph in place (it becomes a leaf not requiring grad)."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ------------------------------------------------------------ conversion
    def numpy(self, force: builtins.bool = False) -> np.ndarray:
        """The numpy array behind this tensor (the same memory: writes show in both).

        Args:
            force (bool, optional): allow it for a tensor that requires grad (else RuntimeError, as
                PyTorch: use ``detach().numpy()``). Default: ``False``.

        Example::

            >>> torch.tensor([1., 2.]).numpy()
            array([1., 2.], dtype=float32)
        """
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        data = self._data
        if dtype is not None and data.dtype != dtype:
            return data.astype(dtype)
        return data.copy() if copy else data

    def item(self) -> builtins.float | builtins.int | builtins.bool:
        """The value of a one-element tensor as a Python number.

        Example::

            >>> torch.tensor([2.5]).item()
            2.5
        """
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self) -> Any:
        """The elements as (nested) Python lists of numbers (a number for a 0-d tensor).

        Example::

            >>> torch.tensor([[1, 2], [3, 4]]).tolist()
            [[1, 2], [3, 4]]
        """
        return self._data.tolist()

    def __float__(self) -> builtins.float:
        return float(self.item())

    def __int__(self) -> builtins.int:
        return int(self.item())

    def __bool__(self) -> builtins.bool:
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __index__(self) -> builtins.int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __len__(self) -> builtins.int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
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

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor in another dtype (and/or on another device): ``to(dtype)``, ``to(device)``,
        ``to(device, dtype)``, ``to(other)`` (``other``'s dtype and device), or keywords
        ``dtype=``, ``device=``, ``copy=``.

        Returns this tensor itself when nothing changes (unless ``copy=True``). A dtype change is
        differentiable. Only the CPU exists; asking for CUDA raises RuntimeError. ``non_blocking``
        and ``memory_format`` are accepted and ignored.

        Example::

            >>> x = torch.tensor([1, 2])
            >>> x.to(torch.float64)
            tensor([1., 2.], dtype=hayabusa.float64)
            >>> x.to("cpu") is x
            True
        """
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

    def cpu(self) -> Tensor:
        """This tensor itself (the data is on the CPU)."""
        return self

    def cuda(self, device: DeviceLike | None = None, non_blocking: builtins.bool = False) -> Tensor:
        """A copy on a CUDA device: raises RuntimeError (this release has no CUDA backend).

        """
        as_device("cuda" if device is None else device)

    def type(self, dtype: DTypeLike | None = None) -> str | Tensor:
        """With no argument, PyTorch's type name (``'torch.FloatTensor'``); else ``self.to(dtype)``.

        ``dtype`` is a dtype; type-name strings (``'torch.DoubleTensor'``) are not accepted.

        Example::

            >>> torch.zeros(2).type()
            'torch.FloatTensor'
        """
        if dtype is None:
            return {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
                    "int64": "torch.LongTensor", "int32": "torch.IntTensor",
                    "bool": "torch.BoolTensor", "float16": "torch.HalfTensor",
                    "uint8": "torch.ByteTensor", "int8": "torch.CharTensor",
                    "int16": "torch.ShortTensor"}[self.dtype.name]
        return self.to(dtype)

    def float(self) -> Tensor:
        """``self.to(hayabusa.float32)``: this tensor as float32."""
        return self.to(_dtype.float32)

    def double(self) -> Tensor:
        """``self.to(hayabusa.float64)``: this tensor as float64."""
        return self.to(_dtype.float64)

    def half(self) -> Tensor:
        """``self.to(hayabusa.float16)``: this tensor as float16 (few ops support float16 yet)."""
        return self.to(_dtype.float16)

    def long(self) -> Tensor:
        """``self.to(hayabusa.int64)``: this tensor as int64."""
        return self.to(_dtype.int64)

    def int(self) -> Tensor:
        """``self.to(hayabusa.int32)``: this tensor as int32."""
        return self.to(_dtype.int32)

    def bool(self) -> Tensor:
        """``self.to(hayabusa.bool)``: this tensor as bool."""
        return self.to(_dtype.bool_)

    def type_as(self, other: Tensor) -> Tensor:
        """``self.to(other.dtype)``: this tensor in ``other``'s dtype."""
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

    def add_(self, other: TensorOrNumber, alpha: Number = 1) -> Tensor:
        """In place, ``self += alpha * other`` (see :func:`hayabusa.add`); returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(lambda s, o: arith.add(s, o, alpha=alpha), other)

    def sub_(self, other: TensorOrNumber, alpha: Number = 1) -> Tensor:
        """In place, ``self -= alpha * other`` (see :func:`hayabusa.sub`); returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(lambda s, o: arith.sub(s, o, alpha=alpha), other)

    def mul_(self, other: TensorOrNumber) -> Tensor:
        """In place, ``self *= other`` (see :func:`hayabusa.mul`); returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.mul, other)

    def div_(self, other: TensorOrNumber, rounding_mode: str | None = None) -> Tensor:
        """In place, ``self /= other`` (see :func:`hayabusa.div`); returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(lambda s, o: arith.div(s, o, rounding_mode), other)

    def pow_(self, other: TensorOrNumber) -> Tensor:
        """In place, ``self **= other`` (see :func:`hayabusa.pow`); returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.pow, other)

    def clamp_(self, min: TensorOrNumber | None = None,
               max: TensorOrNumber | None = None) -> Tensor:
        """In place, clamps this tensor into ``[min, max]`` (:func:`hayabusa.clamp`); returns it.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(lambda s: arith.clamp(s, min, max))

    def neg_(self) -> Tensor:
        """In place, negates this tensor; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.neg)

    def exp_(self) -> Tensor:
        """In place, replaces each element by its exponential; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.exp)

    def log_(self) -> Tensor:
        """In place, replaces each element by its natural logarithm; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.log)

    def sqrt_(self) -> Tensor:
        """In place, replaces each element by its square root; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.sqrt)

    def abs_(self) -> Tensor:
        """In place, replaces each element by its absolute value; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        return self._inplace(arith.abs)

    def relu_(self) -> Tensor:
        """In place, applies ReLU to this tensor; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        from .ops.activation import relu
        return self._inplace(relu)

    def sigmoid_(self) -> Tensor:
        """In place, applies the sigmoid to this tensor; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        from .ops.activation import sigmoid
        return self._inplace(sigmoid)

    def tanh_(self) -> Tensor:
        """In place, applies tanh to this tensor; returns this tensor.

        The result is cast back to this tensor's dtype, which must hold it (an int tensor cannot
        take a float result: RuntimeError, as PyTorch). In-place: the tensor's version counter is
        bumped (so a graph that saved it refuses to run backward), and a leaf that requires grad
        raises RuntimeError unless grad mode is off.
        """
        from .ops.activation import tanh
        return self._inplace(tanh)

    def fill_(self, value: TensorOrNumber) -> Tensor:
        """Fills this tensor with ``value`` (a number or a 0-d tensor), in place; returns it.

        In-place: the tensor's version counter is bumped (so a graph that saved it refuses to run
        backward), and a leaf that requires grad raises RuntimeError unless grad mode is off.

        Example::

            >>> torch.zeros(3).fill_(5)
            tensor([5., 5., 5.])
        """
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

    def zero_(self) -> Tensor:
        """Fills this tensor with zeros, in place; returns this tensor (see :meth:`fill_`)."""
        return self.fill_(0)

    def copy_(self, src: Tensor, non_blocking: builtins.bool = False) -> Tensor:
        """Copies ``src``'s values into this tensor, in place (broadcast, cast to this dtype).

        Differentiable with respect to ``src`` when grad mode is on. In-place: the tensor's version
        counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
        requires grad raises RuntimeError unless grad mode is off.

        Args:
            src (Tensor): the values, broadcastable to this tensor's shape.
            non_blocking (bool, optional): accepted and ignored.

        Example::

            >>> t = torch.zeros(2, 2)
            >>> t.copy_(torch.tensor([1., 2.]))
            tensor([[1., 2.],
                    [1., 2.]])
        """
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

    def __setitem__(self, index: Any, value: TensorOrNumber | Sequence[Any]) -> None:
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
    def __add__(self, other: TensorOrNumber) -> Tensor:
        return arith.add(self, other)

    def __radd__(self, other: TensorOrNumber) -> Tensor:
        return arith.add(other, self)

    def __sub__(self, other: TensorOrNumber) -> Tensor:
        return arith.sub(self, other)

    def __rsub__(self, other: TensorOrNumber) -> Tensor:
        return arith.sub(other, self)

    def __mul__(self, other: TensorOrNumber) -> Tensor:
        return arith.mul(self, other)

    def __rmul__(self, other: TensorOrNumber) -> Tensor:
        return arith.mul(other, self)

    def __truediv__(self, other: TensorOrNumber) -> Tensor:
        return arith.div(self, other)

    def __rtruediv__(self, other: TensorOrNumber) -> Tensor:
        return arith.div(other, self)

    def __floordiv__(self, other: TensorOrNumber) -> Tensor:
        return arith.div(self, other, rounding_mode="floor")

    def __rfloordiv__(self, other: TensorOrNumber) -> Tensor:
        return arith.div(other, self, rounding_mode="floor")

    def __mod__(self, other: TensorOrNumber) -> Tensor:
        return arith.remainder(self, other)

    def __pow__(self, other: TensorOrNumber) -> Tensor:
        return arith.pow(self, other)

    def __rpow__(self, other: TensorOrNumber) -> Tensor:
        return arith.pow(other, self)

    def __matmul__(self, other: Tensor) -> Tensor:
        from .ops.linalg import matmul
        return matmul(self, other)

    def __rmatmul__(self, other: Tensor) -> Tensor:
        from .ops.linalg import matmul
        return matmul(other, self)

    def __neg__(self) -> Tensor:
        return arith.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return arith.abs(self)

    def __invert__(self) -> Tensor:
        if self.dtype is _dtype.bool_:
            return arith.logical_not(self)
        if self.dtype.is_floating_point:
            raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
        return _wrap(~self._data)

    def __and__(self, other: TensorOrNumber) -> Tensor:
        return arith.bitwise("and", self, other)

    def __or__(self, other: TensorOrNumber) -> Tensor:
        return arith.bitwise("or", self, other)

    def __xor__(self, other: TensorOrNumber) -> Tensor:
        return arith.bitwise("xor", self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return arith.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return arith.ne(self, other)

    def __lt__(self, other: TensorOrNumber) -> Tensor:
        return arith.lt(self, other)

    def __le__(self, other: TensorOrNumber) -> Tensor:
        return arith.le(self, other)

    def __gt__(self, other: TensorOrNumber) -> Tensor:
        return arith.gt(self, other)

    def __ge__(self, other: TensorOrNumber) -> Tensor:
        return arith.ge(self, other)

    def __iadd__(self, other: TensorOrNumber) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: TensorOrNumber) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: TensorOrNumber) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: TensorOrNumber) -> Tensor:
        return self.div_(other)

    def __ipow__(self, other: TensorOrNumber) -> Tensor:
        return self.pow_(other)

    def __getitem__(self, index: Any) -> Tensor:
        from .ops.shape import getitem
        return getitem(self, index)

    if TYPE_CHECKING:
        # the op methods _tensor_methods.py attaches at import, declared for type checkers
        add = _arith.add
        sub = _arith.sub
        mul = _arith.mul
        div = _arith.div
        true_divide = _arith.div
        pow = _arith.pow
        neg = _arith.neg
        exp = _arith.exp
        log = _arith.log
        sqrt = _arith.sqrt
        rsqrt = _arith.rsqrt
        abs = _arith.abs
        sin = _arith.sin
        cos = _arith.cos
        log1p = _arith.log1p
        expm1 = _arith.expm1
        square = _arith.square
        clamp = _arith.clamp
        clip = _arith.clamp
        maximum = _arith.maximum
        minimum = _arith.minimum
        sign = _arith.sign
        floor = _arith.floor
        ceil = _arith.ceil
        round = _arith.round
        isnan = _arith.isnan
        isinf = _arith.isinf
        isfinite = _arith.isfinite
        remainder = _arith.remainder
        eq = _arith.eq
        ne = _arith.ne
        lt = _arith.lt
        le = _arith.le
        gt = _arith.gt
        ge = _arith.ge
        logical_not = _arith.logical_not
        logical_and = _arith.logical_and
        logical_or = _arith.logical_or
        logical_xor = _arith.logical_xor
        where = _methods.where
        relu = _activation.relu
        sigmoid = _activation.sigmoid
        tanh = _activation.tanh
        softmax = _softmax.softmax
        log_softmax = _softmax.log_softmax
        sum = _reduce.sum
        mean = _reduce.mean
        var = _reduce.var
        std = _reduce.std
        prod = _reduce.prod
        max = _reduce.max
        min = _reduce.min
        amax = _reduce.amax
        amin = _reduce.amin
        argmax = _reduce.argmax
        argmin = _reduce.argmin
        all = _reduce.all
        any = _reduce.any
        matmul = _linalg.matmul
        mm = _linalg.mm
        bmm = _linalg.bmm
        dot = _linalg.dot
        reshape = _shape.reshape
        view = _shape.view
        flatten = _shape.flatten
        unflatten = _shape.unflatten
        permute = _shape.permute
        transpose = _shape.transpose
        t = _shape.t
        squeeze = _shape.squeeze
        unsqueeze = _shape.unsqueeze
        expand = _shape.expand
        expand_as = _shape.expand_as
        contiguous = _shape.contiguous
        clone = _shape.clone
        chunk = _shape.chunk
        split = _shape.split
        unbind = _shape.unbind
        gather = _shape.gather
        view_as = _methods.view_as
        reshape_as = _methods.reshape_as
        sort = _sort.sort
        argsort = _sort.argsort
        topk = _sort.topk
        norm = _norm.norm

        @property
        def T(self) -> Tensor: ...

        @property
        def mT(self) -> Tensor: ...


_TYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
               "bool": "Bool", "float16": "Half", "uint8": "Byte", "int8": "Char",
               "int16": "Short"}




register_tensor_class(Tensor)

# the op family behind the operators and the backward entry point; both import
# Tensor, so they come after the class
from .ops import arith  # noqa: E402
from . import autograd as _autograd  # noqa: E402
