"""NAdam (momentum_decay, decoupled_weight_decay, maximize): one fused kernel call per group and
dtype."""
from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter, scalar_state
from .optimizer import Optimizer


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable))

    def step(self, closure=None):
        loss = call_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            momentum_decay = group["momentum_decay"]
            for params, grads in self._batches(group):
                states = []
                for p in params:
                    state = self.state[p]
                    if not state:
                        state["step"] = new_step_counter()
                        state["mu_product"] = scalar_state(1.0)
                        state["exp_avg"] = zeros_like(p)
                        state["exp_avg_sq"] = zeros_like(p)
                    states.append(state)
                steps = advance(states)
                mu_products = []
                for state, step in zip(states, steps):
                    # the product of the momentum schedule lives in a 0-d float tensor, so it is
                    # rounded to that dtype after each factor, as torch's `mu_product *= mu`
                    product = state["mu_product"]._data
                    product *= product.dtype.type(beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay)))
                    mu_products.append(float(product))
                params[0]._backend.nadam_step(
                    [p._data for p in params], grads, [s["exp_avg"]._data for s in states],
                    [s["exp_avg_sq"]._data for s in states], steps, mu_products, group["lr"], beta1,
                    beta2, group["eps"], group["weight_decay"], momentum_decay,
                    group["decoupled_weight_decay"], group["maximize"])
                self._bump_versions(params)
        return loss
