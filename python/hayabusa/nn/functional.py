"""nn.functional: the functional forms of the layers and losses."""
from ..ops.activation import (  # noqa: F401
    dropout, elu, gelu, hardtanh, leaky_relu, relu, sigmoid, silu, softplus, tanh,
)
from ..ops.linalg import linear  # noqa: F401
from ..ops.loss import cross_entropy, mse_loss, nll_loss  # noqa: F401
from ..ops.softmax import log_softmax, softmax  # noqa: F401
