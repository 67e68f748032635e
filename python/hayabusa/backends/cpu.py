"""The CPU backend: numpy arrays, with the hot kernels in hayabusa._C.

Generic array math is numpy's (it is this backend's array library); what a
network spends its time in (GEMM, activations, softmax, cross-entropy,
reductions, optimizer updates) goes to our C kernels.
"""
import os

import numpy as np
from numpy import (  # noqa: F401  (re-exported: the backend interface)
    abs, arange, argsort, asarray, ascontiguousarray, ceil, clip, concatenate,
    cos, cumsum, empty, equal, exp, expm1, eye, floor, floor_divide, full, greater,
    greater_equal, isfinite, isinf, isnan, less, less_equal, linspace, log, log1p, logical_and,
    logical_not, logical_or, logical_xor, maximum, minimum, negative, not_equal,
    power, prod, remainder, round, sign, sin, sort, sqrt, square, stack,
    take_along_axis, tanh, where, zeros,
)

from .. import _C

name = "cpu"
ndarray = np.ndarray
_FLOATS = (np.float32, np.float64)


def is_float_kernel_dtype(dt):
    """Whether the C kernels take this dtype (float32, float64)."""
    return dt == np.float32 or dt == np.float64


# a read-only view repeating an array along broadcast axes (np.broadcast_to, built in C)
broadcast_to = _C.broadcast_to


# --------------------------------------------------------- elementwise arithmetic
# Our threaded kernel where it takes the operands (float arrays of one shape, or
# one of them a single repeated value), numpy's ufunc for everything else.
def _binary(code, ufunc):
    kernel = _C.binary

    def fn(a, b):
        out = kernel(code, a, b)
        return ufunc(a, b) if out is NotImplemented else out
    fn.__name__ = ufunc.__name__
    return fn


add = _binary(_C.BINARY_OPS["add"], np.add)
subtract = _binary(_C.BINARY_OPS["sub"], np.subtract)
multiply = _binary(_C.BINARY_OPS["mul"], np.multiply)
true_divide = _binary(_C.BINARY_OPS["div"], np.true_divide)


def ones(shape, dtype=float):
    """np.ones, without its Python-level detour (a loss's backward seed is one of these)."""
    if shape == ():
        return np.array(1, dtype)
    out = np.empty(shape, dtype)
    out.fill(1)
    return out


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
    if (axis is None and dtype is None and not keepdims and a.dtype.type in _FLOATS
            and a.flags.c_contiguous):
        # everything into one value: the kernel splits one long sum across threads
        out = np.empty((), a.dtype)
        _C.reduce_sum(a.reshape(-1), out, 0)
        return out
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
    return _C.matmul_into(a, b)


def bmm(a, b):
    """a (B,M,K) @ b (B,K,N); a batch stride of 0 (broadcast) is read in place."""
    if not _gemm_ready(a, b):
        return np.matmul(a, b)
    return _C.bmm_into(a, b)


# x (M,K) @ weight(N,K)^T + bias(N), in one GEMM call
linear_forward = _C.linear_forward
# (grad_x, grad_weight, grad_bias) of Linear in one call: linear_backward(grad_out, x, weight,
# need_x, need_weight, need_bias), each gradient None unless asked for
linear_backward = _C.linear_backward


# ---------------------------------------------------------------- activations
UNARY_SAVES = _C.UNARY_SAVES


# unary_forward(op, x, out, p1, p2) and unary_backward(op, grad_out, saved, out, p1, p2): out=None gives new arrays
unary_forward = _C.unary_forward
unary_backward = _C.unary_backward


def softmax(x, dim, take_log):
    """softmax (or log_softmax with take_log) along dim."""
    return _C.softmax_forward(x, None, dim, take_log)


def softmax_backward(grad_out, out, dim, take_log):
    return _C.softmax_backward(grad_out, out, None, dim, take_log)


