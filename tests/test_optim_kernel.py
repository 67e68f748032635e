"""Fused optimizer steps (csrc/kernels/optim.c) against torch.optim and a
numpy reference of the same update, run side by side for many steps."""
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from hayabusa import _C


@pytest.fixture(params=_C.compiled_isas())
def isa(request):
    try:
        _C.set_isa(request.param)
    except RuntimeError as e:
        pytest.skip(f"{request.param}: {e}")
    yield request.param
    _C.set_isa(_C.detect_isa())


# odd shapes, a size-0 and a 0-d one, and one big enough to split across threads
SHAPES = [(3, 5), (7,), (0, 4), (), (2, 3, 1), (130, 300)]
STEPS = 20
TOL = {np.float32: dict(rtol=1e-6, atol=1e-7), np.float64: dict(rtol=1e-12, atol=1e-13)}
# PyTorch on this CPU fuses multiply-adds; the generic loop does not, which
# leaves SGD with momentum an ulp or two of the param's scale off after 20 steps.
TORCH_TOL_GENERIC = {np.float32: dict(rtol=1e-6, atol=2e-6), np.float64: dict(rtol=1e-12, atol=1e-13)}


def make_params(dtype, shapes=SHAPES, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


def make_grads(params, step, seed=1):
    rng = np.random.default_rng((seed, step))
    return [rng.standard_normal(p.shape).astype(p.dtype) for p in params]


# --- numpy references: torch.optim's single-tensor code, op for op, in the param dtype ---

def fma(a, b, c):
    """a * b + c rounded once, as PyTorch's vectorized add-with-alpha and lerp
    compute it on an FMA CPU (and our avx2/avx512 loops do); float32 goes
    through float64, where a * b is exact. The generic loop has no FMA and
    rounds twice, like PyTorch's portable build."""
    if _C.get_isa() == "generic":
        return a * b + c
    if np.result_type(a, b, c) == np.float32:
        return (np.float64(1) * a * b + c).astype(np.float32)
    return a * b + c


def sgd_reference(params, grads, bufs, lr, momentum, dampening, nesterov, weight_decay, maximize, first_step):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            g = fma(p, dt(weight_decay), g)
        if momentum != 0:
            if first_step:
                bufs[i][...] = g
            else:
                bufs[i][...] = fma(g, dt(1 - dampening), bufs[i] * dt(momentum))
            g = fma(bufs[i], dt(momentum), g) if nesterov else bufs[i]
        p[...] = fma(g, dt(-lr), p)


def adam_reference(params, grads, ms, vs, maxs, steps, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize,
                   decoupled):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            if decoupled:
                p[...] = p * dt(1 - lr * weight_decay)
            else:
                g = fma(p, dt(weight_decay), g)
        w = dt(1 - beta1)   # torch.lerp picks its form by the weight
        ms[i][...] = fma(w, g - ms[i], ms[i]) if abs(w) < 0.5 else fma(w - dt(1), g - ms[i], g)
        vs[i][...] = vs[i] * dt(beta2)
        vs[i][...] = fma(dt(1 - beta2) * g, g, vs[i])   # addcmul_: PyTorch's build contracts it
        step = steps[i]
        bias_correction1 = 1 - beta1 ** step
        bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
        v = vs[i]
        if amsgrad:
            np.maximum(maxs[i], vs[i], out=maxs[i])
            v = maxs[i]
        denom = np.sqrt(v) / dt(bias_correction2_sqrt) + dt(eps)
        p[...] = p + dt(-(lr / bias_correction1)) * ms[i] / denom


SGD_CASES = [
    dict(momentum=m, dampening=d, nesterov=n, weight_decay=wd, maximize=mx)
    for m, d, n, wd, mx in itertools.product([0.0, 0.9], [0.0, 0.3], [False, True], [0.0, 0.01], [False, True])
    if not (n and (m == 0 or d != 0))
]
ADAM_CASES = [
    dict(amsgrad=a, maximize=mx, weight_decay=wd, decoupled=dc, beta1=b1)
    for a, mx, wd, dc, b1 in itertools.product([False, True], [False, True], [0.0, 0.1], [False, True], [0.9, 0.3])
    if not (dc and wd == 0)
]


def case_id(case):
    return ",".join(f"{k}={v}" for k, v in case.items())


def run_sgd(params, grads_at, case, lr, steps=STEPS, reference=False):
    bufs = [np.zeros_like(p) for p in params] if case["momentum"] else None
    for step in range(steps):
        args = (params, grads_at(step), bufs, lr, case["momentum"], case["dampening"], case["nesterov"],
                case["weight_decay"], case["maximize"], step == 0)
        (sgd_reference if reference else _C.sgd_step)(*args)
    return bufs


def run_adam(params, grads_at, case, lr, steps=STEPS, reference=False, beta2=0.999, eps=1e-8):
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    maxs = [np.zeros_like(p) for p in params] if case["amsgrad"] else None
    for step in range(1, steps + 1):
        args = (params, grads_at(step), ms, vs, maxs, [step] * len(params), lr, case["beta1"], beta2, eps,
                case["weight_decay"], case["amsgrad"], case["maximize"], case["decoupled"])
        (adam_reference if reference else _C.adam_step)(*args)
    return ms, vs, maxs


def assert_close(got, want, dtype, tol=TOL):
    for a, b in zip(got, want):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, **tol[dtype])


def torch_tol():
    return TORCH_TOL_GENERIC if _C.get_isa() == "generic" else TOL


# --- against torch ---

def torch_params(params):
    torch = pytest.importorskip("torch")
    return [torch.nn.Parameter(torch.from_numpy(p.copy())) for p in params]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", SGD_CASES, ids=case_id)
