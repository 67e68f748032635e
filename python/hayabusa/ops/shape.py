"""Shape ops: views (reshape, transpose, permute, expand, squeeze), indexing, cat/stack/split, gather.

Views share their input's data and version counter, so an in-place change
through one is seen, and guarded, through the other.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .._tensor import Tensor
from ..autograd.function import Function
from .. import _dtype
from ._util import cast, normalize_dim, unbroadcast

if TYPE_CHECKING:
    from typing import Sequence

    from .._typing import DimsLike


def _share_version_if_view(out, x):
    if x._backend.may_share_memory(out._data, x._data):
        out._version = x._version
    return out


class Reshape(Function):
    torch_name = "ViewBackward0"

    def forward(self, x, shape):
        self.in_shape = x.shape
        return x.reshape(shape)

    def backward(self, grad):
        return grad.reshape(self.in_shape)


class Permute(Function):
    def forward(self, x, dims):
        self.dims = dims
        return x.transpose(dims)

    def backward(self, grad):
        inverse = [0] * len(self.dims)
        for i, d in enumerate(self.dims):
            inverse[d] = i
        return grad.transpose(inverse)


class Expand(Function):
    def forward(self, x, shape):
        self.in_shape = x.shape
        return self.be.broadcast_to(x, shape)

    def backward(self, grad):
        return unbroadcast(self.be, grad, self.in_shape)


class Contiguous(Function):
    def forward(self, x):
        return self.be.ascontiguousarray(x)

    def backward(self, grad):
        return grad


class Clone(Function):
    def forward(self, x):
        return self.be.copy(x)

    def backward(self, grad):
        return grad


def _is_basic_index(index):
    """Slices, ints, None and Ellipsis only: every element is picked at most once."""
    items = index if isinstance(index, tuple) else (index,)
    return all(i is None or i is Ellipsis or isinstance(i, (int, slice)) for i in items)


class Index(Function):
    torch_name = "IndexBackward0"

    def forward(self, x, index):
        self.in_shape, self.dtype, self.index = x.shape, x.dtype, index
        return x[index]

    def backward(self, grad):
        be = self.be
        g = be.zeros(self.in_shape, self.dtype)
        if _is_basic_index(self.index):
            g[self.index] = grad
        else:
            be.scatter_add(g, self.index, grad)
        return g


class IndexPut(Function):
    """x with x[index] = values, out of place (in-place assignment writes it back)."""

    torch_name = "IndexPutBackward0"

    def forward(self, x, values, index):
        self.index, self.v_shape = index, getattr(values, "shape", ())
        out = self.be.copy(x)
        out[index] = values
        return out

    def backward(self, grad):
        need_x, need_v = self.needs_input_grad
        gx = gv = None
        if need_x:
            gx = self.be.copy(grad)
            gx[self.index] = 0
        if need_v:
            gv = unbroadcast(self.be, grad[self.index], self.v_shape)
        return gx, gv


class Cat(Function):
    def forward(self, *arrays, dim):
        self.dim = dim
        self.sizes = [a.shape[dim] for a in arrays]
        return self.be.concatenate(arrays, axis=dim)

    def backward(self, grad):
        grads, start = [], 0
        for n, need in zip(self.sizes, self.needs_input_grad):
            sl = [slice(None)] * grad.ndim
            sl[self.dim] = slice(start, start + n)
            grads.append(grad[tuple(sl)] if need else None)
            start += n
        return tuple(grads)


class Stack(Function):
    def forward(self, *arrays, dim):
        self.dim = dim
        return self.be.stack(arrays, axis=dim)

    def backward(self, grad):
        return tuple(grad.take(i, axis=self.dim) if need else None
                     for i, need in enumerate(self.needs_input_grad))


class Gather(Function):
    saved_inputs = (1,)

    def forward(self, x, index, dim):
        self.in_shape, self.dtype, self.index, self.dim = x.shape, x.dtype, index, dim
        return self.be.take_along_axis(x, index, axis=dim)

    def backward(self, grad):
        be = self.be
        g = be.zeros(self.in_shape, self.dtype)
        # scatter-add along dim: build full index tuples for the repeated-index case
        idx = list(be.indices_like(self.index))
        idx[self.dim] = self.index
        be.scatter_add(g, tuple(idx), grad)
        return g, None


# ---------------------------------------------------------------- functions
def _shape_arg(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _infer_shape(shape, numel):
    shape = list(shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[shape.index(-1)] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def reshape(x: Tensor, *shape: int | Sequence[int]) -> Tensor:
    """``x`` with a new shape of the same number of elements: a view when the memory allows it.

    The shape is given as ints or one sequence; one entry may be -1, inferred from the rest.
    A contiguous input gives a view that shares ``x``'s data (and its version counter), else a
    copy, as in PyTorch.

    Args:
        x (Tensor): the input.
        *shape (int or sequence of ints): the new shape.

    Example::

        >>> x = torch.arange(6)
        >>> torch.reshape(x, (2, 3))
        tensor([[0, 1, 2],
                [3, 4, 5]])
        >>> x.reshape(3, -1).shape
        hayabusa.Size([3, 2])
    """
    shape = _infer_shape(_shape_arg(shape), x.numel())
    if shape == x.shape:
        return _view_alias(x)
    return _share_version_if_view(Reshape.apply(x, shape=shape), x)


def view(x: Tensor, *shape: int | Sequence[int]) -> Tensor:
    """A view of ``x`` with a new shape: it shares ``x``'s data, so writes to either show in both.

    As :func:`reshape`, but never copies: a shape the memory layout cannot express raises
    RuntimeError (use ``reshape``). ``view(dtype)`` is not supported (use ``.to(dtype)``).

    Args:
        x (Tensor): the input.
        *shape (int or sequence of ints): the new shape; one entry may be -1.

    Example::

        >>> x = torch.arange(6)
        >>> v = x.view(3, 2)
        >>> v[0, 0] = 100
        >>> x
        tensor([100,   1,   2,   3,   4,   5])
    """
    if len(shape) == 1 and not isinstance(shape[0], (tuple, list, int)):
        raise NotImplementedError("view(dtype) is not supported; use .to(dtype)")
    shape = _infer_shape(_shape_arg(shape), x.numel())
    if not x._data.flags.c_contiguous and x.numel() > 1 and shape != x.shape:
        # numpy would silently copy; PyTorch's view refuses
        probe = x._data.view()
        try:
            probe.shape = shape
        except AttributeError:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") from None
    out = Reshape.apply(x, shape=shape)
    out._version = x._version
    return out


def _view_alias(x):
    """A new tensor object over the same data (what reshape to the same shape returns)."""
    return _share_version_if_view(Reshape.apply(x, shape=x.shape), x)


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Flattens dimensions ``start_dim`` to ``end_dim`` of ``x`` into one (a view where possible).

    A 0-d input gives a 1-element 1-D tensor.

    Args:
        x (Tensor): the input.
        start_dim (int, optional): the first dimension to flatten. Default: ``0``.
        end_dim (int, optional): the last dimension to flatten. Default: ``-1``.

    Example::

        >>> torch.flatten(torch.ones(2, 3, 4), 1).shape
        hayabusa.Size([2, 12])
    """
    if x.ndim == 0:
        return reshape(x, 1)
    s = normalize_dim(start_dim, x.ndim)
    e = normalize_dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = x.shape[:s] + (math.prod(x.shape[s:e + 1]),) + x.shape[e + 1:]
    return reshape(x, shape)


