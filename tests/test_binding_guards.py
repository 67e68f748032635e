"""Regressions for calls the kernel bindings used to pass to C: arrays in the
other byte order (read as garbage), misaligned arrays (a T * that C may not
dereference), inputs overlapping an output (threads read what others already
wrote), outputs sharing memory with each other, and thread counts libgomp
cannot start. Found by tests/test_fuzz_bindings.py and test_fuzz_bad_calls.py."""
import numpy as np
import pytest

from hayabusa import _C


def misaligned(a):
    """A copy of a whose data starts one byte off its dtype's alignment."""
    raw = np.empty(a.nbytes + a.itemsize + 1, np.uint8)
    start = (-raw.ctypes.data) % a.itemsize + 1
    out = raw[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
    out[...] = a
    return out


X = np.arange(12, dtype=np.float32).reshape(3, 4) - 5
SWAPPED = X.astype(">f4")
T = np.array([0, 1, 3])


@pytest.mark.parametrize("call", [
    lambda x: _C.unary_forward("relu", x),
    lambda x: _C.unary_backward("relu", X, x),
    lambda x: _C.softmax_forward(x, None, 1, False),
    lambda x: _C.softmax_backward(x, X, None, 1, True),
    lambda x: _C.reduce_sum(x, np.empty(3, np.float32), 1),
    lambda x: _C.reduce_max(x, np.empty(3, np.float32), None, 1),
    lambda x: _C.matmul_into(x, X.T),
    lambda x: _C.bmm_into(x[None], X.T[None]),
    lambda x: _C.linear_forward(X, x, None),
    lambda x: _C.linear_backward(np.ones((3, 3), np.float32), X, x, True, None, None),
    lambda x: _C.cross_entropy_forward(x, T, None, -100, 0.0, "mean"),
    lambda x: _C.nll_loss_forward(X, T, x[0], -100, "mean"),
    lambda x: _C.sgd_step([X.copy()], [x], None, 0.1, 0.0, 0.0, False, 0.0, False, False),
    lambda x: _C.unary_forward("relu", X, x.copy()),
], ids=["unary", "unary_backward", "softmax", "softmax_backward", "reduce_sum", "reduce_max", "matmul",
        "bmm", "linear", "linear_backward", "cross_entropy", "nll_weight", "sgd_grad", "unary_out"])
def test_byte_swapped_arrays_are_refused(call):
    """'>f4' has float32's type number: the kernels read its bytes as little-endian garbage."""
    with pytest.raises(TypeError, match="native byte order"):
        call(SWAPPED)


def test_byte_swapped_integer_arrays_are_refused():
    with pytest.raises(TypeError, match="target must be in the native byte order"):
        _C.cross_entropy_forward(X, T.astype(">i8"), None, -100, 0.0, "mean")
    with pytest.raises(TypeError, match="indices_out must be in the native byte order"):
        _C.reduce_max(X, np.empty(3, np.float32), np.empty(3, ">i8"), 1)


def test_binary_leaves_byte_swapped_operands_to_numpy():
    assert _C.binary(_C.BINARY_OPS["add"], SWAPPED, X) is NotImplemented
    assert _C.binary(_C.BINARY_OPS["mul"], 2.0, SWAPPED) is NotImplemented


def test_misaligned_inputs_are_copied():
    x = misaligned(X)
    assert not x.flags.aligned
    np.testing.assert_array_equal(_C.unary_forward("relu", x), np.maximum(X, 0))
    np.testing.assert_allclose(_C.softmax_forward(x, None, 1, False), _C.softmax_forward(X, None, 1, False))
    out = np.empty(4, np.float32)
    _C.reduce_sum(x, out, 0)
    np.testing.assert_array_equal(out, X.sum(0))
    loss, lse = _C.cross_entropy_forward(x, misaligned(T), misaligned(np.ones(4, np.float32)), -100, 0.0, "none")
    np.testing.assert_allclose(loss, _C.cross_entropy_forward(X, T, None, -100, 0.0, "none")[0])
    p = np.ones(4, np.float32)
    _C.sgd_step([p], [misaligned(np.full(4, 2.0, np.float32))], None, 0.5, 0.0, 0.0, False, 0.0, False, False)
    np.testing.assert_array_equal(p, 0.0)


@pytest.mark.parametrize("call", [
    lambda out: _C.unary_forward("tanh", X, out),
    lambda out: _C.softmax_forward(X, out, 0, True),
    lambda out: _C.reduce_sum(X, out.reshape(-1)[:3], 1),
    lambda out: _C.matmul_into(X, np.eye(4, dtype=np.float32), out),
    lambda out: _C.cross_entropy_backward(np.array(1.0, np.float32), X, T, None, np.zeros((2, 3)),
                                          -100, 0.0, "mean", out),
    lambda out: _C.sgd_step([out], [X], None, 0.1, 0.0, 0.0, False, 0.0, False, False),
], ids=["unary", "softmax", "reduce", "matmul", "cross_entropy_backward", "sgd_param"])
def test_misaligned_outputs_are_refused(call):
    out = misaligned(np.zeros_like(X))
    with pytest.raises(ValueError, match="must be aligned"):
        call(out)
    np.testing.assert_array_equal(out, 0)


def test_input_overlapping_its_output_is_copied_first():
    """tanh of buf[1:] into buf[:-1]: a thread used to read entries another had already
    overwritten (76516 of 200000 wrong on 2 threads)."""
    buf = np.random.default_rng(0).standard_normal(200001)
    want = np.tanh(buf[1:])
    _C.unary_forward("tanh", buf[1:], buf[:-1])
    np.testing.assert_allclose(buf[:-1], want, rtol=1e-15)
    buf = np.random.default_rng(1).standard_normal(100 * 1000 + 1)
    want = _C.softmax_forward(buf[1:].reshape(100, 1000), None, 1, True)
    _C.softmax_forward(buf[1:].reshape(100, 1000), buf[:-1].reshape(100, 1000), 1, True)
    np.testing.assert_array_equal(buf[:-1].reshape(100, 1000), want)
    x = np.random.default_rng(2).standard_normal((4, 5))
    want = x.sum(0)
    _C.reduce_sum(x, x[0], 0)  # into its own first row
    np.testing.assert_allclose(x[0], want)
    g = np.random.default_rng(3).standard_normal((6, 3))
    want = _C.cross_entropy_backward(np.array(1.0), g, T[:2].repeat(3), None,
                                     _C.cross_entropy_forward(g, T[:2].repeat(3), None, -100, 0.0, "mean")[1],
                                     -100, 0.0, "mean")
    lse = _C.cross_entropy_forward(g, T[:2].repeat(3), None, -100, 0.0, "mean")[1]
    _C.cross_entropy_backward(np.array(1.0), g, T[:2].repeat(3), None, lse, -100, 0.0, "mean", g)
    np.testing.assert_allclose(g, want)


def test_outputs_sharing_memory_are_refused():
    x, t = X, np.array([0, 1, 2])
    both = np.zeros(3, np.float64)
    with pytest.raises(ValueError, match="values_out and indices_out share memory"):
        _C.reduce_max(x.astype(np.float64), both, both.view(np.int64), 1)
    lse = np.zeros((2, 3))
    with pytest.raises(ValueError, match="loss_out and lse_out share memory"):
        _C.cross_entropy_forward(x.astype(np.float64), t, None, -100, 0.0, "none", lse.reshape(-1)[3:], lse)
    with pytest.raises(ValueError, match="grad_input, grad_weight and grad_bias must not overlap"):
        g = np.zeros((3, 3), np.float32)
        _C.linear_backward(g, g, g, g, g, None)


@pytest.mark.parametrize("fn", ["sgd", "adam"])
def test_optimizer_arrays_shared_between_tensors_are_refused(fn):
    """Threads update slices of all tensors at once: a parameter listed twice, or one
    tensor's state inside another's, would be written by two threads."""
    p = np.ones(4, np.float32)
    g = np.ones(4, np.float32)
    other = np.ones(4, np.float32)

    def step(params, grads, states):
        if fn == "sgd":
            _C.sgd_step(params, grads, states, 0.1, 0.9, 0.0, False, 0.0, False, False)
        else:
            _C.adam_step(params, grads, states, [np.zeros(4, np.float32) for _ in params], None,
                         [1] * len(params), 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False)
    with pytest.raises(ValueError, match=r"params\[0\] and params\[1\] share memory"):
        step([p, p], [g, g], [np.zeros(4, np.float32), np.zeros(4, np.float32)])
    with pytest.raises(ValueError, match=r"params\[0\] and grads\[1\] share memory"):
        step([p, other], [g, p], [np.zeros(4, np.float32), np.zeros(4, np.float32)])
    big = np.zeros(8, np.float32)
    with pytest.raises(ValueError, match=r"share memory"):
        step([p, other], [g, g], [big[:4], big[3:7]])
    np.testing.assert_array_equal(p, 1)
    step([p, other], [g, g], [np.zeros(4, np.float32), np.zeros(4, np.float32)])  # one gradient for both: fine
    assert np.all(p < 1) and np.all(other < 1)


def test_set_num_threads_bounds():
    with pytest.raises(RuntimeError, match="positive integer"):
        _C.set_num_threads(0)
    with pytest.raises(RuntimeError, match="at most 4096 threads, but got 1099511627776"):
        _C.set_num_threads(2**40)
    with pytest.raises(RuntimeError, match="at most 4096 threads, but got 1000000"):
        _C.set_num_threads(10**6)


def test_bmm_of_an_empty_batch():
    """numpy gives a (0, M, K) array all-zero strides, which no matrix layout matched:
    the binding passed C an uninitialized leading dimension and, when the stack
    held a small one, a valid call failed with 'gemm: invalid arguments'."""
    one = np.ones((1, 1, 1), np.float32)
    for m, k, n in [(2, 5, 3), (8, 8, 8), (5, 2, 7)]:
        for _ in range(20):
            _C.bmm_into(one, one)  # leaves a leading dimension of 1 in the binding's frame
            out = _C.bmm_into(np.ones((0, m, k), np.float32), np.ones((0, k, n), np.float32))
            assert out.shape == (0, m, n)


def test_binary_never_reads_an_empty_operand():
    """An empty array has all-zero strides, which binary() took for one repeated value:
    the kernel read 4 bytes from numpy's 1-byte allocation (ASan: heap-buffer-overflow).
    Such operands are now left to numpy."""
    add = _C.BINARY_OPS["add"]
    for a, b in [(np.ones((2, 0), np.float32), np.ones((0,), np.float32)),
                 (np.ones((0,), np.float32), np.ones((3, 0), np.float32)),
                 (np.ones((1, 0)), np.ones((4, 0)))]:
        assert _C.binary(add, a, b) is NotImplemented
    assert _C.binary(add, np.ones((2, 0)), np.ones((2, 0))).shape == (2, 0)  # same shape: still ours
