"""The CPU backend: numpy arrays, with the hot kernels in hayabusa._C.

Generic array math is numpy's (it is this backend's array library); what a
network spends its time in (GEMM, activations, softmax, cross-entropy,
reductions, optimizer updates) goes to our C kernels.
"""
import numpy as np
from numpy import (  # noqa: F401  (re-exported: the backend interface)
    abs, add, arange, argsort, asarray, ascontiguousarray, broadcast_to, ceil, clip, concatenate,
    cos, cumsum, empty, equal, exp, expm1, eye, floor, floor_divide, full, greater,
    greater_equal, isfinite, isinf, isnan, less, less_equal, linspace, log, log1p, logical_and,
    logical_not, logical_or, logical_xor, maximum, minimum, multiply, negative, not_equal,
    ones, power, prod, remainder, round, sign, sin, sort, sqrt, square, stack, subtract,
    take_along_axis, tanh, true_divide, where, zeros,
)

from .. import _C

name = "cpu"
ndarray = np.ndarray
_FLOATS = (np.float32, np.float64)


def is_float_kernel_dtype(dt):
    """Whether the C kernels take this dtype (float32, float64)."""
    return dt == np.float32 or dt == np.float64


def astype(a, dt, copy=True):
    return a.astype(dt, copy=copy)


def copy(a):
    return a.copy()


def scatter_add(dst, index, values):
    """dst[index] += values, adding repeated indices (the backward of indexing)."""
    np.add.at(dst, index, values)


def put_along_axis(dst, index, values, axis):
    np.put_along_axis(dst, index, values, axis)


# ----------------------------------------------------------------- reductions
def sum(a, axis=None, keepdims=False, dtype=None):
    if (dtype is None and type(axis) is int and a.dtype.type in _FLOATS and a.ndim > 0
            and a.size > 0):
        out = np.empty(a.shape[:axis % a.ndim] + a.shape[axis % a.ndim + 1:], a.dtype)
        _C.reduce_sum(a, out, axis)
        return np.expand_dims(out, axis) if keepdims else out
    return np.sum(a, axis=axis, keepdims=keepdims, dtype=dtype)


def mean(a, axis=None, keepdims=False):
    return np.mean(a, axis=axis, keepdims=keepdims)


def var(a, axis=None, ddof=1, keepdims=False):
    return np.var(a, axis=axis, ddof=ddof, keepdims=keepdims)


def max_along(a, axis, find_min=False):
    """(values, int64 indices) of the max (or min) along one axis, first occurrence, NaN wins."""
    shape = a.shape[:axis] + a.shape[axis + 1:]
    if a.dtype.type in _FLOATS:
        values = np.empty(shape, a.dtype)
        indices = np.empty(shape, np.int64)
        (_C.reduce_min if find_min else _C.reduce_max)(a, values, indices, axis)
        return values, indices
    indices = (np.argmin if find_min else np.argmax)(a, axis=axis)
    return np.take_along_axis(a, np.expand_dims(indices, axis), axis).squeeze(axis), indices


def amax(a, axis=None, keepdims=False):
    return np.max(a, axis=axis, keepdims=keepdims)


def amin(a, axis=None, keepdims=False):
    return np.min(a, axis=axis, keepdims=keepdims)


# --------------------------------------------------------------------- matmul
def _gemm_ready(a, b):
    return a.dtype == b.dtype and a.dtype.type in _FLOATS


def mm(a, b):
    """a (M,K) @ b (K,N); views (transposes, slices) go to the GEMM without copies."""
    if not _gemm_ready(a, b):
        return np.matmul(a, b)
    out = np.empty((a.shape[0], b.shape[1]), a.dtype)
    _C.matmul_into(a, b, out)
    return out


def bmm(a, b):
    """a (B,M,K) @ b (B,K,N); a batch stride of 0 (broadcast) is read in place."""
    if not _gemm_ready(a, b):
        return np.matmul(a, b)
    out = np.empty((a.shape[0], a.shape[1], b.shape[2]), a.dtype)
    _C.bmm_into(a, b, out)
    return out


def linear_forward(x, weight, bias):
    """x (M,K) @ weight(N,K)^T + bias(N), in one GEMM call."""
    out = np.empty((x.shape[0], weight.shape[0]), x.dtype)
    _C.linear_forward(x, weight, bias, out)
    return out


