"""Every optimizer class against torch.optim (when installed) and against a numpy float64
reference of its update: all option combinations, parameter groups, parameters without a
gradient, state dicts that resume bit for bit, torch-written state dicts, bad hyperparameters."""
import itertools

import numpy as np
import pytest

import hayabusa as hb


def combos(**axes):
    return [dict(zip(axes, values)) for values in itertools.product(*axes.values())]


# every optimizer with every combination of its options (lr chosen per optimizer)
CASES = {
    "SGD": [dict(lr=0.1, **c) for c in combos(momentum=[0, 0.9], dampening=[0, 0.3], nesterov=[False, True],
                                                weight_decay=[0, 0.01], maximize=[False, True])
            if not (c["nesterov"] and (c["momentum"] == 0 or c["dampening"] != 0))],
    "Adam": [dict(lr=0.01, **c) for c in combos(amsgrad=[False, True], weight_decay=[0, 0.1],
                                                 maximize=[False, True], betas=[(0.9, 0.999), (0.5, 0.9)])],
    "AdamW": [dict(lr=0.01, **c) for c in combos(amsgrad=[False, True], weight_decay=[0, 0.1],
                                                  maximize=[False, True])],
    "Adagrad": [dict(lr=0.1, **c) for c in combos(lr_decay=[0, 0.01], weight_decay=[0, 0.1],
                                                   initial_accumulator_value=[0, 0.5], eps=[1e-10, 1e-3],
                                                   maximize=[False, True])],
    "Adadelta": [dict(**c) for c in combos(lr=[1.0, 0.3], rho=[0.9, 0.5], eps=[1e-6, 1e-3],
                                           weight_decay=[0, 0.1], maximize=[False, True])],
    "RMSprop": [dict(lr=0.01, **c) for c in combos(alpha=[0.99, 0.5], momentum=[0, 0.9], centered=[False, True],
                                                    weight_decay=[0, 0.1], maximize=[False, True])],
    "Adamax": [dict(lr=0.01, **c) for c in combos(betas=[(0.9, 0.999), (0.5, 0.9)], eps=[1e-8, 1e-3],
                                                   weight_decay=[0, 0.1], maximize=[False, True])],
    "NAdam": [dict(lr=0.01, **c) for c in combos(betas=[(0.9, 0.999), (0.5, 0.9)], weight_decay=[0, 0.1],
                                                  momentum_decay=[4e-3, 0.05], decoupled_weight_decay=[False, True],
                                                  maximize=[False, True])],
}
ALL_CASES = [(name, case) for name, cases in CASES.items() for case in cases]
SHAPES = [(5, 3), (3,), (), (0,), (2, 1, 4)]
STEPS = 6


def case_id(value):
    if isinstance(value, str):
        return value
    return ",".join(f"{k}={v}" for k, v in value.items())


