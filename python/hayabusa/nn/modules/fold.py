"""nn.Unfold and nn.Fold (sliding local blocks, im2col / col2im)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...ops.conv import fold, unfold
from .module import Module

if TYPE_CHECKING:
    from typing import Sequence

    from ..._tensor import Tensor


class Fold(Module):
    """Combines columns of sliding local blocks into an image batch, summing where blocks
    overlap (col2im; :func:`~hayabusa.nn.functional.fold`, the adjoint of :class:`Unfold`).

    Args:
        output_size (int or tuple): the image size ``(H, W)``.
        kernel_size (int or tuple): the block size ``(kH, kW)``.
        dilation (int or tuple, optional): the spacing of the block's taps. Default: ``1``.
        padding (int or tuple, optional): the padding of the image the blocks were taken from.
            Default: ``0``.
        stride (int or tuple, optional): the step between blocks. Default: ``1``.

    Shape:
        - Input: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``, ``L`` the number of blocks.
        - Output: ``(N, C, H, W)`` or ``(C, H, W)``.

    Example::

        >>> fold = nn.Fold(output_size=(3, 3), kernel_size=2)
        >>> fold(torch.ones(1, 4, 4))
        tensor([[[[1., 2., 1.],
                  [2., 4., 2.],
                  [1., 2., 1.]]]])
    """

    def __init__(self, output_size: int | Sequence[int], kernel_size: int | Sequence[int],
                 dilation: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                 stride: int | Sequence[int] = 1) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                    self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
                f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}")


class Unfold(Module):
    """Extracts sliding local blocks of an image batch into columns (im2col;
    :func:`~hayabusa.nn.functional.unfold`).

    Column ``l`` holds the ``C * kH * kW`` values of the ``l``-th block, zeros where the padded
    block leaves the image.

    Args:
        kernel_size (int or tuple): the block size ``(kH, kW)``.
        dilation (int or tuple, optional): the spacing of the block's taps. Default: ``1``.
        padding (int or tuple, optional): zeros added on both sides of each spatial dim.
            Default: ``0``.
        stride (int or tuple, optional): the step between blocks. Default: ``1``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(C, H, W)``.
        - Output: ``(N, C * kH * kW, L)`` or ``(C * kH * kW, L)``, ``L`` the number of blocks.

    Example::

        >>> unfold = nn.Unfold(kernel_size=2)
        >>> unfold(torch.arange(9.).reshape(1, 1, 3, 3))
        tensor([[[0., 1., 3., 4.],
                 [1., 2., 4., 5.],
                 [3., 4., 6., 7.],
                 [4., 5., 7., 8.]]])
        >>> nn.Unfold((2, 3), stride=2)(torch.ones(2, 5, 6, 7)).shape
        hayabusa.Size([2, 30, 9])
    """

    def __init__(self, kernel_size: int | Sequence[int], dilation: int | Sequence[int] = 1,
                 padding: int | Sequence[int] = 0, stride: int | Sequence[int] = 1) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = (kernel_size, dilation,
                                                                      padding, stride)

    def forward(self, input: Tensor) -> Tensor:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
