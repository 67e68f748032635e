"""optim.lr_scheduler: learning rates as PyTorch computes them (recorded values and torch itself),
closed forms, resuming, state dicts, warnings and errors."""
import math
import random
import warnings

import pytest

import hayabusa as hb

# torch 2.13's get_last_lr()[0] after construction and after each of 12 steps (SGD, lr=0.1)
RECORDED = {
    "StepLR": (dict(step_size=3, gamma=0.5), {},
               [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.00625]),
    "MultiStepLR": (dict(milestones=[2, 5, 5, 9], gamma=0.3), {},
                    [0.1, 0.1, 0.03, 0.03, 0.03, 0.0026999999999999997, 0.0026999999999999997,
                     0.0026999999999999997, 0.0026999999999999997, 0.0008099999999999998, 0.0008099999999999998,
                     0.0008099999999999998, 0.0008099999999999998]),
    "ExponentialLR": (dict(gamma=0.9), {},
                      [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002,
                       0.05904900000000002, 0.05314410000000002, 0.04782969000000002, 0.043046721000000024,
                       0.03874204890000002, 0.03486784401000002, 0.03138105960900001, 0.028242953648100012]),
    "CosineAnnealingLR": (dict(T_max=5, eta_min=0.001), {},
                          [0.1, 0.0905463412215599, 0.06579634122155989, 0.035203658778440096, 0.010453658778440105,
                           0.001, 0.010453658778440102, 0.03520365877844012, 0.06579634122155993,
                           0.09054634122155995, 0.10000000000000005, 0.09054634122155998, 0.06579634122155995]),
    "LinearLR": (dict(start_factor=0.25, total_iters=6), {},
                 [0.025, 0.037500000000000006, 0.05, 0.0625, 0.075, 0.08750000000000001, 0.1, 0.1, 0.1, 0.1, 0.1,
                  0.1, 0.1]),
    "OneCycleLR": (dict(max_lr=1.0, total_steps=12), dict(momentum=0.9),
                   [0.040000000000000036, 0.3497896542195831, 0.8792851591221287, 0.9944154354509117,
                    0.9330129698414117, 0.811745653949763, 0.6473789976951033, 0.46263710266697505,
                    0.28306099820869923, 0.1334775301888306, 0.03456698742539522, 4e-06, 0.034566987425395164]),
}
ONE_CYCLE_MOMENTUM = [0.95, 0.9177302443521267, 0.8625744625914449, 0.8505584586887436, 0.856698729810778,
                      0.8688255099070633, 0.8852622412794547, 0.9037365046793212, 0.9216941869558779,
                      0.9366525935914912, 0.9465436874322102, 0.95, 0.9465436874322102]


def sgd(engine=hb, groups=1, **kw):
    params = [engine.nn.Parameter(engine.zeros(2)) for _ in range(groups)]
    return engine.optim.SGD([{"params": [p]} for p in params], **{"lr": 0.1, **kw})


@pytest.mark.parametrize("name", list(RECORDED))
def test_recorded_torch_values(name):
    kw, opt_kw, want = RECORDED[name]
    opt = sgd(**opt_kw)
    sched = getattr(hb.optim.lr_scheduler, name)(opt, **kw)
    got, momentum = [sched.get_last_lr()[0]], [opt.param_groups[0]["momentum"]]
    for _ in range(12):
        opt.step()
        sched.step()
        got.append(sched.get_last_lr()[0])
        momentum.append(opt.param_groups[0]["momentum"])
    assert got == want and opt.param_groups[0]["lr"] == want[-1]
    if name == "OneCycleLR":
        assert momentum == ONE_CYCLE_MOMENTUM


