"""Tensor methods that are not ops: the new_* factories (the tensor's dtype by default),
memory facts (data_ptr, storage_offset), H, in-place shape changes (squeeze_, unsqueeze_,
t_), and apply_/map_ with Python callables."""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import _dtype
from ._core import is_grad_enabled as _grad_enabled
from ._tensor import Tensor

if TYPE_CHECKING:
    from typing import Any, Callable, Sequence

    from ._typing import DeviceLike, DTypeLike, Number


def _new(self, make, size, dtype, requires_grad, **kw):
    from . import _factories
    t = getattr(_factories, make)(*size, dtype=dtype if dtype is not None else self.dtype, **kw)
    return t.requires_grad_(True) if requires_grad else t


def new_empty(self: Tensor, *size: int | Sequence[int], dtype: DTypeLike | None = None,
              device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A new uninitialized tensor of the given size, in this tensor's dtype unless ``dtype`` is
    given (:func:`hayabusa.empty`).

    Args:
        *size (int or sequence of ints): the shape, as ints or one sequence.
        dtype (hayabusa.dtype, optional): the new tensor's dtype. Default: this tensor's.
        device (optional): only the CPU exists. Default: ``None``.
        requires_grad (bool, optional): record operations on the new tensor. Default: ``False``.

    Example::

        >>> x = torch.tensor([1.5, 2.5], dtype=torch.float64)
        >>> e = x.new_empty(2, 3)
        >>> e.shape, e.dtype
        (hayabusa.Size([2, 3]), hayabusa.float64)
    """
    return _new(self, "empty", size, dtype, requires_grad, device=device)


def new_zeros(self: Tensor, *size: int | Sequence[int], dtype: DTypeLike | None = None,
              device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A new tensor of zeros of the given size, in this tensor's dtype unless ``dtype`` is given
    (:func:`hayabusa.zeros`).

    Args:
        *size (int or sequence of ints): the shape, as ints or one sequence.
        dtype (hayabusa.dtype, optional): the new tensor's dtype. Default: this tensor's.
        device (optional): only the CPU exists. Default: ``None``.
        requires_grad (bool, optional): record operations on the new tensor. Default: ``False``.

    Example::

        >>> x = torch.tensor([1.5, 2.5], dtype=torch.float64)
        >>> x.new_zeros(2, 3)
        tensor([[0., 0., 0.],
                [0., 0., 0.]], dtype=hayabusa.float64)
    """
    return _new(self, "zeros", size, dtype, requires_grad, device=device)


def new_ones(self: Tensor, *size: int | Sequence[int], dtype: DTypeLike | None = None,
             device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A new tensor of ones of the given size, in this tensor's dtype unless ``dtype`` is given
    (:func:`hayabusa.ones`).

    Args:
        *size (int or sequence of ints): the shape, as ints or one sequence.
        dtype (hayabusa.dtype, optional): the new tensor's dtype. Default: this tensor's.
        device (optional): only the CPU exists. Default: ``None``.
        requires_grad (bool, optional): record operations on the new tensor. Default: ``False``.

    Example::

        >>> x = torch.tensor([1.5, 2.5], dtype=torch.float64)
        >>> x.new_ones((2,))
        tensor([1., 1.], dtype=hayabusa.float64)
        >>> x.new_ones(2, dtype=torch.int64)
        tensor([1, 1])
    """
    return _new(self, "ones", size, dtype, requires_grad, device=device)


def new_full(self: Tensor, size: Sequence[int], fill_value: Number, *,
             dtype: DTypeLike | None = None, device: DeviceLike | None = None,
             requires_grad: bool = False) -> Tensor:
    """A new tensor of the given size filled with ``fill_value``, in this tensor's dtype unless
    ``dtype`` is given (:func:`hayabusa.full`).

    Args:
        size (tuple or list of ints): the shape (a bare int is a TypeError, as in PyTorch).
        fill_value (Number): the value of every entry.
        dtype (hayabusa.dtype, optional): the new tensor's dtype. Default: this tensor's.
        device (optional): only the CPU exists. Default: ``None``.
        requires_grad (bool, optional): record operations on the new tensor. Default: ``False``.

    Example::

        >>> x = torch.tensor([1.5, 2.5], dtype=torch.float64)
        >>> x.new_full((2, 2), 7)
        tensor([[7., 7.],
                [7., 7.]], dtype=hayabusa.float64)
    """
    from ._factories import full
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    t = full(size, fill_value, dtype=dtype if dtype is not None else self.dtype, device=device)
    return t.requires_grad_(True) if requires_grad else t


def new_tensor(self: Tensor, data: Any, *, dtype: DTypeLike | None = None,
               device: DeviceLike | None = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``, in this tensor's dtype unless ``dtype`` is
    given (:func:`hayabusa.tensor`).

    A tensor ``data`` is copied and detached, with PyTorch's warning to prefer
    ``data.detach().clone()``.

    Args:
        data (array_like): a number, a (nested) list or tuple, a numpy array or a tensor.
        dtype (hayabusa.dtype, optional): the new tensor's dtype. Default: this tensor's.
        device (optional): only the CPU exists. Default: ``None``.
        requires_grad (bool, optional): record operations on the new tensor. Default: ``False``.

    Example::

        >>> x = torch.tensor([1.5], dtype=torch.float64)
        >>> x.new_tensor([1, 2])
        tensor([1., 2.], dtype=hayabusa.float64)
    """
    import warnings
    from ._factories import tensor
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        data = data.detach()
    return tensor(data, dtype=dtype if dtype is not None else self.dtype, device=device,
                  requires_grad=requires_grad)


def byte(self: Tensor) -> Tensor:
    """``self.to(hayabusa.uint8)``: this tensor as unsigned 8-bit integers.

    Floats are truncated toward zero. Values outside ``[0, 255]`` are not saturated: integers
    wrap around modulo 256, and out-of-range floats give what the platform's C cast gives (as in
    PyTorch). A tensor that is already uint8 is returned as it is.

    Example::

        >>> torch.tensor([1.7, 200.0, 3.0]).byte()
        tensor([  1, 200,   3], dtype=hayabusa.uint8)
        >>> torch.tensor([True, False]).byte()
        tensor([1, 0], dtype=hayabusa.uint8)
    """
    return self.to(_dtype.uint8)


def data_ptr(self: Tensor) -> int:
    """The address of the tensor's first element in memory, as an int.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> x[1].data_ptr() - x.data_ptr()  # three float32 entries further
        12
    """
    return self._backend.data_ptr(self._data)


def storage_offset(self: Tensor) -> int:
    """The first element's offset, in elements, into the memory the tensor views.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> x.storage_offset(), x[1].storage_offset(), x[:, 1].storage_offset()
        (0, 3, 1)
    """
    return self._backend.storage_offset(self._data)


def H(self: Tensor) -> Tensor:
    """The conjugate transpose of a matrix: its transpose, as a view (tensors here are real).

    Only matrices: a 0-d tensor warns (deprecated in PyTorch) and comes back as a view; other
    ranks raise RuntimeError (use ``mT`` for batches).

    Example::

        >>> torch.tensor([[1., 2., 3.], [4., 5., 6.]]).H
        tensor([[1., 4.],
                [2., 5.],
                [3., 6.]])
    """
    from .ops.shape import _view_alias, transpose
    if self.ndim == 0:
        import warnings
        warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                      UserWarning, stacklevel=2)
        return _view_alias(self)
    if self.ndim != 2:
        hint = " For batches of matrices, consider using tensor.mH" if self.ndim > 2 else ""
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self.ndim}-D tensor.{hint}")
    return transpose(self, 0, 1)


