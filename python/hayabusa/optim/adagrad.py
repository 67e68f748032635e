"""Adagrad (lr_decay, initial_accumulator_value, weight decay, maximize): one fused kernel call per
group and dtype."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._factories import full_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


class Adagrad(Optimizer):
    """Adagrad, as ``torch.optim.Adagrad``: each element's step shrinks with its accumulated
    squared gradients.

    ``clr = lr / (1 + (t - 1) * lr_decay)``, ``sum += g ** 2``, ``p -= clr * g / (sqrt(sum) +
    eps)``.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``1e-2``.
        lr_decay (float, optional): the learning-rate decay. Default: ``0``.
        weight_decay (float, optional): L2 penalty (added to the gradient). Default: ``0``.
        initial_accumulator_value (float, optional): the starting value of ``sum``. Default: ``0``.
        eps (float, optional): added to the denominator. Default: ``1e-10``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, fused (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): True raises NotImplementedError (steps run outside
            autograd). Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.Adagrad(model.parameters(), lr=0.01)
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0, eps: float = 1e-10,
                 foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
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
