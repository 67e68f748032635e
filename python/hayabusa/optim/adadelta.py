"""Adadelta (rho, eps, lr, weight decay, maximize): one fused kernel call per group and dtype."""
from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, capturable=capturable, foreach=foreach,
                                      differentiable=differentiable))

    def step(self, closure=None):
        loss = call_closure(closure)
        for group in self.param_groups:
            for params, grads in self._batches(group):
                states = []
                for p in params:
                    state = self.state[p]
                    if not state:
                        state["step"] = new_step_counter()
                        state["square_avg"] = zeros_like(p)
                        state["acc_delta"] = zeros_like(p)
                    states.append(state)
                advance(states)
                params[0]._backend.adadelta_step(
                    [p._data for p in params], grads, [s["square_avg"]._data for s in states],
                    [s["acc_delta"]._data for s in states], group["lr"], group["rho"], group["eps"],
                    group["weight_decay"], group["maximize"])
                self._bump_versions(params)
        return loss