def test_sgd_matches_torch(isa, dtype, case):
    torch = pytest.importorskip("torch")
    params = make_params(dtype)
    tparams = torch_params(params)
    opt = torch.optim.SGD(tparams, lr=0.05, momentum=case["momentum"], dampening=case["dampening"],
                          nesterov=case["nesterov"], weight_decay=case["weight_decay"], maximize=case["maximize"])
    bufs = [np.zeros_like(p) for p in params] if case["momentum"] else None
    for step in range(STEPS):
        grads = make_grads(params, step)
        grads_before = [g.copy() for g in grads]
        for tp, g in zip(tparams, grads):
            tp.grad = torch.from_numpy(g.copy())
        opt.step()
        _C.sgd_step(params, grads, bufs, 0.05, case["momentum"], case["dampening"], case["nesterov"],
                    case["weight_decay"], case["maximize"], step == 0)
        assert all((g == b).all() for g, b in zip(grads, grads_before)), "grads were modified"
    assert_close(params, [tp.detach().numpy() for tp in tparams], dtype, torch_tol())
    if bufs is not None:
        assert_close(bufs, [opt.state[tp]["momentum_buffer"].numpy() for tp in tparams], dtype, torch_tol())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", ADAM_CASES, ids=case_id)
def test_adam_matches_torch(isa, dtype, case):
    torch = pytest.importorskip("torch")
    params = make_params(dtype)
    tparams = torch_params(params)
    cls = torch.optim.AdamW if case["decoupled"] else torch.optim.Adam
    opt = cls(tparams, lr=0.01, betas=(case["beta1"], 0.999), eps=1e-8, weight_decay=case["weight_decay"],
              amsgrad=case["amsgrad"], maximize=case["maximize"], foreach=False)
    ms = [np.zeros_like(p) for p in params]
    vs = [np.zeros_like(p) for p in params]
    maxs = [np.zeros_like(p) for p in params] if case["amsgrad"] else None
    for step in range(1, STEPS + 1):
        grads = make_grads(params, step)
        for tp, g in zip(tparams, grads):
            tp.grad = torch.from_numpy(g.copy())
        opt.step()
        _C.adam_step(params, grads, ms, vs, maxs, [step] * len(params), 0.01, case["beta1"], 0.999, 1e-8,
                     case["weight_decay"], case["amsgrad"], case["maximize"], case["decoupled"])
    state = [opt.state[tp] for tp in tparams]
    assert_close(params, [tp.detach().numpy() for tp in tparams], dtype, torch_tol())
    assert_close(ms, [s["exp_avg"].numpy() for s in state], dtype, torch_tol())
    assert_close(vs, [s["exp_avg_sq"].numpy() for s in state], dtype, torch_tol())
    if maxs is not None:
        assert_close(maxs, [s["max_exp_avg_sq"].numpy() for s in state], dtype, torch_tol())


def test_adam_per_parameter_steps_match_torch(isa):
    """Parameters can be at different step counts (one joined the optimizer later)."""
    torch = pytest.importorskip("torch")
    params = make_params(np.float32, [(4, 3), (5,)])
    tparams = torch_params(params)
    opt = torch.optim.Adam(tparams[:1], lr=0.01, foreach=False)
    ms, vs = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
    steps = [0, 0]
    for step in range(10):
        if step == 4:
            opt.add_param_group({"params": tparams[1:]})
        active = [0] if step < 4 else [0, 1]
        grads = make_grads(params, step)
        for i in active:
            tparams[i].grad = torch.from_numpy(grads[i].copy())
            steps[i] += 1
        opt.step()
        _C.adam_step([params[i] for i in active], [grads[i] for i in active], [ms[i] for i in active],
                     [vs[i] for i in active], None, [steps[i] for i in active], 0.01, 0.9, 0.999, 1e-8, 0.0,
                     False, False, False)
    assert_close(params, [tp.detach().numpy() for tp in tparams], np.float32)


# --- against the numpy reference (runs without torch) ---

@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", SGD_CASES, ids=case_id)
def test_sgd_matches_numpy_reference(isa, dtype, case):
    got, want = make_params(dtype), make_params(dtype)
    got_bufs = run_sgd(got, lambda s: make_grads(got, s), case, 0.05)
    want_bufs = run_sgd(want, lambda s: make_grads(want, s), case, 0.05, reference=True)
    assert_close(got, want, dtype)
    if got_bufs is not None:
        assert_close(got_bufs, want_bufs, dtype)
    assert not np.allclose(got[0], make_params(dtype)[0]), "the step did not move the params"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", ADAM_CASES, ids=case_id)
def test_adam_matches_numpy_reference(isa, dtype, case):
    got, want = make_params(dtype), make_params(dtype)
    got_states = run_adam(got, lambda s: make_grads(got, s), case, 0.01)
    want_states = run_adam(want, lambda s: make_grads(want, s), case, 0.01, reference=True)
    assert_close(got, want, dtype)
    for g, w in zip(got_states, want_states):
        if g is not None:
            assert_close(g, w, dtype)
    assert not np.allclose(got[0], make_params(dtype)[0]), "the step did not move the params"


def test_isas_agree():
    """Every ISA's loop gives the same float64 result as the reference (and so as each other)."""
    results = []
    case = dict(amsgrad=True, maximize=False, weight_decay=0.1, decoupled=False, beta1=0.9)
    for name in _C.compiled_isas():
        try:
            _C.set_isa(name)
        except RuntimeError:
            continue
        try:
            params = make_params(np.float64)
            run_adam(params, lambda s: make_grads(params, s), case, 0.01)
            results.append(params)
        finally:
            _C.set_isa(_C.detect_isa())
    for other in results[1:]:
        assert_close(other, results[0], np.float64)


