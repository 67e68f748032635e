"""Optimizers against PyTorch's update rules (numpy references, and torch itself when installed)."""
import numpy as np
import pytest

import hayabusa as hb


def _params(rng, dtype=hb.float32):
    shapes = [(3, 4), (4,), (), (0,), (2, 3, 2)]
    return [hb.nn.Parameter(hb.tensor(rng.standard_normal(s), dtype=dtype)) for s in shapes]


def _set_grads(params, rng):
    for p in params:
        p.grad = hb.tensor(rng.standard_normal(p.shape), dtype=p.dtype)


def _numpy_sgd(p, g, buf, lr, momentum, dampening, nesterov, wd, maximize, first):
    g = -g if maximize else g
    if wd:
        g = g + wd * p
    if momentum:
        buf = g.copy() if first else momentum * buf + (1 - dampening) * g
        g = g + momentum * buf if nesterov else buf
    return p - lr * g, buf


@pytest.mark.parametrize("momentum, dampening, nesterov, wd, maximize", [
    (0, 0, False, 0, False), (0.9, 0, False, 0, False), (0.9, 0.1, False, 0.01, False),
    (0.9, 0, True, 0.01, True), (0, 0, False, 0.1, True)])
def test_sgd_matches_reference(momentum, dampening, nesterov, wd, maximize, rng):
    params = _params(rng, hb.float64)
    ref = [p.detach().numpy().copy() for p in params]
    bufs = [None] * len(params)
    opt = hb.optim.SGD(params, lr=0.1, momentum=momentum, dampening=dampening, nesterov=nesterov,
                       weight_decay=wd, maximize=maximize)
    for step in range(5):
        _set_grads(params, rng)
        for i, p in enumerate(params):
            ref[i], bufs[i] = _numpy_sgd(ref[i], p.grad.numpy(), bufs[i], 0.1, momentum, dampening,
                                         nesterov, wd, maximize, step == 0)
        opt.step()
        for p, r in zip(params, ref):
            np.testing.assert_allclose(p.detach().numpy(), r, rtol=1e-12, atol=1e-14)


def _numpy_adam(p, g, m, v, vmax, step, lr, b1, b2, eps, wd, amsgrad, maximize, decoupled):
    g = -g if maximize else g
    if wd and decoupled:
        p = p * (1 - lr * wd)
    elif wd:
        g = g + wd * p
    m = m + (g - m) * (1 - b1)
    v = v * b2 + (1 - b2) * g * g
    bc1, bc2 = 1 - b1 ** step, 1 - b2 ** step
    if amsgrad:
        vmax = np.maximum(vmax, v)
        denom = np.sqrt(vmax) / np.sqrt(bc2) + eps
    else:
        denom = np.sqrt(v) / np.sqrt(bc2) + eps
    return p - lr / bc1 * m / denom, m, v, vmax


@pytest.mark.parametrize("cls", ["Adam", "AdamW"])
@pytest.mark.parametrize("amsgrad, maximize, wd", [(False, False, 0), (True, False, 0.01),
                                                   (False, True, 0.1), (True, True, 0.05)])
def test_adam_matches_reference(cls, amsgrad, maximize, wd, rng):
    params = _params(rng, hb.float64)
    ref = [[p.detach().numpy().copy(), np.zeros(p.shape), np.zeros(p.shape), np.zeros(p.shape)]
           for p in params]
    opt = getattr(hb.optim, cls)(params, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=wd,
                                 amsgrad=amsgrad, maximize=maximize)
    for step in range(1, 6):
        _set_grads(params, rng)
        for r, p in zip(ref, params):
            r[:] = _numpy_adam(*r[:1], p.grad.numpy(), *r[1:], step, 0.01, 0.8, 0.99, 1e-6, wd,
                               amsgrad, maximize, cls == "AdamW")
        opt.step()
        for p, r in zip(params, ref):
            np.testing.assert_allclose(p.detach().numpy(), r[0], rtol=1e-10, atol=1e-12)
    assert opt.state[params[0]]["step"].item() == 5.0


