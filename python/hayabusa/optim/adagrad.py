"""Adagrad (lr_decay, initial_accumulator_value, weight decay, maximize): one fused kernel call per
group and dtype."""
from .._factories import full_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, fused=fused))
        # as torch: the state of the constructor's parameters exists from the start
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, initial_accumulator_value)

    def _init_state(self, p, initial_accumulator_value):
        state = self.state[p]
        state["step"] = new_step_counter()
        state["sum"] = full_like(p, initial_accumulator_value)
        return state

    def step(self, closure=None):
        loss = call_closure(closure)
        for group in self.param_groups:
            for params, grads in self._batches(group):
                # parameters added later start from the constructor's accumulator value, as torch
                states = [self.state[p] or self._init_state(p, self.defaults["initial_accumulator_value"])
                          for p in params]
                params[0]._backend.adagrad_step(
                    [p._data for p in params], grads, [s["sum"]._data for s in states], advance(states),
                    group["lr"], group["lr_decay"], group["weight_decay"], group["eps"],
                    group["maximize"])
                self._bump_versions(params)
        return loss