def unflatten(x: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Expands dimension ``dim`` of ``x`` into several dimensions of the given sizes.

    Args:
        x (Tensor): the input.
        dim (int): the dimension to expand.
        sizes (sequence of ints): the new sizes; their product is ``x.shape[dim]`` (one may be
            -1, inferred).

    Example::

        >>> torch.unflatten(torch.ones(2, 12), 1, (3, 4)).shape
        hayabusa.Size([2, 3, 4])
    """
    d = normalize_dim(dim, x.ndim)
    sizes = tuple(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        inferred = _infer_shape(sizes, x.shape[d])
    except RuntimeError:
        if sizes.count(-1) > 1:
            raise
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {d} ({x.shape[d]}) in the input tensor") from None
    return reshape(x, x.shape[:d] + inferred + x.shape[d + 1:])


def permute(x: Tensor, *dims: int | Sequence[int]) -> Tensor:
    """A view of ``x`` with its dimensions reordered: output dim ``i`` is input dim ``dims[i]``.

    Args:
        x (Tensor): the input.
        *dims (int or sequence of ints): a permutation of ``range(x.ndim)``.

    Example::

        >>> torch.permute(torch.ones(2, 3, 4), (2, 0, 1)).shape
        hayabusa.Size([4, 2, 3])
    """
    dims = _shape_arg(dims)
    if len(dims) != x.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not "
            f"equal to len(dims) = {len(dims)}")
    dims = tuple(normalize_dim(d, x.ndim) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    out = Permute.apply(x, dims=dims)
    out._version = x._version
    return out


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """A view of ``x`` with dimensions ``dim0`` and ``dim1`` swapped.

    Args:
        x (Tensor): the input.
        dim0 (int): the first dimension.
        dim1 (int): the second dimension.

    Example::

        >>> torch.transpose(torch.ones(2, 3, 4), 0, 2).shape
        hayabusa.Size([4, 3, 2])
    """
    if x.ndim == 0:
        return _view_alias(x)
    d0, d1 = normalize_dim(dim0, x.ndim), normalize_dim(dim1, x.ndim)
    dims = list(range(x.ndim))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return permute(x, dims)


def t(x: Tensor) -> Tensor:
    """The transpose of a matrix (a view); 0-D and 1-D inputs are returned as they are.

    Args:
        x (Tensor): a tensor of at most 2 dimensions.

    Example::

        >>> torch.t(torch.arange(6).reshape(2, 3))
        tensor([[0, 3],
                [1, 4],
                [2, 5]])
    """
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return transpose(x, 0, 1) if x.ndim == 2 else _view_alias(x)


def T(x: Tensor) -> Tensor:
    """``x`` with all its dimensions reversed (a view), as the ``Tensor.T`` property.

    PyTorch deprecates ``.T`` on tensors of other than 2 dimensions; hayabusa reverses the
    dimensions without a warning.

    Example::

        >>> torch.arange(6).reshape(2, 3).T.shape
        hayabusa.Size([3, 2])
    """
    return permute(x, tuple(reversed(range(x.ndim))))


def mT(x: Tensor) -> Tensor:
    """``x`` with its last two dimensions swapped (a view), as the ``Tensor.mT`` property.

    A batch of matrices stays a batch: ``(b, n, m)`` becomes ``(b, m, n)``.

    Example::

        >>> torch.ones(5, 2, 3).mT.shape
        hayabusa.Size([5, 3, 2])
    """
    if x.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.")
    return transpose(x, -2, -1)


def squeeze(x: Tensor, dim: DimsLike | None = None) -> Tensor:
    """``x`` without its dimensions of size 1 (all of them, or those among ``dim``), as a view.

    Dimensions in ``dim`` whose size is not 1 are left as they are.

    Args:
        x (Tensor): the input.
        dim (int or tuple of ints, optional): the dimension(s) to remove. Default: ``None``,
            every size-1 dimension.

    Example::

        >>> x = torch.ones(2, 1, 3, 1)
        >>> torch.squeeze(x).shape
        hayabusa.Size([2, 3])
        >>> torch.squeeze(x, 1).shape
        hayabusa.Size([2, 3, 1])
    """
    if dim is None:
        shape = tuple(s for s in x.shape if s != 1)
    else:
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        dims = {normalize_dim(d, x.ndim) for d in dims}
        shape = tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1))
    return reshape(x, shape)


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    """``x`` with a new dimension of size 1 inserted at position ``dim`` (a view).

    Args:
        x (Tensor): the input.
        dim (int): where the new dimension goes, in ``[-x.ndim - 1, x.ndim]``.

    Example::

        >>> torch.unsqueeze(torch.ones(3), 0).shape
        hayabusa.Size([1, 3])
    """
    d = normalize_dim(dim, x.ndim + 1)
    return reshape(x, x.shape[:d] + (1,) + x.shape[d:])


def expand(x: Tensor, *sizes: int | Sequence[int]) -> Tensor:
    """A view of ``x`` with its size-1 dimensions repeated to ``sizes``, without copying.

    New leading dimensions may be added; -1 keeps a dimension's size. The gradient sums over
    the repeated positions. Writing into an expanded view writes one element many times.

    Args:
        x (Tensor): the input.
        *sizes (int or sequence of ints): the new shape.

    Example::

        >>> torch.tensor([1, 2, 3]).expand(2, 3)
        tensor([[1, 2, 3],
                [1, 2, 3]])
        >>> torch.ones(3, 1).expand(-1, 4).shape
        hayabusa.Size([3, 4])
    """
    sizes = _shape_arg(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"expand(torch.{x.dtype.name.capitalize()}Tensor{{{list(x.shape)}}}, size={list(sizes)}): "
            "the number of sizes provided (%d) must be greater or equal to the number of "
            "dimensions in the tensor (%d)" % (len(sizes), x.ndim))
    lead = len(sizes) - x.ndim
    shape = []
    for i, s in enumerate(sizes):
        cur = x.shape[i - lead] if i >= lead else None
        if s == -1:
            if cur is None:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}")
            s = cur
        elif cur is not None and cur != 1 and cur != s:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at "
                f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(x.shape)}")
        shape.append(s)
    shape = tuple(shape)
    if shape == x.shape:
        return _view_alias(x)
    out = Expand.apply(x, shape=shape)
    out._version = x._version
    return out


def expand_as(x: Tensor, other: Tensor) -> Tensor:
    """``x.expand(other.shape)``: ``x`` repeated along its size-1 dimensions to ``other``'s shape.

    Args:
        x (Tensor): the input.
        other (Tensor): the tensor whose shape to take.
    """
    return expand(x, other.shape)


def contiguous(x: Tensor) -> Tensor:
    """``x`` itself if its memory is C-contiguous, else a contiguous copy (differentiable).

    Args:
        x (Tensor): the input.

    Example::

        >>> x = torch.ones(2, 3)
        >>> x.contiguous() is x
        True
        >>> x.t().is_contiguous(), x.t().contiguous().is_contiguous()
        (False, True)
    """
    if x._data.flags.c_contiguous:
        return x
    return Contiguous.apply(x)


def clone(x: Tensor) -> Tensor:
    """A copy of ``x`` with its own memory; the gradient flows back to ``x``.

    Args:
        x (Tensor): the input.

    Example::

        >>> x = torch.tensor([1., 2.])
        >>> y = x.clone()
        >>> y[0] = 5.
        >>> x
        tensor([1., 2.])
    """
    return Clone.apply(x)


def _check_cat_inputs(tensors, name):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, not {type(tensors).__name__}")
    if len(tensors) == 0:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, but element {i} is {type(t).__name__}")


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Concatenates tensors along an existing dimension ``dim``.

    All tensors have the same number of dimensions and the same sizes except in ``dim``;
    their dtypes promote to a common one. Empty 1-D tensors (shape ``(0,)``) are skipped, as in
    PyTorch. ``concat`` and ``concatenate`` are aliases.

    Args:
        tensors (sequence of Tensors): the tensors, at least one.
        dim (int, optional): the dimension to concatenate along. Default: ``0``.

    Example::

        >>> torch.cat([torch.tensor([1, 2]), torch.tensor([3])])
        tensor([1, 2, 3])
        >>> torch.cat([torch.ones(2, 3), torch.zeros(2, 1)], dim=1).shape
        hayabusa.Size([2, 4])
    """
    _check_cat_inputs(tensors, "cat")
    # PyTorch skips legacy empty 1-D tensors (shape (0,)) in cat
    parts = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or list(tensors[:1])
    ref = parts[0]
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = normalize_dim(dim, ref.ndim)
    for i, t in enumerate(parts):
        if t.ndim != ref.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}")
        for k in range(ref.ndim):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{ref.shape[k]} but got size {t.shape[k]} for tensor number {i} in the list.")
    dt = ref.dtype
    for t in parts[1:]:
        dt = _dtype.promote_types(dt, t.dtype)
    return Cat.apply(*[cast(t, dt) for t in parts], dim=d)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Stacks tensors of one shape along a new dimension ``dim``.

    Args:
        tensors (sequence of Tensors): tensors of equal shape, at least one.
        dim (int, optional): where the new dimension goes. Default: ``0``.

    Example::

        >>> torch.stack([torch.ones(2), torch.zeros(2)], dim=1)
        tensor([[1., 0.],
                [1., 0.]])
    """
    _check_cat_inputs(tensors, "stack")
    ref = tensors[0]
    for i, t in enumerate(tensors):
        if t.shape != ref.shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ref.shape)} at entry 0 "
                f"and {list(t.shape)} at entry {i}")
    d = normalize_dim(dim, ref.ndim + 1)
    dt = ref.dtype
    for t in tensors[1:]:
        dt = _dtype.promote_types(dt, t.dtype)
    return Stack.apply(*[cast(t, dt) for t in tensors], dim=d)


def _slice_along(x, dim, start, stop):
    index = (slice(None),) * dim + (slice(start, stop),)
    return x[index]


def split(x: Tensor, split_size_or_sections: int | Sequence[int],
          dim: int = 0) -> tuple[Tensor, ...]:
    """Splits ``x`` along ``dim`` into views: of ``split_size`` each, or of the listed sizes.

    With an int, every piece has that size but the last, which may be smaller.

    Args:
        x (Tensor): the input.
        split_size_or_sections (int or sequence of ints): the size of each piece, or the sizes
            of the pieces (summing to ``x.shape[dim]``).
        dim (int, optional): the dimension to split. Default: ``0``.

    Returns:
        tuple of Tensors

    Example::

        >>> torch.split(torch.arange(5), 2)
        (tensor([0, 1]), tensor([2, 3]), tensor([4]))
        >>> torch.split(torch.arange(5), [1, 4])
        (tensor([0]), tensor([1, 2, 3, 4]))
    """
    d = normalize_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0 and not (size == 0 and n == 0):
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        bounds = list(range(0, n, size)) if size else [0]
        return tuple(_slice_along(x, d, b, min(b + size, n)) for b in bounds) if n else (x,)
    sizes = list(split_size_or_sections)
    if sum(sizes) != n:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
            f"dimension {d}), but got split_sizes={sizes}")
    out, start = [], 0
    for s in sizes:
        out.append(_slice_along(x, d, start, start + s))
        start += s
    return tuple(out)


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Splits ``x`` along ``dim`` into ``chunks`` views of ``ceil(size / chunks)`` elements.

    The last chunk may be smaller, and there may be fewer than ``chunks`` of them, as in PyTorch.

    Args:
        x (Tensor): the input.
        chunks (int): the number of chunks wanted.
        dim (int, optional): the dimension to split. Default: ``0``.

    Example::

        >>> torch.chunk(torch.arange(5), 2)
        (tensor([0, 1, 2]), tensor([3, 4]))
    """
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: %d" % chunks)
    d = normalize_dim(dim, x.ndim)
    size = -(-x.shape[d] // chunks) if x.shape[d] else 0
    return split(x, size, d) if size else (x,) * 1


def unbind(x: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of ``x`` along ``dim``, as a tuple of views without that dimension.

    Args:
        x (Tensor): the input.
        dim (int, optional): the dimension to remove. Default: ``0``.

    Example::

        >>> torch.unbind(torch.tensor([[1, 2], [3, 4]]))
        (tensor([1, 2]), tensor([3, 4]))
    """
    d = normalize_dim(dim, x.ndim)
    return tuple(x[(slice(None),) * d + (i,)] for i in range(x.shape[d]))


def gather(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """Picks values of ``x`` along ``dim`` at the positions in ``index``.

    For a 2-D input and ``dim=1``: ``out[i][j] = x[i][index[i][j]]``. ``index`` has ``x``'s
    number of dimensions and is no larger than ``x`` in the other dimensions; the output has
    ``index``'s shape. The gradient is scattered back (summed where positions repeat).
    PyTorch's ``sparse_grad`` argument is not supported.

    Args:
        x (Tensor): the source.
        dim (int): the dimension to index along.
        index (Tensor): int64 positions.

    Example::

        >>> x = torch.tensor([[1., 2.], [3., 4.]])
        >>> torch.gather(x, 1, torch.tensor([[0, 0], [1, 0]]))
        tensor([[1., 1.],
                [4., 3.]])
    """
    if index.dtype is not _dtype.int64:
        raise RuntimeError("gather(): Expected dtype int64 for index")
    d = normalize_dim(dim, x.ndim)
    if index.ndim != x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for k in range(x.ndim):
        if k != d and index.shape[k] > x.shape[k]:
            raise RuntimeError(
                f"Size does not match at dimension {k} expected index {list(index.shape)} to be "
                f"smaller than self {list(x.shape)} apart from dimension {d}")
    idx = index._data
    if idx.size and (idx.min() < -x.shape[d] or idx.max() >= x.shape[d]):
        raise RuntimeError(f"index {int(idx.max())} is out of bounds for dimension {d} with size {x.shape[d]}")
    # take_along_axis wants index shape to match x except in d: crop x to index's extent
    crop = tuple(slice(0, index.shape[k]) if k != d else slice(None) for k in range(x.ndim))
    src = x[crop] if any(index.shape[k] != x.shape[k] for k in range(x.ndim) if k != d) else x
    return Gather.apply(src, index, dim=d)


# ------------------------------------------------------------------ indexing
def _to_index(item):
    if isinstance(item, Tensor):
        if item.dtype.is_floating_point:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return item._data
    if isinstance(item, list):
        return [_to_index(i) for i in item]
    return item


def convert_index(index):
    if isinstance(index, tuple):
        return tuple(_to_index(i) for i in index)
    return _to_index(index)


def _check_bounds(x, index):
    """Raise PyTorch's IndexError for an out-of-range integer index before numpy does."""
    try:
        x._data[index] if not _is_basic_index(index) else None
    except IndexError as e:
        raise IndexError(str(e).replace("axis", "dimension")) from None
    items = index if isinstance(index, tuple) else (index,)
    dim = 0
    for it in items:
        if it is None:
            continue
        if it is Ellipsis:
            dim = x.ndim - sum(1 for j in items if j is not None and j is not Ellipsis) + dim
            continue
        if isinstance(it, int):
            if dim >= x.ndim:
                raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
            n = x.shape[dim]
            if not -n <= it < n:
                raise IndexError(f"index {it} is out of bounds for dimension {dim} with size {n}")
        dim += 1
    if dim > x.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")


def getitem(x, index):
    index = convert_index(index)
    _check_bounds(x, index)
    out = Index.apply(x, index=index)
    if _is_basic_index(index):
        out._version = x._version
    return out


def index_put(x, index, values):
    """x with x[index] = values (a new tensor; Tensor.__setitem__ writes it back in place)."""
    index = convert_index(index)
    _check_bounds(x, index)
    if isinstance(values, Tensor):
        values = cast(values, x.dtype)
    return IndexPut.apply(x, values, index=index)
