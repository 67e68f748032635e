"""Convolutions (conv1d/2d, conv_transpose1d/2d) and unfold/fold.

Every convolution runs as a 2-D one in C (im2col + GEMM per image; a 1-D
convolution is a 2-D one over a height of 1). Backward computes the input,
weight and bias gradients that are needed in one call.
"""
from .._tensor import Tensor
from ..autograd.function import Function
from . import shape as S


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


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
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


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 2, "conv_transpose2d")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
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


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding local blocks: (N, C, H, W) -> (N, C * kh * kw, L) (unbatched (C, H, W) too)."""
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


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The inverse layout of unfold, overlapping values summed: (N, C * kh * kw, L) -> (N, C, H, W)."""
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