# --------------------------------------------------------------------- losses
# cross_entropy_forward(logits, target, weight, ignore_index, label_smoothing, reduction)
# -> (loss, per-row log-sum-exp): the lse is all backward needs besides the logits
cross_entropy_forward = _C.cross_entropy_forward
cross_entropy_backward = _C.cross_entropy_backward
nll_loss_forward = _C.nll_loss_forward


def nll_loss_backward(grad_loss, logp, target, weight, ignore_index, reduction):
    grad = np.empty(logp.shape, logp.dtype)
    _C.nll_loss_backward(grad_loss, target, weight, ignore_index, reduction, grad)
    return grad


# ----------------------------------------------------------------- optimizers
sgd_step = _C.sgd_step
adam_step = _C.adam_step


# ---------------------------------------------------------------- random data
class Generator:
    """The CPU random generator behind manual_seed, rand, randn, randint, randperm.

    numpy's PCG64 is built on first use, not at seeding: importing numpy.random is a sixth of
    hayabusa's import time, and the default generator is seeded at import."""

    def __init__(self, seed=None):
        self.manual_seed(int.from_bytes(os.urandom(8), "little") % (2 ** 63) if seed is None else seed)

    def manual_seed(self, seed):
        self._seed = int(seed)
        self._numpy_generator = None
        return self

    @property
    def _rng(self):
        if self._numpy_generator is None:
            self._numpy_generator = np.random.Generator(np.random.PCG64(self._seed))
        return self._numpy_generator

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


# ------------------------------------------------- nn surface: losses, init
errstate = np.errstate


def truncated_normal(gen, shape, dt, mean, std, a, b, mass):
    """N(mean, std) restricted to [a, b] by rejection, as torch.nn.init.trunc_normal_: normal
    proposals when the interval holds more than 30% of the mass, else uniform proposals on
    [a, b] accepted with probability pdf(x) / max pdf."""
    if mass > 0.3:
        out = gen.normal(shape, np.float64, mean, std)
        rejected = (out < a) | (out > b)
        while rejected.any():
            out[rejected] = gen.normal(int(rejected.sum()), np.float64, mean, std)
            rejected = (out < a) | (out > b)
        return out.astype(dt)
    mode = max(a, min(mean, b))
    log_peak = -0.5 * ((mode - mean) / std) ** 2
    out = np.empty(shape, np.float64)
    pending = np.ones(shape, bool)
    while pending.any():
        n = int(pending.sum())
        candidates = gen.uniform(n, np.float64, a, b)
        log_pdf = -0.5 * ((candidates - mean) / std) ** 2 - log_peak
        accept = np.log(gen.uniform(n, np.float64)) <= log_pdf
        where = np.flatnonzero(pending)[accept]
        out.flat[where] = candidates[accept]
        pending.flat[where] = False
    return out.astype(dt)


def orthonormal(gen, rows, cols, dt):
    """A (rows, cols) matrix with orthonormal rows or columns (whichever are fewer), from the
    QR of a Gaussian matrix with R's diagonal signs folded into Q (Haar-distributed)."""
    flat = gen.normal((rows, cols), np.float64)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    return (q.T if rows < cols else q).astype(dt)


def total_norm(arrays, p):
    """The p-norm of all the arrays' elements together, as a Python float (NaN propagates)."""
    if not arrays:
        return 0.0
    if p == 2:
        return float(np.sqrt(np.sum([np.vdot(a, a) for a in arrays], dtype=np.float64)))
    abs_arrays = [np.abs(a) for a in arrays]
    if p == np.inf or p == -np.inf:
        pick = np.max if p > 0 else np.min
        return float(pick([pick(a) for a in abs_arrays]))
    if p == 0:
        return float(sum(np.count_nonzero(a) for a in arrays))
    if p == 1:
        return float(np.sum([a.sum(dtype=np.float64) for a in abs_arrays]))
    return float(np.sum([np.sum(a ** p, dtype=np.float64) for a in abs_arrays]) ** (1.0 / p))


def scale_(arrays, factor):
    """a *= factor for every array, in place, in each array's own dtype."""
    for a in arrays:
        np.multiply(a, a.dtype.type(factor), out=a)