def test_non_contiguous_grads_are_copied(isa):
    params = make_params(np.float32, [(4, 6)])
    want = [p.copy() for p in params]
    base = np.random.default_rng(5).standard_normal((6, 8)).astype(np.float32)
    grad = base[:, :4].T     # (4, 6), not contiguous
    assert not grad.flags.c_contiguous
    _C.sgd_step(params, [grad], None, 0.1, 0.0, 0.0, False, 0.0, False, False)
    sgd_reference(want, [np.ascontiguousarray(grad)], None, 0.1, 0.0, 0.0, False, 0.0, False, False)
    assert_close(params, want, np.float32)


def test_empty_list_is_a_no_op():
    _C.sgd_step([], [], None, 0.1, 0.0, 0.0, False, 0.0, False, True)
    _C.sgd_step([], [], [], 0.1, 0.9, 0.0, False, 0.0, False, True)
    _C.adam_step([], [], [], [], None, [], 0.1, 0.9, 0.999, 1e-8, 0.0, False, False, False)


# --- bad input ---

def sgd(params, grads, bufs=None, **kw):
    args = dict(lr=0.1, momentum=0.9 if bufs is not None else 0.0, dampening=0.0, nesterov=False, weight_decay=0.0,
                maximize=False, first_step=False)
    args.update(kw)
    _C.sgd_step(params, grads, bufs, **args)


def adam(params, grads, ms, vs, maxs=None, steps=None, **kw):
    args = dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=maxs is not None,
                maximize=False, decoupled_weight_decay=False)
    args.update(kw)
    _C.adam_step(params, grads, ms, vs, maxs, [1] * len(params) if steps is None else steps, **args)


def test_bad_lists():
    p, g = np.zeros(3, np.float32), np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="grads has 2 arrays but params has 1"):
        sgd([p], [g, g])
    with pytest.raises(ValueError, match="momentum_buffers has 0 arrays but params has 1"):
        sgd([p], [g], [])
    with pytest.raises(ValueError, match="exp_avg_sqs has 2 arrays but params has 1"):
        adam([p], [g], [g.copy()], [g.copy(), g.copy()])
    with pytest.raises(ValueError, match="steps has 2 entries but params has 1"):
        adam([p], [g], [g.copy()], [g.copy()], steps=[1, 1])
    with pytest.raises(TypeError, match="params must be a list or tuple of numpy.ndarray, got ndarray"):
        sgd(p, [g])
    with pytest.raises(ValueError, match="momentum_buffers must be a list of arrays when momentum is 0.9"):
        sgd([p], [g], None, momentum=0.9)
    with pytest.raises(ValueError, match="momentum_buffers must be None when momentum is 0"):
        sgd([p], [g], [g.copy()], momentum=0.0)
    with pytest.raises(ValueError, match="max_exp_avg_sqs must be a list of arrays when amsgrad is True"):
        adam([p], [g], [g.copy()], [g.copy()], amsgrad=True)
    with pytest.raises(ValueError, match="max_exp_avg_sqs must be None when amsgrad is False"):
        adam([p], [g], [g.copy()], [g.copy()], [g.copy()], amsgrad=False)


def test_bad_arrays():
    p = np.zeros((2, 3), np.float32)
    with pytest.raises(ValueError, match=r"grads\[0\] has shape \(3, 2\) but params\[0\] has shape \(2, 3\)"):
        sgd([p], [np.zeros((3, 2), np.float32)])
    with pytest.raises(TypeError, match=r"grads\[0\] has dtype float64 but params\[0\] has dtype float32"):
        sgd([p], [np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"exp_avgs\[0\] has shape \(6,\) but params\[0\] has shape \(2, 3\)"):
        adam([p], [p.copy()], [np.zeros(6, np.float32)], [p.copy()])
    with pytest.raises(TypeError, match=r"params\[1\] is float64 but params\[0\] is float32"):
        sgd([p, np.zeros(2)], [p.copy(), np.zeros(2)])
    with pytest.raises(TypeError, match=r"params\[0\] must be float32 or float64, got int64"):
        sgd([np.zeros(3, np.int64)], [np.zeros(3, np.int64)])
    with pytest.raises(TypeError, match=r"grads\[0\] must be a numpy.ndarray, got list"):
        sgd([p], [[0.0] * 6])
    read_only = p.copy()
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match=r"params\[0\] is read-only"):
        sgd([read_only], [p.copy()])
    with pytest.raises(ValueError, match=r"exp_avg_sqs\[0\] is read-only"):
        adam([p], [p.copy()], [p.copy()], [read_only])
    with pytest.raises(ValueError, match=r"params\[0\] must be C-contiguous"):
        sgd([np.zeros((3, 2), np.float32).T], [p.copy()])
    with pytest.raises(ValueError, match=r"momentum_buffers\[0\] must be C-contiguous"):
        sgd([p], [p.copy()], [np.zeros((3, 2), np.float32).T])
    with pytest.raises(ValueError, match=r"params\[0\] and exp_avgs\[0\] share memory"):
        adam([p], [p.copy()], [p], [p.copy()])
    with pytest.raises(TypeError, match=r"steps\[0\] must be an int, got float"):
        adam([p], [p.copy()], [p.copy()], [p.copy()], steps=[1.0])
    with pytest.raises(ValueError, match=r"steps\[0\] must be >= 1"):
        adam([p], [p.copy()], [p.copy()], [p.copy()], steps=[0])
    adam([p], [p.copy()], [p.copy()], [p.copy()], steps=[np.int64(3)])   # numpy ints are fine


