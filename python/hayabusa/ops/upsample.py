"""interpolate: nearest, nearest-exact, linear (3-D input) and bilinear (4-D) resampling,
and 'area' through adaptive average pooling.

Each axis gets a table of two source indices and two weights per output
position (nearest: one index, no weights), computed as PyTorch's CPU kernels
compute them; one C kernel applies the tables forward and their transpose
backward.
"""
from __future__ import annotations

import math
import numbers
import warnings
from typing import TYPE_CHECKING

from .._tensor import Tensor
from ..autograd.function import Function
from . import shape as S
from .pool import adaptive_avg_pool1d, adaptive_avg_pool2d

if TYPE_CHECKING:
    from typing import Sequence

_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")


class Resample(Function):
    def forward(self, x, out_size, rows, row_w, cols, col_w):
        self.in_shape, self.taps = x.shape, (rows, row_w, cols, col_w)
        return self.be.upsample2d(x, out_size, rows, row_w, cols, col_w)

    def backward(self, grad):
        return self.be.upsample2d_backward(grad, self.in_shape, *self.taps)


# one node class per mode, for PyTorch's grad_fn names
_NODES = {mode: type(name, (Resample,), {"torch_name": name}) for mode, name in (
    ("nearest", "UpsampleNearest2DBackward0"), ("nearest-exact", "_UpsampleNearestExact2DBackward0"),
    ("linear", "UpsampleLinear1DBackward0"), ("bilinear", "UpsampleBilinear2DBackward0"))}


def _sizes_and_scales(input, size, scale_factor, dims, recompute_scale_factor):
    """Output sizes, and the scales the kernels use (None: in/out)."""
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        if isinstance(size, (list, tuple)):
            if len(size) != dims:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {spatial} and output size of {size}. Please "
                    "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in "
                    "(o1, o2, ...,oK) format.")
            if not all(isinstance(s, numbers.Integral) for s in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types "
                                f"{[type(s) for s in size]}")
            return [int(s) for s in size], [None] * dims
        return [int(size)] * dims, [None] * dims
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != dims:
            raise ValueError(
                "Input and scale_factor must have the same number of spatial dimensions, but got "
                f"input with spatial dimensions of {spatial} and scale_factor of shape "
                f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                "scale_factor in (s1, s2, ...,sK) format.")
        scales = [float(s) for s in scale_factor]
    else:
        scales = [float(scale_factor)] * dims
    sizes = [math.floor(s * f) for s, f in zip(spatial, scales)]
    return sizes, ([None] * dims if recompute_scale_factor else scales)


