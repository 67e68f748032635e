"""Convolutions (conv1d/2d, conv_transpose1d/2d) and unfold/fold.

Every convolution runs as a 2-D one in C (a 1-D convolution is a 2-D one over a
height of 1): stride-1 convolutions through a direct kernel per instruction set
where it is the faster path, the others through im2col + GEMM per image.
Backward computes the input, weight and bias gradients that are needed in one
call.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._tensor import Tensor
from ..autograd.function import Function
from . import shape as S

if TYPE_CHECKING:
    from typing import Sequence


class Conv2d(Function):
    torch_name = "ConvolutionBackward0"
    saved_inputs = (0, 1)

    def forward(self, x, weight, bias, stride, padding, dilation, groups):
        self.x, self.weight = x, weight
        self.params = (stride, padding, dilation, groups)
        return self.be.conv2d_forward(x, weight, bias, stride, padding, dilation, groups)

    def backward(self, grad):
        need_x, need_w, need_b = self.needs_input_grad
        return self.be.conv2d_backward(grad, self.x, self.weight, *self.params, need_x, need_w,
                                       need_b)


class ConvTranspose2d(Function):
    torch_name = "ConvolutionBackward0"
    saved_inputs = (0, 1)

    def forward(self, x, weight, bias, stride, padding, output_padding, dilation, groups):
        self.x, self.weight = x, weight
        self.params = (stride, padding, dilation, groups)
        return self.be.conv_transpose2d_forward(x, weight, bias, stride, padding, output_padding,
                                                dilation, groups)

    def backward(self, grad):
        need_x, need_w, need_b = self.needs_input_grad
        return self.be.conv_transpose2d_backward(grad, self.x, self.weight, *self.params, need_x,
                                                 need_w, need_b)


class Unfold(Function):
    torch_name = "Im2ColBackward0"

    def forward(self, x, kernel, dilation, padding, stride):
        self.size, self.params = x.shape[2:], (kernel, dilation, padding, stride)
        return self.be.im2col(x, kernel, dilation, padding, stride)

    def backward(self, grad):
        return self.be.col2im(grad, self.size, *self.params)


class Fold(Function):
    torch_name = "Col2ImBackward0"

    def forward(self, col, output_size, kernel, dilation, padding, stride):
        self.params = (kernel, dilation, padding, stride)
        return self.be.col2im(col, output_size, kernel, dilation, padding, stride)

    def backward(self, grad):
        return self.be.im2col(grad, *self.params)


# ------------------------------------------------------------------ arguments
def ntuple(value, n, name, what="the convolution dimensions"):
    """An int or a sequence of 1 or n ints as an n-tuple, or PyTorch's RuntimeError."""
    if isinstance(value, Tensor):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return (int(value[0]),) * n
        if len(value) == n:
            return tuple(int(v) for v in value)
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values "
                           f"to match {what}, but got {name}={list(value)}")
    return (int(value),) * n


def _dtype_name(dt):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "bool": "Bool"}.get(dt.name, dt.name)


def _check_operands(input, weight, bias, name):
    for arg, what in ((input, "input"), (weight, "weight")):
        if not isinstance(arg, Tensor):
            raise TypeError(f"{name}(): argument '{what}' must be Tensor, not {type(arg).__name__}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TypeError(f"{name}(): argument 'bias' must be Tensor, not {type(bias).__name__}")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected scalar type {_dtype_name(input.dtype)} but found "
                           f"{_dtype_name(weight.dtype)}")
    if bias is not None and bias.dtype is not input.dtype:
        raise RuntimeError(f"Input type ({_dtype_name(input.dtype).lower()}) and bias type "
                           f"({_dtype_name(bias.dtype).lower()}) should be the same")
    if not input.dtype.is_floating_point or input.dtype.name == "float16":
        raise NotImplementedError(f"{name} on {input.dtype.name} tensors is not supported "
                                  "(float32 and float64 are)")


