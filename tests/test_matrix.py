"""tril, triu, diag, diagonal, trace, outer, addmm, fill_diagonal_: values against numpy,
gradients by finite differences, views, dtypes, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn


@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (2, 4, 3), (0, 3)])
@pytest.mark.parametrize("k", [0, 1, -2])
def test_tril_triu(shape, k, rng):
    x = randn(shape, rng)
    for name in ("tril", "triu"):
        check_forward(lambda t: getattr(hb, name)(t, k), lambda a: getattr(np, name)(a, k), [x],
                      rtol=0, atol=0, dtype=hb.float64)
        if x.size and k == 1:
            check_backward(lambda t: getattr(t, name)(diagonal=k), [x])


def test_tril_triu_errors_and_noncontiguous(rng):
    check_noncontiguous(lambda t: t.tril(-1), [randn((3, 4), rng)])
    assert hb.tril(hb.ones(3, 3, dtype=hb.int64)).dtype is hb.int64
    for name in ("tril", "triu"):
        with pytest.raises(RuntimeError, match=f"{name}: input tensor must have at least 2 dim"):
            getattr(hb, name)(hb.ones(3))


@pytest.mark.parametrize("shape,offset,dim1,dim2", [
    ((3, 3), 0, 0, 1), ((3, 5), 2, 0, 1), ((4, 2), -1, 0, 1), ((2, 3, 4), 1, 2, 0),
    ((2, 3, 4), -1, -1, 0), ((3, 3), 5, 0, 1), ((0, 3), 0, 0, 1),
])
def test_diagonal(shape, offset, dim1, dim2, rng):
    x = randn(shape, rng)
    check_forward(lambda t: hb.diagonal(t, offset, dim1, dim2),
                  lambda a: np.diagonal(a, offset, dim1, dim2), [x], rtol=0, atol=0,
                  dtype=hb.float64)
    if np.diagonal(x, offset, dim1, dim2).size:
        check_backward(lambda t: t.diagonal(offset, dim1, dim2), [x])


def test_diagonal_is_a_writable_view(rng):
    x = hb.ones(3, 3)
    x.diagonal().fill_(0)
    assert x.tolist() == [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    check_noncontiguous(lambda t: t.diagonal(1), [randn((3, 4), rng)])
    with pytest.raises(IndexError, match=r"range of \[-1, 0\], but got 1"):
        hb.diagonal(hb.ones(3))
    with pytest.raises(RuntimeError, match="diagonal dimensions cannot be identical 0, 0"):
        hb.diagonal(hb.ones(3, 3), 0, 0, 0)


@pytest.mark.parametrize("shape,k", [((4,), 0), ((3,), 2), ((2,), -1), ((3, 4), 0), ((3, 4), 1),
                                     ((4, 3), -2), ((2, 3), 5), ((0,), 0)])
def test_diag(shape, k, rng):
    x = randn(shape, rng)
    check_forward(lambda t: hb.diag(t, k), lambda a: np.diag(a, k), [x], rtol=0, atol=0,
                  dtype=hb.float64)
    if x.size and np.diag(x, k).size:
        check_backward(lambda t: t.diag(k), [x])


def test_diag_copies_and_errors():
    m = hb.ones(2, 2)
    d = hb.diag(m)
    d.fill_(5)
    assert m.tolist() == [[1, 1], [1, 1]]
    assert hb.diag(hb.tensor([1, 2]), 1).tolist() == [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    with pytest.raises(RuntimeError, match="diag\\(\\): Supports 1D or 2D tensors. Got 3D"):
        hb.diag(hb.ones(2, 2, 2))
    with pytest.raises(RuntimeError, match="Got 0D"):
        hb.diag(hb.ones(()))


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (4, 1), (0, 3)])
def test_trace(shape, rng):
    x = randn(shape, rng)
    check_forward(hb.trace, np.trace, [x], rtol=1e-12, atol=1e-12, dtype=hb.float64)
    if x.size:
        check_backward(lambda t: t.trace(), [x])


def test_trace_dtype_and_errors():
    assert hb.trace(hb.ones(2, 3, dtype=hb.int32)).dtype is hb.int64
    with pytest.raises(RuntimeError, match="trace: expected a matrix, but got tensor with dim 1"):
        hb.trace(hb.ones(3))


@pytest.mark.parametrize("n,m", [(3, 4), (1, 5), (0, 2)])
def test_outer(n, m, rng):
    a, b = randn((n,), rng), randn((m,), rng)
    check_forward(hb.outer, np.outer, [a, b], rtol=1e-12, atol=0, dtype=hb.float64)
    if n:
        check_backward(lambda x, y: x.outer(y), [a, b])
    check_noncontiguous(hb.outer, [a, b])


def test_outer_dtypes_and_errors():
    assert hb.outer(hb.ones(3), hb.ones(2, dtype=hb.float64)).dtype is hb.float64
    assert hb.outer(hb.ones(3, dtype=hb.int64), hb.ones(2)).dtype is hb.float32
    with pytest.raises(RuntimeError, match="outer: Expected 1-D argument vec2, but got 2-D"):
        hb.outer(hb.ones(3), hb.ones(2, 2))
    with pytest.raises(RuntimeError, match="outer: Expected 1-D argument self, but got 0-D"):
        hb.outer(hb.ones(()), hb.ones(2))


@pytest.mark.parametrize("bias_shape", [(4,), (3, 4), (1, 4), (3, 1), ()])
@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, -2.0), (0, 1)])
def test_addmm(bias_shape, beta, alpha, rng):
    c, a, b = randn(bias_shape, rng), randn((3, 5), rng), randn((5, 4), rng)
    check_forward(lambda x, y, z: hb.addmm(x, y, z, beta=beta, alpha=alpha),
                  lambda x, y, z: beta * np.broadcast_to(x, (3, 4)) + alpha * (y @ z), [c, a, b],
                  rtol=1e-5, atol=1e-5)
    check_backward(lambda x, y, z: x.addmm(y, z, beta=beta, alpha=alpha), [c, a, b])


def test_addmm_beta_zero_ignores_nan_noncontiguous_and_errors(rng):
    out = hb.addmm(hb.full((2, 3), float("nan")), hb.ones(2, 4), hb.ones(4, 3), beta=0)
    assert out.tolist() == [[4.0] * 3] * 2
    check_noncontiguous(lambda x, y, z: hb.addmm(x, y, z),
                        [randn((3,), rng), randn((2, 4), rng), randn((4, 3), rng)])
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(3\) must match the "
                                           r"existing size \(4\)"):
        hb.addmm(hb.ones(4), hb.ones(2, 4), hb.ones(4, 3))
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x4 and 5x3\)"):
        hb.addmm(hb.ones(2, 3), hb.ones(2, 4), hb.ones(5, 3))
    with pytest.raises(RuntimeError, match="mat1 must be a matrix, got 3-D tensor"):
        hb.addmm(hb.ones(2, 3), hb.ones(2, 4, 1), hb.ones(4, 3))
    with pytest.raises(RuntimeError, match="self and mat2 must have the same dtype, but got Float "
                                           "and Double"):
        hb.addmm(hb.ones(2, 3), hb.ones(2, 4), hb.ones(4, 3, dtype=hb.float64))


@pytest.mark.parametrize("shape,wrap", [((3, 3), False), ((2, 4), False), ((7, 3), True),
                                        ((7, 3), False), ((3, 3, 3), False)])
def test_fill_diagonal_(shape, wrap, rng):
    x = randn(shape, rng)
    want = x.copy()
    np.fill_diagonal(want, 2.5, wrap=wrap)
    t = hb.tensor(x)
    assert t.fill_diagonal_(2.5, wrap=wrap) is t
    np.testing.assert_array_equal(t.numpy(), want)
    # in a graph: the overwritten diagonal gets no gradient
    check_backward(lambda w: (w * 1).fill_diagonal_(-1.0, wrap), [x])


def test_fill_diagonal_dtypes_and_errors():
    assert hb.ones(2, 2, dtype=hb.int64).fill_diagonal_(5.7).tolist() == [[5, 1], [1, 5]]
    with pytest.raises(RuntimeError, match="dimensions must larger than 1"):
        hb.ones(2).fill_diagonal_(5)
    with pytest.raises(RuntimeError, match="all dimensions of input must be of equal length"):
        hb.ones(2, 3, 2).fill_diagonal_(5)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        hb.ones(2, 2, requires_grad=True).fill_diagonal_(0)


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    x = randn((4, 5), rng)
    pairs = [
        (hb.tensor(x).triu(1), torch.tensor(x).triu(1)),
        (hb.tensor(x).tril(-1), torch.tensor(x).tril(-1)),
        (hb.tensor(x).diagonal(-2), torch.tensor(x).diagonal(-2)),
        (hb.diag(hb.tensor(x[0]), -1), torch.diag(torch.tensor(x[0]), -1)),
        (hb.trace(hb.tensor(x)), torch.trace(torch.tensor(x))),
        (hb.outer(hb.tensor(x[0]), hb.tensor(x[1])), torch.outer(torch.tensor(x[0]), torch.tensor(x[1]))),
        (hb.addmm(hb.tensor(x[0]), hb.tensor(x), hb.tensor(x.T @ x), beta=0.5, alpha=2),
         torch.addmm(torch.tensor(x[0]), torch.tensor(x), torch.tensor(x.T @ x), beta=0.5, alpha=2)),
        (hb.ones(7, 3).fill_diagonal_(5, wrap=True), torch.ones(7, 3).fill_diagonal_(5, wrap=True)),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-12)


def test_trace_of_bool_is_refused():
    with pytest.raises(NotImplementedError, match="not implemented for 'Bool'"):
        hb.trace(hb.ones(2, 2, dtype=hb.bool))
