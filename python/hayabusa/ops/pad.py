"""F.pad: constant padding (negative pads crop) in one node; reflect, replicate and circular
padding as a gather of source indices per padded dim."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._factories import arange
from ..autograd.function import Function
from .shape import getitem

if TYPE_CHECKING:
    from typing import Sequence

    from .._tensor import Tensor

_MODES = ("constant", "reflect", "replicate", "circular")


class ConstantPad(Function):
    torch_name = "ConstantPadNdBackward0"

    def forward(self, x, pairs, value):
        be = self.be
        # crop the negative pads, then place the rest inside a block filled with value
        self.in_shape = x.shape
        self.crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(pairs, x.shape))
        inner = x[self.crop]
        shape = tuple(m + max(lo, 0) + max(hi, 0) for (lo, hi), m in zip(pairs, inner.shape))
        out = be.full(shape, value, x.dtype)
        self.place = tuple(slice(max(lo, 0), max(lo, 0) + m) for (lo, _), m in zip(pairs, inner.shape))
        out[self.place] = inner
        return out

    def backward(self, grad):
        g = self.be.zeros(self.in_shape, grad.dtype)
        g[self.crop] = grad[self.place]
        return g


def _pairs(pad, ndim):
    """Per-dim (before, after) for every dim of the input, from PyTorch's last-dim-first list."""
    pad = tuple(pad)
    if any(not isinstance(p, int) or isinstance(p, bool) for p in pad):
        bad = next(i for i, p in enumerate(pad) if not isinstance(p, int) or isinstance(p, bool))
        raise TypeError("pad(): argument 'pad' (position 2) must be tuple of ints, but found "
                        f"element of type {type(pad[bad]).__name__} at pos {bad}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{ndim}")
    pairs = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        pairs[ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return pairs


def _source_indices(mode, n, lo, hi):
    """For each output position along a dim of size n, the input position it copies.

    reflect and replicate mirror or repeat about the input's own ends (a negative pad just
    drops positions); circular, as PyTorch, first crops the negative pads, then wraps around
    what is left."""
    idx = arange(-lo, n + hi)._data
    if mode == "replicate":
        return idx.clip(0, n - 1)
    if mode == "circular":
        start = max(-lo, 0)
        kept = n - start - max(-hi, 0)
        return start + (idx - start) % kept
    idx = abs(idx)
    return (n - 1) - abs((n - 1) - idx)


def _check_non_constant(x, mode, pad, pairs):
    k = len(pad) // 2
    if k not in (1, 2, 3) or x.ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {x.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    padded = range(x.ndim - k, x.ndim)
    # the batch dim (when there is one) may be empty; channels and padded dims may not
    if mode != "circular" and any(x.shape[d] == 0 for d in range(x.ndim - k - 1, x.ndim)):
        raise RuntimeError(
            f"Expected {k + 1}D or {k + 2}D (batch mode) tensor with possibly 0 batch size and "
            f"other non-zero dimensions for input, but got: {list(x.shape)}")
    for d in padded:
        lo, hi = pairs[d]
        n = x.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(
                "Argument #4: Padding size should be less than the corresponding input "
                f"dimension, but got: padding ({lo}, {hi}) at dimension {d} of input "
                f"{list(x.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant",
        value: float | None = None) -> Tensor:
    """Pads ``input``: ``pad`` lists (before, after) amounts from the last dimension backward.

    ``pad=(left, right)`` pads the last dimension; ``(left, right, top, bottom)`` the last two,
    and so on. Modes:

    - ``'constant'``: fill with ``value`` (default 0), any number of dimensions; negative
      amounts crop.
    - ``'reflect'``: mirror about the edge, without repeating it (amounts smaller than the
      dimension).
    - ``'replicate'``: repeat the edge value.
    - ``'circular'``: wrap around.

    The non-constant modes pad the last 1, 2 or 3 dimensions of a (batched) 2-D to 5-D input,
    as in PyTorch.

    Args:
        input (Tensor): the input.
        pad (sequence of ints): an even number of amounts, at most ``2 * input.ndim``.
        mode (str, optional): ``'constant'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
            Default: ``'constant'``.
        value (float, optional): the fill value of ``'constant'`` mode. Default: ``None`` (0).

    Example::

        >>> F.pad(torch.tensor([[1., 2.]]), (1, 2))
        tensor([[0., 1., 2., 0., 0.]])
        >>> x = torch.tensor([[[1., 2., 3.]]])
        >>> F.pad(x, (2, 1), mode="reflect")
        tensor([[[3., 2., 1., 2., 3., 2.]]])
        >>> F.pad(x, (1, 1), mode="replicate")
        tensor([[[1., 1., 2., 3., 3.]]])
        >>> F.pad(x, (1, 1), mode="circular")
        tensor([[[3., 1., 2., 3., 1.]]])
    """
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    pairs = _pairs(pad, input.ndim)
    if mode == "constant":
        for d, (lo, hi) in enumerate(pairs):
            if input.shape[d] + lo + hi < 0:
                raise RuntimeError("narrow(): length must be non-negative.")
        fill = 0 if value is None else value
        if input.dtype is _dtype.bool_:
            fill = bool(fill)
        elif not input.dtype.is_floating_point:
            fill = int(fill)
        return ConstantPad.apply(input, pairs=pairs, value=fill)
    if value is not None:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    _check_non_constant(input, mode, pad, pairs)
    out = input
    for d, (lo, hi) in enumerate(pairs):
        if lo or hi:
            index = (slice(None),) * d + (_source_indices(mode, input.shape[d], lo, hi),)
            out = getitem(out, index)
    return out
