"""matmul/mm/bmm/dot and the fused linear op: against numpy float64, finite-difference gradients."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn

MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 3), (5, 3, 4)), ((2, 1, 2, 3), (4, 3, 2)), ((1, 3), (3, 1)), ((0, 3), (3, 2)),
                 ((2, 0), (0, 3))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul(shapes, rng):
    a, b = randn(shapes[0], rng), randn(shapes[1], rng)
    check_forward(hb.matmul, np.matmul, [a, b], rtol=1e-5, atol=1e-5)
    check_forward(lambda x, y: x @ y, np.matmul, [a, b], rtol=1e-12, atol=1e-12, dtype=hb.float64)
    check_backward(hb.matmul, [a, b])


def test_mm_bmm_dot(rng):
    a, b = randn((4, 3), rng), randn((3, 5), rng)
    check_forward(hb.mm, np.matmul, [a, b], rtol=1e-5)
    check_backward(lambda x, y: x.mm(y), [a, b])
    c, d = randn((2, 4, 3), rng), randn((2, 3, 5), rng)
    check_forward(hb.bmm, np.matmul, [c, d], rtol=1e-5)
    check_backward(hb.bmm, [c, d])
    v, w = randn((6,), rng), randn((6,), rng)
    check_forward(hb.dot, np.dot, [v, w], rtol=1e-5)


def test_matmul_noncontiguous(rng):
    check_noncontiguous(hb.matmul, [randn((4, 3), rng), randn((3, 5), rng)])
    check_noncontiguous(hb.matmul, [randn((2, 4, 3), rng), randn((2, 3, 5), rng)])


def test_matmul_of_transposed_views_needs_no_copy(rng):
    a = hb.tensor(randn((5, 4), rng), dtype=hb.float64)
    b = hb.tensor(randn((6, 4), rng), dtype=hb.float64)
    np.testing.assert_allclose((a @ b.t()).numpy(), a.numpy() @ b.numpy().T, rtol=1e-12)
    np.testing.assert_allclose((a.t() @ a).numpy(), a.numpy().T @ a.numpy(), rtol=1e-12)


def test_integer_matmul(rng):
    a = hb.tensor([[1, 2], [3, 4]])
    assert (a @ a).tolist() == [[7, 10], [15, 22]] and (a @ a).dtype is hb.int64


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("lead", [(7,), (2, 3), ()], ids=str)
def test_linear(bias, lead, rng):
    x, w, b = randn(lead + (5,), rng), randn((4, 5), rng), randn((4,), rng)
    if bias:
        check_forward(hb.nn.functional.linear, lambda x, w, b: x @ w.T + b, [x, w, b], rtol=1e-5)
        check_backward(hb.nn.functional.linear, [x, w, b])
    else:
        check_forward(hb.nn.functional.linear, lambda x, w: x @ w.T, [x, w], rtol=1e-5)
        check_backward(hb.nn.functional.linear, [x, w])


def test_shape_and_dtype_errors():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        hb.zeros(2, 3) @ hb.zeros(4, 5)
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied"):
        hb.nn.functional.linear(hb.zeros(2, 3), hb.zeros(4, 5))
    with pytest.raises(RuntimeError, match="both arguments to matmul need to be at least 1D"):
        hb.tensor(1.0) @ hb.zeros(2)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype, but got: float != double"):
        hb.zeros(2, 2) @ hb.zeros(2, 2, dtype=hb.float64)
    with pytest.raises(RuntimeError, match="self must be a matrix"):
        hb.mm(hb.zeros(2), hb.zeros(2, 2))
    with pytest.raises(RuntimeError, match="inconsistent tensor size"):
        hb.zeros(2) @ hb.zeros(3)
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        hb.bmm(hb.zeros(2, 2), hb.zeros(2, 2))
