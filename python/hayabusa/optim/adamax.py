"""Adamax (the infinity-norm Adam; weight decay, maximize): one fused kernel call per group and
dtype."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


class Adamax(Optimizer):
    """Adamax, as ``torch.optim.Adamax``: Adam with the infinity norm in place of the RMS.

    ``m = beta1 * m + (1 - beta1) * g``, ``u = max(beta2 * u, |g| + eps)``,
    ``p -= lr / (1 - beta1 ** t) * m / u``.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``2e-3``.
        betas (tuple of two floats, optional): the decay rates. Default: ``(0.9, 0.999)``.
        eps (float, optional): added for stability. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty (added to the gradient). Default: ``0``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, capturable (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): True raises NotImplementedError (steps run outside
            autograd). Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.Adamax(model.parameters())
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False,
                 capturable: bool = False) -> None:
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
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, capturable=capturable))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = call_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for params, grads in self._batches(group):
                states = []
                for p in params:
                    state = self.state[p]
                    if not state:
                        state["step"] = new_step_counter()
                        state["exp_avg"] = zeros_like(p)
                        state["exp_inf"] = zeros_like(p)
                    states.append(state)
                params[0]._backend.adamax_step(
                    [p._data for p in params], grads, [s["exp_avg"]._data for s in states],
                    [s["exp_inf"]._data for s in states], advance(states), group["lr"], beta1, beta2,
                    group["eps"], group["weight_decay"], group["maximize"])
                self._bump_versions(params)
        return loss
