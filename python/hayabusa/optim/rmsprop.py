"""RMSprop (alpha, eps, momentum, centered, weight decay, maximize): one fused kernel call per
group and dtype."""
from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      capturable=capturable, foreach=foreach, maximize=maximize,
                                      differentiable=differentiable))

    def step(self, closure=None):
        loss = call_closure(closure)
        for group in self.param_groups:
            momentum, centered = group["momentum"], group["centered"]
            for params, grads in self._batches(group):
                states = []
                for p in params:
                    state = self.state[p]
                    if not state:
                        state["step"] = new_step_counter()
                        state["square_avg"] = zeros_like(p)
                        if momentum > 0:
                            state["momentum_buffer"] = zeros_like(p)
                        if centered:
                            state["grad_avg"] = zeros_like(p)
                    states.append(state)
                advance(states)
                params[0]._backend.rmsprop_step(
                    [p._data for p in params], grads, [s["square_avg"]._data for s in states],
                    [s["grad_avg"]._data for s in states] if centered else None,
                    [s["momentum_buffer"]._data for s in states] if momentum > 0 else None,
                    group["lr"], group["alpha"], group["eps"], group["weight_decay"], momentum,
                    centered, group["maximize"])
                self._bump_versions(params)
        return loss
