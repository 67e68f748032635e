"""NAdam (momentum_decay, decoupled_weight_decay, maximize): one fused kernel call per group and
dtype."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter, scalar_state
from .optimizer import Optimizer

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


class NAdam(Optimizer):
    """NAdam, as ``torch.optim.NAdam``: Adam with Nesterov momentum and a momentum schedule
    ``mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))``.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``2e-3``.
        betas (tuple of two floats, optional): the decay rates. Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty (added to the gradient). Default: ``0``.
        momentum_decay (float, optional): the schedule's decay. Default: ``4e-3``.
        decoupled_weight_decay (bool, optional): decay the weights directly, as AdamW
            (NAdamW). Default: ``False``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, capturable (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): True raises NotImplementedError (steps run outside
            autograd). Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.NAdam(model.parameters())
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
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