def test_lambda_lr_and_per_group_lambdas():
    opt = sgd(groups=2)
    sched = hb.optim.lr_scheduler.LambdaLR(opt, [lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
    for epoch in range(1, 5):
        opt.step()
        sched.step()
        assert sched.get_last_lr() == [0.1 * 0.5 ** epoch, 0.1 * (1.0 / (epoch + 1))]
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        hb.optim.lr_scheduler.LambdaLR(sgd(groups=2), [lambda e: 1.0])


def test_reduce_lr_on_plateau():
    opt = sgd(groups=2)
    sched = hb.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5, cooldown=1, min_lr=[0.03, 0.0])
    lrs = []
    for metric in [1.0, 0.9, 0.95, 0.92, 0.91, 0.9, 0.9, 0.9, 0.8, 0.85, 0.86, 0.87, 0.88]:
        sched.step(hb.tensor(metric))      # a 0-d tensor works, as in torch
        lrs.append(sched.get_last_lr())
    # recorded from torch 2.13
    assert [lr[0] for lr in lrs] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03]
    assert [lr[1] for lr in lrs] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125,
                                     0.0125]
    maxing = hb.optim.lr_scheduler.ReduceLROnPlateau(sgd(), mode="max", threshold_mode="abs", threshold=0.1,
                                                     patience=0)
    for metric in [1.0, 1.05, 1.2]:
        maxing.step(metric)
    assert maxing.get_last_lr() == [0.1 * 0.1] and maxing.best == 1.2
    with pytest.raises(ValueError, match="Factor should be < 1.0."):
        hb.optim.lr_scheduler.ReduceLROnPlateau(sgd(), factor=1.0)
    with pytest.raises(ValueError, match="mode middle is unknown!"):
        hb.optim.lr_scheduler.ReduceLROnPlateau(sgd(), mode="middle")
    with pytest.raises(ValueError, match="threshold mode both is unknown!"):
        hb.optim.lr_scheduler.ReduceLROnPlateau(sgd(), threshold_mode="both")
    with pytest.raises(ValueError, match="expected 1 min_lrs, got 2"):
        hb.optim.lr_scheduler.ReduceLROnPlateau(sgd(), min_lr=[0.1, 0.2])


def test_closed_form_when_an_epoch_is_given():
    opt = sgd()
    sched = hb.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    opt.step()
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary"):
        sched.step(4)
    assert sched.last_epoch == 4
    assert sched.get_last_lr() == [0.01 + (0.1 - 0.01) * (1 + math.cos(math.pi * 4 / 10)) / 2]


def test_state_dict_round_trip_continues_identically():
    def make():
        opt = hb.optim.Adam([hb.nn.Parameter(hb.zeros(2))], lr=0.1)
        return opt, hb.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=20, three_phase=True)
    opt, sched = make()
    for _ in range(7):
        opt.step()
        sched.step()
    saved, saved_opt = sched.state_dict(), opt.state_dict()
    assert "optimizer" not in saved and saved["last_epoch"] == 7
    other_opt, other = make()
    other_opt.load_state_dict(saved_opt)
    other.load_state_dict(saved)
    for _ in range(10):
        for o, s in ((opt, sched), (other_opt, other)):
            o.step()
            s.step()
        assert other.get_last_lr() == sched.get_last_lr()
        assert other_opt.param_groups[0]["betas"] == opt.param_groups[0]["betas"]


def test_resume_with_last_epoch():
    opt = sgd()
    sched = hb.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    for _ in range(5):
        opt.step()
        sched.step()
    resumed = hb.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5, last_epoch=sched.last_epoch)
    assert resumed.base_lrs == [0.1] and resumed.last_epoch == 6
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
        hb.optim.lr_scheduler.ExponentialLR(sgd(), gamma=0.9, last_epoch=3)


def test_warnings_as_torch():
    opt = sgd()
    sched = hb.optim.lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="Detected call of `lr_scheduler.step\\(\\)` before `optimizer.step\\(\\)`"):
        sched.step()
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()
    opt = sgd()
    sched = hb.optim.lr_scheduler.StepLR(opt, step_size=2)
    opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step()
        hb.optim.lr_scheduler.StepLR(opt, step_size=2)   # a second scheduler does not wrap step twice
        opt.step()


def test_errors_as_torch():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        hb.optim.lr_scheduler.StepLR([], step_size=1)
    with pytest.raises(ValueError, match="Starting multiplicative factor expected to be greater than 0"):
        hb.optim.lr_scheduler.LinearLR(sgd(), start_factor=0)
    with pytest.raises(ValueError, match="Ending multiplicative factor expected to be between 0 and 1."):
        hb.optim.lr_scheduler.LinearLR(sgd(), end_factor=1.5)
    one_cycle = hb.optim.lr_scheduler.OneCycleLR
    with pytest.raises(ValueError, match="You must define either total_steps OR \\(epochs AND steps_per_epoch\\)"):
        one_cycle(sgd(), max_lr=1.0)
    with pytest.raises(ValueError, match="Expected positive integer total_steps, but got 0"):
        one_cycle(sgd(), max_lr=1.0, total_steps=0)
    with pytest.raises(ValueError, match="Expected positive integer epochs, but got -1"):
        one_cycle(sgd(), max_lr=1.0, epochs=-1, steps_per_epoch=3)
    with pytest.raises(ValueError, match="Expected float between 0 and 1 pct_start, but got 1.5"):
        one_cycle(sgd(), max_lr=1.0, total_steps=5, pct_start=1.5)
    with pytest.raises(ValueError, match="anneal_strategy must be one of 'cos' or 'linear', instead got exp"):
        one_cycle(sgd(), max_lr=1.0, total_steps=5, anneal_strategy="exp")
    with pytest.raises(ValueError, match="max_lr must have the same length as optimizer.param_groups. max_lr has "
                                         "2 values, param_groups has 1."):
        one_cycle(sgd(), max_lr=[1.0, 2.0], total_steps=5)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1 with `cycle_momentum`"):
        one_cycle(hb.optim.Adagrad([hb.nn.Parameter(hb.zeros(1))]), max_lr=1.0, total_steps=5)
    opt = sgd(momentum=0.9)
    sched = one_cycle(opt, max_lr=1.0, total_steps=2)
    opt.step()
    sched.step()
    sched.step()
    with pytest.raises(ValueError, match="Tried to step 3 times. The specified number of total steps is 2"):
        sched.step()