def schedule(steps, shapes, seed=0):
    """Initial values and, per step, a gradient per parameter (None: that parameter has no grad)."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s) for s in shapes]
    grads = [[None if (step + i) % 4 == 3 else rng.standard_normal(s) for i, s in enumerate(shapes)]
             for step in range(steps)]
    return init, grads


def run_hayabusa(name, groups_kw, init, grads, dtype):
    params = [hb.nn.Parameter(hb.tensor(a, dtype=dtype)) for a in init]
    opt = getattr(hb.optim, name)(make_groups(params), **groups_kw)
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = None if g is None else hb.tensor(g, dtype=dtype)
        opt.step()
    return params, opt


def make_groups(params):
    """Two groups; the second with its own learning rate."""
    return [{"params": params[:2]}, {"params": params[2:], "lr": 0.02}]


# --- numpy float64 references: the update rules as torch.optim documents them ---

def reference_step(name, case, p, g, state, lr):
    """One update of one parameter in float64; `state` is a dict this function fills."""
    wd = case.get("weight_decay", 0)
    g = -g if case.get("maximize") else g
    step = state["step"] = state.get("step", 0) + 1
    if name == "SGD":
        if wd:
            g = g + wd * p
        m = case["momentum"]
        if m:
            buf = g.copy() if step == 1 else m * state["buf"] + (1 - case["dampening"]) * g
            state["buf"] = buf
            g = g + m * buf if case["nesterov"] else buf
        return p - lr * g
    if name in ("Adam", "AdamW"):
        b1, b2 = case.get("betas", (0.9, 0.999))
        if wd and name == "AdamW":
            p = p * (1 - lr * wd)
        elif wd:
            g = g + wd * p
        m = state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
        v = state["v"] = b2 * state.get("v", 0) + (1 - b2) * g * g
        if case["amsgrad"]:
            v = state["vmax"] = np.maximum(state.get("vmax", 0), v)
        return p - lr / (1 - b1 ** step) * m / (np.sqrt(v / (1 - b2 ** step)) + 1e-8)
    if wd and not (name == "NAdam" and case["decoupled_weight_decay"]):
        g = g + wd * p
    if name == "Adagrad":
        s = state["sum"] = state.get("sum", case["initial_accumulator_value"]) + g * g
        return p - lr / (1 + (step - 1) * case["lr_decay"]) * g / (np.sqrt(s) + case["eps"])
    if name == "Adadelta":
        rho, eps = case["rho"], case["eps"]
        v = state["v"] = rho * state.get("v", 0) + (1 - rho) * g * g
        delta = np.sqrt(state.get("u", 0) + eps) / np.sqrt(v + eps) * g
        state["u"] = rho * state.get("u", 0) + (1 - rho) * delta * delta
        return p - lr * delta
    if name == "RMSprop":
        a = case["alpha"]
        v = state["v"] = a * state.get("v", 0) + (1 - a) * g * g
        if case["centered"]:
            ga = state["ga"] = a * state.get("ga", 0) + (1 - a) * g
            v = v - ga * ga
        avg = np.sqrt(v) + 1e-8
        if case["momentum"]:
            buf = state["buf"] = case["momentum"] * state.get("buf", 0) + g / avg
            return p - lr * buf
        return p - lr * g / avg
    if name == "Adamax":
        b1, b2 = case["betas"]
        m = state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
        u = state["u"] = np.maximum(b2 * state.get("u", 0), np.abs(g) + case["eps"])
        return p - lr / (1 - b1 ** step) * m / u
    if name == "NAdam":
        b1, b2 = case["betas"]
        if wd and case["decoupled_weight_decay"]:
            p = p * (1 - lr * wd)
        mu = b1 * (1 - 0.5 * 0.96 ** (step * case["momentum_decay"]))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * case["momentum_decay"]))
        # torch keeps the product in a float32 tensor (the default dtype's), whatever the params'
        product = state["mu_product"] = float(np.float32(state.get("mu_product", 1.0)) * np.float32(mu))
        m = state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
        v = state["v"] = b2 * state.get("v", 0) + (1 - b2) * g * g
        denom = np.sqrt(v / (1 - b2 ** step)) + 1e-8
        return p - lr * (1 - mu) / (1 - product) * g / denom - lr * mu_next / (1 - product * mu_next) * m / denom
    raise AssertionError(name)


@pytest.mark.parametrize("name, case", ALL_CASES, ids=case_id)
def test_matches_float64_reference(name, case):
    init, grads = schedule(STEPS, SHAPES)
    params, _ = run_hayabusa(name, case, init, grads, hb.float64)
    lrs = [case.get("lr", 1.0)] * 2 + [0.02] * (len(SHAPES) - 2)
    for i, p in enumerate(params):
        want, state = init[i].copy(), {}
        for gs in grads:
            if gs[i] is not None:
                want = reference_step(name, case, want, gs[i], state, lrs[i])
        np.testing.assert_allclose(p.detach().numpy(), want, rtol=1e-10, atol=1e-12)
        if gs and init[i].size and any(g[i] is not None for g in grads):
            assert not np.array_equal(p.detach().numpy(), init[i]), "the step did not move the params"


@pytest.mark.parametrize("name, case", ALL_CASES, ids=case_id)
def test_matches_torch(name, case):
    torch = pytest.importorskip("torch")
    init, grads = schedule(STEPS, SHAPES)
    params, opt = run_hayabusa(name, case, init, grads, hb.float32)
    tparams = [torch.nn.Parameter(torch.tensor(a, dtype=torch.float32)) for a in init]
    topt = getattr(torch.optim, name)(make_groups(tparams), **case)
    for gs in grads:
        for p, g in zip(tparams, gs):
            p.grad = None if g is None else torch.tensor(g, dtype=torch.float32)
        topt.step()
    for p, q in zip(params, tparams):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=2e-5, atol=2e-6)
    # the same state, key for key, dtype for dtype
    ours, theirs = opt.state_dict(), topt.state_dict()
    assert ours["param_groups"] == [{k: v for k, v in g.items()} for g in theirs["param_groups"]]
    assert list(ours["state"]) == list(theirs["state"])
    for i, state in theirs["state"].items():
        assert list(ours["state"][i]) == list(state)
        for key, value in state.items():
            mine = ours["state"][i][key]
            assert str(mine.dtype).split(".")[1] == str(value.dtype).split(".")[1] and mine.shape == value.shape
            np.testing.assert_allclose(mine.numpy(), value.numpy(), rtol=2e-5, atol=2e-6)


OPTIONS = {name: cases[-1] for name, cases in CASES.items()}   # each optimizer with its options on


@pytest.mark.parametrize("name", list(OPTIONS))
def test_state_dict_resumes_bit_for_bit(name):
    init, grads = schedule(8, SHAPES, seed=5)
    straight, _ = run_hayabusa(name, OPTIONS[name], init, grads, hb.float32)
    first, opt = run_hayabusa(name, OPTIONS[name], init, grads[:4], hb.float32)
    saved = opt.state_dict()
    resumed = [hb.nn.Parameter(p.detach().clone()) for p in first]
    fresh = getattr(hb.optim, name)(make_groups(resumed), **{**OPTIONS[name], "lr": 123.0})
    fresh.load_state_dict(saved)
    for p in first:             # the first run goes on too: the loaded state must not alias its state
        p.grad = hb.ones(p.shape)
    opt.step()
    for gs in grads[4:]:
        for p, g in zip(resumed, gs):
            p.grad = None if g is None else hb.tensor(g, dtype=hb.float32)
        fresh.step()
    for p, q in zip(straight, resumed):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    assert fresh.param_groups[0]["lr"] == OPTIONS[name].get("lr", 1.0)


@pytest.mark.parametrize("name", list(OPTIONS))
def test_loads_a_torch_state_dict_and_continues_like_torch(name):
    """A state dict written by torch.optim (tensors converted through numpy) has the structure
    hayabusa's optimizers keep: loaded, the next steps agree with torch's."""
    torch = pytest.importorskip("torch")
    init, grads = schedule(8, SHAPES, seed=2)
    tparams = [torch.nn.Parameter(torch.tensor(a, dtype=torch.float32)) for a in init]
    topt = getattr(torch.optim, name)(make_groups(tparams), **OPTIONS[name])
    for step, gs in enumerate(grads):
        if step == 4:
            params = [hb.nn.Parameter(hb.tensor(p.detach().numpy())) for p in tparams]
            opt = getattr(hb.optim, name)(make_groups(params), **OPTIONS[name])
            opt.load_state_dict(to_hayabusa(topt.state_dict()))
        for i, g in enumerate(gs):
            tparams[i].grad = None if g is None else torch.tensor(g, dtype=torch.float32)
            if step >= 4:
                params[i].grad = None if g is None else hb.tensor(g, dtype=hb.float32)
        topt.step()
        if step >= 4:
            opt.step()
    for p, q in zip(params, tparams):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=2e-5, atol=2e-6)


def to_hayabusa(obj):
    if hasattr(obj, "detach") and hasattr(obj, "numpy"):
        return hb.tensor(obj.detach().numpy())
    if isinstance(obj, dict):
        return {k: to_hayabusa(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_hayabusa(v) for v in obj)
    return obj


@pytest.mark.parametrize("name", list(OPTIONS))
def test_add_param_group_mid_training(name):
    """A group added after some steps starts its own state (Adagrad: from the constructor's
    initial_accumulator_value, as torch) and its own step count."""
    init, grads = schedule(6, [(3, 2), (4,)], seed=9)
    kw = OPTIONS[name]
    a = hb.nn.Parameter(hb.tensor(init[0]))
    b = hb.nn.Parameter(hb.tensor(init[1]))
    opt = getattr(hb.optim, name)([a], **kw)
    for step, gs in enumerate(grads):
        if step == 3:
            opt.add_param_group({"params": [b], "lr": 0.05})
        a.grad = hb.tensor(gs[0] if gs[0] is not None else np.ones(3 * 2).reshape(3, 2))
        if step >= 3:
            b.grad = hb.tensor(gs[1] if gs[1] is not None else np.ones(4))
        opt.step()
    lrs = [kw.get("lr", 1.0), 0.05]
    for i, p in enumerate((a, b)):
        want, state = init[i].copy(), {}
        for step, gs in enumerate(grads):
            if i == 1 and step < 3:
                continue
            g = gs[i] if gs[i] is not None else np.ones(init[i].shape)
            want = reference_step(name, kw, want, g.astype(np.float32).astype(np.float64), state, lrs[i])
        np.testing.assert_allclose(p.detach().numpy(), want, rtol=2e-5, atol=2e-6)
    if "step" in opt.state[b]:
        assert opt.state[b]["step"].item() == 3 and opt.state[a]["step"].item() == 6


BAD = [
    ("SGD", dict(lr=-0.5), "Invalid learning rate: -0.5"),
    ("SGD", dict(lr=0.1, momentum=-1), "Invalid momentum value: -1"),
    ("Adam", dict(eps=-1e-8), "Invalid epsilon value: -1e-08"),
    ("AdamW", dict(betas=(0.9, 1.0)), "Invalid beta parameter at index 1: 1.0"),
    ("Adagrad", dict(lr_decay=-1), "Invalid lr_decay value: -1"),
    ("Adagrad", dict(initial_accumulator_value=-0.1), "Invalid initial_accumulator_value value: -0.1"),
    ("Adagrad", dict(weight_decay=-1e-4), "Invalid weight_decay value: -0.0001"),
    ("Adadelta", dict(rho=1.01), "Invalid rho value: 1.01"),
    ("Adadelta", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("RMSprop", dict(alpha=-0.5), "Invalid alpha value: -0.5"),
    ("RMSprop", dict(momentum=-0.1), "Invalid momentum value: -0.1"),
    ("RMSprop", dict(eps=-1), "Invalid epsilon value: -1"),
    ("Adamax", dict(betas=(-0.1, 0.9)), "Invalid beta parameter at index 0: -0.1"),
    ("NAdam", dict(momentum_decay=-4e-3), "Invalid momentum_decay value: -0.004"),
    ("NAdam", dict(betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
]


@pytest.mark.parametrize("name, kw, message", BAD, ids=[m for _, _, m in BAD])
def test_bad_hyperparameters(name, kw, message):
    with pytest.raises(ValueError) as got:
        getattr(hb.optim, name)([hb.nn.Parameter(hb.zeros(2))], **kw)
    assert str(got.value) == message


@pytest.mark.parametrize("name, kw, message", BAD, ids=[m for _, _, m in BAD])
def test_bad_hyperparameters_like_torch(name, kw, message):
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError) as expected:
        getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(2))], **kw)
    assert str(expected.value) == message


@pytest.mark.parametrize("name", ["Adagrad", "Adadelta", "RMSprop", "Adamax", "NAdam"])
def test_differentiable_is_not_supported(name):
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        getattr(hb.optim, name)([hb.nn.Parameter(hb.zeros(2))], differentiable=True)


@pytest.mark.parametrize("name", list(OPTIONS))
def test_closure_runs_with_grad_enabled_and_returns_the_loss(name):
    w = hb.nn.Parameter(hb.tensor([1.0, -2.0]))
    opt = getattr(hb.optim, name)([w], **OPTIONS[name])

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with hb.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 5.0 and w.grad is not None
    assert not np.array_equal(w.detach().numpy(), [1.0, -2.0])


@pytest.mark.parametrize("name", list(OPTIONS))
def test_default_float64_steps_and_mixed_dtypes(name):
    """Step counters are float64 tensors when that is the default dtype (as torch); parameters of
    two dtypes in one group each get their dtype's update."""
    hb.set_default_dtype(hb.float64)
    a = hb.nn.Parameter(hb.tensor([0.5, -1.0], dtype=hb.float32))
    b = hb.nn.Parameter(hb.tensor([0.5, -1.0], dtype=hb.float64))
    opt = getattr(hb.optim, name)([a, b], **OPTIONS[name])
    a.grad, b.grad = hb.tensor([0.3, 0.2], dtype=hb.float32), hb.tensor([0.3, 0.2], dtype=hb.float64)
    opt.step()
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6)
    if "step" in opt.state[b]:
        assert opt.state[b]["step"].dtype is hb.float64
