"""Indexing by index and mask tensors: index_select, masked_fill, masked_select, scatter,
scatter_add, index_add, index_fill, nonzero, and their in-place forms.

Values carry gradients (scattered or gathered back by the same indices); index and mask
tensors never do. An op saves its index tensor as an input, so changing it in place
before backward raises instead of giving a wrong gradient.
"""
from __future__ import annotations

import numbers
import warnings
from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ..autograd.function import Function
from ._util import broadcast_shapes, cast, normalize_dim, unbroadcast

if TYPE_CHECKING:
    from .._typing import Number


def _type_name(dt):
    return _TYPE_NAMES.get(dt.name, dt.name)


def _check_index_dtype(index, name):
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32 or int64 for index")


def _check_value_tensor(value, name):
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"{name} only supports a 0-dimensional value tensor, but got tensor "
                           f"with {value.ndim} dimension(s).")


def _saved_index(idx, index):
    """idx (index's values as a vector) as a tensor that shares index's version counter:
    the node saves it, and changing index in place before backward must raise."""
    t = _wrap(idx)
    t._version = index._version
    return t


def _as_vector(index):
    """A 0-d index as a one-element vector (index_select and friends take both)."""
    return index._data.reshape(-1)


def _along(dim, index):
    """The indexing tuple that picks `index` along axis dim, everything along the others."""
    return (slice(None),) * dim + (index,)


