"""What the optimizers share beyond the base class: step counters kept as PyTorch keeps them,
the closure call, and the options hayabusa takes for compatibility only."""
from .. import _dtype
from .._factories import tensor
from .._grad_mode import enable_grad


def scalar_state(value):
    """A per-parameter scalar of optimizer state, as torch.optim keeps one: a 0-d float tensor
    (float64 when that is the default dtype, else float32), so state dicts have torch's structure."""
    dt = _dtype.float64 if _dtype.get_default_dtype() is _dtype.float64 else _dtype.float32
    return tensor(value, dtype=dt)


def new_step_counter():
    return scalar_state(0.0)


def advance(states):
    """Adds one to each state's step counter; returns the new counts as ints (what the kernels take).
    The counter is a float tensor, so it stops growing where torch's does (2 ** 24 in float32)."""
    counts = []
    for state in states:
        step = state["step"]._data
        step += 1
        counts.append(int(step))
    return counts


def call_closure(closure):
    """torch.optim re-evaluates the loss with gradients on, even when step() runs under no_grad."""
    if closure is None:
        return None
    with enable_grad():
        return closure()


def check_not_differentiable(differentiable):
    if differentiable:
        raise NotImplementedError("differentiable=True is not supported: hayabusa's optimizer steps "
                                  "update parameters in place, outside autograd")