def linear_backward(grad_out, x, weight, need_x, need_weight, need_bias):
    """(grad_x, grad_weight, grad_bias) of Linear, each None unless asked for, in one call."""
    dt = grad_out.dtype
    grad_x = np.empty(x.shape, dt) if need_x else None
    grad_w = np.empty(weight.shape, dt) if need_weight else None
    grad_b = np.empty(weight.shape[:1], dt) if need_bias else None
    _C.linear_backward(grad_out, x, weight, grad_x, grad_w, grad_b)
    return grad_x, grad_w, grad_b


# ---------------------------------------------------------------- activations
UNARY_SAVES = _C.UNARY_SAVES


def unary_forward(op, x, p1=0.0, p2=0.0):
    out = np.empty(x.shape, x.dtype)
    _C.unary_forward(op, x, out, p1, p2)
    return out


def unary_backward(op, grad_out, saved, p1=0.0, p2=0.0):
    grad_in = np.empty(saved.shape, saved.dtype)
    _C.unary_backward(op, grad_out, saved, grad_in, p1, p2)
    return grad_in


def softmax(x, dim, take_log):
    """softmax (or log_softmax with take_log) along dim."""
    out = np.empty(x.shape, x.dtype)
    _C.softmax_forward(x, out, dim, take_log)
    return out


def softmax_backward(grad_out, out, dim, take_log):
    grad_in = np.empty(out.shape, out.dtype)
    _C.softmax_backward(grad_out, out, grad_in, dim, take_log)
    return grad_in


# --------------------------------------------------------------------- losses
def cross_entropy_forward(logits, target, weight, ignore_index, label_smoothing, reduction):
    """(loss, per-row log-sum-exp): the lse is all backward needs besides the logits."""
    n = logits.shape[0]
    loss = np.empty((n,) if reduction == "none" else (), logits.dtype)
    lse = np.empty((n,), logits.dtype)
    _C.cross_entropy_forward(logits, target, weight, ignore_index, label_smoothing, reduction,
                             loss, lse)
    return loss, lse


def cross_entropy_backward(grad_loss, logits, target, weight, lse, ignore_index, label_smoothing,
                           reduction):
    grad = np.empty(logits.shape, logits.dtype)
    _C.cross_entropy_backward(grad_loss, logits, target, weight, lse, ignore_index,
                              label_smoothing, reduction, grad)
    return grad


def nll_loss_forward(logp, target, weight, ignore_index, reduction):
    loss = np.empty((logp.shape[0],) if reduction == "none" else (), logp.dtype)
    _C.nll_loss_forward(logp, target, weight, ignore_index, reduction, loss)
    return loss


def nll_loss_backward(grad_loss, logp, target, weight, ignore_index, reduction):
    grad = np.empty(logp.shape, logp.dtype)
    _C.nll_loss_backward(grad_loss, target, weight, ignore_index, reduction, grad)
    return grad


# ----------------------------------------------------------------- optimizers
sgd_step = _C.sgd_step
adam_step = _C.adam_step


# ---------------------------------------------------------------- random data
class Generator:
    """The CPU random generator behind manual_seed, rand, randn, randint, randperm."""

    def __init__(self, seed=None):
        self.manual_seed(np.random.SeedSequence().entropy % (2 ** 63) if seed is None else seed)

    def manual_seed(self, seed):
        self._seed = int(seed)
        self._rng = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def initial_seed(self):
        return self._seed

    def get_state(self):
        return self._rng.bit_generator.state

    def set_state(self, state):
        self._rng.bit_generator.state = state

    def uniform(self, shape, dt, low=0.0, high=1.0):
        return self._rng.uniform(low, high, shape).astype(dt, copy=False)

    def normal(self, shape, dt, mean=0.0, std=1.0):
        return self._rng.normal(mean, std, shape).astype(dt, copy=False)

    def integers(self, low, high, shape, dt):
        return self._rng.integers(low, high, shape).astype(dt, copy=False)

    def permutation(self, n, dt):
        return self._rng.permutation(n).astype(dt, copy=False)

    def bernoulli(self, p, shape, dt):
        return (self._rng.random(shape) < p).astype(dt, copy=False)


def may_share_memory(a, b):
    return np.may_share_memory(a, b)


def indices_like(a):
    """Broadcastable index arrays for every position of a (the other axes of a scatter)."""
    return np.indices(a.shape, sparse=True)


# ------------------------------------------- more optimizers (fused C steps)
adagrad_step = _C.adagrad_step
adadelta_step = _C.adadelta_step
rmsprop_step = _C.rmsprop_step
adamax_step = _C.adamax_step
nadam_step = _C.nadam_step
