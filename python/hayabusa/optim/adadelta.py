"""Adadelta (rho, eps, lr, weight decay, maximize): one fused kernel call per group and dtype."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


class Adadelta(Optimizer):
    """Adadelta, as ``torch.optim.Adadelta``: steps scaled by the ratio of running RMS of past
    updates and of gradients.

    ``v = rho * v + (1 - rho) * g ** 2``, ``d = sqrt(u + eps) / sqrt(v + eps) * g``,
    ``u = rho * u + (1 - rho) * d ** 2``, ``p -= lr * d``.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): scales the update. Default: ``1.0``.
        rho (float, optional): the decay of the running averages. Default: ``0.9``.
        eps (float, optional): added inside the square roots. Default: ``1e-6``.
        weight_decay (float, optional): L2 penalty (added to the gradient). Default: ``0``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, capturable (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): True raises NotImplementedError (steps run outside
            autograd). Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.Adadelta(model.parameters())
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
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