def test_bad_hyperparameters():
    p, g = np.zeros(3, np.float32), np.zeros(3, np.float32)
    with pytest.raises(ValueError, match="^Invalid learning rate: -1$"):
        sgd([p], [g], lr=-1)
    with pytest.raises(ValueError, match="^Invalid momentum value: -0.5$"):
        sgd([p], [g], [g.copy()], momentum=-0.5)
    with pytest.raises(ValueError, match="^Invalid weight_decay value: -0.1$"):
        adam([p], [g], [g.copy()], [g.copy()], weight_decay=-0.1)
    with pytest.raises(ValueError, match="^Nesterov momentum requires a momentum and zero dampening$"):
        sgd([p], [g], [g.copy()], nesterov=True, dampening=0.1)
    with pytest.raises(ValueError, match="^Invalid epsilon value: -1e-08$"):
        adam([p], [g], [g.copy()], [g.copy()], eps=-1e-8)
    with pytest.raises(ValueError, match="^Invalid beta parameter at index 0: 1$"):
        adam([p], [g], [g.copy()], [g.copy()], beta1=1.0)
    with pytest.raises(ValueError, match="^Invalid beta parameter at index 1: -0.1$"):
        adam([p], [g], [g.copy()], [g.copy()], beta2=-0.1)
    with pytest.raises(ValueError, match="^Invalid learning rate: nan$"):
        adam([p], [g], [g.copy()], [g.copy()], lr=float("nan"))


def test_messages_match_torch():
    """Same text as torch's for the same (whole-number) values; the kernel gets
    doubles, so it prints 1 where torch, given 1.0, would print 1.0."""
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(3))
    for make, call in [
        (lambda: torch.optim.SGD([p], lr=-1), lambda: sgd([np.zeros(3)], [np.zeros(3)], lr=-1)),
        (lambda: torch.optim.Adam([p], betas=(1, 0.999)),
         lambda: adam([np.zeros(3)], [np.zeros(3)], [np.zeros(3)], [np.zeros(3)], beta1=1.0)),
        (lambda: torch.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.5, nesterov=True),
         lambda: sgd([np.zeros(3)], [np.zeros(3)], [np.zeros(3)], nesterov=True, dampening=0.5)),
    ]:
        with pytest.raises(ValueError) as expected:
            make()
        with pytest.raises(ValueError) as got:
            call()
        assert str(got.value) == str(expected.value)


def test_failed_validation_changes_nothing():
    params = make_params(np.float32, [(3,), (4,)])
    before = [p.copy() for p in params]
    with pytest.raises(ValueError):
        sgd(params, [np.zeros(3, np.float32), np.zeros(5, np.float32)], lr=0.5)
    for p, b in zip(params, before):
        np.testing.assert_array_equal(p, b)


# --- fuzz ---

shapes = st.lists(st.lists(st.integers(0, 6), max_size=3).map(tuple), min_size=1, max_size=5)


@settings(max_examples=50, deadline=None)
@given(shapes=shapes, dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**32 - 1),
       sgd_case=st.sampled_from(SGD_CASES), adam_case=st.sampled_from(ADAM_CASES),
       lr=st.floats(1e-4, 1.0), scale=st.floats(1e-3, 1e3))
def test_fuzz_against_reference(shapes, dtype, seed, sgd_case, adam_case, lr, scale):
    def grads_at(params):
        return lambda s: [np.asarray(g * dtype(scale)) for g in make_grads(params, s, seed)]
    got, want = make_params(dtype, shapes, seed), make_params(dtype, shapes, seed)
    run_sgd(got, grads_at(got), sgd_case, lr, steps=3)
    run_sgd(want, grads_at(want), sgd_case, lr, steps=3, reference=True)
    assert_close(got, want, dtype)
    got_states = run_adam(got, grads_at(got), adam_case, lr, steps=3)
    want_states = run_adam(want, grads_at(want), adam_case, lr, steps=3, reference=True)
    assert_close(got, want, dtype)
    for g, w in zip(got_states, want_states):
        if g is not None:
            assert_close(g, w, dtype)


# --- Adagrad, Adadelta, RMSprop, Adamax, NAdam ---
# Each has a numpy reference (torch.optim's single-tensor code, op for op, in
# the param dtype), a runner for the kernel and the reference, and the
# torch.optim class with the same options.

def torch_lerp(start, end, w):
    return fma(w, end - start, start) if abs(w) < 0.5 else fma(w - type(w)(1), end - start, end)


def adagrad_reference(params, grads, sums, steps, lr, lr_decay, weight_decay, eps, maximize):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            g = fma(p, dt(weight_decay), g)
        sums[i][...] = fma(g, g, sums[i])
        clr = lr / (1 + (steps[i] - 1) * lr_decay)
        p[...] = p + dt(-clr) * g / (np.sqrt(sums[i]) + dt(eps))


def adadelta_reference(params, grads, square_avgs, acc_deltas, lr, rho, eps, weight_decay, maximize):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            g = fma(p, dt(weight_decay), g)
        square_avgs[i][...] = fma(dt(1 - rho) * g, g, square_avgs[i] * dt(rho))
        std = np.sqrt(square_avgs[i] + dt(eps))
        delta = np.sqrt(acc_deltas[i] + dt(eps)) / std * g
        acc_deltas[i][...] = fma(dt(1 - rho) * delta, delta, acc_deltas[i] * dt(rho))
        p[...] = fma(delta, dt(-lr), p)


