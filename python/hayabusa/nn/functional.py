"""nn.functional: the functional forms of the layers and losses, with PyTorch's signatures."""
import warnings

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


def relu(input, inplace=False):
    return input.relu_() if inplace else _act.relu(input)


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return input._inplace(_act.leaky_relu, negative_slope)
    return _act.leaky_relu(input, negative_slope)


def elu(input, alpha=1.0, inplace=False):
    return input._inplace(_act.elu, alpha) if inplace else _act.elu(input, alpha)


def silu(input, inplace=False):
    return input._inplace(_act.silu) if inplace else _act.silu(input)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if inplace:
        return input._inplace(_act.hardtanh, min_val, max_val)
    return _act.hardtanh(input, min_val, max_val)


def dropout(input, p=0.5, training=True, inplace=False):
    return _act.dropout(input, p, training, inplace)


def _implicit_softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _implicit_softmax_dim("softmax", input.ndim, _stacklevel)
    return _softmax.softmax(input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _implicit_softmax_dim("log_softmax", input.ndim, _stacklevel)
    return _softmax.log_softmax(input, dim, dtype)