# --- against torch itself ---

TORCH_CASES = [
    ("SGD", dict(lr=0.1, momentum=0.9), "StepLR", dict(step_size=3, gamma=0.5)),
    ("SGD", dict(lr=0.1), "MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("SGD", dict(lr=0.1), "ExponentialLR", dict(gamma=0.9)),
    ("SGD", dict(lr=0.1), "CosineAnnealingLR", dict(T_max=7, eta_min=0.001)),
    ("SGD", dict(lr=0.1), "LambdaLR", dict(lr_lambda=lambda e: 0.95 ** e)),
    ("SGD", dict(lr=0.1), "LinearLR", dict(start_factor=0.25, end_factor=0.9, total_iters=6)),
    ("SGD", dict(lr=0.1, momentum=0.9), "OneCycleLR", dict(max_lr=[1.0, 0.5], total_steps=30, pct_start=0.25)),
    ("Adam", dict(lr=0.1), "OneCycleLR", dict(max_lr=1.0, epochs=3, steps_per_epoch=10, three_phase=True,
                                              anneal_strategy="linear", base_momentum=[0.8, 0.7])),
    ("NAdam", dict(lr=0.1), "OneCycleLR", dict(max_lr=1.0, total_steps=30, cycle_momentum=False)),
    ("SGD", dict(lr=0.1), "ReduceLROnPlateau", dict(patience=2, factor=0.5, cooldown=1, min_lr=[0.01, 0.2])),
    ("SGD", dict(lr=0.1), "ReduceLROnPlateau", dict(mode="max", threshold_mode="abs", threshold=0.1, patience=1)),
    ("SGD", dict(lr=0.1), "ReduceLROnPlateau", dict(mode="max", threshold=0.01, eps=0.02)),
    ("SGD", dict(lr=0.1), "MultiplicativeLR", dict(lr_lambda=lambda e: 0.9 + 0.01 * e)),
    ("SGD", dict(lr=0.1), "ConstantLR", dict(factor=0.4, total_iters=4)),
    ("SGD", dict(lr=0.1), "PolynomialLR", dict(total_iters=8, power=2.0)),
]


def trajectory(engine, opt_name, opt_kw, name, kw, metrics, epochs=None):
    params = [engine.nn.Parameter(engine.zeros(2)), engine.nn.Parameter(engine.zeros(2))]
    opt = getattr(engine.optim, opt_name)([{"params": params[:1]}, {"params": params[1:], "lr": 0.5}], **opt_kw)
    sched = getattr(engine.optim.lr_scheduler, name)(opt, **kw)
    out = [(sched.get_last_lr(), [g.get("momentum", g.get("betas")) for g in opt.param_groups])]
    for i, metric in enumerate(metrics):
        opt.step()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name == "ReduceLROnPlateau":
                sched.step(metric)
            elif epochs is not None:
                sched.step(epochs[i])
            else:
                sched.step()
        out.append((sched.get_last_lr(), [g.get("momentum", g.get("betas")) for g in opt.param_groups]))
    return out, sched.state_dict(), opt.state_dict()["param_groups"]


@pytest.mark.parametrize("case", TORCH_CASES, ids=lambda c: f"{c[2]}-{c[3]}")
def test_matches_torch(case):
    torch = pytest.importorskip("torch")
    rng = random.Random(0)
    metrics = [rng.random() for _ in range(30)]
    ours, our_state, our_groups = trajectory(hb, *case, metrics)
    theirs, their_state, their_groups = trajectory(torch, *case, metrics)
    assert ours == theirs
    assert our_groups == their_groups
    assert list(our_state) == list(their_state)
    if case[2] not in ("LambdaLR", "MultiplicativeLR"):
        assert our_state == their_state


@pytest.mark.parametrize("case", [c for c in TORCH_CASES if c[2] in ("StepLR", "MultiStepLR", "ExponentialLR",
                                                                     "CosineAnnealingLR", "LinearLR", "ConstantLR",
                                                                     "PolynomialLR")],
                         ids=lambda c: c[2])
def test_closed_forms_match_torch(case):
    torch = pytest.importorskip("torch")
    epochs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]
    assert trajectory(hb, *case, [None] * len(epochs), epochs)[0] == \
        trajectory(torch, *case, [None] * len(epochs), epochs)[0]


