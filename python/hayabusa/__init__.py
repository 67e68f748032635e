"""hayabusa: a small, fast neural-network engine with PyTorch's API.

``import hayabusa as torch``: the same names, signatures, defaults and errors
for the parts a small-model training loop uses, with C kernels underneath.

The examples in the docstrings run as written after ``import hayabusa as torch``,
``from hayabusa import nn`` and ``import hayabusa.nn.functional as F`` (the test suite
runs them).
"""
from __future__ import annotations

import builtins as _builtins
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
from .serialization import load, save  # noqa: E402
from ._threads import get_num_threads, set_num_threads  # noqa: E402

clip = clamp
true_divide = div
concat = concatenate = cat
long, float, double, half, int = int64, float32, float64, float16, int32
__version__ = "0.1.0"


def is_tensor(obj: object) -> _builtins.bool:
    """Whether ``obj`` is a hayabusa tensor (a :class:`Tensor`, or a subclass such as Parameter).

    Example::

        >>> torch.is_tensor(torch.zeros(1)), torch.is_tensor([0.])
        (True, False)
    """
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> _builtins.int:
    """The number of elements of ``input``.

    Example::

        >>> torch.numel(torch.zeros(2, 3))
        6
    """
    return input.numel()


def is_floating_point(input: Tensor) -> _builtins.bool:
    """Whether ``input``'s dtype is a floating-point one (float16, float32 or float64).

    Example::

        >>> torch.is_floating_point(torch.tensor([1.])), torch.is_floating_point(torch.tensor([1]))
        (True, False)
    """
    return input.dtype.is_floating_point


def set_printoptions(precision: _builtins.int | None = None, threshold: _builtins.int | None = None,
                     edgeitems: _builtins.int | None = None, linewidth: _builtins.int | None = None,
                     profile: str | None = None, sci_mode: _builtins.bool | None = None) -> None:
    """Sets how tensors print, as ``torch.set_printoptions``.

    A ``profile`` (``'default'``, ``'short'``, ``'full'``) is applied first and the other
    arguments override it. As in PyTorch, ``sci_mode`` is always assigned: leaving it out
    resets it to ``None`` (automatic).

    Args:
        precision (int, optional): digits after the decimal point. Default: 4.
        threshold (int, optional): above this many elements, print a summary. Default: 1000.
        edgeitems (int, optional): items shown at each end of a summarized dimension. Default: 3.
        linewidth (int, optional): characters per line. Default: 80.
        profile (str, optional): ``'default'``, ``'short'`` or ``'full'``.
        sci_mode (bool, optional): force (True) or forbid (False) scientific notation; ``None``
            chooses automatically.

    Example::

        >>> torch.set_printoptions(precision=2)
        >>> torch.tensor([1.23456])
        tensor([1.23])
        >>> torch.set_printoptions(profile="default")
    """
    from ._tensor_str import set_printoptions as _set
    _set(precision=precision, threshold=threshold, edgeitems=edgeitems, linewidth=linewidth,
         profile=profile, sci_mode=sci_mode)

# ---- nn surface: vector norms (used by F.normalize and nn.utils.clip_grad_norm_)
from .ops.norm import norm  # noqa: E402,F401

# ---- indexing, scans, matrices, contractions, repeats, comparisons, counting, search,
# order statistics and sampling (one ops/ file per family)
from .ops.compare import allclose, count_nonzero, equal, isclose, nan_to_num  # noqa: E402,F401
from .ops.contraction import einsum, tensordot  # noqa: E402,F401
from .ops.cumulative import cumprod, cumsum, diff  # noqa: E402,F401
from .ops.indexing import (  # noqa: E402,F401
    index_add, index_fill, index_select, masked_fill, masked_select, nonzero, scatter,
    scatter_add,
)
from .ops.matrix import addmm, diag, diagonal, outer, trace, tril, triu  # noqa: E402,F401
from .ops.median import median  # noqa: E402,F401
from .ops.pointwise import clamp_max, clamp_min, fmod, reciprocal  # noqa: E402,F401
from .ops.random_fill import multinomial, normal  # noqa: E402,F401
from .ops.repeat import broadcast_tensors, flip, meshgrid, repeat_interleave, roll, tile  # noqa: E402,F401
from .ops.search import bucketize, searchsorted  # noqa: E402,F401
from .ops.unique import bincount, unique  # noqa: E402,F401

# ---- reductions: log-sum-exp (ops/reduce.py)
from .ops.reduce import logsumexp  # noqa: E402,F401
