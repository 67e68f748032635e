"""Shared checks for op tests: forward against a numpy float64 reference, backward by gradcheck."""
import numpy as np

import hayabusa as hb
from hayabusa.autograd import gradcheck

# shapes every unary op is checked on: scalar, empty, odd, 2-D, 3-D
UNARY_SHAPES = [(), (0,), (1,), (7,), (3, 5), (2, 3, 4)]
# pairs of broadcastable shapes for binary ops
BINARY_SHAPES = [((), ()), ((5,), (5,)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((), (3,)),
                 ((0, 3), (3,)), ((2, 1, 3), (4, 1))]


def randn(shape, rng, low=None, high=None):
    if low is not None:
        return rng.uniform(low, high, shape)
    return rng.standard_normal(shape)


def noncontiguous(a):
    """The same values as a, laid out with strides that are not C-contiguous (when a has >1 dim)."""
    if a.ndim < 2:
        big = np.zeros((a.size * 2,) if a.ndim == 1 else (), a.dtype)
        if a.ndim == 1:
            big[::2] = a
            return big[::2]
        return a
    return np.ascontiguousarray(a.swapaxes(0, 1)).swapaxes(0, 1)


def check_forward(fn, ref, arrays, rtol=1e-5, atol=1e-6, dtype=hb.float32):
    tensors = [hb.tensor(a, dtype=dtype) for a in arrays]
    got = fn(*tensors)
    want = np.asarray(ref(*arrays))
    assert tuple(got.shape) == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got.detach().numpy().astype(np.float64), want, rtol=rtol, atol=atol)
    return got


def check_backward(fn, arrays, **kw):
    tensors = [hb.tensor(a, dtype=hb.float64, requires_grad=True) for a in arrays]
    assert gradcheck(fn, tensors, **kw)


def check_noncontiguous(fn, arrays):
    """The op on non-contiguous views gives the same values and gradients as on contiguous copies."""
    dense = [hb.tensor(a, dtype=hb.float64, requires_grad=True) for a in arrays]
    strided = [hb.from_numpy(noncontiguous(np.asarray(a, np.float64))).requires_grad_() for a in arrays]
    out_d, out_s = fn(*dense), fn(*strided)
    np.testing.assert_allclose(out_s.detach().numpy(), out_d.detach().numpy(), rtol=1e-12, atol=1e-12)
    if out_d.numel():
        out_d.sum().backward()
        out_s.sum().backward()
        for d, s in zip(dense, strided):
            np.testing.assert_allclose(s.grad.numpy(), d.grad.numpy(), rtol=1e-12, atol=1e-12)
