"""Pooling: max, average and adaptive pooling over the last two dims (1-D over the last one).

The C kernels work on (planes, H, W); any leading dims (N, C or just C) are
planes. Max pooling records the argmax of every window (per plane, as PyTorch
returns it) and backward scatters through it; without gradients or
return_indices it skips recording them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _grad_mode as grad_mode
from .._tensor import Tensor, _wrap
from ..autograd.function import Function
from . import shape as S
from .conv import ntuple

if TYPE_CHECKING:
    from typing import Sequence


class MaxPool2d(Function):
    """The kernel runs in the functional form (it yields values and indices); this node keeps
    the indices that backward scatters the gradient through."""

    torch_name = "MaxPool2DWithIndicesBackward0"

    def forward(self, x, values, indices):
        self.in_shape, self.indices = x.shape, indices
        return values

    def backward(self, grad):
        return self.be.max_pool2d_backward(grad, self.indices, self.in_shape)


class AdaptiveMaxPool2d(MaxPool2d):
    torch_name = "AdaptiveMaxPool2DBackward0"


class AvgPool2d(Function):
    def forward(self, x, kernel, stride, padding, out_size, count_include_pad, divisor_override):
        self.in_shape = x.shape
        self.params = (kernel, stride, padding, count_include_pad, divisor_override)
        return self.be.avg_pool2d(x, kernel, stride, padding, out_size, count_include_pad,
                                  divisor_override)

    def backward(self, grad):
        return self.be.avg_pool2d_backward(grad, self.in_shape, *self.params)


class AdaptiveAvgPool2d(Function):
    def forward(self, x, out_size):
        self.in_shape = x.shape
        return self.be.adaptive_avg_pool2d(x, out_size)

    def backward(self, grad):
        return self.be.adaptive_avg_pool2d_backward(grad, self.in_shape)


# ------------------------------------------------------------------ arguments
def _pool_size(size, kernel, stride, pad, dilation, ceil_mode):
    """PyTorch's pooling output size (floor division, and the ceil-mode correction)."""
    out = (size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _check_input(input, name):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
    if not input.dtype.is_floating_point or input.dtype.name == "float16":
        raise NotImplementedError(f"{name} on {input.dtype.name} tensors is not supported "
                                  "(float32 and float64 are)")


def _window_args(kernel_size, stride, padding, dilation, dims):
    kernel = ntuple(kernel_size, dims, "kernel_size", "the pooling dimensions")
    stride = kernel if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else ntuple(stride, dims, "stride", "the pooling dimensions")
    return (kernel, stride, ntuple(padding, dims, "padding", "the pooling dimensions"),
            ntuple(dilation, dims, "dilation", "the pooling dimensions"))


def _check_window(kernel, stride, padding, dilation, pad_rule_effective):
    if any(s == 0 for s in stride):
        raise RuntimeError("stride should not be zero")
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} "
                           f"kW: {kernel[-1]}")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"stride should be greater than zero, but got dH: {stride[0]} "
                           f"dW: {stride[-1]}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: "
                           f"{dilation[0]} dilationW: {dilation[-1]}")
    for k, p, d in zip(kernel, padding, dilation):
        if p < 0 or 2 * p > k:
            if pad_rule_effective:
                raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                                   f"pad={p}, kernel_size={k} and dilation={d}")
            raise RuntimeError("pad should be smaller than or equal to half of kernel size, but "
                               f"got padW = {padding[-1]}, padH = {padding[0]}, kW = {kernel[-1]}, "
                               f"kH = {kernel[0]}")


def _out_size(x, kernel, stride, padding, dilation, ceil_mode):
    out = tuple(_pool_size(s, k, st, p, d, ceil_mode) for s, k, st, p, d in
                zip(x.shape[-2:], kernel, stride, padding, dilation))
    if any(o < 1 for o in out):
        c = x.shape[-3] if x.ndim >= 3 else 1
        raise RuntimeError(f"Given input size: ({c}x{x.shape[-2]}x{x.shape[-1]}). Calculated "
                           f"output size: ({c}x{out[0]}x{out[1]}). Output size is too small")
    return out


