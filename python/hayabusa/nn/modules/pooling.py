"""Pooling modules: MaxPool1d/2d, AvgPool1d/2d, AdaptiveAvgPool1d/2d, AdaptiveMaxPool1d/2d."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...ops import pool as P
from .module import Module

if TYPE_CHECKING:
    from typing import Sequence

    from ..._tensor import Tensor


class _MaxPoolNd(Module):
    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """Applies 1-D max pooling over the last dim (:func:`~hayabusa.nn.functional.max_pool1d`).

    Args:
        kernel_size (int or tuple): the window size.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit ``-inf`` padding on both sides, at most half
            the kernel size. Default: ``0``.
        dilation (int or tuple, optional): the spacing of a window's taps. Default: ``1``.
        return_indices (bool, optional): also return the position of each maximum. Default:
            ``False``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)``, with
          ``L_out = (L + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1``
          (rounded up in ``ceil_mode``).

    Example::

        >>> m = nn.MaxPool1d(3, stride=2)
        >>> m
        MaxPool1d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)
        >>> m(torch.ones(2, 4, 9)).shape
        hayabusa.Size([2, 4, 4])
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return P.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            self.ceil_mode, self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """Applies 2-D max pooling over the last two dims
    (:func:`~hayabusa.nn.functional.max_pool2d`).

    Args:
        kernel_size (int or tuple): the window size ``(kH, kW)``.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit ``-inf`` padding on both sides, at most half
            the kernel size. Default: ``0``.
        dilation (int or tuple, optional): the spacing of a window's taps. Default: ``1``.
        return_indices (bool, optional): also return where each maximum is (an index into the
            flattened ``H * W`` plane). Default: ``False``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``, with
          ``H_out = (H + 2 * padH - dH * (kH - 1) - 1) // sH + 1`` (rounded up in
          ``ceil_mode``) and likewise ``W_out``.

    Example::

        >>> nn.MaxPool2d(2)(torch.arange(16.).reshape(1, 1, 4, 4))
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return P.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            self.ceil_mode, self.return_indices)


class AvgPool1d(Module):
    """Applies 1-D average pooling over the last dim (:func:`~hayabusa.nn.functional.avg_pool1d`).

    Args:
        kernel_size (int or tuple): the window size.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit zero padding on both sides, at most half the
            kernel size. Default: ``0``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.
        count_include_pad (bool, optional): count the padding in the divisor. Default: ``True``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)``, with
          ``L_out = (L + 2 * padding - kernel_size) // stride + 1`` (rounded up in
          ``ceil_mode``).

    Example::

        >>> nn.AvgPool1d(2)(torch.tensor([[[1., 3., 2., 5.]]]))
        tensor([[[2.0000, 3.5000]]])
    """

    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: int | Sequence[int] = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = P.ntuple(kernel_size, 1, "kernel_size")
        self.stride = P.ntuple(stride if stride is not None else kernel_size, 1, "stride")
        self.padding = P.ntuple(padding, 1, "padding")
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return P.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(Module):
    """Applies 2-D average pooling over the last two dims
    (:func:`~hayabusa.nn.functional.avg_pool2d`).

    Args:
        kernel_size (int or tuple): the window size ``(kH, kW)``.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit zero padding on both sides, at most half the
            kernel size. Default: ``0``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.
        count_include_pad (bool, optional): count the padding in the divisor. Default: ``True``.
        divisor_override (int, optional): divide every window's sum by this instead. Default:
            ``None``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``, with
          ``H_out = (H + 2 * padH - kH) // sH + 1`` (rounded up in ``ceil_mode``) and likewise
          ``W_out``.

    Example::

        >>> nn.AvgPool2d(2)(torch.arange(16.).reshape(1, 1, 4, 4))
        tensor([[[[ 2.5000,  4.5000],
                  [10.5000, 12.5000]]]])
    """

    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: int | Sequence[int] = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return P.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePoolNd(Module):
    def __init__(self, output_size: int | None | Sequence[int | None]) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePoolNd):
    """Applies 1-D adaptive average pooling over the last dim: the output has length
    ``output_size`` whatever the input's (:func:`~hayabusa.nn.functional.adaptive_avg_pool1d`).

    Args:
        output_size (int or tuple): ``L_out``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)``.

    Example::

        >>> nn.AdaptiveAvgPool1d(2)(torch.tensor([[[1., 3., 2., 6.]]]))
        tensor([[[2., 4.]]])
    """

    def forward(self, input: Tensor) -> Tensor:
        return P.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePoolNd):
    """Applies 2-D adaptive average pooling over the last two dims: the output has size
    ``output_size`` whatever the input's (:func:`~hayabusa.nn.functional.adaptive_avg_pool2d`).

    ``nn.AdaptiveAvgPool2d(1)`` is the global average pooling at the end of many CNNs.

    Args:
        output_size (int, None or tuple): ``(H_out, W_out)``; one int for both; ``None`` keeps
            the input's size in that dim.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``.

    Example::

        >>> m = nn.AdaptiveAvgPool2d((1, 1))
        >>> m
        AdaptiveAvgPool2d(output_size=(1, 1))
        >>> m(torch.ones(2, 16, 7, 7)).shape
        hayabusa.Size([2, 16, 1, 1])
    """

    def forward(self, input: Tensor) -> Tensor:
        return P.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveMaxPool1d(_AdaptivePoolNd):
    """Applies 1-D adaptive max pooling over the last dim: the output has length
    ``output_size`` whatever the input's (:func:`~hayabusa.nn.functional.adaptive_max_pool1d`).

    Args:
        output_size (int or tuple): ``L_out``.
        return_indices (bool, optional): also return the position of each maximum. Default:
            ``False``.

    Shape:
        - Input: ``(N, C, L)`` or ``(C, L)``.
        - Output: ``(N, C, L_out)`` or ``(C, L_out)``.

    Example::

        >>> nn.AdaptiveMaxPool1d(2)(torch.tensor([[[1., 3., 2., 6.]]]))
        tensor([[[3., 6.]]])
    """

    def __init__(self, output_size: int | Sequence[int], return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return P.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptivePoolNd):
    """Applies 2-D adaptive max pooling over the last two dims: the output has size
    ``output_size`` whatever the input's (:func:`~hayabusa.nn.functional.adaptive_max_pool2d`).

    Args:
        output_size (int, None or tuple): ``(H_out, W_out)``; one int for both; ``None`` keeps
            the input's size in that dim.
        return_indices (bool, optional): also return where each maximum is (an index into the
            flattened ``H * W`` plane). Default: ``False``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``.

    Example::

        >>> nn.AdaptiveMaxPool2d(1)(torch.arange(16.).reshape(1, 1, 4, 4))
        tensor([[[[15.]]]])
    """

    def __init__(self, output_size: int | None | Sequence[int | None],
                 return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return P.adaptive_max_pool2d(input, self.output_size, self.return_indices)