def clip_(arrays, low, high):
    """Clamp every array to [low, high] in place (high wins where low > high, as PyTorch)."""
    for a in arrays:
        np.minimum(np.maximum(a, low, out=a), high, out=a)


# ------------------------------------------- more optimizers (fused C steps)
adagrad_step = _C.adagrad_step
adadelta_step = _C.adadelta_step
rmsprop_step = _C.rmsprop_step
adamax_step = _C.adamax_step
nadam_step = _C.nadam_step


# ---------------- indexing, scans, matrices, counting, search, random fills (ops branch)
from numpy import (  # noqa: E402,F401  (re-exported: the backend interface)
    bincount, count_nonzero, cumprod, diag, einsum, fill_diagonal, flip, fmod, isclose,
    nan_to_num, nonzero, reciprocal, repeat, roll, searchsorted, take, tile, tril, triu, trunc,
    unique,
)


def index_add(dst, axis, index, values):
    """dst[..., index, ...] += values along axis, adding repeated indices."""
    np.add.at(dst, (slice(None),) * axis + (index,), values)


def reduce_at(dst, positions, values, how):
    """dst[positions] (op)= values for how in 'add', 'multiply', repeated positions combined."""
    (np.add if how == "add" else np.multiply).at(dst, positions, values)


def diagonal_view(a, offset, axis1, axis2):
    """A writable view of a's diagonal (offset) over axis1, axis2, as the last axis (numpy's
    diagonal is read-only; a writable one lets fill_ and the backward write through it)."""
    n1, n2 = a.shape[axis1], a.shape[axis2]
    if offset >= 0:
        length = max(0, min(n1, n2 - offset))
        start = (slice(None),) * axis2 + (slice(min(offset, n2), None),)
    else:
        length = max(0, min(n1 + offset, n2))
        start = (slice(None),) * axis1 + (slice(min(-offset, n1), None),)
    base = a[start]
    keep = [d for d in range(a.ndim) if d not in (axis1, axis2)]
    shape = tuple(a.shape[d] for d in keep) + (length,)
    strides = tuple(a.strides[d] for d in keep) + (a.strides[axis1] + a.strides[axis2],)
    return np.lib.stride_tricks.as_strided(base, shape, strides)


def data_ptr(a):
    return a.__array_interface__["data"][0]


def storage_offset(a):
    """a's first element's offset, in elements, from the start of the array owning the memory."""
    owner = a
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    return (data_ptr(a) - data_ptr(owner)) // a.itemsize


def random_exponential(gen, shape, dt, lambd):
    """Exponential(lambd) samples by inversion of uniforms in [0, 1)."""
    return (-np.log1p(-gen.uniform(shape, np.float64)) / lambd).astype(dt)