def rmsprop_reference(params, grads, square_avgs, grad_avgs, bufs, lr, alpha, eps, weight_decay, momentum,
                      centered, maximize):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            g = fma(p, dt(weight_decay), g)
        square_avgs[i][...] = fma(dt(1 - alpha) * g, g, square_avgs[i] * dt(alpha))
        if centered:
            grad_avgs[i][...] = torch_lerp(grad_avgs[i], g, dt(1 - alpha))
            avg = np.sqrt(fma(-grad_avgs[i], grad_avgs[i], square_avgs[i]))
        else:
            avg = np.sqrt(square_avgs[i])
        avg = avg + dt(eps)
        if momentum > 0:
            bufs[i][...] = bufs[i] * dt(momentum) + g / avg
            p[...] = fma(bufs[i], dt(-lr), p)
        else:
            p[...] = p + dt(-lr) * g / avg


def adamax_reference(params, grads, exp_avgs, exp_infs, steps, lr, beta1, beta2, eps, weight_decay, maximize):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            g = fma(p, dt(weight_decay), g)
        exp_avgs[i][...] = torch_lerp(exp_avgs[i], g, dt(1 - beta1))
        exp_infs[i][...] = np.maximum(exp_infs[i] * dt(beta2), np.abs(g) + dt(eps))
        clr = lr / (1 - beta1 ** steps[i])
        p[...] = p + dt(-clr) * exp_avgs[i] / exp_infs[i]


def nadam_mu(beta1, momentum_decay, step):
    return beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))


def nadam_reference(params, grads, exp_avgs, exp_avg_sqs, steps, mu_products, lr, beta1, beta2, eps, weight_decay,
                    momentum_decay, decoupled, maximize):
    for i, (p, g) in enumerate(zip(params, grads)):
        dt = p.dtype.type
        g = -g if maximize else g
        if weight_decay != 0:
            if decoupled:
                p[...] = p * dt(1 - lr * weight_decay)
            else:
                g = fma(p, dt(weight_decay), g)
        mu, mu_next = nadam_mu(beta1, momentum_decay, steps[i]), nadam_mu(beta1, momentum_decay, steps[i] + 1)
        exp_avgs[i][...] = torch_lerp(exp_avgs[i], g, dt(1 - beta1))
        exp_avg_sqs[i][...] = fma(dt(1 - beta2) * g, g, exp_avg_sqs[i] * dt(beta2))
        denom = np.sqrt(exp_avg_sqs[i] / dt(1 - beta2 ** steps[i])) + dt(eps)
        p[...] = p + dt(-lr * (1.0 - mu) / (1.0 - mu_products[i])) * g / denom
        p[...] = p + dt((-lr * mu_next) / (1.0 - mu_products[i] * mu_next)) * exp_avgs[i] / denom


class Adaptive:
    """One optimizer's kernel, reference, state names and torch class, driven step by step."""

    def __init__(self, name, kernel, reference, state_names, torch_name, torch_state, options):
        self.name, self.kernel, self.reference = name, kernel, reference
        self.state_names, self.torch_name, self.torch_state, self.options = (
            state_names, torch_name, torch_state, options)

    def states(self, params, case):
        return {n: [np.zeros_like(p) for p in params] if present(case) else None
                for n, present in self.state_names.items()}

    def step(self, params, grads, states, step, case, lr, reference=False):
        fn = self.reference if reference else self.kernel
        fn(params, grads, *self.arguments(params, states, step, case, lr))

    def arguments(self, params, states, step, case, lr):
        count = len(params)
        lists = [states[n] for n in self.state_names]
        if self.name == "adagrad":
            return (*lists, [step] * count, lr, case["lr_decay"], case["weight_decay"], 1e-10, case["maximize"])
        if self.name == "adadelta":
            return (*lists, lr, case["rho"], 1e-6, case["weight_decay"], case["maximize"])
        if self.name == "rmsprop":
            return (*lists, lr, case["alpha"], 1e-8, case["weight_decay"], case["momentum"], case["centered"],
                    case["maximize"])
        if self.name == "adamax":
            return (*lists, [step] * count, lr, case["beta1"], 0.999, 1e-8, case["weight_decay"], case["maximize"])
        # torch keeps NAdam's mu_product in a float32 tensor (the default scalar dtype)
        product = np.float32(1)
        for t in range(1, step + 1):
            product = product * np.float32(nadam_mu(case["beta1"], case["momentum_decay"], t))
        return (*lists, [step] * count, [float(product)] * count, lr, case["beta1"], 0.999, 1e-8,
                case["weight_decay"], case["momentum_decay"], case["decoupled"], case["maximize"])

    def torch_optimizer(self, torch, tparams, case, lr):
        kw = {k: v for k, v in case.items() if k not in ("beta1", "decoupled")}
        if "beta1" in case:
            kw["betas"] = (case["beta1"], 0.999)
        if "decoupled" in case:
            kw["decoupled_weight_decay"] = case["decoupled"]
        return getattr(torch.optim, self.torch_name)(tparams, lr=lr, foreach=False, **kw)