def _check_rank(input, weight, dims, name, stride):
    if weight.ndim < 3:
        raise RuntimeError("weight should have at least three dimensions")
    if weight.ndim != dims + 2:
        raise RuntimeError(f"expected stride to be a single integer value or a list of "
                           f"{weight.ndim - 2} values to match the convolution dimensions, but got "
                           f"stride={list(ntuple(stride, dims, 'stride'))}")
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")


def _check_steps(stride, padding, dilation, groups):
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")


def _check_groups(weight, groups):
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at "
                           f"dimension 0, but got weight of size [{list(weight.shape)}] instead")


def _check_bias(bias, weight, channels):
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != channels):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {channels} elements, but got bias of size "
                           f"{list(bias.shape)} instead")


def _same_padding(kernel, dilation):
    """(left, right) padding per dimension that keeps the size with stride 1."""
    pads = []
    for k, d in zip(kernel, dilation):
        total = d * (k - 1)
        pads.append((total // 2, total - total // 2))
    return pads


def _as_2d(x, weight, dims, stride, padding, dilation):
    """A 1-D convolution's operands and parameters as a 2-D one's (over a height of 1)."""
    if dims == 2:
        return x, weight, stride, padding, dilation
    return (S.unsqueeze(x, 2), S.unsqueeze(weight, 2), (1,) + stride, (0,) + padding,
            (1,) + dilation)


# --------------------------------------------------------------- convolution
def _convnd(input, weight, bias, stride, padding, dilation, groups, dims, name):
    _check_operands(input, weight, bias, name)
    _check_rank(input, weight, dims, name, stride)
    stride = ntuple(stride, dims, "stride")
    dilation = ntuple(dilation, dims, "dilation")
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if padding == "same" and any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pads = _same_padding(kernel, dilation) if padding == "same" else [(0, 0)] * dims
    else:
        pads = [(p, p) for p in ntuple(padding, dims, "padding")]
    _check_steps(stride, [p for pair in pads for p in pair], dilation, groups)
    _check_groups(weight, groups)
    unbatched = input.ndim == dims + 1
    x = S.unsqueeze(input, 0) if unbatched else input
    if x.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[1] * groups} channels, but "
                           f"got {x.shape[1]} channels instead")
    _check_bias(bias, weight, weight.shape[0])
    padded = [s + left + right for s, (left, right) in zip(x.shape[2:], pads)]
    effective = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(e > p for e, p in zip(effective, padded)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). Kernel "
            f"size: ({' x '.join(map(str, effective))}). Kernel size can't be greater than actual "
            "input size")
    # An uneven 'same' padding (even kernel, odd dilation) pads both sides by the larger
    # amount and drops the one extra leading output.
    sym = tuple(right for _, right in pads)
    trim = tuple(right - left for left, right in pads)
    x2, w2, stride2, pad2, dil2 = _as_2d(x, weight, dims, stride, sym, dilation)
    out = Conv2d.apply(x2, w2, bias, stride=stride2, padding=pad2, dilation=dil2, groups=groups)
    if dims == 1:
        out = S.squeeze(out, 2)
    if any(trim):
        index = (slice(None), slice(None)) + tuple(slice(t, None) for t in trim)
        out = out[index]
    return S.squeeze(out, 0) if unbatched else out


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
           stride: int | Sequence[int] = 1, padding: str | int | Sequence[int] = 0,
           dilation: int | Sequence[int] = 1, groups: int = 1) -> Tensor:
    """Applies a 2-D convolution (PyTorch's cross-correlation) over an image batch.

    ``out[n, o] = bias[o] + sum_c sum_(p, q) weight[o, c, p, q] * x[n, c, i*sH + p*dH - padH,
    j*sW + q*dW - padW]``, with ``c`` running over the input channels of output channel ``o``'s
    group and zeros outside the image. Stride-1 convolutions run a direct C kernel per
    instruction set where that is faster, the others im2col + GEMM; backward computes the input,
    weight and bias gradients in one call. float32 and float64 only (other dtypes raise
    NotImplementedError); ``input``, ``weight`` and ``bias`` must share the dtype.

    Args:
        input (Tensor): ``(N, C_in, H, W)``, or ``(C_in, H, W)`` unbatched.
        weight (Tensor): ``(C_out, C_in / groups, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int, tuple or str, optional): zeros added on both sides of each spatial dim,
            or ``'valid'`` (none) or ``'same'`` (the output keeps the input's size; stride 1
            only; an odd total puts the extra zero after, as PyTorch). Default: ``0``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.
        groups (int, optional): split the channels into this many groups, each convolved with
            its own ``C_out / groups`` filters. Default: ``1``.

    Returns:
        Tensor: ``(N, C_out, H_out, W_out)`` (no ``N`` if unbatched), with
        ``H_out = (H + 2 * padH - dH * (kH - 1) - 1) // sH + 1`` and likewise ``W_out``.

    Example::

        >>> x = torch.arange(16.).reshape(1, 1, 4, 4)
        >>> F.conv2d(x, torch.ones(1, 1, 3, 3))
        tensor([[[[45., 54.],
                  [81., 90.]]]])
        >>> F.conv2d(x, torch.ones(1, 1, 3, 3), stride=2, padding=1)
        tensor([[[[10., 24.],
                  [51., 90.]]]])
        >>> F.conv2d(torch.ones(2, 4, 8, 8), torch.ones(6, 2, 3, 3), groups=2).shape
        hayabusa.Size([2, 6, 6, 6])
    """
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
           stride: int | Sequence[int] = 1, padding: str | int | Sequence[int] = 0,
           dilation: int | Sequence[int] = 1, groups: int = 1) -> Tensor:
    """Applies a 1-D convolution (PyTorch's cross-correlation) over a batch of sequences.

    ``out[n, o, i] = bias[o] + sum_c sum_p weight[o, c, p] * x[n, c, i*stride + p*dilation -
    padding]``, with ``c`` running over the input channels of output channel ``o``'s group and
    zeros outside the sequence. It runs as :func:`conv2d` over a height of 1. float32 and
    float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C_in, L)``, or ``(C_in, L)`` unbatched.
        weight (Tensor): ``(C_out, C_in / groups, k)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int, tuple or str, optional): zeros added on both sides, or ``'valid'`` or
            ``'same'`` (stride 1 only). Default: ``0``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.
        groups (int, optional): the number of channel groups. Default: ``1``.

    Returns:
        Tensor: ``(N, C_out, L_out)`` (no ``N`` if unbatched), with
        ``L_out = (L + 2 * padding - dilation * (k - 1) - 1) // stride + 1``.

    Example::

        >>> x = torch.tensor([[[1., 2., 3., 4., 5.]]])
        >>> F.conv1d(x, torch.tensor([[[1., 0., -1.]]]))
        tensor([[[-2., -2., -2.]]])
        >>> F.conv1d(x, torch.tensor([[[1., 0., -1.]]]), torch.tensor([10.]), padding=1)
        tensor([[[ 8.,  8.,  8.,  8., 14.]]])
    """
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation,
                      dims, name):
    _check_operands(input, weight, bias, name)
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    _check_rank(input, weight, dims, name, stride)
    stride = ntuple(stride, dims, "stride")
    padding = ntuple(padding, dims, "padding")
    dilation = ntuple(dilation, dims, "dilation")
    output_padding = ntuple(output_padding, dims, "output_padding")
    _check_steps(stride, padding, dilation, groups)
    if any(op < 0 for op in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        names = ("height", "width") if dims == 2 else ("width",)
        detail = " ".join(f"output_padding_{n}: {op}" for n, op in zip(names, output_padding))
        detail += " " + " ".join(f"stride_{n}: {s}" for n, s in zip(names, stride))
        detail += " " + " ".join(f"dilation_{n}: {d}" for n, d in zip(names, dilation))
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but "
                           f"got {detail}")
    _check_groups(weight, groups)
    unbatched = input.ndim == dims + 1
    x = S.unsqueeze(input, 0) if unbatched else input
    if x.shape[1] != weight.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[0]} channels, but got "
                           f"{x.shape[1]} channels instead")
    _check_bias(bias, weight, weight.shape[1] * groups)
    kernel = weight.shape[2:]
    size = [(i - 1) * s - 2 * p + d * (k - 1) + op + 1 for i, s, p, d, k, op in
            zip(x.shape[2:], stride, padding, dilation, kernel, output_padding)]
    if any(o <= 0 for o in size):
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated "
            f"output size per channel: ({' x '.join(map(str, size))}). Output size is too small")
    x2, w2, stride2, pad2, dil2 = _as_2d(x, weight, dims, stride, padding, dilation)
    op2 = output_padding if dims == 2 else (0,) + output_padding
    out = ConvTranspose2d.apply(x2, w2, bias, stride=stride2, padding=pad2, output_padding=op2,
                                dilation=dil2, groups=groups)
    if dims == 1:
        out = S.squeeze(out, 2)
    return S.squeeze(out, 0) if unbatched else out


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                     output_padding: int | Sequence[int] = 0, groups: int = 1,
                     dilation: int | Sequence[int] = 1) -> Tensor:
    """Applies a 2-D transposed convolution (the gradient of :func:`conv2d` with respect to its
    input; sometimes called a deconvolution).

    Each input pixel adds ``weight``'s ``kH x kW`` patch (taps ``dilation`` apart), scaled by
    its value, into the output, the patches of neighbouring pixels ``stride`` apart; then
    ``padding`` rows and columns are cropped from each side. The output has the size of an input
    that :func:`conv2d` with the same ``stride``, ``padding`` and ``dilation`` maps to
    ``input``'s size (``output_padding`` picks among them when ``stride > 1``). float32 and
    float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C_in, H, W)``, or ``(C_in, H, W)`` unbatched.
        weight (Tensor): ``(C_in, C_out / groups, kH, kW)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int or tuple, optional): rows and columns cropped from each side of the
            output: the conv2d padding this undoes (a string is a TypeError). Default: ``0``.
        output_padding (int or tuple, optional): extra size added to one side of the output,
            smaller than ``stride`` or ``dilation``. Default: ``0``.
        groups (int, optional): the number of channel groups. Default: ``1``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.

    Returns:
        Tensor: ``(N, C_out, H_out, W_out)`` (no ``N`` if unbatched), with ``H_out = (H - 1) *
        sH - 2 * padH + dH * (kH - 1) + output_padH + 1`` and likewise ``W_out``.

    Example::

        >>> F.conv_transpose2d(torch.ones(1, 1, 2, 2), torch.ones(1, 1, 2, 2), stride=2)
        tensor([[[[1., 1., 1., 1.],
                  [1., 1., 1., 1.],
                  [1., 1., 1., 1.],
                  [1., 1., 1., 1.]]]])
        >>> x, w = torch.ones(1, 4, 5, 5), torch.ones(4, 3, 3, 3)
        >>> F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1).shape
        hayabusa.Size([1, 3, 10, 10])
    """
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 2, "conv_transpose2d")


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None,
                     stride: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
                     output_padding: int | Sequence[int] = 0, groups: int = 1,
                     dilation: int | Sequence[int] = 1) -> Tensor:
    """Applies a 1-D transposed convolution (the gradient of :func:`conv1d` with respect to its
    input); see :func:`conv_transpose2d`.

    It runs as :func:`conv_transpose2d` over a height of 1. float32 and float64 only (other
    dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C_in, L)``, or ``(C_in, L)`` unbatched.
        weight (Tensor): ``(C_in, C_out / groups, k)``.
        bias (Tensor, optional): ``(C_out,)``. Default: ``None``.
        stride (int or tuple, optional): the step of the kernel. Default: ``1``.
        padding (int or tuple, optional): the conv1d padding this undoes. Default: ``0``.
        output_padding (int or tuple, optional): extra size added to one side of the output,
            smaller than ``stride`` or ``dilation``. Default: ``0``.
        groups (int, optional): the number of channel groups. Default: ``1``.
        dilation (int or tuple, optional): the spacing of the kernel's taps. Default: ``1``.

    Returns:
        Tensor: ``(N, C_out, L_out)`` (no ``N`` if unbatched), with ``L_out = (L - 1) * stride -
        2 * padding + dilation * (k - 1) + output_padding + 1``.

    Example::

        >>> x = torch.tensor([[[1., 2., 3.]]])
        >>> F.conv_transpose1d(x, torch.ones(1, 1, 2))
        tensor([[[1., 3., 5., 3.]]])
        >>> F.conv_transpose1d(x, torch.ones(1, 1, 2), stride=2)
        tensor([[[1., 1., 2., 2., 3., 3.]]])
    """
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 1, "conv_transpose1d")


