"""Normalization: batch_norm, layer_norm and group_norm, one C kernel each way.

Layer norm is group norm with a single group whose "channels" are the
normalized elements: both normalize rows and keep the per-row mean and
1/std for backward.
"""
import math

from .._tensor import Tensor
from ..autograd.function import Function
from .conv import _dtype_name


class BatchNorm(Function):
    """Batch statistics (training) or running statistics (evaluation); the running statistics
    are updated in place by the kernel when training and given."""

    torch_name = "NativeBatchNormBackward0"
    saved_inputs = (0, 1)

    def forward(self, x, weight, bias, running_mean, running_var, training, momentum, eps):
        y, self.mean, self.invstd = self.be.batch_norm_forward(
            x, weight, bias, running_mean, running_var, training, momentum, eps)
        self.x, self.weight, self.training = x, weight, training
        return y

    def backward(self, grad):
        need_x, need_w, need_b = self.needs_input_grad
        return self.be.batch_norm_backward(grad, self.x, self.mean, self.invstd, self.weight,
                                           self.training, need_x, need_w, need_b)


class GroupNorm(Function):
    """x's rows of cg * s elements normalized (n * groups rows), then scaled and shifted per
    channel; sizes = (n, groups, cg, s)."""

    torch_name = "NativeGroupNormBackward0"
    saved_inputs = (0, 1)

    def forward(self, x, weight, bias, sizes, eps):
        self.param_shape = weight.shape if weight is not None else None
        w = weight.reshape(-1) if weight is not None else None
        b = bias.reshape(-1) if bias is not None else None
        y, self.mean, self.rstd = self.be.group_norm_forward(x, w, b, *sizes, eps)
        self.x, self.w, self.sizes = x, w, sizes
        return y

    def backward(self, grad):
        need_x, need_w, need_b = self.needs_input_grad
        gx, gw, gb = self.be.group_norm_backward(grad, self.x, self.mean, self.rstd, self.w,
                                                 *self.sizes, need_x, need_w, need_b)
        if gw is not None:
            gw = gw.reshape(self.param_shape)
        if gb is not None:
            gb = gb.reshape(self.param_shape or gb.shape)
        return gx, gw, gb


class LayerNorm(GroupNorm):
    torch_name = "NativeLayerNormBackward0"


def _check_float(input, others, name):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
    if not input.dtype.is_floating_point or input.dtype.name == "float16":
        raise NotImplementedError(f"{name} on {input.dtype.name} tensors is not supported "
                                  "(float32 and float64 are)")
    for t in others:
        if t is not None and t.dtype is not input.dtype:
            raise RuntimeError(f"expected scalar type {_dtype_name(input.dtype)} but found "
                               f"{_dtype_name(t.dtype)}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    _check_float(input, (running_mean, running_var, weight, bias), "batch_norm")
    if input.ndim < 2:
        raise ValueError(f"expected 2D or more input (got {input.ndim}D input)")
    if training:
        values = input.shape[0] * math.prod(input.shape[2:])
        if values == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {input.shape}")
    elif running_mean is None or running_var is None:
        raise RuntimeError(f"running_{'mean' if running_mean is None else 'var'} must be defined "
                           "in evaluation mode")
    c = input.shape[1]
    for t, what in ((running_mean, "running_mean"), (running_var, "running_var"),
                    (weight, "weight"), (bias, "bias")):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{what} should contain {c} elements not {t.numel()}")
    if input.numel() == 0:
        return input.clone()
    rm = running_mean._data.reshape(-1) if running_mean is not None else None
    rv = running_var._data.reshape(-1) if running_var is not None else None
    w = weight.reshape(-1) if weight is not None and weight.ndim != 1 else weight
    b = bias.reshape(-1) if bias is not None and bias.ndim != 1 else bias
    out = BatchNorm.apply(input, w, b, running_mean=rm, running_var=rv, training=bool(training),
                          momentum=float(momentum), eps=float(eps))
    if training:
        for t in (running_mean, running_var):
            if t is not None:
                t._version[0] += 1
    return out


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    _check_float(input, (weight, bias), "layer_norm")
    shape = (int(normalized_shape),) if isinstance(normalized_shape, int) else \
        tuple(int(s) for s in normalized_shape)
    k = len(shape)
    if k == 0 or k > input.ndim or tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    for t, what in ((weight, "weight"), (bias, "bias")):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {what} to be of same shape as normalized_shape, but got "
                               f"{what} of shape {list(t.shape)} and normalized_shape = {list(shape)}")
    d = math.prod(shape)
    if input.numel() == 0:
        return input.clone()
    return LayerNorm.apply(input, weight, bias, sizes=(input.numel() // d, 1, d, 1),
                           eps=float(eps))


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    _check_float(input, (weight, bias), "group_norm")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(input.shape)} and num_groups={num_groups}")
    for t, what in ((weight, "weight"), (bias, "bias")):
        if t is not None and (t.ndim != 1 or t.shape[0] != c):
            raise RuntimeError(f"Expected {what} to be a vector of size equal to the number of "
                               f"channels in input, but got {what} of shape {list(t.shape)} and "
                               f"input of shape {list(input.shape)}")
    if input.numel() == 0:
        return input.clone()
    return GroupNorm.apply(input, weight, bias,
                           sizes=(n, num_groups, c // num_groups, math.prod(input.shape[2:])),
                           eps=float(eps))