ALWAYS = lambda case: True  # noqa: E731
ADAPTIVE = {
    "adagrad": Adaptive("adagrad", _C.adagrad_step, adagrad_reference, {"state_sums": ALWAYS}, "Adagrad",
                        {"state_sums": "sum"},
                        [dict(lr_decay=ld, weight_decay=wd, maximize=mx)
                         for ld, wd, mx in [(0.0, 0.0, False), (0.05, 0.1, True), (0.0, 0.1, False)]]),
    "adadelta": Adaptive("adadelta", _C.adadelta_step, adadelta_reference,
                         {"square_avgs": ALWAYS, "acc_deltas": ALWAYS}, "Adadelta",
                         {"square_avgs": "square_avg", "acc_deltas": "acc_delta"},
                         [dict(rho=r, weight_decay=wd, maximize=mx)
                          for r, wd, mx in [(0.9, 0.0, False), (0.5, 0.1, True), (0.99, 0.1, False)]]),
    "rmsprop": Adaptive("rmsprop", _C.rmsprop_step, rmsprop_reference,
                        {"square_avgs": ALWAYS, "grad_avgs": lambda c: c["centered"],
                         "momentum_buffers": lambda c: c["momentum"] > 0}, "RMSprop",
                        {"square_avgs": "square_avg", "grad_avgs": "grad_avg", "momentum_buffers": "momentum_buffer"},
                        [dict(alpha=a, weight_decay=wd, momentum=m, centered=c, maximize=mx)
                         for a, wd, m, c, mx in [(0.99, 0.0, 0.0, False, False), (0.99, 0.0, 0.9, False, True),
                                                 (0.99, 0.1, 0.0, True, False), (0.3, 0.1, 0.9, True, True),
                                                 (0.3, 0.0, 0.9, True, False), (0.99, 0.1, 0.9, False, False)]]),
    "adamax": Adaptive("adamax", _C.adamax_step, adamax_reference, {"exp_avgs": ALWAYS, "exp_infs": ALWAYS},
                       "Adamax", {"exp_avgs": "exp_avg", "exp_infs": "exp_inf"},
                       [dict(beta1=b1, weight_decay=wd, maximize=mx)
                        for b1, wd, mx in [(0.9, 0.0, False), (0.3, 0.1, True), (0.9, 0.1, True)]]),
    "nadam": Adaptive("nadam", _C.nadam_step, nadam_reference, {"exp_avgs": ALWAYS, "exp_avg_sqs": ALWAYS},
                      "NAdam", {"exp_avgs": "exp_avg", "exp_avg_sqs": "exp_avg_sq"},
                      [dict(beta1=b1, weight_decay=wd, momentum_decay=md, decoupled=dc, maximize=mx)
                       for b1, wd, md, dc, mx in [(0.9, 0.0, 4e-3, False, False), (0.3, 0.1, 4e-3, False, True),
                                                  (0.9, 0.1, 0.1, True, False), (0.9, 0.1, 0.0, True, True)]]),
}
ADAPTIVE_CASES = [(name, case) for name, opt in ADAPTIVE.items() for case in opt.options]


def adaptive_id(value):
    return value if isinstance(value, str) else case_id(value)


def run_adaptive(opt, params, grads_at, case, lr, steps=STEPS, reference=False):
    states = opt.states(params, case)
    for step in range(1, steps + 1):
        opt.step(params, grads_at(step), states, step, case, lr, reference)
    return states


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, case", ADAPTIVE_CASES, ids=adaptive_id)
def test_adaptive_matches_numpy_reference(isa, dtype, name, case):
    opt = ADAPTIVE[name]
    got, want = make_params(dtype), make_params(dtype)
    got_states = run_adaptive(opt, got, lambda s: make_grads(got, s), case, 0.01)
    want_states = run_adaptive(opt, want, lambda s: make_grads(want, s), case, 0.01, reference=True)
    assert_close(got, want, dtype)
    for n in opt.state_names:
        if got_states[n] is not None:
            assert_close(got_states[n], want_states[n], dtype)
    assert not np.allclose(got[0], make_params(dtype)[0]), "the step did not move the params"


# Against torch: the kernels are exact where torch's sqrt (MKL) is off by an
# ulp, and RMSprop's first steps (g / sqrt(g * g * (1 - alpha))) magnify
# that, so the results are compared relative to the parameters' scale.
TORCH_SCALED_TOL = {"rmsprop": {np.float32: 2e-5, np.float64: 1e-13}}
TORCH_SCALED_TOL_DEFAULT = {np.float32: 5e-7, np.float64: 1e-15}


def assert_close_scaled(got, want, dtype, rel):
    for a, b in zip(got, want):
        assert a.shape == b.shape and a.dtype == b.dtype
        if b.size:
            np.testing.assert_allclose(a, b, rtol=0, atol=rel * max(1.0, float(np.max(np.abs(b)))))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, case", ADAPTIVE_CASES, ids=adaptive_id)
def test_adaptive_matches_torch(dtype, name, case):
    torch = pytest.importorskip("torch")
    opt = ADAPTIVE[name]
    # without the big shape: torch's own threads stall on a busy machine, and the numpy reference
    # tests cover the split across threads
    params = make_params(dtype, SHAPES[:-1])
    tparams = torch_params(params)
    topt = opt.torch_optimizer(torch, tparams, case, 0.01)
    states = opt.states(params, case)
    for step in range(1, STEPS + 1):
        grads = make_grads(params, step)
        grads_before = [g.copy() for g in grads]
        for tp, g in zip(tparams, grads):
            tp.grad = torch.from_numpy(g.copy())
        topt.step()
        opt.step(params, grads, states, step, case, 0.01)
        assert all((g == b).all() for g, b in zip(grads, grads_before)), "grads were modified"
    rel = TORCH_SCALED_TOL.get(name, TORCH_SCALED_TOL_DEFAULT)[dtype]
    assert_close_scaled(params, [tp.detach().numpy() for tp in tparams], dtype, rel)
    for n, key in opt.torch_state.items():
        if states[n] is not None:
            assert_close_scaled(states[n], [topt.state[tp][key].numpy() for tp in tparams], dtype, rel)


