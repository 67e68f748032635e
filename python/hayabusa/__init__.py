"""hayabusa: a small, fast neural-network engine with PyTorch's API.

``import hayabusa as torch``: the same names, signatures, defaults and errors
for the parts a small-model training loop uses, with C kernels underneath.
"""
import os as _os

from . import _C

_C.set_isa(_os.environ.get("HAYABUSA_ISA") or _C.detect_isa())

from ._dtype import (  # noqa: E402
    bool_ as bool, dtype, float16, float32, float64, get_default_dtype, int8, int16, int32, int64,
    promote_types, result_type, set_default_dtype, uint8,
)
from ._device import device  # noqa: E402
from ._tensor import Size, Tensor  # noqa: E402
from . import _tensor_methods  # noqa: E402,F401  (attaches the op methods to Tensor)
from ._factories import (  # noqa: E402
    arange, as_tensor, asarray, bernoulli, empty, empty_like, eye, from_numpy, full, full_like,
    linspace, ones, ones_like, rand, rand_like, randint, randn, randn_like, randperm, tensor, zeros,
    zeros_like,
)
from ._random import (  # noqa: E402
    Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state,
)
from .autograd import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled  # noqa: E402
from .autograd import is_anomaly_check_nan_enabled, is_anomaly_enabled  # noqa: E402
from .ops.activation import relu, sigmoid, tanh  # noqa: E402
from .ops.arith import (  # noqa: E402
    abs, add, ceil, clamp, cos, div, eq, exp, expm1, floor, ge, gt, isfinite, isinf, isnan, le,
    log, log1p, logical_and, logical_not, logical_or, logical_xor, lt, maximum, minimum, mul, ne,
    neg, pow, remainder, round, rsqrt, sign, sin, sqrt, square, sub, where,
)
from .ops.linalg import bmm, dot, matmul, mm  # noqa: E402
from .ops.reduce import all, amax, amin, any, argmax, argmin, max, mean, min, prod, std, sum, var  # noqa: E402
from .ops.shape import (  # noqa: E402
    cat, chunk, clone, flatten, gather, permute, reshape, split, squeeze, stack, t, transpose,
    unbind, unflatten, unsqueeze,
)
from .ops.softmax import log_softmax, softmax  # noqa: E402
from .ops.sort import argsort, sort, topk  # noqa: E402
from . import autograd, cuda, nn, optim, utils  # noqa: E402

clip = clamp
true_divide = div
concat = concatenate = cat
long, float, double, half, int = int64, float32, float64, float16, int32
__version__ = "0.1.0"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.dtype.is_floating_point


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None,
                     sci_mode=None):
    from ._tensor_str import set_printoptions as _set
    _set(precision=precision, threshold=threshold, edgeitems=edgeitems, linewidth=linewidth,
         profile=profile, sci_mode=sci_mode)

# ---- nn surface: vector norms (used by F.normalize and nn.utils.clip_grad_norm_)
from .ops.norm import norm  # noqa: E402,F401

# ---- threads: how many the kernels split their work across, process-wide as in PyTorch
from ._C import get_num_threads, set_num_threads  # noqa: E402,F401

# ---- reductions: log-sum-exp (ops/reduce.py)
from .ops.reduce import logsumexp  # noqa: E402,F401