# ---------------------------------------------------------------- index_select
class IndexSelect(Function):
    saved_inputs = (1,)

    def forward(self, x, index, dim):
        self.in_shape, self.index, self.dim = x.shape, index, dim
        return self.be.take(x, index, axis=dim)

    def backward(self, grad):
        g = self.be.zeros(self.in_shape, grad.dtype)
        self.be.index_add(g, self.dim, self.index, grad)
        return g, None


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices of ``input`` at positions ``index`` along ``dim``, as a new tensor.

    Differentiable with respect to ``input`` (the gradient of a slice picked several times adds
    up).

    Args:
        input (Tensor): the source.
        dim (int): the dimension ``index`` indexes.
        index (Tensor): an int64 (or int32) vector (or 0-d) of positions in ``[0, size(dim))``.

    Returns:
        Tensor: ``input``'s shape with ``size(dim)`` replaced by ``len(index)``.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.index_select(x, 1, torch.tensor([2, 0]))
        tensor([[3., 1.],
                [6., 4.]])
    """
    _check_index_dtype(index, "index_select")
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = normalize_dim(dim, input.ndim)
    n = input.shape[d] if input.ndim else 1
    idx = _as_vector(index)
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    if input.ndim == 0:
        from .shape import reshape
        return reshape(IndexSelect.apply(reshape(input, 1), _saved_index(idx, index), dim=0), ())
    return IndexSelect.apply(input, _saved_index(idx, index), dim=d)


# ---------------------------------------------------------------- masks
class MaskedFill(Function):
    """input with value where mask (broadcast together); value a number or a 0-d tensor."""

    saved_inputs = (1,)

    def forward(self, x, mask, value_tensor, value=None):
        self.in_shape, self.mask = x.shape, mask
        fill = value if value_tensor is None else value_tensor
        return self.be.where(mask, self.be.asarray(fill, x.dtype), x)

    def backward(self, grad):
        need_x, _, need_value = self.needs_input_grad
        be = self.be
        gx = gv = None
        if need_x:
            gx = unbroadcast(be, be.where(self.mask, 0, grad).astype(grad.dtype, copy=False),
                             self.in_shape)
        if need_value:
            gv = be.asarray(be.sum(be.where(self.mask, grad, 0)), grad.dtype)
        return gx, None, gv


def _check_mask(mask, name):
    if not isinstance(mask, Tensor):
        raise TypeError(f"{name}(): argument 'mask' must be Tensor, not {type(mask).__name__}")
    if mask.dtype is not _dtype.bool_:
        if name == "masked_select":
            raise RuntimeError("masked_select: expected BoolTensor for mask")
        raise RuntimeError(f"{name}_ only supports boolean masks, but got mask with dtype "
                           f"{_torch_dtype_name(mask.dtype)}")


def _torch_dtype_name(dt):
    # as PyTorch prints dtypes in messages: torch.float32 is "float", torch.int64 "long"
    return {"float32": "float", "float64": "double", "int64": "long", "int32": "int",
            "float16": "half", "uint8": "unsigned char", "int8": "signed char",
            "int16": "short", "bool": "bool"}[dt.name]


def masked_fill(input: Tensor, mask: Tensor, value: Number | Tensor) -> Tensor:
    """``input`` with ``value`` wherever ``mask`` is True.

    Differentiable with respect to ``input`` (zero gradient where filled) and to a tensor
    ``value`` (the sum of the gradient where filled).

    Args:
        input (Tensor): the source.
        mask (Tensor): a bool tensor, broadcastable with ``input``.
        value (Number or Tensor): a number or a 0-d tensor (cast to ``input``'s dtype).

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> x.masked_fill(x > 3, 0.)
        tensor([[1., 2., 3.],
                [0., 0., 0.]])
    """
    _check_mask(mask, "masked_fill")
    _check_value_tensor(value, "masked_fill_")
    broadcast_shapes(mask.shape, input.shape)
    if isinstance(value, Tensor):
        return MaskedFill.apply(input, mask, cast(value, input.dtype))
    if not isinstance(value, numbers.Number):
        raise TypeError(f"masked_fill(): argument 'value' must be Number or Tensor, not "
                        f"{type(value).__name__}")
    return MaskedFill.apply(input, mask, None, value=value)


class MaskedSelect(Function):
    saved_inputs = (1,)

    def forward(self, x, mask, shape):
        self.in_shape, self.mask, self.shape = x.shape, mask, shape
        be = self.be
        return be.broadcast_to(x, shape)[be.broadcast_to(mask, shape)]

    def backward(self, grad):
        be = self.be
        g = be.zeros(self.shape, grad.dtype)
        g[be.broadcast_to(self.mask, self.shape)] = grad
        return unbroadcast(be, g, self.in_shape), None


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """A 1-D tensor of ``input``'s entries where ``mask`` is True, in row-major order.

    Args:
        input (Tensor): the source.
        mask (Tensor): a bool tensor; ``input`` and ``mask`` broadcast together.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.masked_select(x, x > 3)
        tensor([4., 5., 6.])
    """
    _check_mask(mask, "masked_select")
    shape = broadcast_shapes(input.shape, mask.shape)
    return MaskedSelect.apply(input, mask, shape=shape)


# ---------------------------------------------------------------- scatter
def _scatter_positions(be, index, dim):
    """Full indexing tuples for every entry of index: index itself along dim."""
    positions = list(be.indices_like(index))
    positions[dim] = index
    return tuple(positions)


def _crop(src, shape):
    """src's leading block of the given shape (scatter reads only index's extent of src)."""
    if tuple(src.shape) == tuple(shape):
        return src
    return src[tuple(slice(0, n) for n in shape)]


def _check_scatter(name, input, dim, index, src):
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    d = normalize_dim(dim, input.ndim)
    if index.ndim != input.ndim and index.numel():
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if src is not None:
        if src.dtype is not input.dtype:
            raise RuntimeError(f"{name}(): Expected self.dtype to be equal to src.dtype")
        if index.ndim != src.ndim and index.numel():
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
    if not index.numel():
        return d
    too_big = any(index.shape[k] > input.shape[k] for k in range(input.ndim) if k != d)
    if src is not None:
        too_big = too_big or any(index.shape[k] > src.shape[k] for k in range(src.ndim))
    if too_big:
        msg = (f"Expected index {list(index.shape)} to be no larger than self "
               f"{list(input.shape)} apart from dimension {d}")
        if src is not None:
            msg += f" and to be no larger size than src {list(src.shape)}"
        raise RuntimeError(msg)
    idx = index._data
    n = input.shape[d] if input.ndim else 1
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad].reshape(-1)[0])} is out of bounds for dimension "
                           f"{d} with size {n}")
    return d


class Scatter(Function):
    """input with src's entries (or a value) written at index along dim; reduce='add' or
    'multiply' combine them with what is there instead (no gradient then, as PyTorch)."""

    saved_inputs = (1,)

    def forward(self, x, index, src, dim, value=None, reduce=None):
        be = self.be
        self.index, self.dim, self.reduce = index, dim, reduce
        self.src_shape = None if src is None else src.shape
        out = be.copy(x)
        if index.size == 0:
            return out
        positions = _scatter_positions(be, index, dim)
        values = value if src is None else _crop(src, index.shape)
        if reduce is None:
            out[positions] = values
        else:
            be.reduce_at(out, positions, be.broadcast_to(be.asarray(values, x.dtype), index.shape),
                         "add" if reduce == "add" else "multiply")
        return out

    def backward(self, grad):
        if self.reduce is not None:
            raise RuntimeError("derivative for aten::scatter is not implemented")
        need_x, _, need_src = self.needs_input_grad
        be = self.be
        positions = _scatter_positions(be, self.index, self.dim) if self.index.size else None
        gx = gsrc = None
        if need_x:
            gx = be.copy(grad)
            if positions is not None:
                gx[positions] = 0
        if need_src:
            gsrc = be.zeros(self.src_shape, grad.dtype)
            if positions is not None:
                gsrc[tuple(slice(0, n) for n in self.index.shape)] = grad[positions]
        return gx, None, gsrc


_SCATTER_REDUCTIONS = ("add", "multiply")


def scatter(input: Tensor, dim: int, index: Tensor, src: Tensor | Number | None = None,
            value: Number | None = None, *, reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src``'s entries (or ``value``) written at the positions
    ``index`` gives along ``dim``; the out-of-place :meth:`Tensor.scatter_`.

    For 2-D tensors and ``dim=1``, ``out[i][index[i][j]] = src[i][j]``. Differentiable with
    respect to ``input`` (zero gradient where written) and ``src``, unless ``reduce`` is given.

    Args:
        input (Tensor): the source.
        dim (int): the dimension ``index`` indexes.
        index (Tensor): int64 (or int32) positions, with as many dims as ``input`` and no larger
            than it (and ``src``) outside ``dim``.
        src (Tensor or Number): the values, of ``input``'s dtype; a number is taken as ``value``.
        value (Number, optional): one value for every position, instead of ``src``.
        reduce (str, optional): ``'add'`` or ``'multiply'`` into what is there (no gradient).
            Default: ``None``.

    Example::

        >>> src = torch.tensor([[5.], [7.]])
        >>> torch.scatter(torch.zeros(2, 3), 1, torch.tensor([[2], [0]]), src)
        tensor([[0., 0., 5.],
                [7., 0., 0.]])
    """
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src
    if (src is None) == (value is None):
        raise TypeError("scatter(): expected exactly one of 'src' (a Tensor) or 'value' (a number)")
    if reduce is not None and reduce not in _SCATTER_REDUCTIONS:
        raise RuntimeError("reduce argument must be either add or multiply.")
    d = _check_scatter("scatter", input, dim, index, src)
    if reduce is not None and src is not None:
        warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated and will "
                      "be removed in a future PyTorch release. Use torch.scatter_reduce instead "
                      "for more reduction options.", UserWarning, stacklevel=2)
    return Scatter.apply(input, index, src, dim=d, value=value, reduce=reduce)