@pytest.mark.parametrize("name, case", ADAPTIVE_CASES, ids=adaptive_id)
def test_adaptive_reference_is_torchs_order_of_operations(name, case, monkeypatch):
    """Given torch's own sqrt, the numpy reference (which the kernels match
    on every ISA) reproduces torch.optim bit for bit in float32: the same
    operations in the same order, rounded the same way. (In float64 the
    reference's fma is not exact: numpy has none.)"""
    dtype = np.float32
    torch = pytest.importorskip("torch")
    if _C.get_isa() == "generic" or torch.backends.cpu.get_cpu_capability() not in ("AVX2", "AVX512"):
        pytest.skip("the bit-exact comparison needs FMA on both sides")
    opt = ADAPTIVE[name]
    params = make_params(dtype, SHAPES[:-1])
    tparams = torch_params(params)
    topt = opt.torch_optimizer(torch, tparams, case, 0.01)
    states = opt.states(params, case)
    monkeypatch.setattr(np, "sqrt", lambda x: torch.from_numpy(np.ascontiguousarray(x)).sqrt().numpy())
    for step in range(1, STEPS + 1):
        grads = make_grads(params, step)
        for tp, g in zip(tparams, grads):
            tp.grad = torch.from_numpy(g.copy())
        topt.step()
        opt.step(params, grads, states, step, case, 0.01, reference=True)
    for p, tp in zip(params, tparams):
        np.testing.assert_array_equal(p, tp.detach().numpy())


def test_adaptive_per_parameter_steps():
    """Parameters at different step counts get their own bias corrections (Adamax, NAdam) and decayed
    learning rates (Adagrad): one call with mixed steps equals one call per parameter."""
    for name in ("adagrad", "adamax", "nadam"):
        opt = ADAPTIVE[name]
        case = opt.options[1]
        together, apart = make_params(np.float64, [(4, 3), (5,)]), make_params(np.float64, [(4, 3), (5,)])
        grads = make_grads(together, 0)
        s_together, s_apart = opt.states(together, case), opt.states(apart, case)
        args = [opt.arguments([p], {n: [v[i]] for n, v in s_apart.items()}, 3 + 4 * i, case, 0.05)
                for i, p in enumerate(apart)]
        for i, p in enumerate(apart):
            opt.kernel([p], [grads[i]], *args[i])
        steps = [3, 7]
        merged = list(opt.arguments(together, s_together, 1, case, 0.05))
        lists = len(opt.state_names)
        merged[lists] = steps
        if name == "nadam":
            merged[lists + 1] = [args[0][lists + 1][0], args[1][lists + 1][0]]
        opt.kernel(together, grads, *merged)
        assert_close(together, apart, np.float64)


def test_adaptive_nan_propagates_like_torch():
    """A NaN gradient makes Adamax's infinity norm NaN (torch.maximum lets NaN win)."""
    p, g = np.ones(3, np.float32), np.array([1.0, np.nan, -2.0], np.float32)
    m, u = np.zeros(3, np.float32), np.zeros(3, np.float32)
    _C.adamax_step([p], [g], [m], [u], [1], 0.1, 0.9, 0.999, 1e-8, 0.0, False)
    assert np.isnan(u[1]) and np.isnan(p[1]) and np.isfinite(p[[0, 2]]).all()


def test_adaptive_bad_input():
    p, g = np.zeros(3, np.float32), np.zeros(3, np.float32)
    z = lambda: np.zeros(3, np.float32)  # noqa: E731
    with pytest.raises(ValueError, match="grad_avgs must be a list of arrays when centered is True"):
        _C.rmsprop_step([p], [g], [z()], None, None, 0.1, 0.99, 1e-8, 0.0, 0.0, True, False)
    with pytest.raises(ValueError, match="momentum_buffers must be None unless momentum > 0"):
        _C.rmsprop_step([p], [g], [z()], None, [z()], 0.1, 0.99, 1e-8, 0.0, 0.0, False, False)
    with pytest.raises(ValueError, match="state_sums has 2 arrays but params has 1"):
        _C.adagrad_step([p], [g], [z(), z()], [1], 0.1, 0.0, 0.0, 1e-10, False)
    with pytest.raises(ValueError, match=r"acc_deltas\[0\] has shape \(4,\) but params\[0\] has shape \(3,\)"):
        _C.adadelta_step([p], [g], [z()], [np.zeros(4, np.float32)], 1.0, 0.9, 1e-6, 0.0, False)
    with pytest.raises(TypeError, match=r"exp_infs\[0\] has dtype float64 but params\[0\] has dtype float32"):
        _C.adamax_step([p], [g], [z()], [np.zeros(3)], [1], 0.1, 0.9, 0.999, 1e-8, 0.0, False)
    with pytest.raises(ValueError, match=r"params\[0\] and exp_avg_sqs\[0\] share memory"):
        _C.nadam_step([p], [g], [z()], [p], [1], [0.5], 0.1, 0.9, 0.999, 1e-8, 0.0, 4e-3, False, False)
    read_only = z()
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match=r"square_avgs\[0\] is read-only"):
        _C.rmsprop_step([p], [g], [read_only], None, None, 0.1, 0.99, 1e-8, 0.0, 0.0, False, False)
    with pytest.raises(ValueError, match=r"steps\[0\] must be >= 1"):
        _C.adagrad_step([p], [g], [z()], [0], 0.1, 0.0, 0.0, 1e-10, False)
    with pytest.raises(ValueError, match="steps has 0 entries but params has 1"):
        _C.adamax_step([p], [g], [z()], [z()], [], 0.1, 0.9, 0.999, 1e-8, 0.0, False)
    with pytest.raises(ValueError, match=r"mu_products\[0\] must be in \[0, 1\), got 1.0"):
        _C.nadam_step([p], [g], [z()], [z()], [1], [1.0], 0.1, 0.9, 0.999, 1e-8, 0.0, 4e-3, False, False)
    with pytest.raises(TypeError, match=r"mu_products\[0\] must be a float, got str"):
        _C.nadam_step([p], [g], [z()], [z()], [1], ["x"], 0.1, 0.9, 0.999, 1e-8, 0.0, 4e-3, False, False)
    with pytest.raises(ValueError, match="mu_products has 2 entries but params has 1"):
        _C.nadam_step([p], [g], [z()], [z()], [1], [0.5, 0.5], 0.1, 0.9, 0.999, 1e-8, 0.0, 4e-3, False, False)
    _C.adagrad_step([], [], [], [], 0.1, 0.0, 0.0, 1e-10, False)   # an empty list is a no-op


