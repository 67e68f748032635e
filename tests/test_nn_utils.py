"""nn.utils: clip_grad_norm_ (every norm type, non-finite norms), clip_grad_value_,
parameters_to_vector / vector_to_parameters, against numpy and PyTorch."""
import math

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
from hayabusa.nn.utils import (
    clip_grad_norm_, clip_grad_value_, get_total_norm, parameters_to_vector, vector_to_parameters,
)


def _model_with_grads(rng, dtype=hb.float32):
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).to(dtype)
    x = hb.tensor(rng.standard_normal((5, 3)) * 3, dtype=dtype)
    model(x).pow(2).sum().backward()
    return model


def _np_total_norm(grads, p):
    flat = np.concatenate([g.ravel() for g in grads])
    if p == math.inf:
        return np.abs(flat).max()
    return (np.abs(flat) ** p).sum() ** (1 / p)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.0, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm(norm_type, max_norm, rng):
    model = _model_with_grads(rng, hb.float64)
    before = [p.grad.numpy().copy() for p in model.parameters()]
    p = float(norm_type)
    total = clip_grad_norm_(model.parameters(), max_norm, norm_type=norm_type)
    want = _np_total_norm(before, p)
    assert total.shape == () and total.dtype is hb.float64 and not total.requires_grad
    np.testing.assert_allclose(total.item(), want, rtol=1e-12)
    coef = min(1.0, max_norm / (want + 1e-6))
    for g0, param in zip(before, model.parameters()):
        np.testing.assert_allclose(param.grad.numpy(), g0 * coef, rtol=1e-12)


def test_clip_grad_norm_inputs_and_edges(rng):
    model = _model_with_grads(rng)
    weight = model[0].weight
    g = weight.grad.numpy().copy()
    # a single tensor is accepted; parameters without grad are skipped
    total = clip_grad_norm_(weight, 0.1)
    np.testing.assert_allclose(total.item(), np.linalg.norm(g), rtol=1e-5)
    assert total.dtype is hb.float32
    fresh = nn.Linear(2, 2)
    assert clip_grad_norm_(fresh.parameters(), 1.0).item() == 0.0
    assert clip_grad_norm_([], 1.0).item() == 0.0
    with pytest.warns(UserWarning, match="`parameters` is an empty generator"):
        clip_grad_norm_((p for p in []), 1.0)
    assert get_total_norm([hb.tensor([3.0, 4.0])]).item() == 5.0


def test_clip_grad_norm_non_finite(rng):
    lin = nn.Linear(3, 2)
    lin(hb.full((1, 3), float("nan"))).sum().backward()
    total = clip_grad_norm_(lin.parameters(), 2.0)
    assert math.isnan(total.item()) and np.isnan(lin.weight.grad.numpy()).all()
    lin.zero_grad()
    lin(hb.full((1, 3), float("inf"))).sum().backward()
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` "
                                           "is non-finite, so it cannot be clipped"):
        clip_grad_norm_(lin.parameters(), 2.0, error_if_nonfinite=True)


def test_clip_grad_value(rng):
    model = _model_with_grads(rng)
    before = [p.grad.numpy().copy() for p in model.parameters()]
    assert clip_grad_value_(model.parameters(), 0.75) is None
    for g0, p in zip(before, model.parameters()):
        np.testing.assert_array_equal(p.grad.numpy(), np.clip(g0, -0.75, 0.75))
    # a negative clip value clamps everything to it, as PyTorch's clamp(min > max)
    clip_grad_value_(model[0].weight, clip_value=-1.5)
    assert set(np.unique(model[0].weight.grad.numpy())) == {-1.5}


def test_parameters_to_vector_and_back():
    lin = nn.Linear(3, 2)
    nn.init.constant_(lin.weight, 1.0)
    nn.init.constant_(lin.bias, 2.0)
    vec = parameters_to_vector(lin.parameters())
    assert vec.tolist() == [1.0] * 6 + [2.0] * 2
    assert vec.requires_grad and vec.grad_fn is not None
    vec.sum().backward()
    assert lin.weight.grad.tolist() == [[1.0] * 3] * 2
    new = hb.arange(8.0)
    vector_to_parameters(new, lin.parameters())
    assert lin.weight.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and lin.bias.tolist() == [6.0, 7.0]
    assert isinstance(lin.weight, nn.Parameter) and lin.weight.requires_grad
    # the parameters now view the vector, as PyTorch
    new[7] = 9.0
    assert lin.bias.tolist() == [6.0, 9.0]
    vector_to_parameters(hb.arange(9.0), lin.parameters())
    with pytest.raises(RuntimeError, match=r"shape '\[2\]' is invalid for input of size 1"):
        vector_to_parameters(hb.arange(7.0), lin.parameters())
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        vector_to_parameters([1, 2], lin.parameters())


def test_clip_grad_norm_matches_torch(rng):
    torch = pytest.importorskip("torch")
    grads = [rng.standard_normal((4, 3)), rng.standard_normal(4)]
    for norm_type in (2.0, 1.0, math.inf, 0.5):
        ours = [nn.Parameter(hb.zeros(*g.shape)) for g in grads]
        theirs = [torch.nn.Parameter(torch.zeros(*g.shape)) for g in grads]
        for p, q, g in zip(ours, theirs, grads):
            p.grad = hb.tensor(g, dtype=hb.float32)
            q.grad = torch.tensor(g, dtype=torch.float32)
        a = clip_grad_norm_(ours, 1.0, norm_type)
        b = torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type)
        np.testing.assert_allclose(a.item(), b.item(), rtol=1e-6)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-6)