def interpolate(input: Tensor, size: int | Sequence[int] | None = None,
                scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resamples a batch of sequences or images to a new size (up or down).

    The output size is ``size``, or ``floor(input size * scale_factor)`` per spatial dim.
    Output position ``i`` maps to input coordinate ``(i + 0.5) / scale - 0.5`` (``i / scale``
    for ``'nearest'``), with ``scale`` the given ``scale_factor`` or, with ``size`` or
    ``recompute_scale_factor=True``, ``output size / input size``; ``align_corners=True`` maps
    the corner pixels' centres onto each other instead. The modes, as PyTorch computes them:

    - ``'nearest'``: the input entry at ``floor(coordinate)`` (PyTorch's legacy rule).
    - ``'nearest-exact'``: the entry whose centre is nearest (``floor((i + 0.5) / scale)``).
    - ``'linear'`` (3-D input), ``'bilinear'`` (4-D input): linear interpolation of the two
      (2 x 2) nearest entries.
    - ``'area'``: adaptive average pooling (:func:`adaptive_avg_pool2d`).

    One C kernel each way (the linear weights tabulated per axis); float32 and float64 only.
    ``'bicubic'``, ``'trilinear'``, 5-D inputs, ``antialias=True`` and other dtypes raise
    NotImplementedError.

    Args:
        input (Tensor): ``(N, C, L)`` or ``(N, C, H, W)``.
        size (int or tuple, optional): the output's spatial size (one int for every dim).
        scale_factor (float or tuple, optional): the multiplier of the spatial size; give
            exactly one of ``size`` and ``scale_factor``.
        mode (str, optional): ``'nearest'``, ``'nearest-exact'``, ``'linear'``, ``'bilinear'``
            or ``'area'``. Default: ``'nearest'``.
        align_corners (bool, optional): for ``'linear'`` and ``'bilinear'`` only (others raise
            ValueError if it is set): align the corner pixels of input and output. Default:
            ``None`` (``False``).
        recompute_scale_factor (bool, optional): with ``scale_factor``, compute the coordinates
            from the output size instead of the given factor. Default: ``None``.
        antialias (bool, optional): not supported (``True`` raises NotImplementedError).
            Default: ``False``.

    Returns:
        Tensor: ``(N, C, L_out)`` or ``(N, C, H_out, W_out)``.

    Example::

        >>> F.interpolate(torch.tensor([[[1., 2.]]]), scale_factor=2)
        tensor([[[1., 1., 2., 2.]]])
        >>> F.interpolate(torch.tensor([[[1., 2., 3.]]]), size=5, mode="linear")
        tensor([[[1.0000, 1.4000, 2.0000, 2.6000, 3.0000]]])
        >>> F.interpolate(torch.tensor([[[1., 2., 3.]]]), size=5, mode="linear", align_corners=True)
        tensor([[[1.0000, 1.5000, 2.0000, 2.5000, 3.0000]]])
        >>> F.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=(3, 3), mode="bilinear",
        ...               align_corners=True)
        tensor([[[[1.0000, 1.5000, 2.0000],
                  [2.0000, 2.5000, 3.0000],
                  [3.0000, 3.5000, 4.0000]]]])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"interpolate(): argument 'input' must be Tensor, not {type(input).__name__}")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dims = input.ndim - 2
    sizes, scales = _sizes_and_scales(input, size, scale_factor, dims, recompute_scale_factor)
    if antialias:
        raise NotImplementedError("interpolate with antialias=True is not supported")
    if mode not in _MODES or input.ndim not in (3, 4, 5):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the "
            "modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
            f"nearest-exact (got {mode})")
    if mode == "bilinear" and input.ndim != 4:
        raise NotImplementedError(f"Got {input.ndim}D input, but bilinear mode needs 4D input")
    if mode == "linear" and input.ndim != 3:
        raise NotImplementedError(f"Got {input.ndim}D input, but linear mode needs 3D input")
    if mode in ("bicubic", "trilinear") or input.ndim == 5:
        raise NotImplementedError(f"interpolate mode {mode!r} on {input.ndim}D input is not "
                                  "supported (nearest, nearest-exact, linear, bilinear, area are)")
    if not input.dtype.is_floating_point or input.dtype.name == "float16":
        raise NotImplementedError(f"interpolate on {input.dtype.name} tensors is not supported")
    if any(s <= 0 for s in input.shape[2:]) or any(s <= 0 for s in sizes):
        names = ("H", "W") if dims == 2 else ("W",)
        raise RuntimeError(
            "Input and output sizes should be greater than 0, but got input ("
            + ", ".join(f"{n}: {s}" for n, s in zip(names, input.shape[2:])) + ") output ("
            + ", ".join(f"{n}: {s}" for n, s in zip(names, sizes)) + ")")
    if mode == "area":
        return (adaptive_avg_pool2d if dims == 2 else adaptive_avg_pool1d)(input, sizes)
    be, dt = input._backend, input._data.dtype
    if dims == 1:
        rows, row_w = be.resample_taps(1, 1, None, "nearest", False, dt)
        cols, col_w = be.resample_taps(input.shape[2], sizes[0], scales[0], mode, align_corners, dt)
        x = S.unsqueeze(input, 2)
        out = _NODES[mode].apply(x, out_size=(1, sizes[0]), rows=rows, row_w=row_w, cols=cols,
                             col_w=col_w)
        return S.squeeze(out, 2)
    rows, row_w = be.resample_taps(input.shape[2], sizes[0], scales[0], mode, align_corners, dt)
    cols, col_w = be.resample_taps(input.shape[3], sizes[1], scales[1], mode, align_corners, dt)
    return _NODES[mode].apply(input, out_size=tuple(sizes), rows=rows, row_w=row_w, cols=cols,
                          col_w=col_w)


def upsample(input: Tensor, size: int | Sequence[int] | None = None,
             scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Resamples a batch of sequences or images: :func:`interpolate` (PyTorch's deprecated
    name for it), with the same arguments.

    Example::

        >>> import warnings; warnings.simplefilter("ignore")  # deprecated, as in PyTorch
        >>> F.upsample(torch.tensor([[[1., 2.]]]), scale_factor=2)
        tensor([[[1., 1., 2., 2.]]])
    """
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)