def test_a_torch_scheduler_state_dict_loads():
    """The same keys and values: a state dict saved by torch resumes a hayabusa scheduler."""
    torch = pytest.importorskip("torch")
    topt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
    tsched = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=1.0, total_steps=20)
    for _ in range(6):
        topt.step()
        tsched.step()
    opt = hb.optim.SGD([hb.nn.Parameter(hb.zeros(1))], lr=0.1, momentum=0.9)
    sched = hb.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=20)
    opt.load_state_dict({"state": {}, "param_groups": topt.state_dict()["param_groups"]})
    sched.load_state_dict(tsched.state_dict())
    for _ in range(10):
        topt.step()
        tsched.step()
        opt.step()
        sched.step()
        assert sched.get_last_lr() == tsched.get_last_lr()
        assert opt.param_groups[0]["momentum"] == topt.param_groups[0]["momentum"]


def composite(engine, kind):
    """Warm-up then cosine (SequentialLR), or two schedulers compounding (ChainedScheduler)."""
    sched = engine.optim.lr_scheduler
    params = [engine.nn.Parameter(engine.zeros(2)), engine.nn.Parameter(engine.zeros(2))]
    opt = engine.optim.SGD([{"params": params[:1]}, {"params": params[1:], "lr": 0.5}], lr=0.1)
    if kind == "SequentialLR":
        parts = [sched.LinearLR(opt, start_factor=0.1, total_iters=4), sched.ConstantLR(opt, factor=0.5, total_iters=3),
                 sched.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)]
        return opt, sched.SequentialLR(opt, parts, milestones=[4, 7])
    return opt, sched.ChainedScheduler([sched.ExponentialLR(opt, gamma=0.9), sched.StepLR(opt, step_size=3, gamma=0.5)])


@pytest.mark.parametrize("kind", ["SequentialLR", "ChainedScheduler"])
def test_composite_schedulers_match_torch(kind):
    torch = pytest.importorskip("torch")
    runs = []
    for engine in (hb, torch):
        opt, sched = composite(engine, kind)
        lrs = [sched.get_last_lr()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for step in range(20):
                opt.step()
                sched.step()
                lrs.append(sched.get_last_lr())
                if step == 9:
                    saved = sched.state_dict()
        runs.append((lrs, saved))
    assert runs[0][0] == runs[1][0]
    assert list(runs[0][1]) == list(runs[1][1]) and runs[0][1]["_schedulers"] == runs[1][1]["_schedulers"]


@pytest.mark.parametrize("kind", ["SequentialLR", "ChainedScheduler"])
def test_composite_state_dict_resumes(kind):
    opt, sched = composite(hb, kind)
    for _ in range(6):
        opt.step()
        sched.step()
    other_opt, other = composite(hb, kind)
    other_opt.load_state_dict(opt.state_dict())
    other.load_state_dict(sched.state_dict())
    for _ in range(10):
        for o, s in ((opt, sched), (other_opt, other)):
            o.step()
            s.step()
        assert other.get_last_lr() == sched.get_last_lr()


def test_more_scheduler_errors_as_torch():
    with pytest.raises(ValueError, match="Constant multiplicative factor expected to be between 0 and 1."):
        hb.optim.lr_scheduler.ConstantLR(sgd(), factor=2)
    with pytest.raises(TypeError, match="lr_lambda should be a function, but got float"):
        hb.optim.lr_scheduler.MultiplicativeLR(sgd(), lr_lambda=0.5)
    opt = sgd()
    with pytest.raises(ValueError, match="SequentialLR expects at least one scheduler, but got no scheduler."):
        hb.optim.lr_scheduler.SequentialLR(opt, [], milestones=[])
    parts = [hb.optim.lr_scheduler.StepLR(opt, 2), hb.optim.lr_scheduler.StepLR(opt, 3)]
    with pytest.raises(ValueError, match="number of schedulers 2 and the number of milestones to be equal to 2"):
        hb.optim.lr_scheduler.SequentialLR(opt, parts, milestones=[1, 2])
    with pytest.raises(ValueError, match="ChainedScheduler does not support `ReduceLROnPlateau`"):
        hb.optim.lr_scheduler.ChainedScheduler([hb.optim.lr_scheduler.ReduceLROnPlateau(opt)])
    with pytest.raises(ValueError, match="expects all schedulers to belong to the same optimizer"):
        hb.optim.lr_scheduler.ChainedScheduler([hb.optim.lr_scheduler.StepLR(sgd(), 2)], optimizer=opt)
