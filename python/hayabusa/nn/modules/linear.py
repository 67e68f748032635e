"""nn.Linear, nn.Identity, nn.Flatten."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ... import _dtype
from ..._factories import empty
from ...ops import linalg, shape
from .. import init
from ..parameter import Parameter
from .module import Module

if TYPE_CHECKING:
    from typing import Any, Sequence

    from ..._tensor import Tensor
    from ..._typing import DeviceLike, DTypeLike


class Identity(Module):
    """Returns its input unchanged (a placeholder layer); any constructor arguments are ignored.

    Example::

        >>> x = torch.ones(2)
        >>> nn.Identity(54, unused="argument")(x) is x
        True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """Applies an affine map to the last dimension: ``y = x @ weight.T + bias``.

    The weight and bias are initialized as PyTorch's, uniformly in
    ``(-1/sqrt(in_features), 1/sqrt(in_features))`` (drawn from hayabusa's generator). For
    float32 and float64 inputs the forward pass is one fused GEMM-with-bias call and the
    backward pass one call for all three gradients.

    Args:
        in_features (int): the size of each input sample.
        out_features (int): the size of each output sample.
        bias (bool, optional): learn an additive bias. Default: ``True``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the parameters' dtype. Default: the default dtype.

    Shape:
        - Input: ``(*, in_features)``.
        - Output: ``(*, out_features)``.

    Attributes:
        weight (Parameter): ``(out_features, in_features)``.
        bias (Parameter or None): ``(out_features,)``.

    Example::

        >>> m = nn.Linear(3, 2)
        >>> m(torch.ones(4, 3)).shape
        hayabusa.Size([4, 2])
        >>> m.weight.shape
        hayabusa.Size([2, 3])
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        dt = _dtype.to_dtype(dtype) if dtype is not None else None
        self.weight = Parameter(empty((out_features, in_features), dtype=dt, device=device))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dt, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-draws the weight and bias with PyTorch's initialization (see the class)."""
        # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        # self.weight and self.bias, without the trip through Module.__getattr__
        # (parameters live in _parameters, never in the instance dict)
        params = self._parameters
        return linalg.linear(input, params["weight"], params["bias"])

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Flatten(Module):
    """Flattens dimensions ``start_dim`` to ``end_dim`` into one (:func:`hayabusa.flatten`).

    The default keeps the batch dimension: ``(N, C, H, W)`` becomes ``(N, C*H*W)``.

    Args:
        start_dim (int, optional): the first dimension to flatten. Default: ``1``.
        end_dim (int, optional): the last dimension to flatten. Default: ``-1``.

    Example::

        >>> nn.Flatten()(torch.ones(2, 3, 4)).shape
        hayabusa.Size([2, 12])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        return shape.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expands dimension ``dim`` into the shape ``unflattened_size`` (:func:`hayabusa.unflatten`).

    Args:
        dim (int): the dimension to expand.
        unflattened_size (sequence of ints): the new sizes; their product is the size of ``dim``.

    Example::

        >>> nn.Unflatten(1, (2, 3))(torch.ones(4, 6)).shape
        hayabusa.Size([4, 2, 3])
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        return shape.unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
