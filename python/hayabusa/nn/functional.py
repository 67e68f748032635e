"""nn.functional: the functional forms of the layers and losses."""
from ..ops.activation import (  # noqa: F401
    dropout, elu, gelu, hardtanh, leaky_relu, relu, sigmoid, silu, softplus, tanh,
)
from ..ops.linalg import linear  # noqa: F401
from ..ops.loss import cross_entropy, mse_loss, nll_loss  # noqa: F401
from ..ops.softmax import log_softmax, softmax  # noqa: F401
from ..ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d, fold, unfold  # noqa: F401
from ..ops.dropout import dropout2d  # noqa: F401
from ..ops.embedding import embedding  # noqa: F401
from ..ops.norm import batch_norm, group_norm, layer_norm  # noqa: F401
from ..ops.pool import (  # noqa: F401
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d,
    avg_pool1d, avg_pool2d, max_pool1d, max_pool2d,
)
from ..ops.upsample import interpolate, upsample  # noqa: F401
