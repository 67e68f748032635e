"""BatchNorm1d/2d (running statistics, momentum, num_batches_tracked), LayerNorm, GroupNorm."""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

from ... import _dtype
from ..._factories import empty, ones, tensor, zeros
from ...ops import normalization as N
from .. import init
from ..parameter import Parameter
from .module import Module

if TYPE_CHECKING:
    from typing import Sequence

    from ..._tensor import Tensor
    from ..._typing import DeviceLike, DTypeLike


class _BatchNorm(Module):
    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True,
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dt = _dtype.to_dtype(dtype) if dtype is not None else None
        if affine:
            self.weight = Parameter(empty(num_features, dtype=dt, device=device))
            if bias:
                self.bias = Parameter(empty(num_features, dtype=dt, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dt, device=device))
            self.register_buffer("running_var", ones(num_features, dtype=dt, device=device))
            self.register_buffer("num_batches_tracked", tensor(0, dtype=_dtype.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Sets ``running_mean`` to 0, ``running_var`` to 1 and ``num_batches_tracked`` to 0
        (with ``track_running_stats``; else does nothing)."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Resets the running statistics (:meth:`reset_running_stats`), the weight to 1 and the
        bias to 0."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            count = self.num_batches_tracked
            count._data += 1
            count._version[0] += 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(count._data)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        return N.batch_norm(input, self.running_mean if keep else None,
                            self.running_var if keep else None, self.weight, self.bias,
                            use_batch, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Applies batch normalization per feature (dim 1) over a 2-D or 3-D input
    (:func:`~hayabusa.nn.functional.batch_norm`).

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``. In training mode the mean and biased
    variance are the batch's (over every dim but 1), and the running statistics are updated:
    ``running = (1 - momentum) * running + momentum * batch_statistic`` (the unbiased variance),
    or their cumulative average when ``momentum`` is ``None``; ``num_batches_tracked`` counts the
    batches. In eval mode the running statistics are used (the batch's when
    ``track_running_stats=False``). A C kernel each way; float32 and float64.

    Args:
        num_features (int): ``C``, the number of features.
        eps (float, optional): added to the variance. Default: ``1e-5``.
        momentum (float or None, optional): the weight of each batch in the running
            statistics; ``None`` for a cumulative average. Default: ``0.1``.
        affine (bool, optional): learn a weight (initialized to 1) and a bias (to 0). Default:
            ``True``.
        track_running_stats (bool, optional): keep the running statistics as buffers. Default:
            ``True``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' and statistics' dtype. Default: the
            default dtype.
        bias (bool, optional, keyword-only): with ``affine``, learn the bias too. Default:
            ``True``.

    Shape:
        - Input: ``(N, C)`` or ``(N, C, L)``.
        - Output: the input's shape.

    Attributes:
        weight, bias (Parameter or None): ``(C,)``.
        running_mean, running_var (Tensor or None): buffers, ``(C,)``.
        num_batches_tracked (Tensor or None): an int64 buffer, ``()``.

    Example::

        >>> bn = nn.BatchNorm1d(2)
        >>> x = torch.tensor([[1., 2.], [3., 6.]])
        >>> bn(x)
        tensor([[-1.0000, -1.0000],
                [ 1.0000,  1.0000]], grad_fn=<NativeBatchNormBackward0>)
        >>> bn.running_mean, bn.running_var, bn.num_batches_tracked
        (tensor([0.2000, 0.4000]), tensor([1.1000, 1.7000]), tensor(1))
        >>> bn.eval()(x)
        tensor([[0.7628, 1.2271],
                [2.6697, 4.2950]], grad_fn=<NativeBatchNormBackward0>)
    """

    def _check_input_dim(self, input):
        if input.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input)")


class BatchNorm2d(_BatchNorm):
    """Applies batch normalization per channel (dim 1) over a 4-D input
    (:func:`~hayabusa.nn.functional.batch_norm`).

    As :class:`BatchNorm1d`, the statistics taken over ``N``, ``H`` and ``W``. A C kernel each
    way; float32 and float64.

    Args:
        num_features (int): ``C``, the number of channels.
        eps (float, optional): added to the variance. Default: ``1e-5``.
        momentum (float or None, optional): the weight of each batch in the running
            statistics; ``None`` for a cumulative average. Default: ``0.1``.
        affine (bool, optional): learn a weight (initialized to 1) and a bias (to 0). Default:
            ``True``.
        track_running_stats (bool, optional): keep the running statistics as buffers. Default:
            ``True``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' and statistics' dtype. Default: the
            default dtype.
        bias (bool, optional, keyword-only): with ``affine``, learn the bias too. Default:
            ``True``.

    Shape:
        - Input: ``(N, C, H, W)``.
        - Output: the input's shape.

    Example::

        >>> bn = nn.BatchNorm2d(3)
        >>> bn
        BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
        >>> bn(torch.ones(2, 3, 4, 4)).shape
        hayabusa.Size([2, 3, 4, 4])
    """

    def _check_input_dim(self, input):
        if input.ndim != 4:
            raise ValueError(f"expected 4D input (got {input.ndim}D input)")


class LayerNorm(Module):
    """Applies layer normalization over the last dims of each sample
    (:func:`~hayabusa.nn.functional.layer_norm`).

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``, the mean and biased variance taken
    over the ``normalized_shape`` trailing dims; the same in training and eval mode. A C kernel
    each way; float32 and float64.

    Args:
        normalized_shape (int or sequence of ints): the trailing shape to normalize over.
        eps (float, optional): added to the variance. Default: ``1e-5``.
        elementwise_affine (bool, optional): learn an elementwise weight (initialized to 1) and
            bias (to 0) of ``normalized_shape``. Default: ``True``.
        bias (bool, optional): with ``elementwise_affine``, learn the bias too. Default:
            ``True``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.

    Shape:
        - Input: ``(*, *normalized_shape)``.
        - Output: the input's shape.

    Example::

        >>> ln = nn.LayerNorm(3)
        >>> ln
        LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)
        >>> ln(torch.tensor([[1., 2., 3.], [2., 2., 5.]]))
        tensor([[-1.2247,  0.0000,  1.2247],
                [-0.7071, -0.7071,  1.4142]], grad_fn=<NativeLayerNormBackward0>)
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True,
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None) -> None:
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        dt = _dtype.to_dtype(dtype) if dtype is not None else None
        if elementwise_affine:
            self.weight = Parameter(empty(self.normalized_shape, dtype=dt, device=device))
            if bias:
                self.bias = Parameter(empty(self.normalized_shape, dtype=dt, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Sets the weight to 1 and the bias to 0."""
        if self.elementwise_affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return N.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class GroupNorm(Module):
    """Applies group normalization: the channels split into groups, each normalized per sample
    (:func:`~hayabusa.nn.functional.group_norm`).

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``, the mean and biased variance taken
    over each group's channels and the spatial dims of each sample, the weight and bias per
    channel; the same in training and eval mode. A C kernel each way; float32 and float64.

    Args:
        num_groups (int): the number of groups.
        num_channels (int): ``C``, divisible by ``num_groups``.
        eps (float, optional): added to the variance. Default: ``1e-5``.
        affine (bool, optional): learn a weight (initialized to 1) and a bias (to 0) per
            channel. Default: ``True``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.
        bias (bool, optional, keyword-only): with ``affine``, learn the bias too. Default:
            ``True``.

    Shape:
        - Input: ``(N, C, *)``.
        - Output: the input's shape.

    Example::

        >>> gn = nn.GroupNorm(2, 4)
        >>> gn(torch.arange(8.).reshape(1, 4, 2))
        tensor([[[-1.3416, -0.4472],
                 [ 0.4472,  1.3416],
                 [-1.3416, -0.4472],
                 [ 0.4472,  1.3416]]], grad_fn=<NativeGroupNormBackward0>)
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = (num_groups, num_channels,
                                                                     eps, affine)
        dt = _dtype.to_dtype(dtype) if dtype is not None else None
        if affine:
            self.weight = Parameter(empty(num_channels, dtype=dt, device=device))
            if bias:
                self.bias = Parameter(empty(num_channels, dtype=dt, device=device))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Sets the weight to 1 and the bias to 0."""
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return N.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")
