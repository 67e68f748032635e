"""Vector norms (hb.norm, Tensor.norm) and F.normalize: numpy float64 references, finite
differences, PyTorch's gradients where the norm is 0, errors."""
import math

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.functional as F
from hayabusa.autograd import gradcheck
from opcheck import check_noncontiguous


def np_norm(x, p, axis=None, keepdims=False):
    a = np.abs(x)
    if p == math.inf:
        return a.max(axis=axis, keepdims=keepdims)
    if p == -math.inf:
        return a.min(axis=axis, keepdims=keepdims)
    if p == 0:
        return (x != 0).sum(axis=axis, keepdims=keepdims).astype(x.dtype)
    return (a ** p).sum(axis=axis, keepdims=keepdims) ** (1 / p)


@pytest.mark.parametrize("p", [2, 1, 3, 0.5, math.inf, -math.inf, 0])
@pytest.mark.parametrize("dim,keepdim", [(None, False), (1, False), (0, True), ((0, 1), False)])
def test_norm_values_and_gradients(p, dim, keepdim, rng):
    x = rng.standard_normal((3, 4))
    axis = tuple(dim) if isinstance(dim, tuple) else dim
    got = hb.tensor(x).norm(p, dim, keepdim)
    np.testing.assert_allclose(got.numpy(), np_norm(x, p, axis, keepdim).astype(np.float32), rtol=1e-5)
    got64 = hb.norm(hb.tensor(x, dtype=hb.float64), p, dim, keepdim)
    np.testing.assert_allclose(got64.numpy(), np_norm(x, p, axis, keepdim), rtol=1e-12)
    if p != 0:
        assert gradcheck(lambda a: a.norm(p, dim, keepdim),
                         (hb.tensor(x, dtype=hb.float64, requires_grad=True),))


def test_norm_defaults_shapes_and_noncontiguous(rng):
    x = rng.standard_normal((2, 3, 4))
    assert hb.tensor(x).norm().shape == ()
    np.testing.assert_allclose(hb.tensor(x, dtype=hb.float64).norm().item(), np.sqrt((x * x).sum()))
    assert hb.tensor(x).norm(dim=-1, keepdim=True).shape == (2, 3, 1)
    assert hb.tensor(x).norm(p="fro", dim=(1, 2)).shape == (2,)
    assert hb.tensor(x).norm(dtype=hb.float64).dtype is hb.float64
    assert hb.tensor(2.5).norm().item() == 2.5
    assert hb.zeros(0).norm().item() == 0.0
    check_noncontiguous(lambda a: a.norm(dim=0), [x[0]])
    assert hb.tensor(x, requires_grad=True).norm().grad_fn.name() == "LinalgVectorNormBackward0"


def test_norm_gradient_at_zero_is_zero():
    # PyTorch's norm_backward masks 0/0: the 2-norm of zeros has gradient 0, not NaN
    x = hb.zeros(3, dtype=hb.float64, requires_grad=True)
    x.norm().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    y = hb.tensor([3.0, -3.0, 1.0], dtype=hb.float64, requires_grad=True)
    y.norm(math.inf).backward()
    # ties share the gradient of the max
    assert y.grad.tolist() == [0.5, -0.5, 0.0]


def test_norm_errors():
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        hb.norm(hb.arange(3))
    with pytest.raises(RuntimeError, match="cannot compute the inf norm on an empty tensor"):
        hb.zeros(0).norm(math.inf)
    with pytest.raises(RuntimeError, match="cannot compute the -1 norm on an empty tensor"):
        hb.zeros(0).norm(-1)
    assert hb.zeros(2, 0).norm(math.inf, dim=0).shape == (0,)
    with pytest.raises(NotImplementedError, match="nuclear norm"):
        hb.zeros(2, 2).norm(p="nuc")
    with pytest.raises(IndexError, match="Dimension out of range"):
        hb.zeros(2, 2).norm(dim=2)


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 1), (2.0, 0), (math.inf, -1), (3.0, 1)])
def test_normalize(p, dim, rng):
    x = rng.standard_normal((4, 3))
    x[1] = 0.0
    denom = np.maximum(np_norm(x, p, dim, True), 1e-12)
    got = F.normalize(hb.tensor(x, dtype=hb.float64), p=p, dim=dim)
    np.testing.assert_allclose(got.numpy(), x / denom, rtol=1e-12)
    assert gradcheck(lambda a: F.normalize(a, p=p, dim=dim),
                     (hb.tensor(rng.standard_normal((4, 3)), dtype=hb.float64, requires_grad=True),))


def test_normalize_zero_rows_eps_and_torch_values():
    x = hb.tensor([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]], requires_grad=True)
    out = F.normalize(x)
    np.testing.assert_allclose(out.detach().numpy(), [[0.6, 0.8], [0, 0], [0.70710678, -0.70710678]],
                               rtol=1e-6)
    out.sum().backward()
    # recorded from PyTorch 2.13: a zero row divides by eps, so its gradient is 1 / eps
    np.testing.assert_allclose(x.grad.numpy(), [[0.032, -0.024], [1e12, 1e12], [0.70710678, 0.70710678]],
                               rtol=1e-5)
    np.testing.assert_allclose(F.normalize(hb.tensor([[3.0, 4.0]]), eps=10.0).numpy(), [[0.3, 0.4]])
    assert F.normalize(hb.tensor([3.0, 4.0]), dim=0).tolist() == pytest.approx([0.6, 0.8])
    with pytest.raises(IndexError, match="Dimension out of range"):
        F.normalize(hb.tensor([3.0, 4.0]))


def test_norm_and_normalize_match_torch(rng):
    torch = pytest.importorskip("torch")
    x, w = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    for p in (2, 1, 0.5, math.inf):
        a = hb.tensor(x, dtype=hb.float64, requires_grad=True)
        b = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        (F.normalize(a, p=p) * hb.tensor(w, dtype=hb.float64)).sum().backward()
        (torch.nn.functional.normalize(b, p=p) * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10)
        np.testing.assert_allclose(hb.tensor(x).norm(p, 1).numpy(), torch.tensor(x).float().norm(p, 1).numpy(),
                                   rtol=1e-6)