ADAPTIVE_BAD_HYPERPARAMETERS = [
    ("Adagrad", dict(lr_decay=-0.5), lambda p, g, z: _C.adagrad_step([p], [g], [z()], [1], 0.1, -0.5, 0.0, 1e-10, False)),
    ("Adagrad", dict(eps=-1), lambda p, g, z: _C.adagrad_step([p], [g], [z()], [1], 0.1, 0.0, 0.0, -1.0, False)),
    ("Adadelta", dict(rho=1.5), lambda p, g, z: _C.adadelta_step([p], [g], [z()], [z()], 1.0, 1.5, 1e-6, 0.0, False)),
    ("Adadelta", dict(lr=-2), lambda p, g, z: _C.adadelta_step([p], [g], [z()], [z()], -2.0, 0.9, 1e-6, 0.0, False)),
    ("RMSprop", dict(alpha=-0.1), lambda p, g, z: _C.rmsprop_step([p], [g], [z()], None, None, 0.1, -0.1, 1e-8,
                                                                    0.0, 0.0, False, False)),
    ("RMSprop", dict(momentum=-1), lambda p, g, z: _C.rmsprop_step([p], [g], [z()], None, None, 0.1, 0.99, 1e-8,
                                                                     0.0, -1.0, False, False)),
    ("Adamax", dict(betas=(0.9, 1)), lambda p, g, z: _C.adamax_step([p], [g], [z()], [z()], [1], 0.1, 0.9, 1.0,
                                                                      1e-8, 0.0, False)),
    ("NAdam", dict(momentum_decay=-0.25), lambda p, g, z: _C.nadam_step([p], [g], [z()], [z()], [1], [0.5], 0.1,
                                                                          0.9, 0.999, 1e-8, 0.0, -0.25, False,
                                                                          False)),
    ("NAdam", dict(weight_decay=-3), lambda p, g, z: _C.nadam_step([p], [g], [z()], [z()], [1], [0.5], 0.1, 0.9,
                                                                     0.999, 1e-8, -3.0, 4e-3, False, False)),
]
ADAPTIVE_MESSAGES = ["Invalid lr_decay value: -0.5", "Invalid epsilon value: -1", "Invalid rho value: 1.5",
                     "Invalid learning rate: -2", "Invalid alpha value: -0.1", "Invalid momentum value: -1",
                     "Invalid beta parameter at index 1: 1", "Invalid momentum_decay value: -0.25",
                     "Invalid weight_decay value: -3"]


@pytest.mark.parametrize("bad, message", zip(ADAPTIVE_BAD_HYPERPARAMETERS, ADAPTIVE_MESSAGES),
                         ids=ADAPTIVE_MESSAGES)
def test_adaptive_bad_hyperparameters(bad, message):
    _, _, call = bad
    with pytest.raises(ValueError) as got:
        call(np.zeros(3, np.float32), np.zeros(3, np.float32), lambda: np.zeros(3, np.float32))
    assert str(got.value) == message


@pytest.mark.parametrize("bad", ADAPTIVE_BAD_HYPERPARAMETERS, ids=lambda b: f"{b[0]}-{b[1]}")
def test_adaptive_messages_match_torch(bad):
    """Same text as torch's when torch gets the same whole numbers as ints (the kernel gets doubles)."""
    torch = pytest.importorskip("torch")
    name, kw, call = bad
    with pytest.raises(ValueError) as expected:
        getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(3))], **kw)
    with pytest.raises(ValueError) as got:
        call(np.zeros(3, np.float32), np.zeros(3, np.float32), lambda: np.zeros(3, np.float32))
    assert str(got.value) == str(expected.value)


@settings(max_examples=30, deadline=None)
@given(shapes=shapes, dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2**32 - 1),
       which=st.sampled_from(ADAPTIVE_CASES), lr=st.floats(1e-4, 1.0), scale=st.floats(1e-3, 1e3))
def test_fuzz_adaptive_against_reference(shapes, dtype, seed, which, lr, scale):
    name, case = which

    def grads_at(params):
        return lambda s: [np.asarray(g * dtype(scale)) for g in make_grads(params, s, seed)]
    got, want = make_params(dtype, shapes, seed), make_params(dtype, shapes, seed)
    got_states = run_adaptive(ADAPTIVE[name], got, grads_at(got), case, lr, steps=3)
    want_states = run_adaptive(ADAPTIVE[name], want, grads_at(want), case, lr, steps=3, reference=True)
    assert_close(got, want, dtype)
    for n in got_states:
        if got_states[n] is not None:
            assert_close(got_states[n], want_states[n], dtype)
