"""nn.Conv1d, nn.Conv2d, nn.ConvTranspose1d, nn.ConvTranspose2d: PyTorch's arguments, reprs
and initialization."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ... import _dtype
from ..._factories import empty
from ...ops import conv as C
from .. import init
from ..parameter import Parameter
from .module import Module

if TYPE_CHECKING:
    from typing import Sequence

    from ..._tensor import Tensor
    from ..._typing import DeviceLike, DTypeLike


class _ConvNd(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 transposed, output_padding, groups, bias, padding_mode, device=None, dtype=None):
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "{'valid', 'same'}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        modes = ("zeros", "reflect", "replicate", "circular")
        if padding_mode not in modes:
            raise ValueError(f"padding_mode must be one of {{'replicate', 'zeros', 'reflect', "
                             f"'circular'}}, but got padding_mode='{padding_mode}'")
        if padding_mode != "zeros":
            raise NotImplementedError(f"padding_mode={padding_mode!r} is not supported; only "
                                      "'zeros' is")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.transposed, self.output_padding = dilation, transposed, output_padding
        self.groups, self.padding_mode = groups, padding_mode
        shape = ((in_channels, out_channels // groups) if transposed else
                 (out_channels, in_channels // groups)) + tuple(kernel_size)
        dt = _dtype.to_dtype(dtype) if dtype is not None else None
        self.weight = Parameter(empty(shape, dtype=dt, device=device))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dt, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-draws the weight and bias with PyTorch's initialization (see the class)."""
        # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


def _tuple(v, n):
    return v if isinstance(v, str) else C.ntuple(v, n, "argument")


class Conv1d(_ConvNd):
    """Applies a 1-D convolution over a batch of sequences (:func:`~hayabusa.nn.functional.conv1d`).

    The weight and bias are initialized as PyTorch's, uniformly in ``(-1/sqrt(fan_in),
    1/sqrt(fan_in))`` with ``fan_in = in_channels / groups * kernel_size`` (drawn from
    hayabusa's generator). float32 and float64.

    Args:
        in_channels (int): the channels of the input.
        out_channels (int): the channels of the output.
        kernel_size (int or tuple): the kernel's length.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int, tuple or str, optional): zeros added on both sides, or ``'valid'`` or
            ``'same'`` (stride 1 only). Default: ``0``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.
        groups (int, optional): the number of channel groups; both channel counts must divide
            by it. Default: ``1``.
        bias (bool, optional): learn an additive bias. Default: ``True``.
        padding_mode (str, optional): only ``'zeros'``; ``'reflect'``, ``'replicate'`` and
            ``'circular'`` raise NotImplementedError. Default: ``'zeros'``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.

    Shape:
        - Input: ``(N, C_in, L)`` or ``(C_in, L)``.
        - Output: ``(N, C_out, L_out)`` or ``(C_out, L_out)``, with
          ``L_out = (L + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1``.

    Attributes:
        weight (Parameter): ``(out_channels, in_channels / groups, kernel_size)``.
        bias (Parameter or None): ``(out_channels,)``.

    Example::

        >>> m = nn.Conv1d(2, 4, 3, padding="same")
        >>> m
        Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same)
        >>> m(torch.ones(5, 2, 10)).shape
        hayabusa.Size([5, 4, 10])
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: str | int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: DeviceLike | None = None,
                 dtype: DTypeLike | None = None) -> None:
        super().__init__(in_channels, out_channels, _tuple(kernel_size, 1), _tuple(stride, 1),
                         _tuple(padding, 1), _tuple(dilation, 1), False, (0,), groups, bias,
                         padding_mode, device, dtype)

    def forward(self, input: Tensor) -> Tensor:
        return C.conv1d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)


class Conv2d(_ConvNd):
    """Applies a 2-D convolution over an image batch (:func:`~hayabusa.nn.functional.conv2d`).

    The weight and bias are initialized as PyTorch's, uniformly in ``(-1/sqrt(fan_in),
    1/sqrt(fan_in))`` with ``fan_in = in_channels / groups * kH * kW`` (drawn from hayabusa's
    generator). Stride-1 convolutions run a direct C kernel per instruction set where that is
    faster, the others im2col + GEMM. float32 and float64.

    Args:
        in_channels (int): the channels of the input.
        out_channels (int): the channels of the output.
        kernel_size (int or tuple): the kernel's size ``(kH, kW)``.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int, tuple or str, optional): zeros added on both sides of each spatial dim,
            or ``'valid'`` or ``'same'`` (stride 1 only). Default: ``0``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.
        groups (int, optional): the number of channel groups; both channel counts must divide
            by it. Default: ``1``.
        bias (bool, optional): learn an additive bias. Default: ``True``.
        padding_mode (str, optional): only ``'zeros'``; ``'reflect'``, ``'replicate'`` and
            ``'circular'`` raise NotImplementedError. Default: ``'zeros'``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.

    Shape:
        - Input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        - Output: ``(N, C_out, H_out, W_out)`` or ``(C_out, H_out, W_out)``, with
          ``H_out = (H + 2 * padH - dH * (kH - 1) - 1) // sH + 1`` and likewise ``W_out``.

    Attributes:
        weight (Parameter): ``(out_channels, in_channels / groups, kH, kW)``.
        bias (Parameter or None): ``(out_channels,)``.

    Example::

        >>> m = nn.Conv2d(3, 8, 3, padding=1)
        >>> m
        Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
        >>> m(torch.ones(2, 3, 5, 5)).shape
        hayabusa.Size([2, 8, 5, 5])
        >>> m = nn.Conv2d(4, 8, (3, 5), stride=2, groups=2, bias=False)
        >>> m.weight.shape, m(torch.ones(4, 9, 9)).shape
        (hayabusa.Size([8, 2, 3, 5]), hayabusa.Size([8, 4, 3]))
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: str | int | Sequence[int] = 0,
                 dilation: int | Sequence[int] = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: DeviceLike | None = None,
                 dtype: DTypeLike | None = None) -> None:
        super().__init__(in_channels, out_channels, _tuple(kernel_size, 2), _tuple(stride, 2),
                         _tuple(padding, 2), _tuple(dilation, 2), False, (0, 0), groups, bias,
                         padding_mode, device, dtype)

    def forward(self, input: Tensor) -> Tensor:
        return C.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)


