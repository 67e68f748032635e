"""nn.functional: the functional forms of the layers and losses, with PyTorch's signatures."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from ..ops import activation as _act
from ..ops import softmax as _softmax
from ..ops.activation import gelu, sigmoid, softplus, tanh  # noqa: F401
from ..ops.encoding import one_hot  # noqa: F401
from ..ops.linalg import linear  # noqa: F401
from ..ops.loss import (  # noqa: F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss, kl_div,
    l1_loss, mse_loss, nll_loss, smooth_l1_loss,
)
from ..ops.norm import normalize  # noqa: F401
from ..ops.pad import pad  # noqa: F401

if TYPE_CHECKING:
    from .._tensor import Tensor
    from .._typing import DTypeLike


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """Applies the rectified linear unit ``max(input, 0)`` elementwise.

    Args:
        input (Tensor): the input.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> F.relu(torch.tensor([-2., 0., 2.]))
        tensor([0., 0., 2.])
    """
    return input.relu_() if inplace else _act.relu(input)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """Applies ``min(max(input, 0), 6)`` elementwise (:func:`hardtanh` from 0 to 6).

    Args:
        input (Tensor): the input.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> F.relu6(torch.tensor([-2., 3., 8.]))
        tensor([0., 3., 6.])
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """Applies ``x`` where ``x > 0``, else ``negative_slope * x``, elementwise.

    Args:
        input (Tensor): the input.
        negative_slope (float, optional): the slope below 0. Default: ``0.01``.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> F.leaky_relu(torch.tensor([-2., 0., 2.]))
        tensor([-0.0200,  0.0000,  2.0000])
    """
    if inplace:
        return input._inplace(_act.leaky_relu, negative_slope)
    return _act.leaky_relu(input, negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """Applies the exponential linear unit: ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        input (Tensor): the input.
        alpha (float, optional): the value the function tends to at -inf, negated. Default: ``1.0``.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> F.elu(torch.tensor([-2., 0., 2.]))
        tensor([-0.8647,  0.0000,  2.0000])
    """
    return input._inplace(_act.elu, alpha) if inplace else _act.elu(input, alpha)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """Applies the sigmoid linear unit (swish) ``x * sigmoid(x)`` elementwise.

    Args:
        input (Tensor): the input.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> F.silu(torch.tensor([-2., 0., 2.]))
        tensor([-0.2384,  0.0000,  1.7616])
    """
    return input._inplace(_act.silu) if inplace else _act.silu(input)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """Clamps ``input`` into ``[min_val, max_val]`` elementwise (gradient 0 outside).

    Args:
        input (Tensor): the input.
        min_val (float, optional): the lower bound. Default: ``-1.0``.
        max_val (float, optional): the upper bound. Default: ``1.0``.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> F.hardtanh(torch.tensor([-2., 0., 2.]))
        tensor([-1.,  0.,  1.])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return input._inplace(_act.hardtanh, min_val, max_val)
    return _act.hardtanh(input, min_val, max_val)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes each element of ``input`` with probability ``p``, scales the rest by ``1 / (1 - p)``.

    The mask is drawn from the global generator (seeded by :func:`hayabusa.manual_seed`; the
    values differ from PyTorch's generator). With ``training=False`` or ``p=0`` the input is
    returned as it is.

    Args:
        input (Tensor): the input.
        p (float, optional): the probability of zeroing an element, in [0, 1]. Default: ``0.5``.
        training (bool, optional): apply dropout (True) or return ``input``. Default: ``True``.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> out = F.dropout(torch.ones(1000), p=0.25)
        >>> sorted(set(out.tolist()))
        [0.0, 1.3333333730697632]
        >>> F.dropout(torch.ones(3), training=False)
        tensor([1., 1., 1.])
    """
    return _act.dropout(input, p, training, inplace)


def _implicit_softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: DTypeLike | None = None) -> Tensor:
    """Applies softmax over dimension ``dim``: ``exp(x) / exp(x).sum(dim, keepdim=True)``.

    As :func:`hayabusa.softmax`; leaving out ``dim`` warns (PyTorch's deprecated implicit choice).

    Args:
        input (Tensor): the input.
        dim (int): the dimension to normalize.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Example::

        >>> F.softmax(torch.tensor([[1., 2., 3.]]), dim=1)
        tensor([[0.0900, 0.2447, 0.6652]])
    """
    if dim is None:
        dim = _implicit_softmax_dim("softmax", input.ndim, _stacklevel)
    return _softmax.softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: DTypeLike | None = None) -> Tensor:
    """Applies ``log(softmax(input, dim))``, computed directly (stable for large inputs).

    As :func:`hayabusa.log_softmax`; leaving out ``dim`` warns, as in PyTorch.

    Args:
        input (Tensor): the input.
        dim (int): the dimension to normalize.
        dtype (hayabusa.dtype, optional): cast the input to this dtype first. Default: ``None``.

    Example::

        >>> F.log_softmax(torch.tensor([[1., 2., 3.]]), dim=1)
        tensor([[-2.4076, -1.4076, -0.4076]])
    """
    if dim is None:
        dim = _implicit_softmax_dim("log_softmax", input.ndim, _stacklevel)
    return _softmax.log_softmax(input, dim, dtype)


# convolution, pooling, normalization, embedding and resampling layers
from ..ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d, fold, unfold  # noqa: F401,E402
from ..ops.dropout import dropout2d  # noqa: F401,E402
from ..ops.embedding import embedding  # noqa: F401,E402
from ..ops.normalization import batch_norm, group_norm, layer_norm  # noqa: F401,E402
from ..ops.pool import (  # noqa: F401,E402
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d,
    avg_pool1d, avg_pool2d, max_pool1d, max_pool2d,
)
from ..ops.upsample import interpolate, upsample  # noqa: F401,E402
