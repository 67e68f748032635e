"""Repeating and rearranging entries: repeat, tile, repeat_interleave, roll, flip, and the
broadcasting helpers meshgrid and broadcast_tensors."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Sequence

from .. import _dtype
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ..autograd.function import Function
from . import shape as S
from ._util import broadcast_shapes, normalize_dim

if TYPE_CHECKING:
    from .._typing import DimsLike


def _int_list(args, name):
    """Sizes given as ints or as one sequence (``x.repeat(2, 3)`` or ``x.repeat((2, 3))``)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    if len(args) == 1 and isinstance(args[0], Tensor):
        args = tuple(args[0].tolist())
    for a in args:
        if not isinstance(a, int):
            raise TypeError(f"{name}(): argument must be tuple of ints, but found element of type "
                            f"{type(a).__name__}")
    return tuple(args)


class Repeat(Function):
    """input tiled `repeats` times along each dim (leading dims of size 1 added first)."""

    def forward(self, x, repeats):
        self.in_shape, self.repeats = x.shape, repeats
        lead = len(repeats) - x.ndim
        return self.be.tile(x.reshape((1,) * lead + x.shape), repeats)

    def backward(self, grad):
        # the output's dim k is (repeat r_k, original size s_k): sum over the r_k axes
        sizes = (1,) * (len(self.repeats) - len(self.in_shape)) + self.in_shape
        split = []
        for r, s in zip(self.repeats, sizes):
            split += [r, s]
        summed = self.be.sum(grad.reshape(split), axis=tuple(range(0, len(split), 2)))
        return self.be.asarray(summed).reshape(self.in_shape)


