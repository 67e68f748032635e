"""Normalization: batch_norm, layer_norm and group_norm, one C kernel each way.

Layer norm is group norm with a single group whose "channels" are the
normalized elements: both normalize rows and keep the per-row mean and
1/std for backward.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .._tensor import Tensor
from ..autograd.function import Function
from .conv import _dtype_name

if TYPE_CHECKING:
    from typing import Sequence


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


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-05) -> Tensor:
    """Applies batch normalization per channel (dim 1): ``(x - mean) / sqrt(var + eps) * weight
    + bias``.

    With ``training=True`` the mean and the biased variance are those of the batch, over every
    dim but 1, and ``running_mean`` / ``running_var`` (when given) are updated in place:
    ``running = (1 - momentum) * running + momentum * batch_statistic``, with the unbiased
    variance. With ``training=False`` the running statistics are used. A C kernel each way;
    float32 and float64 only (other dtypes raise NotImplementedError); every tensor must share
    the input's dtype.

    Args:
        input (Tensor): ``(N, C)`` or ``(N, C, d1, ...)``.
        running_mean (Tensor or None): ``(C,)``; required when ``training=False``.
        running_var (Tensor or None): ``(C,)``; required when ``training=False``.
        weight (Tensor, optional): the scale per channel, ``(C,)``. Default: ``None`` (1).
        bias (Tensor, optional): the shift per channel, ``(C,)``. Default: ``None`` (0).
        training (bool, optional): use and record the batch statistics. Default: ``False``.
        momentum (float, optional): the weight of the batch in the running statistics.
            Default: ``0.1``.
        eps (float, optional): added to the variance. Default: ``1e-5``.

    Returns:
        Tensor: the input's shape.

    Example::

        >>> x = torch.tensor([[1., 2.], [3., 6.]])
        >>> mean, var = torch.zeros(2), torch.ones(2)
        >>> F.batch_norm(x, mean, var, training=True)
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]])
        >>> mean, var
        (tensor([0.2000, 0.4000]), tensor([1.1000, 1.7000]))
        >>> F.batch_norm(x, mean, var)
        tensor([[0.7628, 1.2271],
                [2.6697, 4.2950]])
    """
    _check_float(input, (running_mean, running_var, weight, bias), "batch_norm")
    if input.ndim < 2:
        raise ValueError(f"expected 2D or more input (got {input.ndim}D input)")
    if training and not eps > 0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {float(eps)}")
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


def layer_norm(input: Tensor, normalized_shape: int | Sequence[int], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-05) -> Tensor:
    """Applies layer normalization over the last dims: ``(x - mean) / sqrt(var + eps) * weight +
    bias``, the mean and biased variance taken over the ``normalized_shape`` dims of each sample.

    A C kernel each way; float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(*, *normalized_shape)``.
        normalized_shape (int or sequence of ints): the trailing shape to normalize over.
        weight (Tensor, optional): the elementwise scale, of ``normalized_shape``. Default:
            ``None`` (1).
        bias (Tensor, optional): the elementwise shift, of ``normalized_shape``. Default:
            ``None`` (0).
        eps (float, optional): added to the variance. Default: ``1e-5``.

    Returns:
        Tensor: the input's shape.

    Example::

        >>> F.layer_norm(torch.tensor([[1., 2., 3.], [2., 2., 5.]]), (3,))
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]])
    """
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


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-05) -> Tensor:
    """Applies group normalization: the channels (dim 1) split into ``num_groups`` groups, each
    group of each sample normalized by its own mean and biased variance, then scaled and shifted
    per channel: ``(x - mean) / sqrt(var + eps) * weight + bias``.

    A C kernel each way; float32 and float64 only (other dtypes raise NotImplementedError).

    Args:
        input (Tensor): ``(N, C, *)``, ``C`` divisible by ``num_groups``.
        num_groups (int): the number of groups.
        weight (Tensor, optional): the scale per channel, ``(C,)``. Default: ``None`` (1).
        bias (Tensor, optional): the shift per channel, ``(C,)``. Default: ``None`` (0).
        eps (float, optional): added to the variance. Default: ``1e-5``.

    Returns:
        Tensor: the input's shape.

    Example::

        >>> F.group_norm(torch.arange(8.).reshape(1, 4, 2), 2)
        tensor([[[-1.3416, -0.4472],
                 [ 0.4472,  1.3416],
                 [-1.3416, -0.4472],
                 [ 0.4472,  1.3416]]])
    """
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