class ScatterAdd(Function):
    saved_inputs = (1,)

    def forward(self, x, index, src, dim):
        be = self.be
        self.index, self.dim, self.src_shape = index, dim, src.shape
        out = be.copy(x)
        if index.size:
            be.reduce_at(out, _scatter_positions(be, index, dim), _crop(src, index.shape), "add")
        return out

    def backward(self, grad):
        need_x, _, need_src = self.needs_input_grad
        be = self.be
        gsrc = None
        if need_src:
            gsrc = be.zeros(self.src_shape, grad.dtype)
            if self.index.size:
                positions = _scatter_positions(be, self.index, self.dim)
                gsrc[tuple(slice(0, n) for n in self.index.shape)] = grad[positions]
        return (grad if need_x else None), None, gsrc


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src``'s entries added at the positions ``index`` gives along
    ``dim``; the out-of-place :meth:`Tensor.scatter_add_`.

    For 2-D tensors and ``dim=1``, ``out[i][index[i][j]] += src[i][j]``; entries sent to the
    same position all add up. Differentiable with respect to ``input`` and ``src``.

    Args:
        input (Tensor): the source.
        dim (int): the dimension ``index`` indexes.
        index (Tensor): int64 (or int32) positions, with as many dims as ``input`` and no larger
            than it (and ``src``) outside ``dim``.
        src (Tensor): the values, of ``input``'s dtype.

    Example::

        >>> src = torch.tensor([1., 2., 3., 4.])
        >>> torch.scatter_add(torch.zeros(5), 0, torch.tensor([0, 1, 0, 4]), src)
        tensor([4., 2., 0., 0., 4.])
    """
    if not isinstance(src, Tensor):
        raise TypeError(f"scatter_add(): argument 'src' must be Tensor, not {type(src).__name__}")
    d = _check_scatter("scatter", input, dim, index, src)
    return ScatterAdd.apply(input, index, src, dim=d)


# ---------------------------------------------------------------- index_add / index_fill
def _check_vector_index(index, name, message):
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    if index.ndim > 1:
        raise RuntimeError(message)


class IndexAdd(Function):
    saved_inputs = (1,)

    def forward(self, x, index, source, dim, alpha):
        be = self.be
        self.index, self.dim, self.alpha = index, dim, alpha
        out = be.copy(x)
        be.index_add(out, dim, index, source if alpha == 1 else be.multiply(source, alpha))
        return out

    def backward(self, grad):
        need_x, _, need_source = self.needs_input_grad
        be = self.be
        gs = None
        if need_source:
            gs = be.take(grad, self.index, axis=self.dim)
            if self.alpha != 1:
                gs = be.multiply(gs, self.alpha).astype(grad.dtype, copy=False)
        return (grad if need_x else None), None, gs


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *,
              alpha: Number = 1) -> Tensor:
    """A copy of ``input`` with ``alpha`` times the slices of ``source`` added to the slices at
    positions ``index`` along ``dim``; the out-of-place :meth:`Tensor.index_add_`.

    Slice ``k`` of ``source`` is added to slice ``index[k]``; repeated positions all add up.
    Differentiable with respect to ``input`` and ``source``.

    Args:
        input (Tensor): the source.
        dim (int): the dimension ``index`` indexes.
        index (Tensor): an int64 (or int32) vector (or 0-d) of positions in ``[0, size(dim))``.
        source (Tensor): the slices, of ``input``'s dtype and shape except along ``dim``, where
            its size is ``len(index)``.
        alpha (Number, optional): the factor of ``source``. Default: ``1``.

    Example::

        >>> src = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
        >>> torch.index_add(torch.ones(3, 2), 0, torch.tensor([0, 2, 0]), src, alpha=2)
        tensor([[13., 17.],
                [ 1.,  1.],
                [ 7.,  9.]])
    """
    _check_vector_index(index, "index_add", "index_add_(): Index is supposed to be a vector")
    if not isinstance(source, Tensor):
        raise TypeError(f"index_add(): argument 'source' must be Tensor, not "
                        f"{type(source).__name__}")
    d = normalize_dim(dim, input.ndim)
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_add_(): self ({_type_name(input.dtype)}) and source "
                           f"({_type_name(source.dtype)}) must have the same scalar type")
    in_shape = input.shape if input.ndim else (1,)
    src_shape = source.shape if source.ndim else (1,)
    idx = _as_vector(index)
    if (len(src_shape) != len(in_shape)
            or any(src_shape[k] != in_shape[k] for k in range(len(in_shape)) if k != d)):
        raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(input.shape)} "
                           f"source.shape = {list(source.shape)}")
    if src_shape[d] != idx.size:
        raise RuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal to "
                           f"source.size(dim) ({src_shape[d]})")
    bad = (idx < 0) | (idx >= in_shape[d])
    if bad.any():
        raise RuntimeError(f"index {int(idx[bad][0])} is out of bounds for dimension {d} with "
                           f"size {in_shape[d]}")
    if input.ndim == 0 or source.ndim == 0:
        from .shape import reshape
        out = IndexAdd.apply(reshape(input, 1), _saved_index(idx, index), reshape(source, src_shape), dim=0,
                             alpha=alpha)
        return reshape(out, input.shape)
    return IndexAdd.apply(input, _saved_index(idx, index), source, dim=d, alpha=alpha)


class IndexFill(Function):
    saved_inputs = (1,)

    def forward(self, x, index, value_tensor, dim, value=None):
        be = self.be
        self.index, self.dim = index, dim
        out = be.copy(x)
        out[_along(dim, index)] = value if value_tensor is None else value_tensor
        return out

    def backward(self, grad):
        need_x, _, need_value = self.needs_input_grad
        be = self.be
        gx = gv = None
        filled = _along(self.dim, be.unique(self.index))
        if need_x:
            gx = be.copy(grad)
            gx[filled] = 0
        if need_value:
            gv = be.asarray(be.sum(grad[filled]), grad.dtype)
        return gx, None, gv


def index_fill(input: Tensor, dim: int, index: Tensor, value: Number | Tensor) -> Tensor:
    """A copy of ``input`` with the slices at positions ``index`` along ``dim`` filled with
    ``value``; the out-of-place :meth:`Tensor.index_fill_`.

    Differentiable with respect to ``input`` (zero gradient where filled) and to a tensor
    ``value``.

    Args:
        input (Tensor): the source.
        dim (int): the dimension ``index`` indexes.
        index (Tensor): an int64 (or int32) vector (or 0-d) of positions; negative ones count
            from the end.
        value (Number or Tensor): a number or a 0-d tensor.

    Example::

        >>> x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        >>> torch.index_fill(x, 1, torch.tensor([0, 2]), -1.)
        tensor([[-1.,  2., -1.],
                [-1.,  5., -1.]])
    """
    _check_vector_index(index, "index_fill", "Index has to be a vector/scalar")
    _check_value_tensor(value, "index_fill_")
    d = normalize_dim(dim, input.ndim)
    n = input.shape[d] if input.ndim else 1
    idx = _as_vector(index)
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"index {int(idx[bad][0])} is out of bounds for dimension {d} with "
                         f"size {n}")
    idx = idx % n if n else idx
    if input.ndim == 0:
        from .shape import reshape
        return reshape(index_fill(reshape(input, 1), 0, _wrap(idx), value), ())
    if isinstance(value, Tensor):
        return IndexFill.apply(input, _saved_index(idx, index), cast(value, input.dtype), dim=d)
    return IndexFill.apply(input, _saved_index(idx, index), None, dim=d, value=value)


# ---------------------------------------------------------------- nonzero
def nonzero(input: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
    """The indices of ``input``'s non-zero entries, in row-major order.

    Args:
        input (Tensor): the source.
        as_tuple (bool, optional, keyword-only): return one int64 vector per dim (what
            ``input[...]`` takes) instead of one ``(n, ndim)`` tensor. Default: ``False``.

    Returns:
        Tensor or tuple of Tensors: an int64 ``(n, ndim)`` tensor, ``n`` the number of non-zero
        entries; or ``ndim`` int64 vectors of length ``n``.

    Example::

        >>> x = torch.tensor([[0, 1], [2, 0]])
        >>> torch.nonzero(x)
        tensor([[0, 1],
                [1, 0]])
        >>> torch.nonzero(x, as_tuple=True)
        (tensor([0, 1]), tensor([1, 0]))
    """
    be = input._backend
    data = input._data
    if data.ndim == 0:
        hits = be.nonzero(data.reshape(1))[0]
        if as_tuple:
            return (_wrap(hits.astype("int64")),)
        return _wrap(be.zeros((hits.size, 0), "int64"))
    coords = be.nonzero(data)
    if as_tuple:
        return tuple(_wrap(c.astype("int64", copy=False)) for c in coords)
    return _wrap(be.stack(coords, axis=1).astype("int64", copy=False))


# ---------------------------------------------------------------- in place
def masked_fill_(self: Tensor, mask: Tensor, value: Number | Tensor) -> Tensor:
    """In place, writes ``value`` wherever ``mask`` is True (:func:`hayabusa.masked_fill`);
    returns this tensor.

    In-place: the tensor's version counter is bumped (so a graph that saved it refuses to run
    backward), and a leaf that requires grad raises RuntimeError unless grad mode is off.

    Args:
        mask (Tensor): a bool tensor, broadcastable to this tensor's shape.
        value (Number or Tensor): a number or a 0-d tensor (its gradient is the sum of the
            gradient over the filled positions).

    Example::

        >>> t = torch.zeros(2, 3)
        >>> t.masked_fill_(torch.tensor([True, False, True]), 1.)
        tensor([[1., 0., 1.],
                [1., 0., 1.]])
    """
    return self._inplace(lambda s, m, v: masked_fill(s, m, v), mask, value)


def scatter_(self: Tensor, dim: int, index: Tensor, src: Tensor | Number | None = None,
             value: Number | None = None, *, reduce: str | None = None) -> Tensor:
    """In place, writes ``src``'s entries (or ``value``) at the positions ``index`` gives along
    ``dim`` (:func:`hayabusa.scatter`); returns this tensor.

    For a 2-D tensor and ``dim=1``, ``self[i][index[i][j]] = src[i][j]``. Where ``index``
    repeats a position, one of the values written there is kept. With ``reduce='add'`` or
    ``'multiply'`` the values are added to (multiplied into) what is there instead, with no
    gradient (PyTorch's deprecated form; a tensor ``src`` warns). In-place: the tensor's version
    counter is bumped (so a graph that saved it refuses to run backward), and a leaf that
    requires grad raises RuntimeError unless grad mode is off.

    Args:
        dim (int): the dimension ``index`` indexes.
        index (Tensor): int64 (or int32) positions, with as many dims as this tensor and no larger
            than it (and ``src``) outside ``dim``.
        src (Tensor or Number): the values, of this tensor's dtype (only its leading block of
            ``index``'s shape is read); a number is taken as ``value``.
        value (Number, optional): one value for every position, instead of ``src``.
        reduce (str, optional): ``'add'`` or ``'multiply'``. Default: ``None`` (overwrite).

    Example::

        >>> t = torch.zeros(2, 3)
        >>> t.scatter_(1, torch.tensor([[2], [0]]), torch.tensor([[5.], [7.]]))
        tensor([[0., 0., 5.],
                [7., 0., 0.]])
        >>> torch.zeros(2, 3).scatter_(0, torch.tensor([[1, 0, 1]]), 4.)
        tensor([[0., 4., 0.],
                [4., 0., 4.]])
    """
    return self._inplace(lambda s, i, v: scatter(s, dim, i, v, value, reduce=reduce), index, src)


def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """In place, adds ``src``'s entries at the positions ``index`` gives along ``dim``
    (:func:`hayabusa.scatter_add`); returns this tensor.

    For a 2-D tensor and ``dim=1``, ``self[i][index[i][j]] += src[i][j]``; entries sent to the
    same position all add up. In-place: the tensor's version counter is bumped (so a graph that
    saved it refuses to run backward), and a leaf that requires grad raises RuntimeError unless
    grad mode is off.

    Args:
        dim (int): the dimension ``index`` indexes.
        index (Tensor): int64 (or int32) positions, with as many dims as this tensor and no larger
            than it (and ``src``) outside ``dim``.
        src (Tensor): the values, of this tensor's dtype (only its leading block of ``index``'s
            shape is read).

    Example::

        >>> t = torch.zeros(5)
        >>> t.scatter_add_(0, torch.tensor([0, 1, 0, 4]), torch.tensor([1., 2., 3., 4.]))
        tensor([4., 2., 0., 0., 4.])
    """
    return self._inplace(lambda s, i, v: scatter_add(s, dim, i, v), index, src)


def index_add_(self: Tensor, dim: int, index: Tensor, source: Tensor, *,
               alpha: Number = 1) -> Tensor:
    """In place, adds ``alpha`` times the slices of ``source`` to the slices at positions
    ``index`` along ``dim`` (:func:`hayabusa.index_add`); returns this tensor.

    Slice ``k`` of ``source`` along ``dim`` is added to slice ``index[k]``; repeated positions
    all add up. In-place: the tensor's version counter is bumped (so a graph that saved it
    refuses to run backward), and a leaf that requires grad raises RuntimeError unless grad mode
    is off.

    Args:
        dim (int): the dimension ``index`` indexes.
        index (Tensor): an int64 (or int32) vector (or 0-d) of positions in ``[0, size(dim))``.
        source (Tensor): the slices, of this tensor's dtype and shape except along ``dim``,
            where its size is ``len(index)``.
        alpha (Number, optional): the factor of ``source``. Default: ``1``.

    Example::

        >>> t = torch.ones(3, 2)
        >>> t.index_add_(0, torch.tensor([0, 2, 0]), torch.tensor([[1., 2.], [3., 4.], [5., 6.]]))
        tensor([[7., 9.],
                [1., 1.],
                [4., 5.]])
    """
    return self._inplace(lambda s, i, v: index_add(s, dim, i, v, alpha=alpha), index, source)


def index_fill_(self: Tensor, dim: int, index: Tensor, value: Number | Tensor) -> Tensor:
    """In place, fills the slices at positions ``index`` along ``dim`` with ``value``
    (:func:`hayabusa.index_fill`); returns this tensor.

    In-place: the tensor's version counter is bumped (so a graph that saved it refuses to run
    backward), and a leaf that requires grad raises RuntimeError unless grad mode is off.

    Args:
        dim (int): the dimension ``index`` indexes.
        index (Tensor): an int64 (or int32) vector (or 0-d) of positions; negative ones count
            from the end.
        value (Number or Tensor): a number or a 0-d tensor.

    Example::

        >>> t = torch.ones(2, 3)
        >>> t.index_fill_(1, torch.tensor([0, 2]), -1.)
        tensor([[-1.,  1., -1.],
                [-1.,  1., -1.]])
    """
    return self._inplace(lambda s, i, v: index_fill(s, dim, i, v), index, value)