# -------------------------------------------------------------- unfold / fold
def _window_params(kernel_size, dilation, padding, stride):
    what = "the sliding block dimensions"
    return (ntuple(kernel_size, 2, "kernel_size", what), ntuple(dilation, 2, "dilation", what),
            ntuple(padding, 2, "padding", what), ntuple(stride, 2, "stride", what))


def _check_window_params(kernel, dilation, padding, stride):
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"kernel size should be greater than zero, but got kernel_height: "
                           f"{kernel[0]} kernel_width: {kernel[1]}")
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"stride should be greater than zero, but got stride_height: "
                           f"{stride[0]} stride_width: {stride[1]}")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got dilation_height: "
                           f"{dilation[0]} dilation_width: {dilation[1]}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"padding should be non-negative, but got pad_height: {padding[0]} "
                           f"pad_width: {padding[1]}")


def _blocks(size, kernel, dilation, padding, stride):
    return [(s + 2 * p - d * (k - 1) - 1) // st + 1
            for s, k, d, p, st in zip(size, kernel, dilation, padding, stride)]


def unfold(input: Tensor, kernel_size: int | Sequence[int], dilation: int | Sequence[int] = 1,
           padding: int | Sequence[int] = 0, stride: int | Sequence[int] = 1) -> Tensor:
    """Extracts sliding local blocks of an image batch into columns (im2col).

    Column ``l`` of the result holds the ``C * kH * kW`` values of the ``l``-th block (blocks in
    row-major order over the output positions, values in ``(c, p, q)`` order), with zeros where
    the padded block leaves the image. Only 4-D (and 3-D unbatched) inputs, as PyTorch; floating
    dtypes only (others raise NotImplementedError). :func:`fold` is its adjoint.

    Args:
        input (Tensor): ``(N, C, H, W)``, or ``(C, H, W)`` unbatched.
        kernel_size (int or tuple): the block size ``(kH, kW)``.
        dilation (int or tuple, optional): the spacing of the block's taps. Default: ``1``.
        padding (int or tuple, optional): zeros added on both sides of each spatial dim.
            Default: ``0``.
        stride (int or tuple, optional): the step between blocks. Default: ``1``.

    Returns:
        Tensor: ``(N, C * kH * kW, L)`` (no ``N`` if unbatched), ``L`` the number of blocks.

    Example::

        >>> F.unfold(torch.arange(9.).reshape(1, 1, 3, 3), kernel_size=2)
        tensor([[[0., 1., 3., 4.],
                 [1., 2., 4., 5.],
                 [3., 4., 6., 7.],
                 [4., 5., 7., 8.]]])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"unfold(): argument 'input' must be Tensor, not {type(input).__name__}")
    kernel, dilation, padding, stride = _window_params(kernel_size, dilation, padding, stride)
    if input.ndim not in (3, 4) or 0 in input.shape[1:]:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got:{list(input.shape)}")
    _check_window_params(kernel, dilation, padding, stride)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"unfold on {input.dtype.name} tensors is not supported")
    x = S.unsqueeze(input, 0) if input.ndim == 3 else input
    blocks = _blocks(x.shape[2:], kernel, dilation, padding, stride)
    if any(b < 1 for b in blocks):
        raise RuntimeError(
            f"Given input with spatial size ({x.shape[2]}, {x.shape[3]}), kernel_size={kernel}, "
            f"dilation={dilation}, padding={padding}, calculated shape of the array of sliding "
            f"blocks as ({blocks[0]}, {blocks[1]}), but its components must be at least one.")
    out = Unfold.apply(x, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    return S.squeeze(out, 0) if input.ndim == 3 else out


def fold(input: Tensor, output_size: int | Sequence[int], kernel_size: int | Sequence[int],
         dilation: int | Sequence[int] = 1, padding: int | Sequence[int] = 0,
         stride: int | Sequence[int] = 1) -> Tensor:
    """Combines columns of sliding local blocks into an image batch (col2im), summing where
    blocks overlap.

    The adjoint of :func:`unfold` (not its inverse: a value covered by ``m`` blocks comes back
    ``m`` times). Floating dtypes only (others raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C * kH * kW, L)``, or ``(C * kH * kW, L)`` unbatched, ``L`` the
            number of blocks that fit in ``output_size``.
        output_size (int or tuple): the image size ``(H, W)``.
        kernel_size (int or tuple): the block size ``(kH, kW)``.
        dilation (int or tuple, optional): the spacing of the block's taps. Default: ``1``.
        padding (int or tuple, optional): the padding of the image the blocks were taken from
            (values that land in it are dropped). Default: ``0``.
        stride (int or tuple, optional): the step between blocks. Default: ``1``.

    Returns:
        Tensor: ``(N, C, H, W)`` (no ``N`` if unbatched).

    Example::

        >>> F.fold(torch.ones(1, 4, 4), output_size=(3, 3), kernel_size=2)
        tensor([[[[1., 2., 1.],
                  [2., 4., 2.],
                  [1., 2., 1.]]]])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"fold(): argument 'input' must be Tensor, not {type(input).__name__}")
    what = "the sliding block dimensions"
    output_size = ntuple(output_size, 2, "output_size", what)
    kernel, dilation, padding, stride = _window_params(kernel_size, dilation, padding, stride)
    if input.ndim not in (2, 3) or 0 in input.shape[1:]:
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size "
                           f"for input, but got:{list(input.shape)}")
    _check_window_params(kernel, dilation, padding, stride)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"fold on {input.dtype.name} tensors is not supported")
    col = S.unsqueeze(input, 0) if input.ndim == 2 else input
    if col.shape[1] % (kernel[0] * kernel[1]):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={col.shape[1]} and "
                           f"kernel_size={kernel}.")
    blocks = _blocks(output_size, kernel, dilation, padding, stride)
    if any(b < 1 for b in blocks):
        raise RuntimeError(
            f"Given output_size={output_size}, kernel_size={kernel}, dilation={dilation}, "
            f"padding={padding}, stride={stride}, calculated shape of the array of sliding blocks "
            f"as ({blocks[0]}, {blocks[1]}), but its components must be at least one.")
    if col.shape[2] != blocks[0] * blocks[1]:
        raise RuntimeError(
            f"Given output_size={output_size}, kernel_size={kernel}, dilation={dilation}, "
            f"padding={padding}, stride={stride}, expected size of input's dimension 2 to match "
            f"the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
            f"{blocks[0] * blocks[1]}, but got input.size(2)={col.shape[2]}.")
    out = Fold.apply(col, output_size=output_size, kernel=kernel, dilation=dilation,
                     padding=padding, stride=stride)
    return S.squeeze(out, 0) if input.ndim == 2 else out

