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
        vs[i][...] = vs[i] + dt(1 - beta2) * g * g
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