def _reshape_in_place(self, view):
    """Make self the view (a new shape over the same memory), in place: its graph node
    when recording, and a version bump, as PyTorch's squeeze_/unsqueeze_/t_."""
    self._check_inplace()
    self._data = view._data
    self._version[0] += 1
    if _grad_enabled() and self._requires_grad:
        self.grad_fn = view.grad_fn
    return self


def squeeze_(self: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """Removes dims of size 1, in place (:func:`hayabusa.squeeze`); returns this tensor.

    The tensor becomes a new view of the same memory; with autograd on, its ``grad_fn`` becomes the
    squeeze's. In-place: the tensor's version counter is bumped, and a leaf that requires grad
    raises RuntimeError unless grad mode is off.

    Args:
        dim (int or tuple of ints, optional): the dims to remove (those of size 1 among them).
            Default: ``None``, every dim of size 1.

    Example::

        >>> t = torch.zeros(1, 3, 1)
        >>> t.squeeze_(0).shape
        hayabusa.Size([3, 1])
        >>> t.squeeze_()
        tensor([0., 0., 0.])
    """
    from .ops.shape import squeeze
    return _reshape_in_place(self, squeeze(self, dim))


def unsqueeze_(self: Tensor, dim: int) -> Tensor:
    """Inserts a dim of size 1 at position ``dim``, in place (:func:`hayabusa.unsqueeze`);
    returns this tensor.

    The tensor becomes a new view of the same memory; with autograd on, its ``grad_fn`` becomes the
    unsqueeze's. In-place: the tensor's version counter is bumped, and a leaf that requires grad
    raises RuntimeError unless grad mode is off.

    Args:
        dim (int): the position of the new dim, in ``[-ndim - 1, ndim]``.

    Example::

        >>> t = torch.zeros(3)
        >>> t.unsqueeze_(0).shape
        hayabusa.Size([1, 3])
    """
    from .ops.shape import unsqueeze
    return _reshape_in_place(self, unsqueeze(self, dim))


def t_(self: Tensor) -> Tensor:
    """Transposes this matrix, in place (:func:`hayabusa.t`); returns this tensor.

    A tensor of 0 or 1 dims is left as it is; more than 2 dims raise RuntimeError. The tensor
    becomes a new view of the same memory; with autograd on, its ``grad_fn`` becomes the
    transpose's. In-place: the tensor's version counter is bumped, and a leaf that requires grad
    raises RuntimeError unless grad mode is off.

    Example::

        >>> t = torch.tensor([[1, 2, 3]])
        >>> t.t_()
        tensor([[1],
                [2],
                [3]])
    """
    from .ops.shape import t
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return _reshape_in_place(self, t(self))


def _check_callable_target(self, name):
    if self._requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                           f"var.detach().{name}() instead.")