def test_against_torch_when_installed(rng):
    torch = pytest.importorskip("torch")
    shapes = [(5, 3), (3,), ()]
    init = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(6)]
    for hb_cls, t_cls, kw in [(hb.optim.SGD, torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
                              (hb.optim.Adam, torch.optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
                              (hb.optim.AdamW, torch.optim.AdamW, dict(lr=0.01))]:
        hp = [hb.nn.Parameter(hb.tensor(a)) for a in init]
        tp = [torch.nn.Parameter(torch.tensor(a)) for a in init]
        ho, to = hb_cls(hp, **kw), t_cls(tp, **kw)
        for gs in grads:
            for p, q, g in zip(hp, tp, gs):
                p.grad, q.grad = hb.tensor(g), torch.tensor(g)
            ho.step()
            to.step()
        for p, q in zip(hp, tp):
            np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_params_without_grad_are_skipped_and_zero_grad(rng):
    params = _params(rng)
    before = params[1].detach().numpy().copy()
    params[0].grad = hb.ones(3, 4)
    opt = hb.optim.SGD(params, lr=0.5)
    opt.step()
    np.testing.assert_array_equal(params[1].detach().numpy(), before)
    opt.zero_grad()
    assert params[0].grad is None
    params[0].grad = hb.ones(3, 4)
    opt.zero_grad(set_to_none=False)
    assert params[0].grad.tolist() == np.zeros((3, 4)).tolist()


def test_param_groups_and_state_dict_resume_exactly(rng):
    def make():
        r = np.random.default_rng(3)
        return [hb.nn.Parameter(hb.tensor(r.standard_normal(s), dtype=hb.float32)) for s in [(3, 2), (2,)]]

    a = make()
    opt = hb.optim.Adam([{"params": a[:1]}, {"params": a[1:], "lr": 0.1}], lr=0.01)
    assert opt.param_groups[1]["lr"] == 0.1 and opt.param_groups[0]["lr"] == 0.01
    grads = [[rng.standard_normal(p.shape).astype(np.float32) for p in a] for _ in range(6)]
    for gs in grads[:3]:
        for p, g in zip(a, gs):
            p.grad = hb.tensor(g)
        opt.step()
    saved_state = opt.state_dict()
    b = [hb.nn.Parameter(p.detach().clone()) for p in a]
    opt_b = hb.optim.Adam([{"params": b[:1]}, {"params": b[1:], "lr": 999.0}], lr=0.5)
    opt_b.load_state_dict(saved_state)
    assert opt_b.param_groups[1]["lr"] == 0.1
    for gs in grads[3:]:
        for p, q, g in zip(a, b, gs):
            p.grad, q.grad = hb.tensor(g), hb.tensor(g)
        opt.step()
        opt_b.step()
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_optimizer_argument_errors():
    p = [hb.nn.Parameter(hb.zeros(2))]
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        hb.optim.SGD(p, lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        hb.optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0"):
        hb.optim.Adam(p, betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        hb.optim.Adam([])
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        hb.optim.SGD([{"params": p}, {"params": p}], lr=0.1)
    with pytest.raises(TypeError, match="params argument given to the optimizer should be an iterable"):
        hb.optim.SGD(p[0], lr=0.1)


def test_step_invalidates_graphs_that_saved_the_parameter():
    w = hb.nn.Parameter(hb.ones(2))
    loss = (w * w).sum()
    w.grad = hb.ones(2)
    hb.optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


@pytest.mark.parametrize("cls", ["SGD", "Adam"])
def test_mixed_dtype_group(cls, rng):
    a = hb.nn.Parameter(hb.tensor(rng.standard_normal(3), dtype=hb.float32))
    b = hb.nn.Parameter(hb.tensor(rng.standard_normal(3), dtype=hb.float64))
    a0, b0 = a.detach().numpy().copy(), b.detach().numpy().copy()
    a.grad, b.grad = hb.ones(3), hb.ones(3, dtype=hb.float64)
    getattr(hb.optim, cls)([a, b], lr=0.1, **({"momentum": 0.9} if cls == "SGD" else {})).step()
    np.testing.assert_allclose(a.detach().numpy(), a0 - 0.1, rtol=1e-5)
    np.testing.assert_allclose(b.detach().numpy(), b0 - 0.1, rtol=1e-5)


def test_add_param_group_as_torch():
    a, b = hb.nn.Parameter(hb.zeros(2)), hb.nn.Parameter(hb.zeros(3))
    with pytest.raises(TypeError, match="optimizer parameters need to be organized in ordered collections"):
        hb.optim.SGD([{"params": {a, b}}], lr=0.1)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the params is int"):
        hb.optim.SGD([1], lr=0.1)
    with pytest.raises(TypeError, match="param_group must be a dict, but got <class 'list'>"):
        hb.optim.SGD([a], lr=0.1).add_param_group([b])
    with pytest.raises(ValueError, match="parameter group didn't specify a value of required optimization "
                                         "parameter lr"):
        hb.optim.SGD([a], lr=hb.optim.optimizer.required)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        hb.optim.SGD([a * 2], lr=0.1)
    with pytest.warns(UserWarning, match="optimizer contains a parameter group with duplicate parameters"):
        hb.optim.SGD([a, a], lr=0.1)
    # (name, tensor) pairs, as model.named_parameters() gives them
    opt = hb.optim.Adam([("w", a), ("b", b)], lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["w", "b"] and opt.param_groups[0]["params"] == [a, b]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["w", "b"]
    with pytest.raises(ValueError, match="cannot add param group without names to the optimizer"):
        opt.add_param_group({"params": [hb.nn.Parameter(hb.zeros(1))]})
    with pytest.raises(ValueError, match="Some param names are missing"):
        hb.optim.SGD([("w", a), b], lr=0.1)
    # a group's own options win over the defaults; the rest come from the defaults
    opt = hb.optim.SGD([a], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": b, "lr": 0.5})
    assert opt.param_groups[1]["lr"] == 0.5 and opt.param_groups[1]["momentum"] == 0.9
    assert opt.param_groups[1]["params"] == [b]


def test_add_param_group_like_torch_when_installed():
    torch = pytest.importorskip("torch")
    for make in [lambda m, ps: m.optim.SGD([{"params": ps[:1]}, {"params": ps[1:], "lr": 0.5}], lr=0.1,
                                           momentum=0.9),
                 lambda m, ps: m.optim.Adam(ps, lr=0.1, amsgrad=True),
                 lambda m, ps: m.optim.RMSprop([{"params": ps, "centered": True}])]:
        ours = make(hb, [hb.nn.Parameter(hb.zeros(2)), hb.nn.Parameter(hb.zeros(2))]).state_dict()
        theirs = make(torch, [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(2))]).state_dict()
        assert ours == theirs


def test_load_state_dict_as_torch():
    p = hb.nn.Parameter(hb.ones(3, dtype=hb.float64))
    opt = hb.optim.Adam([p], lr=0.1)
    p.grad = hb.ones(3, dtype=hb.float64)
    opt.step()
    saved = opt.state_dict()
    saved["param_groups"][0]["custom"] = "kept"
    saved["state"][0]["exp_avg"] = hb.tensor([1.0, 2.0, 3.0], dtype=hb.float32)
    q = hb.nn.Parameter(hb.ones(3, dtype=hb.float64))
    other = hb.optim.Adam([q], lr=0.5)
    other.param_groups[0]["extra"] = 1
    other.load_state_dict(saved)
    group = other.param_groups[0]
    assert group["custom"] == "kept" and "extra" not in group and group["params"] == [q]
    assert group is not saved["param_groups"][0]
    state = other.state[q]
    assert state["exp_avg"].dtype is hb.float64        # cast to the parameter's dtype
    assert state["step"].dtype is hb.float32           # the step keeps its own
    assert state["exp_avg_sq"] is not saved["state"][0]["exp_avg_sq"]
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter groups"):
        other.load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(ValueError, match="loaded state dict contains a parameter group that doesn't match"):
        other.load_state_dict({"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]})


def test_zero_grad_set_to_none_false_keeps_a_zeroed_detached_grad():
    w = hb.nn.Parameter(hb.ones(2))
    (w * 3).sum().backward()
    grad = w.grad
    opt = hb.optim.SGD([w], lr=0.1)
    opt.zero_grad(set_to_none=False)
    assert w.grad is grad and w.grad.tolist() == [0.0, 0.0] and not w.grad.requires_grad
    opt.zero_grad()
    assert w.grad is None


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_differentiable_steps_are_refused(name):
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        getattr(hb.optim, name)([hb.nn.Parameter(hb.ones(2))], lr=0.1, differentiable=True)