def multinomial(gen, probs, num_samples, replacement):
    """(rows, num_samples) int64 category indices drawn from each row of probs (rows, n)."""
    probs = probs.astype(np.float64)
    rows, n = probs.shape
    if not replacement:
        # the exponential race: the k smallest of E_i / p_i are a draw without replacement
        keys = random_exponential(gen, (rows, n), np.float64, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = keys / probs
        return np.argsort(keys, axis=1, kind="stable")[:, :num_samples].astype(np.int64)
    cdf = np.cumsum(probs, axis=1)
    # inverse-CDF sampling; a draw landing on the rounding gap at the top of the CDF goes to
    # the last category with positive probability, never to one with zero
    last = n - 1 - np.argmax(probs[:, ::-1] > 0, axis=1)
    u = gen.uniform((rows, num_samples), np.float64) * cdf[:, -1:]
    out = np.empty((rows, num_samples), np.int64)
    for r in range(rows):
        out[r] = np.minimum(np.searchsorted(cdf[r], u[r], side="right"), last[r])
    return out


def searchsorted_rows(boundaries, values, side):
    """searchsorted of each row of values (R, m) in the matching row of boundaries (R, n)."""
    out = np.empty(values.shape, np.int64)
    for r in range(boundaries.shape[0]):
        out[r] = np.searchsorted(boundaries[r], values[r], side=side)
    return out


# ------------------------------------------- layers: convolution, pooling, normalization
def _windows(size, pad, dilation, kernel, stride):
    return (size + 2 * pad - dilation * (kernel - 1) - 1) // stride + 1


def conv2d_forward(x, weight, bias, stride, padding, dilation, groups):
    """conv2d of contiguous-or-not x (N, C, H, W) with weight (O, C/groups, kh, kw)."""
    n, _, h, w = x.shape
    o, _, kh, kw = weight.shape
    y = np.empty((n, o, _windows(h, padding[0], dilation[0], kh, stride[0]),
                  _windows(w, padding[1], dilation[1], kw, stride[1])), x.dtype)
    _C.conv2d_forward(x, weight, bias, y, stride, padding, dilation, groups)
    return y


def conv2d_backward(grad_y, x, weight, stride, padding, dilation, groups, need_x, need_weight,
                    need_bias):
    """(grad_x, grad_weight, grad_bias) of conv2d, each None unless asked for, in one call."""
    dt = grad_y.dtype
    grad_x = np.empty(x.shape, dt) if need_x else None
    grad_w = np.empty(weight.shape, dt) if need_weight else None
    grad_b = np.empty(weight.shape[:1], dt) if need_bias else None
    _C.conv2d_backward(x, weight, grad_y, grad_x, grad_w, grad_b, stride, padding, dilation, groups)
    return grad_x, grad_w, grad_b


def conv_transpose2d_forward(x, weight, bias, stride, padding, output_padding, dilation, groups):
    """conv_transpose2d of x (N, Cin, H, W) with weight (Cin, Cout/groups, kh, kw)."""
    n, _, h, w = x.shape
    _, og, kh, kw = weight.shape
    size = [(s - 1) * st - 2 * p + d * (k - 1) + op + 1 for s, st, p, d, k, op in
            zip((h, w), stride, padding, dilation, (kh, kw), output_padding)]
    y = np.empty((n, og * groups, size[0], size[1]), x.dtype)
    _C.conv_transpose2d_forward(x, weight, bias, y, stride, padding, dilation, groups)
    return y


def conv_transpose2d_backward(grad_y, x, weight, stride, padding, dilation, groups, need_x,
                              need_weight, need_bias):
    dt = grad_y.dtype
    grad_x = np.empty(x.shape, dt) if need_x else None
    grad_w = np.empty(weight.shape, dt) if need_weight else None
    grad_b = np.empty(grad_y.shape[1:2], dt) if need_bias else None
    _C.conv_transpose2d_backward(x, weight, grad_y, grad_x, grad_w, grad_b, stride, padding,
                                 dilation, groups)
    return grad_x, grad_w, grad_b


def im2col(x, kernel, dilation, padding, stride):
    """F.unfold: x (N, C, H, W) -> (N, C * kh * kw, L)."""
    n, c, h, w = x.shape
    blocks = (_windows(h, padding[0], dilation[0], kernel[0], stride[0]) *
              _windows(w, padding[1], dilation[1], kernel[1], stride[1]))
    col = np.empty((n, c * kernel[0] * kernel[1], blocks), x.dtype)
    _C.im2col(x, col, kernel, dilation, padding, stride)
    return col


def col2im(col, output_size, kernel, dilation, padding, stride):
    """F.fold: col (N, C * kh * kw, L) -> (N, C, H, W), overlapping windows summed."""
    n, ckk, _ = col.shape
    x = np.empty((n, ckk // (kernel[0] * kernel[1])) + tuple(output_size), col.dtype)
    _C.col2im(col, x, kernel, dilation, padding, stride)
    return x


def _as_planes(a):
    """(..., H, W) viewed (or copied, if it must be) as (planes, H, W)."""
    planes = 1
    for s in a.shape[:-2]:
        planes *= s
    return a.reshape((planes,) + a.shape[-2:])


def max_pool2d(x, kernel, stride, padding, dilation, out_size, with_indices):
    """(values, int64 indices or None) of max pooling x (..., H, W) to out_size."""
    y = np.empty(x.shape[:-2] + tuple(out_size), x.dtype)
    indices = np.empty(y.shape, np.int64) if with_indices else None
    _C.max_pool2d_forward(_as_planes(x), _as_planes(y),
                          None if indices is None else _as_planes(indices),
                          kernel, stride, padding, dilation)
    return y, indices


def adaptive_max_pool2d(x, out_size, with_indices):
    y = np.empty(x.shape[:-2] + tuple(out_size), x.dtype)
    indices = np.empty(y.shape, np.int64) if with_indices else None
    _C.adaptive_max_pool2d_forward(_as_planes(x), _as_planes(y),
                                   None if indices is None else _as_planes(indices))
    return y, indices


def max_pool2d_backward(grad_y, indices, in_shape):
    grad_x = np.empty(in_shape, grad_y.dtype)
    _C.max_pool2d_backward(_as_planes(grad_y), _as_planes(indices), _as_planes(grad_x))
    return grad_x


def avg_pool2d(x, kernel, stride, padding, out_size, count_include_pad, divisor_override):
    y = np.empty(x.shape[:-2] + tuple(out_size), x.dtype)
    _C.avg_pool2d_forward(_as_planes(x), _as_planes(y), kernel, stride, padding,
                          count_include_pad, divisor_override or 0)
    return y


def avg_pool2d_backward(grad_y, in_shape, kernel, stride, padding, count_include_pad,
                        divisor_override):
    grad_x = np.empty(in_shape, grad_y.dtype)
    _C.avg_pool2d_backward(_as_planes(grad_y), _as_planes(grad_x), kernel, stride, padding,
                           count_include_pad, divisor_override or 0)
    return grad_x


def adaptive_avg_pool2d(x, out_size):
    y = np.empty(x.shape[:-2] + tuple(out_size), x.dtype)
    _C.adaptive_avg_pool2d_forward(_as_planes(x), _as_planes(y))
    return y


def adaptive_avg_pool2d_backward(grad_y, in_shape):
    grad_x = np.empty(in_shape, grad_y.dtype)
    _C.adaptive_avg_pool2d_backward(_as_planes(grad_y), _as_planes(grad_x))
    return grad_x


def batch_norm_forward(x, weight, bias, running_mean, running_var, training, momentum, eps):
    """(y, mean, invstd) of batch norm over x (N, C, *); running stats updated in place when
    training and given, read when evaluating."""
    c = x.shape[1]
    y = np.empty(x.shape, x.dtype)
    mean = np.empty((c,), x.dtype)
    invstd = np.empty((c,), x.dtype)
    _C.batch_norm_forward(x, y, weight, bias, mean, invstd, running_mean, running_var, momentum,
                          eps, training)
    return y, mean, invstd


def batch_norm_backward(grad_y, x, mean, invstd, weight, training, need_x, need_weight, need_bias):
    dt = grad_y.dtype
    c = x.shape[1]
    grad_x = np.empty(x.shape, dt) if need_x else None
    grad_w = np.empty((c,), dt) if need_weight else None
    grad_b = np.empty((c,), dt) if need_bias else None
    _C.batch_norm_backward(grad_y, x, mean, invstd, weight, grad_x, grad_w, grad_b, training)
    return grad_x, grad_w, grad_b


def group_norm_forward(x, weight, bias, n, groups, cg, s, eps):
    """(y, mean, rstd) of normalizing x's rows of cg * s elements (n * groups rows)."""
    y = np.empty(x.shape, x.dtype)
    mean = np.empty((n * groups,), x.dtype)
    rstd = np.empty((n * groups,), x.dtype)
    _C.group_norm_forward(x, y, weight, bias, mean, rstd, n, groups, cg, s, eps)
    return y, mean, rstd


def group_norm_backward(grad_y, x, mean, rstd, weight, n, groups, cg, s, need_x, need_weight,
                        need_bias):
    dt = grad_y.dtype
    grad_x = np.empty(x.shape, dt) if need_x else None
    grad_w = np.empty((groups * cg,), dt) if need_weight else None
    grad_b = np.empty((groups * cg,), dt) if need_bias else None
    _C.group_norm_backward(grad_y, x, mean, rstd, weight, grad_x, grad_w, grad_b, n, groups, cg, s)
    return grad_x, grad_w, grad_b


def upsample2d(x, out_size, rows, row_w, cols, col_w):
    """x (..., H, W) resampled to out_size through per-row and per-column taps."""
    y = np.empty(x.shape[:-2] + tuple(out_size), x.dtype)
    _C.upsample2d_forward(_as_planes(x), _as_planes(y), rows, row_w, cols, col_w)
    return y


def upsample2d_backward(grad_y, in_shape, rows, row_w, cols, col_w):
    grad_x = np.empty(in_shape, grad_y.dtype)
    _C.upsample2d_backward(_as_planes(grad_y), _as_planes(grad_x), rows, row_w, cols, col_w)
    return grad_x


def resample_taps(in_size, out_size, scale, mode, align_corners, dt):
    """(indices (out, 2), weights (out, 2) or None) of one axis of F.interpolate, computed in
    dtype dt as PyTorch's CPU kernels do (float32 arithmetic for float32 data)."""
    i = np.arange(out_size)
    if mode in ("nearest", "nearest-exact"):
        # nearest uses a float32 scale whatever the data's dtype
        s = np.float32(1.0 / scale) if scale else np.float32(in_size) / np.float32(out_size)
        pos = i.astype(np.float32) + (np.float32(0.5) if mode == "nearest-exact" else 0)
        src = np.minimum(np.floor(pos * s).astype(np.int64), in_size - 1)
        if mode == "nearest" and out_size == in_size:
            src = i
        elif mode == "nearest" and out_size == 2 * in_size:
            src = i >> 1
        return np.ascontiguousarray(np.stack([src, src], axis=1)), None
    t = np.dtype(dt).type
    if align_corners:
        s = t(in_size - 1) / t(out_size - 1) if out_size > 1 else t(0)
        real = s * i.astype(dt)
    else:
        s = t(1.0 / scale) if scale else t(in_size) / t(out_size)
        real = np.maximum(s * (i.astype(dt) + t(0.5)) - t(0.5), t(0))
    i0 = np.minimum(np.floor(real).astype(np.int64), in_size - 1)
    lam = np.clip(real - i0.astype(dt), t(0), t(1)).astype(dt)
    i1 = i0 + (i0 < in_size - 1)
    return (np.ascontiguousarray(np.stack([i0, i1], axis=1)),
            np.ascontiguousarray(np.stack([t(1) - lam, lam], axis=1)))


def embedding_backward(grad, indices, num_weights, padding_idx, scale_grad_by_freq):
    """The weight gradient of an embedding lookup: rows summed per index (repeats add up),
    the padding row left zero, optionally each row divided by its index's count."""
    dim = grad.shape[-1]
    flat = indices.reshape(-1)
    g = grad.reshape(-1, dim)
    if scale_grad_by_freq:
        counts = np.bincount(flat, minlength=num_weights)
        g = g / counts[flat][:, None].astype(grad.dtype)
    out = np.zeros((num_weights, dim), grad.dtype)
    np.add.at(out, flat, g)
    if padding_idx is not None:
        out[padding_idx] = 0
    return out


def embedding_renorm_(weight, indices, max_norm, norm_type):
    """Rescale in place the rows of weight that indices name whose norm exceeds max_norm."""
    rows = np.unique(indices)
    norms = np.linalg.norm(weight[rows].astype(np.float64), ord=norm_type, axis=1)
    big = norms > max_norm
    scale = (max_norm / (norms[big] + 1e-7)).astype(weight.dtype)
    weight[rows[big]] *= scale[:, None]