def apply_(self: Tensor, callable: Callable[[Any], Any]) -> Tensor:
    """Replaces each entry ``x`` by ``callable(x)``, in place; returns this tensor.

    Slow (one Python call per entry) and not differentiable: a tensor that requires grad raises
    RuntimeError. The results are cast to this tensor's dtype. The version counter is bumped.

    Args:
        callable (callable): takes and returns a Python number.

    Example::

        >>> torch.tensor([1., 2., 3.]).apply_(lambda v: v * v)
        tensor([1., 4., 9.])
    """
    _check_callable_target(self, "apply_")
    data = self._data
    out = [callable(x) for x in data.reshape(-1).tolist()]
    data[...] = self._backend.asarray(out, data.dtype).reshape(data.shape)
    self._version[0] += 1
    return self


def map_(self: Tensor, tensor: Tensor, callable: Callable[[Any, Any], Any]) -> Tensor:
    """Replaces each entry ``x`` by ``callable(x, y)``, ``y`` the matching entry of ``tensor``,
    in place; returns this tensor.

    ``tensor`` broadcasts to this tensor's shape. Slow (one Python call per entry) and not
    differentiable: this tensor must not require grad. The results are cast to this tensor's
    dtype. The version counter is bumped.

    Args:
        tensor (Tensor): the second arguments.
        callable (callable): takes two Python numbers and returns one.

    Example::

        >>> t = torch.tensor([1., 2., 3.])
        >>> t.map_(torch.tensor([10., 20., 30.]), lambda a, b: a + b)
        tensor([11., 22., 33.])
    """
    from .ops.shape import expand
    _check_callable_target(self, "map_")
    other = expand(tensor, self.shape)._data
    data = self._data
    out = [callable(x, y) for x, y in zip(data.reshape(-1).tolist(), other.reshape(-1).tolist())]
    data[...] = self._backend.asarray(out, data.dtype).reshape(data.shape)
    self._version[0] += 1
    return self