class _ConvTransposeNd(_ConvNd):
    _dims = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, output_padding,
                 groups, bias, dilation, padding_mode, device, dtype):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        n = self._dims
        super().__init__(in_channels, out_channels, _tuple(kernel_size, n), _tuple(stride, n),
                         C.ntuple(padding, n, "padding"), _tuple(dilation, n), True,
                         _tuple(output_padding, n), groups, bias, padding_mode, device, dtype)

    def _output_padding(self, input, output_size):
        """output_padding from a requested output size (PyTorch's rule), else the module's."""
        if output_size is None:
            return self.output_padding
        n = self._dims
        lead = 2 if input.ndim == n + 2 else 1
        output_size = list(output_size)
        if len(output_size) == lead + n:
            output_size = output_size[lead:]
        if len(output_size) != n:
            raise ValueError(f"ConvTranspose{n}D: for {input.ndim}D input, output_size must have "
                             f"{n} or {lead + n} elements (got {len(output_size)})")
        min_sizes = [(input.shape[d + lead] - 1) * self.stride[d] - 2 * self.padding[d] +
                     self.dilation[d] * (self.kernel_size[d] - 1) + 1 for d in range(n)]
        max_sizes = [m + s - 1 for m, s in zip(min_sizes, self.stride)]
        for size, lo, hi in zip(output_size, min_sizes, max_sizes):
            if size < lo or size > hi:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes range "
                                 f"from {min_sizes} to {max_sizes} (for an input of "
                                 f"{input.shape[lead:]})")
        return tuple(s - m for s, m in zip(output_size, min_sizes))


