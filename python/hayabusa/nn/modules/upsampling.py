"""nn.Upsample, nn.UpsamplingNearest2d, nn.UpsamplingBilinear2d."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...ops.upsample import interpolate
from .module import Module

if TYPE_CHECKING:
    from typing import Sequence

    from ..._tensor import Tensor


class Upsample(Module):
    """Resamples a batch of sequences or images to a new size
    (:func:`~hayabusa.nn.functional.interpolate`).

    Args:
        size (int or tuple, optional): the output's spatial size.
        scale_factor (float or tuple, optional): the multiplier of the spatial size; give
            exactly one of ``size`` and ``scale_factor``.
        mode (str, optional): ``'nearest'``, ``'nearest-exact'``, ``'linear'`` (3-D input),
            ``'bilinear'`` (4-D input) or ``'area'``; ``'bicubic'`` and ``'trilinear'`` raise
            NotImplementedError. Default: ``'nearest'``.
        align_corners (bool, optional): for ``'linear'`` and ``'bilinear'``: align the corner
            pixels of input and output. Default: ``None`` (``False``).
        recompute_scale_factor (bool, optional): with ``scale_factor``, compute the coordinates
            from the output size instead. Default: ``None``.

    Shape:
        - Input: ``(N, C, L)`` or ``(N, C, H, W)``.
        - Output: ``(N, C, L_out)`` or ``(N, C, H_out, W_out)``.

    Example::

        >>> up = nn.Upsample(scale_factor=2, mode="nearest")
        >>> up
        Upsample(scale_factor=2.0, mode='nearest')
        >>> up(torch.tensor([[[[1., 2.], [3., 4.]]]]))
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.],
                  [3., 3., 4., 4.],
                  [3., 3., 4., 4.]]]])
    """

    def __init__(self, size: int | Sequence[int] | None = None,
                 scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                 align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode, self.align_corners = mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            info = "scale_factor=" + repr(self.scale_factor)
        else:
            info = "size=" + repr(self.size)
        return info + ", mode=" + repr(self.mode)


class UpsamplingNearest2d(Upsample):
    """Resamples an image batch by nearest neighbours: :class:`Upsample` with
    ``mode='nearest'``.

    Args:
        size (int or tuple, optional): the output size ``(H_out, W_out)``.
        scale_factor (float or tuple, optional): the multiplier of the size; give exactly one.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: ``(N, C, H_out, W_out)``.

    Example::

        >>> nn.UpsamplingNearest2d(scale_factor=2)(torch.tensor([[[[1., 2.], [3., 4.]]]]))
        tensor([[[[1., 1., 2., 2.],
                  [1., 1., 2., 2.],
                  [3., 3., 4., 4.],
                  [3., 3., 4., 4.]]]])
    """

    def __init__(self, size: int | Sequence[int] | None = None,
                 scale_factor: float | Sequence[float] | None = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Resamples an image batch by bilinear interpolation with the corners aligned:
    :class:`Upsample` with ``mode='bilinear', align_corners=True``.

    Args:
        size (int or tuple, optional): the output size ``(H_out, W_out)``.
        scale_factor (float or tuple, optional): the multiplier of the size; give exactly one.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: ``(N, C, H_out, W_out)``.

    Example::

        >>> nn.UpsamplingBilinear2d(size=(3, 3))(torch.tensor([[[[1., 2.], [3., 4.]]]]))
        tensor([[[[1.0000, 1.5000, 2.0000],
                  [2.0000, 2.5000, 3.0000],
                  [3.0000, 3.5000, 4.0000]]]])
    """

    def __init__(self, size: int | Sequence[int] | None = None,
                 scale_factor: float | Sequence[float] | None = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