def repeat(input: Tensor, *sizes: int | Sequence[int]) -> Tensor:
    """This tensor repeated ``sizes[k]`` times along each dim (``Tensor.repeat``, numpy's
    ``tile``).

    The sizes are given as ints or as one sequence (``x.repeat(2, 3)`` or ``x.repeat((2, 3))``),
    at least as many as ``ndim``; extra ones add leading dims. The data is copied.
    Differentiable.

    Args:
        *sizes (int or sequence of ints): the number of repetitions along each dim.

    Example::

        >>> x = torch.tensor([[1, 2], [3, 4]])
        >>> x.repeat(1, 2)
        tensor([[1, 2, 1, 2],
                [3, 4, 3, 4]])
        >>> x.repeat(2, 1, 1).shape
        hayabusa.Size([2, 2, 2])
    """
    sizes = _int_list(sizes, "repeat")
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    padded = (1,) * (len(sizes) - input.ndim) + tuple(input.shape)
    result = [r * s for r, s in zip(sizes, padded)]
    if any(r < 0 for r in sizes):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{min(result)}: {result}")
    return Repeat.apply(input, repeats=sizes)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``input`` repeated ``dims[k]`` times along each dim.

    ``dims`` shorter than ``input.ndim`` is padded with leading ones (``tile(x, (2,))`` repeats
    the last dim); longer, it adds leading dims, as :meth:`Tensor.repeat`. Differentiable.

    Args:
        input (Tensor): the source.
        dims (tuple or list of ints): the number of repetitions along each dim (a bare int is a
            TypeError, as in PyTorch).

    Example::

        >>> torch.tile(torch.tensor([[1, 2], [3, 4]]), (2,))
        tensor([[1, 2, 1, 2],
                [3, 4, 3, 4]])
        >>> torch.tile(torch.tensor([1, 2]), (2, 2))
        tensor([[1, 2, 1, 2],
                [1, 2, 1, 2]])
    """
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"tile(): argument 'dims' (position 2) must be tuple of ints, not "
                        f"{type(dims).__name__}")
    dims = _int_list((dims,), "tile")
    return repeat(input, (1,) * (input.ndim - len(dims)) + dims)


def _tensor_tile(self: Tensor, *dims: int | Sequence[int]) -> Tensor:
    """This tensor repeated ``dims[k]`` times along each dim (:func:`hayabusa.tile`).

    The repetitions are given as ints or as one sequence (``x.tile(2, 3)`` or ``x.tile((2, 3))``).
    Fewer of them than ``ndim`` are padded with leading ones (``x.tile(2)`` repeats the last
    dim); more add leading dims, as :meth:`repeat` does. Differentiable.

    Args:
        *dims (int or sequence of ints): the number of repetitions along each dim.

    Example::

        >>> x = torch.tensor([[0, 1], [2, 3]])
        >>> x.tile(2)
        tensor([[0, 1, 0, 1],
                [2, 3, 2, 3]])
        >>> x.tile(2, 1).shape
        hayabusa.Size([4, 2])
    """
    return tile(self, _int_list(dims, "tile"))


class RepeatInterleave(Function):
    saved_inputs = (1,)

    def forward(self, x, repeats, dim):
        self.in_shape, self.repeats, self.dim = x.shape, repeats, dim
        return self.be.repeat(x, repeats, axis=dim)

    def backward(self, grad):
        be = self.be
        n = self.in_shape[self.dim]
        source = be.repeat(be.arange(n), be.broadcast_to(self.repeats, (n,)))
        g = be.zeros(self.in_shape, grad.dtype)
        be.index_add(g, self.dim, source, grad)
        return g, None


def repeat_interleave(input: Tensor, repeats: int | Tensor | None = None, dim: int | None = None,
                      *, output_size: int | None = None) -> Tensor:
    """Repeats each entry (or each slice along ``dim``) of ``input``, the copies next to each
    other: ``[a, b]`` twice is ``[a, a, b, b]``.

    With ``dim=None`` the input is flattened first. ``repeats`` is one count for every entry or
    a tensor of one count per entry along ``dim``. Called with one int64 tensor
    ``repeat_interleave(counts)``, it returns ``0, 1, 2, ...`` each repeated ``counts[i]``
    times. Differentiable with respect to ``input``.

    Args:
        input (Tensor): the source (or the counts, alone).
        repeats (int or Tensor): non-negative counts, an int or a 0-d or 1-D integer tensor.
        dim (int, optional): the dim to repeat along. Default: ``None`` (flattened).
        output_size (int, optional, keyword-only): the total size along ``dim``, checked
            against the sum of the counts. Default: ``None``.

    Example::

        >>> x = torch.tensor([[1, 2], [3, 4]])
        >>> torch.repeat_interleave(x, 2)
        tensor([1, 1, 2, 2, 3, 3, 4, 4])
        >>> torch.repeat_interleave(x, torch.tensor([1, 2]), dim=0)
        tensor([[1, 2],
                [3, 4],
                [3, 4]])
        >>> torch.repeat_interleave(torch.tensor([2, 0, 1]))
        tensor([0, 0, 2])
    """
    if repeats is None:
        counts = input
        if counts.ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        _check_repeats_tensor(counts)
        be = counts._backend
        out = be.repeat(be.arange(counts.shape[0] if counts.ndim else 1),
                        counts._data.reshape(-1))
        return _wrap(out.astype("int64"))
    if dim is None:
        input = S.reshape(input, -1)
        d = 0
    else:
        d = normalize_dim(dim, input.ndim)
        if input.ndim == 0:
            input = S.reshape(input, 1)
    n = input.shape[d]
    be = input._backend
    if isinstance(repeats, Tensor):
        if repeats.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        _check_repeats_tensor(repeats)
        if repeats.numel() != 1 and repeats.numel() != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {repeats.numel()} and input.size({d}) = {n}")
        counts = repeats._data.reshape(-1).astype("int64")
    else:
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        counts = be.asarray([int(repeats)], "int64")
    counts = be.ascontiguousarray(be.broadcast_to(counts, (n,)))
    total = int(counts.sum())
    if output_size is not None and output_size != total:
        raise RuntimeError(f"repeat_interleave: Expected output_size {output_size} to equal the "
                           f"sum of repeats {total}")
    return RepeatInterleave.apply(input, _wrap(counts), dim=d)


def _check_repeats_tensor(repeats):
    if repeats.dtype.is_floating_point or repeats.dtype is _dtype.bool_:
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for "
                                  f"'{_TYPE_NAMES[repeats.dtype.name]}'")
    if repeats.numel() and int(repeats._data.min()) < 0:
        raise RuntimeError("repeats can not be negative")


class Roll(Function):
    def forward(self, x, shifts, dims):
        self.shifts, self.dims = shifts, dims
        return self.be.roll(x, shifts, axis=dims)

    def backward(self, grad):
        return self.be.roll(grad, tuple(-s for s in self.shifts), axis=self.dims)


def roll(input: Tensor, shifts: int | Sequence[int], dims: DimsLike | None = None) -> Tensor:
    """``input``'s entries shifted circularly by ``shifts`` along ``dims``: what leaves at the
    end comes back at the start.

    With ``dims=None`` the input is rolled as if flattened, then given its shape back.
    Differentiable.

    Args:
        input (Tensor): the source.
        shifts (int or sequence of ints): the shift per dim (negative: towards the start).
        dims (int or sequence of ints, optional): the dims, as many as ``shifts``. Default:
            ``None``.

    Example::

        >>> torch.roll(torch.tensor([1, 2, 3, 4]), 1)
        tensor([4, 1, 2, 3])
        >>> torch.roll(torch.tensor([[1, 2], [3, 4]]), shifts=(1, -1), dims=(0, 1))
        tensor([[4, 3],
                [2, 1]])
    """
    shifts = tuple(shifts) if isinstance(shifts, (tuple, list)) else (shifts,)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        flat = S.reshape(input, -1)
        return S.reshape(Roll.apply(flat, shifts=shifts, dims=(0,)), input.shape)
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    dims = tuple(normalize_dim(d, input.ndim) for d in dims)
    return Roll.apply(input, shifts=tuple(int(s) for s in shifts), dims=dims)


class Flip(Function):
    def forward(self, x, dims):
        self.dims = dims
        # a copy, as PyTorch: the result does not share memory with the input
        return self.be.ascontiguousarray(self.be.flip(x, dims))

    def backward(self, grad):
        return self.be.ascontiguousarray(self.be.flip(grad, self.dims))


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:
    """A copy of ``input`` with the order of entries reversed along ``dims``.

    Unlike numpy's ``flip``, the result does not share memory with ``input``. Differentiable.

    Args:
        input (Tensor): the source.
        dims (tuple or list of ints): the dims to reverse (a bare int is a TypeError, as in
            PyTorch).

    Example::

        >>> torch.flip(torch.tensor([[1, 2], [3, 4]]), (0,))
        tensor([[3, 4],
                [1, 2]])
    """
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"flip(): argument 'dims' (position 2) must be tuple of ints, not "
                        f"{type(dims).__name__}")
    axes = [normalize_dim(d, input.ndim) for d in dims]
    for i, d in enumerate(axes):
        if d in axes[:i]:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    if input.ndim == 0 or not axes:
        return S.clone(input)
    return Flip.apply(input, dims=tuple(axes))


def _tensor_flip(self: Tensor, *dims: int | Sequence[int]) -> Tensor:
    """A copy of this tensor with the order of entries reversed along ``dims``
    (:func:`hayabusa.flip`).

    The dims are given as ints or as one sequence (``x.flip(0, 1)`` or ``x.flip([0, 1])``); at
    least one is needed. The result does not share memory with this tensor. Differentiable.

    Args:
        *dims (int or sequence of ints): the dims to reverse.

    Example::

        >>> x = torch.tensor([[0, 1], [2, 3]])
        >>> x.flip(0)
        tensor([[2, 3],
                [0, 1]])
        >>> x.flip(0, 1)
        tensor([[3, 2],
                [1, 0]])
    """
    if not dims:
        raise TypeError("flip() missing 1 required positional arguments: \"dims\"")
    return flip(self, _int_list(dims, "flip"))


def meshgrid(*tensors: Tensor | Sequence[Tensor],
             indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from coordinate vectors: output ``k`` holds ``tensors[k]`` along dim
    ``k``, repeated along every other dim.

    The grids are broadcast views of the inputs. ``indexing='xy'`` swaps the first two dims
    (numpy's default, for Cartesian ``x, y``); leaving it out warns and uses ``'ij'``, as PyTorch.
    Differentiable.

    Args:
        *tensors (Tensor or sequence of Tensors): 0-D or 1-D tensors of one dtype, or one list
            of them.
        indexing (str, optional, keyword-only): ``'ij'`` or ``'xy'``. Default: ``None`` (``'ij'``
            with a warning).

    Returns:
        tuple of Tensors: each of shape ``(len(tensors[0]), len(tensors[1]), ...)``.

    Example::

        >>> a, b = torch.meshgrid(torch.tensor([1, 2, 3]), torch.tensor([4, 5]), indexing="ij")
        >>> a
        tensor([[1, 1],
                [2, 2],
                [3, 3]])
        >>> b
        tensor([[4, 5],
                [4, 5],
                [4, 5]])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got a {t.ndim}-D tensor of shape {list(t.shape)}")
    order = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        order[0], order[1] = 1, 0
    shape = [0] * len(tensors)
    for k, t in enumerate(tensors):
        shape[order[k]] = t.numel()
    grids = []
    for k, t in enumerate(tensors):
        along = [1] * len(tensors)
        along[order[k]] = -1
        grids.append(S.expand(S.reshape(t, along), shape))
    return tuple(grids)


def broadcast_tensors(*tensors: Tensor | Sequence[Tensor]) -> tuple[Tensor, ...]:
    """The tensors expanded to their common broadcast shape, as views (no copy).

    Args:
        *tensors (Tensor or sequence of Tensors): the tensors, or one list of them.

    Returns:
        tuple of Tensors: one per input, all of the broadcast shape.

    Example::

        >>> a, b = torch.broadcast_tensors(torch.tensor([[1], [2]]), torch.tensor([10, 20, 30]))
        >>> a
        tensor([[1, 1, 1],
                [2, 2, 2]])
        >>> b.shape
        hayabusa.Size([2, 3])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = ()
    for t in tensors:
        shape = broadcast_shapes(shape, tuple(t.shape))
    return tuple(S.expand(t, shape) for t in tensors)
