"""Tensor methods that are not ops: the new_* factories (the tensor's dtype by default),
memory facts (data_ptr, storage_offset), H, in-place shape changes (squeeze_, unsqueeze_,
t_), and apply_/map_ with Python callables."""
from . import _dtype
from ._core import is_grad_enabled as _grad_enabled
from ._tensor import Tensor


def _new(self, make, size, dtype, requires_grad, **kw):
    from . import _factories
    t = getattr(_factories, make)(*size, dtype=dtype if dtype is not None else self.dtype, **kw)
    return t.requires_grad_(True) if requires_grad else t


def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
    return _new(self, "empty", size, dtype, requires_grad, device=device)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
    return _new(self, "zeros", size, dtype, requires_grad, device=device)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
    return _new(self, "ones", size, dtype, requires_grad, device=device)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    from ._factories import full
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    t = full(size, fill_value, dtype=dtype if dtype is not None else self.dtype, device=device)
    return t.requires_grad_(True) if requires_grad else t


def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    """A new tensor holding a copy of data, in this tensor's dtype unless dtype is given."""
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


def byte(self):
    return self.to(_dtype.uint8)


def data_ptr(self):
    """The address of the tensor's first element."""
    return self._backend.data_ptr(self._data)


def storage_offset(self):
    """The first element's offset, in elements, into the memory the tensor views."""
    return self._backend.storage_offset(self._data)


def H(self):
    """The conjugate transpose of a matrix (its transpose: tensors here are real)."""
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


def squeeze_(self, dim=None):
    from .ops.shape import squeeze
    return _reshape_in_place(self, squeeze(self, dim))


def unsqueeze_(self, dim):
    from .ops.shape import unsqueeze
    return _reshape_in_place(self, unsqueeze(self, dim))


def t_(self):
    from .ops.shape import t
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return _reshape_in_place(self, t(self))


def _check_callable_target(self, name):
    if self._requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. Use "
                           f"var.detach().{name}() instead.")


def apply_(self, callable):
    """Replace each entry x by callable(x), in place (slow: a Python call per entry)."""
    _check_callable_target(self, "apply_")
    data = self._data
    out = [callable(x) for x in data.reshape(-1).tolist()]
    data[...] = self._backend.asarray(out, data.dtype).reshape(data.shape)
    self._version[0] += 1
    return self


def map_(self, tensor, callable):
    """Replace each entry x by callable(x, y), y the matching entry of tensor (broadcast to
    self's shape), in place."""
    from .ops.shape import expand
    _check_callable_target(self, "map_")
    other = expand(tensor, self.shape)._data
    data = self._data
    out = [callable(x, y) for x, y in zip(data.reshape(-1).tolist(), other.reshape(-1).tolist())]
    data[...] = self._backend.asarray(out, data.dtype).reshape(data.shape)
    self._version[0] += 1
    return self