class ConvTranspose1d(_ConvTransposeNd):
    """Applies a 1-D transposed convolution, the gradient of :class:`Conv1d` with respect to its
    input (:func:`~hayabusa.nn.functional.conv_transpose1d`).

    The weight and bias are initialized as PyTorch's, uniformly in ``(-1/sqrt(fan_in),
    1/sqrt(fan_in))`` with ``fan_in = out_channels / groups * kernel_size`` (drawn from
    hayabusa's generator). ``forward(input, output_size=None)`` may ask for an output length:
    ``output_padding`` is then chosen to give it. float32 and float64.

    Args:
        in_channels (int): the channels of the input.
        out_channels (int): the channels of the output.
        kernel_size (int or tuple): the kernel's length.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int or tuple, optional): the Conv1d padding this undoes (cropped from both
            sides of the output). Default: ``0``.
        output_padding (int or tuple, optional): extra length added to one side of the output,
            smaller than ``stride`` or ``dilation``. Default: ``0``.
        groups (int, optional): the number of channel groups. Default: ``1``.
        bias (bool, optional): learn an additive bias. Default: ``True``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.
        padding_mode (str, optional): only ``'zeros'`` (others raise ValueError, as PyTorch).
            Default: ``'zeros'``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.

    Shape:
        - Input: ``(N, C_in, L)`` or ``(C_in, L)``.
        - Output: ``(N, C_out, L_out)`` or ``(C_out, L_out)``, with ``L_out = (L - 1) * stride -
          2 * padding + dilation * (kernel_size - 1) + output_padding + 1``.

    Attributes:
        weight (Parameter): ``(in_channels, out_channels / groups, kernel_size)``.
        bias (Parameter or None): ``(out_channels,)``.

    Example::

        >>> m = nn.ConvTranspose1d(4, 2, 4, stride=2, padding=1)
        >>> m(torch.ones(3, 4, 7)).shape
        hayabusa.Size([3, 2, 14])
    """

    _dims = 1

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                 output_padding: int | Sequence[int] = 0, groups: int = 1, bias: bool = True,
                 dilation: int | Sequence[int] = 1, padding_mode: str = "zeros",
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, output_padding,
                         groups, bias, dilation, padding_mode, device, dtype)

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return C.conv_transpose1d(input, self.weight, self.bias, self.stride, self.padding,
                                  self._output_padding(input, output_size), self.groups,
                                  self.dilation)


class ConvTranspose2d(_ConvTransposeNd):
    """Applies a 2-D transposed convolution, the gradient of :class:`Conv2d` with respect to its
    input (:func:`~hayabusa.nn.functional.conv_transpose2d`).

    The weight and bias are initialized as PyTorch's, uniformly in ``(-1/sqrt(fan_in),
    1/sqrt(fan_in))`` with ``fan_in = out_channels / groups * kH * kW`` (drawn from hayabusa's
    generator). ``forward(input, output_size=None)`` may ask for an output size (``(H, W)``,
    or with the leading dims): ``output_padding`` is then chosen to give it. float32 and
    float64.

    Args:
        in_channels (int): the channels of the input.
        out_channels (int): the channels of the output.
        kernel_size (int or tuple): the kernel's size ``(kH, kW)``.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int or tuple, optional): the Conv2d padding this undoes (cropped from both
            sides of each spatial dim of the output). Default: ``0``.
        output_padding (int or tuple, optional): extra size added to one side of the output,
            smaller than ``stride`` or ``dilation``. Default: ``0``.
        groups (int, optional): the number of channel groups. Default: ``1``.
        bias (bool, optional): learn an additive bias. Default: ``True``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.
        padding_mode (str, optional): only ``'zeros'`` (others raise ValueError, as PyTorch).
            Default: ``'zeros'``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.

    Shape:
        - Input: ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
        - Output: ``(N, C_out, H_out, W_out)`` or ``(C_out, H_out, W_out)``, with
          ``H_out = (H - 1) * sH - 2 * padH + dH * (kH - 1) + output_padH + 1`` and likewise
          ``W_out``.

    Attributes:
        weight (Parameter): ``(in_channels, out_channels / groups, kH, kW)``.
        bias (Parameter or None): ``(out_channels,)``.

    Example::

        >>> m = nn.ConvTranspose2d(8, 3, 3, stride=2, padding=1)
        >>> m(torch.ones(1, 8, 5, 5)).shape
        hayabusa.Size([1, 3, 9, 9])
        >>> m(torch.ones(1, 8, 5, 5), output_size=(10, 10)).shape
        hayabusa.Size([1, 3, 10, 10])
    """

    _dims = 2

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                 output_padding: int | Sequence[int] = 0, groups: int = 1, bias: bool = True,
                 dilation: int | Sequence[int] = 1, padding_mode: str = "zeros",
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, output_padding,
                         groups, bias, dilation, padding_mode, device, dtype)

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return C.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                  self._output_padding(input, output_size), self.groups,
                                  self.dilation)