def _check_spatial(x):
    """Only the batch dim of a 3-D or 4-D input may be empty."""
    if 0 in x.shape[-3:]:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got:{list(x.shape)}")


def _as_1d_window(kernel, stride, padding, dilation):
    return (1,) + kernel, (1,) + stride, (0,) + padding, (1,) + dilation


# ------------------------------------------------------------------ max pooling
def _max_pool(x, kernel, stride, padding, dilation, out_size, return_indices):
    be = x._backend
    record = grad_mode.is_grad_enabled() and x._requires_grad
    values, indices = be.max_pool2d(x._data, kernel, stride, padding, dilation, out_size,
                                    record or return_indices)
    out = MaxPool2d.apply(x, values=values, indices=indices) if record else _wrap(values)
    return out, indices


def max_pool2d(input: Tensor, kernel_size: int | Sequence[int],
               stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
               dilation: int | Sequence[int] = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Applies 2-D max pooling: the largest value of each ``kH x kW`` window.

    Windows start ``stride`` apart, their taps ``dilation`` apart, over the input padded with
    ``-inf`` (``padding`` on each side, at most half the kernel). A NaN in a window is its
    maximum, and ties go to the first position; the gradient flows to that position. A C kernel
    each way; float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size (int or tuple): the window size ``(kH, kW)``.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit ``-inf`` padding on both sides, at most half
            the kernel size. Default: ``0``.
        dilation (int or tuple, optional): the spacing of a window's taps. Default: ``1``.
        ceil_mode (bool, optional): round the output size up, so a partial window at the end
            counts (one that starts inside the input or its left padding). Default: ``False``.
        return_indices (bool, optional): also return where each maximum is, as an int64 index
            into the flattened ``H * W`` plane. Default: ``False``.

    Returns:
        Tensor, or (Tensor, Tensor) with ``return_indices``: ``(N, C, H_out, W_out)`` with
        ``H_out = (H + 2 * padH - dH * (kH - 1) - 1) // sH + 1`` (rounded up in ``ceil_mode``)
        and likewise ``W_out``.

    Example::

        >>> x = torch.arange(16.).reshape(1, 1, 4, 4)
        >>> F.max_pool2d(x, 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
        >>> F.max_pool2d(x, 2, return_indices=True)[1]
        tensor([[[[ 5,  7],
                  [13, 15]]]])
        >>> F.max_pool2d(torch.ones(1, 5, 5), 2, ceil_mode=True).shape
        hayabusa.Size([1, 3, 3])
    """
    _check_input(input, "max_pool2d")
    kernel, stride, padding, dilation = _window_args(kernel_size, stride, padding, dilation, 2)
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    _check_spatial(input)
    _check_window(kernel, stride, padding, dilation, True)
    out_size = _out_size(input, kernel, stride, padding, dilation, ceil_mode)
    out, indices = _max_pool(input, kernel, stride, padding, dilation, out_size, return_indices)
    return (out, _wrap(indices)) if return_indices else out


def max_pool1d(input: Tensor, kernel_size: int | Sequence[int],
               stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
               dilation: int | Sequence[int] = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Applies 1-D max pooling over the last dim: the largest value of each window.

    As :func:`max_pool2d` over a height of 1. float32 and float64 only (other dtypes raise
    NotImplementedError).

    Args:
        input (Tensor): ``(N, C, L)`` or ``(C, L)``.
        kernel_size (int or tuple): the window size.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit ``-inf`` padding on both sides, at most half
            the kernel size. Default: ``0``.
        dilation (int or tuple, optional): the spacing of a window's taps. Default: ``1``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.
        return_indices (bool, optional): also return the int64 position of each maximum along
            the last dim. Default: ``False``.

    Returns:
        Tensor, or (Tensor, Tensor) with ``return_indices``: ``(N, C, L_out)`` with
        ``L_out = (L + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1`` (rounded
        up in ``ceil_mode``).

    Example::

        >>> x = torch.tensor([[[1., 3., 2., 5., 4.]]])
        >>> F.max_pool1d(x, 2)
        tensor([[[3., 5.]]])
        >>> F.max_pool1d(x, 2, ceil_mode=True)
        tensor([[[3., 5., 4.]]])
        >>> F.max_pool1d(x, 3, stride=1, return_indices=True)
        (tensor([[[3., 5., 5.]]]), tensor([[[1, 3, 3]]]))
    """
    _check_input(input, "max_pool1d")
    kernel, stride, padding, dilation = _window_args(kernel_size, stride, padding, dilation, 1)
    if input.ndim not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError(f"max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 "
                           f"dim batch size for input, but got:{list(input.shape)}")
    _check_window(kernel, stride, padding, dilation, True)
    size = _pool_size(input.shape[-1], kernel[0], stride[0], padding[0], dilation[0], ceil_mode)
    if size < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {size}")
    x = S.unsqueeze(input, -2)
    out, indices = _max_pool(x, *_as_1d_window(kernel, stride, padding, dilation), (1, size),
                             return_indices)
    out = S.squeeze(out, -2)
    return (out, _wrap(indices.reshape(out.shape))) if return_indices else out


# -------------------------------------------------------------- average pooling
def avg_pool2d(input: Tensor, kernel_size: int | Sequence[int],
               stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """Applies 2-D average pooling: the mean of each ``kH x kW`` window.

    Windows start ``stride`` apart over the input zero-padded by ``padding`` on each side. A
    window's sum is divided by ``divisor_override`` when given, else by its size, counting the
    padding (``count_include_pad=True``) or only the input positions it covers. A C kernel each
    way; float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``.
        kernel_size (int or tuple): the window size ``(kH, kW)``.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit zero padding on both sides, at most half the
            kernel size. Default: ``0``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.
        count_include_pad (bool, optional): count the padding in the divisor. Default: ``True``.
        divisor_override (int, optional): divide every window's sum by this instead. Default:
            ``None``.

    Returns:
        Tensor: ``(N, C, H_out, W_out)`` with ``H_out = (H + 2 * padH - kH) // sH + 1`` (rounded
        up in ``ceil_mode``) and likewise ``W_out``.

    Example::

        >>> x = torch.arange(16.).reshape(1, 1, 4, 4)
        >>> F.avg_pool2d(x, 2)
        tensor([[[[ 2.5000,  4.5000],
                  [10.5000, 12.5000]]]])
        >>> F.avg_pool2d(x, 2, divisor_override=1)
        tensor([[[[10., 18.],
                  [42., 50.]]]])
    """
    _check_input(input, "avg_pool2d")
    kernel, stride, padding, _ = _window_args(kernel_size, stride, padding, 1, 2)
    if input.ndim < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(input.ndim, 1)}, "
                         f"{max(input.ndim, 1) - 1}], but got -3)")
    if input.ndim != 4 and input.ndim != 3:
        raise RuntimeError(f"non-empty 3D or 4D (batch mode) tensor expected for input, got "
                           f"{list(input.shape)}")
    _check_spatial(input)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _check_window(kernel, stride, padding, (1, 1), False)
    out_size = _out_size(input, kernel, stride, padding, (1, 1), ceil_mode)
    return AvgPool2d.apply(input, kernel=kernel, stride=stride, padding=padding,
                           out_size=out_size, count_include_pad=bool(count_include_pad),
                           divisor_override=int(divisor_override or 0))


def avg_pool1d(input: Tensor, kernel_size: int | Sequence[int],
               stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """Applies 1-D average pooling over the last dim: the mean of each window.

    As :func:`avg_pool2d` over a height of 1. float32 and float64 only (other dtypes raise
    NotImplementedError).

    Args:
        input (Tensor): ``(N, C, L)`` or ``(C, L)``.
        kernel_size (int or tuple): the window size.
        stride (int or tuple, optional): the step between windows. Default: ``kernel_size``.
        padding (int or tuple, optional): implicit zero padding on both sides, at most half the
            kernel size. Default: ``0``.
        ceil_mode (bool, optional): round the output size up (a partial last window counts).
            Default: ``False``.
        count_include_pad (bool, optional): count the padding in the divisor. Default: ``True``.

    Returns:
        Tensor: ``(N, C, L_out)`` with ``L_out = (L + 2 * padding - kernel_size) // stride + 1``
        (rounded up in ``ceil_mode``).

    Example::

        >>> x = torch.tensor([[[1., 3., 2., 5., 4.]]])
        >>> F.avg_pool1d(x, 2)
        tensor([[[2.0000, 3.5000]]])
        >>> F.avg_pool1d(x, 3, stride=2, padding=1, count_include_pad=False)
        tensor([[[2.0000, 3.3333, 4.5000]]])
    """
    _check_input(input, "avg_pool1d")
    kernel, stride, padding, _ = _window_args(kernel_size, stride, padding, 1, 1)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor "
                           "for argument #1 'self' (while checking arguments for avg_pool1d)")
    x = S.unsqueeze(input, -2)
    out = avg_pool2d(x, (1,) + kernel, (1,) + stride, (0,) + padding, ceil_mode,
                     count_include_pad)
    return S.squeeze(out, -2)


# ------------------------------------------------------------- adaptive pooling
def _adaptive_size(input, output_size, name, dims):
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"{name}(): Expected {dims + 1}D or {dims + 2}D tensor, but got "
                           f"{list(input.shape)}")
    for d in range(input.ndim - dims, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(f"{name}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {list(input.shape)} with dimension "
                               f"{d} being empty")
    sizes = output_size if isinstance(output_size, (list, tuple)) else (output_size,) * dims
    if len(sizes) != dims:
        raise RuntimeError(f"{name}: output_size must be {dims}, got {len(sizes)}")
    sizes = tuple(int(input.shape[input.ndim - dims + i]) if s is None else int(s)
                  for i, s in enumerate(sizes))
    if any(s < 0 for s in sizes):
        neg = next(s for s in sizes if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: "
                           f"{list(input.shape[:-dims]) + list(sizes)}")
    return sizes


def adaptive_avg_pool2d(input: Tensor, output_size: int | None | Sequence[int | None]) -> Tensor:
    """Applies 2-D adaptive average pooling: the output has size ``output_size`` whatever the
    input's, each entry the mean of its window.

    Output row ``i`` of ``H_out`` averages input rows ``floor(i * H / H_out)`` to
    ``ceil((i + 1) * H / H_out)`` (exclusive), and likewise for columns: windows may overlap and
    differ in size by one. A C kernel each way; float32 and float64 only (other dtypes raise
    NotImplementedError).

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``, with ``H, W > 0``.
        output_size (int, None or tuple): ``(H_out, W_out)``; one int for both; ``None`` keeps
            the input's size in that dim.

    Returns:
        Tensor: ``(N, C, H_out, W_out)`` or ``(C, H_out, W_out)``.

    Example::

        >>> x = torch.arange(16.).reshape(1, 1, 4, 4)
        >>> F.adaptive_avg_pool2d(x, 1)
        tensor([[[[7.5000]]]])
        >>> F.adaptive_avg_pool2d(x, (2, 1))
        tensor([[[[ 3.5000],
                  [11.5000]]]])
        >>> F.adaptive_avg_pool2d(torch.ones(2, 3, 7, 5), (3, None)).shape
        hayabusa.Size([2, 3, 3, 5])
    """
    _check_input(input, "adaptive_avg_pool2d")
    out_size = _adaptive_size(input, output_size, "adaptive_avg_pool2d", 2)
    return AdaptiveAvgPool2d.apply(input, out_size=out_size)


def adaptive_max_pool2d(input: Tensor, output_size: int | None | Sequence[int | None],
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Applies 2-D adaptive max pooling: the output has size ``output_size`` whatever the
    input's, each entry the largest value of its window.

    The windows are those of :func:`adaptive_avg_pool2d`. The gradient goes to each window's
    maximum. float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(C, H, W)``, with ``H, W > 0``.
        output_size (int, None or tuple): ``(H_out, W_out)``; one int for both; ``None`` keeps
            the input's size in that dim.
        return_indices (bool, optional): also return where each maximum is, as an int64 index
            into the flattened ``H * W`` plane. Default: ``False``.

    Returns:
        Tensor, or (Tensor, Tensor) with ``return_indices``: ``(N, C, H_out, W_out)`` or
        ``(C, H_out, W_out)``.

    Example::

        >>> x = torch.arange(16.).reshape(1, 1, 4, 4)
        >>> F.adaptive_max_pool2d(x, 2)
        tensor([[[[ 5.,  7.],
                  [13., 15.]]]])
        >>> F.adaptive_max_pool2d(x, (1, 2), return_indices=True)
        (tensor([[[[13., 15.]]]]), tensor([[[[13, 15]]]]))
    """
    _check_input(input, "adaptive_max_pool2d")
    out_size = _adaptive_size(input, output_size, "adaptive_max_pool2d", 2)
    return _adaptive_max(input, out_size, return_indices)


def _adaptive_max(x, out_size, return_indices):
    record = grad_mode.is_grad_enabled() and x._requires_grad
    values, indices = x._backend.adaptive_max_pool2d(x._data, out_size, record or return_indices)
    out = AdaptiveMaxPool2d.apply(x, values=values, indices=indices) if record else _wrap(values)
    return (out, _wrap(indices)) if return_indices else out


def adaptive_avg_pool1d(input: Tensor, output_size: int | Sequence[int]) -> Tensor:
    """Applies 1-D adaptive average pooling over the last dim: ``output_size`` means of
    windows that cover the input (see :func:`adaptive_avg_pool2d`).

    float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C, L)`` or ``(C, L)``, with ``L > 0``.
        output_size (int or tuple): ``L_out``.

    Returns:
        Tensor: ``(N, C, L_out)`` or ``(C, L_out)``.

    Example::

        >>> x = torch.tensor([[[1., 3., 2., 5., 4.]]])
        >>> F.adaptive_avg_pool1d(x, 2)
        tensor([[[2.0000, 3.6667]]])
    """
    _check_input(input, "adaptive_avg_pool1d")
    (size,) = _adaptive_size(input, ntuple(output_size, 1, "output_size"), "adaptive_avg_pool1d", 1)
    return S.squeeze(AdaptiveAvgPool2d.apply(S.unsqueeze(input, -2), out_size=(1, size)), -2)


def adaptive_max_pool1d(input: Tensor, output_size: int | Sequence[int],
                        return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """Applies 1-D adaptive max pooling over the last dim: the largest values of
    ``output_size`` windows that cover the input (see :func:`adaptive_avg_pool2d`).

    float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C, L)`` or ``(C, L)``, with ``L > 0``.
        output_size (int or tuple): ``L_out``.
        return_indices (bool, optional): also return the int64 position of each maximum along
            the last dim. Default: ``False``.

    Returns:
        Tensor, or (Tensor, Tensor) with ``return_indices``: ``(N, C, L_out)`` or
        ``(C, L_out)``.

    Example::

        >>> x = torch.tensor([[[1., 3., 2., 5., 4.]]])
        >>> F.adaptive_max_pool1d(x, 2, return_indices=True)
        (tensor([[[3., 5.]]]), tensor([[[1, 3]]]))
    """
    _check_input(input, "adaptive_max_pool1d")
    (size,) = _adaptive_size(input, ntuple(output_size, 1, "output_size"), "adaptive_max_pool1d", 1)
    result = _adaptive_max(S.unsqueeze(input, -2), (1, size), return_indices)
    if return_indices:
        out, indices = result
        return S.squeeze(out, -2), S.squeeze(indices, -2)
    return S.squeeze(result, -2)
