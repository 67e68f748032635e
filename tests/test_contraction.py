"""einsum and tensordot: values against numpy, gradients by finite differences, PyTorch's
parsing rules (implicit output, ellipses, broadcasting, sublists) and errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn

EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("i,i->", [(5,), (5,)]),
    ("i,j->ij", [(3,), (2,)]),
    ("ij->ji", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("ij->j", [(3, 4)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(4, 4)]),
    ("iji->j", [(2, 3, 2)]),
    ("Ba,a", [(2, 3), (3,)]),
    ("bA,a", [(2, 3), (3,)]),
    ("...ij,...jk", [(2, 1, 2, 3), (5, 3, 4)]),
    ("i...->...", [(2, 3)]),
    ("...i,...i->...", [(2, 3), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("i,i", [(1,), (3,)]),
    ("ij,ij->i", [(0, 3), (0, 3)]),
]


def _numpy_einsum(equation, arrays):
    # numpy does not broadcast size-1 subscripts: expand them the way PyTorch does first
    if equation == "i,i":
        return np.einsum(equation, np.broadcast_to(arrays[0], arrays[1].shape), arrays[1])
    return np.einsum(equation, *arrays)


@pytest.mark.parametrize("equation,shapes", EINSUM_CASES)
def test_einsum(equation, shapes, rng):
    arrays = [randn(s, rng) for s in shapes]
    check_forward(lambda *ts: hb.einsum(equation, *ts),
                  lambda *a: _numpy_einsum(equation, a), arrays, rtol=1e-12, atol=1e-12,
                  dtype=hb.float64)
    if all(a.size for a in arrays):
        check_backward(lambda *ts: hb.einsum(equation, *ts), arrays)


def test_einsum_call_forms_noncontiguous_and_dtypes(rng):
    a, b = randn((2, 3), rng), randn((3, 4), rng)
    want = a @ b
    ta, tb = hb.tensor(a, dtype=hb.float64), hb.tensor(b, dtype=hb.float64)
    np.testing.assert_allclose(hb.einsum("ij,jk", [ta, tb]).numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(hb.einsum(ta, [0, 1], tb, [1, 2], [0, 2]).numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(hb.einsum(ta, [0, 1], tb, [1, 2]).numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(hb.einsum(" ij , jk -> ik ", ta, tb).numpy(), want, rtol=1e-12)
    check_noncontiguous(lambda x, y: hb.einsum("ij,jk->ki", x, y), [a, b])
    out = hb.einsum("i,i", hb.tensor([1, 2, 3]), hb.tensor([4, 5, 6]))
    assert out.dtype is hb.int64 and out.item() == 32


@pytest.mark.parametrize("call,exc,message", [
    (lambda: hb.einsum("ij,jk", hb.ones(2, 3), hb.ones(3, 4, dtype=hb.float64)), RuntimeError,
     "expected scalar type Float but found Double"),
    (lambda: hb.einsum("ij,jk", hb.ones(2, 3), hb.ones(4, 4)), RuntimeError,
     "subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3"),
    (lambda: hb.einsum("ij,jk->", hb.ones(2, 3)), RuntimeError, "fewer operands were provided"),
    (lambda: hb.einsum("ij", hb.ones(2, 3), hb.ones(3)), RuntimeError,
     "more operands were provided"),
    (lambda: hb.einsum("ijk", hb.ones(2, 3)), RuntimeError,
     r"number of subscripts in the equation \(3\) does not match the number of dimensions \(2\)"),
    (lambda: hb.einsum("ii->i", hb.ones(2, 3)), RuntimeError,
     "subscript i is repeated for operand 0 but the sizes don't match, 3 != 2"),
    (lambda: hb.einsum("i->j", hb.ones(2)), RuntimeError,
     "output subscript j does not appear in the equation for any input operand"),
    (lambda: hb.einsum("ij->jj", hb.ones(2, 2)), RuntimeError,
     "output subscript j appears more than once in the output"),
    (lambda: hb.einsum("i!", hb.ones(2, 2)), RuntimeError, "invalid subscript given at index 1"),
    (lambda: hb.einsum("i...j...", hb.ones(2, 2)), RuntimeError,
     "found '.' for operand 0 for which an ellipsis was already found"),
])
def test_einsum_errors(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


@pytest.mark.parametrize("a_shape,b_shape,dims,ref_dims", [
    ((2, 3), (3, 4), 1, 1),
    ((2, 3, 4), (3, 4, 5), 2, 2),
    ((2, 3), (2, 3), 2, 2),
    ((2, 3), (4, 5), 0, 0),
    ((3, 2, 4), (4, 3), ([0, 2], [1, 0]), ([0, 2], [1, 0])),
    ((2, 3), (3, 4), ([-1], [0]), ([1], [0])),
])
def test_tensordot(a_shape, b_shape, dims, ref_dims, rng):
    a, b = randn(a_shape, rng), randn(b_shape, rng)
    check_forward(lambda x, y: hb.tensordot(x, y, dims), lambda x, y: np.tensordot(x, y, ref_dims),
                  [a, b], rtol=1e-12, atol=1e-12, dtype=hb.float64)
    check_backward(lambda x, y: hb.tensordot(x, y, dims=dims), [a, b])


def test_tensordot_dims_forms_and_errors():
    x = hb.ones(2, 3)
    assert hb.tensordot(x, x, dims=hb.tensor([[0, 1], [0, 1]])).item() == 6
    assert hb.tensordot(x, x, dims=hb.tensor(2)).item() == 6
    with pytest.raises(RuntimeError, match="contracted dimensions need to match, but first has "
                                           "size 3 in dim 1 and second has size 4 in dim 1"):
        hb.tensordot(x, hb.ones(3, 4), dims=([1], [1]))
    with pytest.raises(RuntimeError, match="tensordot expects dims < ndim_a or ndim_b, but got dims=3"):
        hb.tensordot(x, hb.ones(3, 4), dims=3)
    with pytest.raises(RuntimeError, match="tensordot expects dims >= 0, but got dims=-1"):
        hb.tensordot(x, hb.ones(3, 4), dims=-1)
    with pytest.raises(RuntimeError, match="both inputs should have same dtype"):
        hb.tensordot(x, hb.ones(3, 4, dtype=hb.float64), 1)


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    for equation, shapes in EINSUM_CASES:
        arrays = [randn(s, rng) for s in shapes]
        ours = [hb.tensor(a, requires_grad=True) for a in arrays]
        theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
        out_h, out_t = hb.einsum(equation, *ours), torch.einsum(equation, *theirs)
        assert tuple(out_h.shape) == tuple(out_t.shape), equation
        np.testing.assert_allclose(out_h.detach().numpy(), out_t.detach().numpy(), rtol=1e-5,
                                   atol=1e-5)
        (out_h * out_h).sum().backward()
        (out_t * out_t).sum().backward()
        for h, t in zip(ours, theirs):
            np.testing.assert_allclose(h.grad.numpy(), t.grad.numpy(), rtol=1e-4, atol=1e-5)
