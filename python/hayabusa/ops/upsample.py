"""interpolate: nearest, nearest-exact, linear (3-D input) and bilinear (4-D) resampling,
and 'area' through adaptive average pooling.

Each axis gets a table of two source indices and two weights per output
position (nearest: one index, no weights), computed as PyTorch's CPU kernels
compute them; one C kernel applies the tables forward and their transpose
backward.
"""
import math
import numbers

from .._tensor import Tensor
from ..autograd.function import Function
from . import shape as S
from .pool import adaptive_avg_pool1d, adaptive_avg_pool2d

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


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
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


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return interpolate(input, size, scale_factor, mode, align_corners)
