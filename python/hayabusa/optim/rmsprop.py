"""RMSprop (alpha, eps, momentum, centered, weight decay, maximize): one fused kernel call per
group and dtype."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._factories import zeros_like
from ._step import advance, call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


class RMSprop(Optimizer):
    """RMSprop, as ``torch.optim.RMSprop``: steps divided by a running RMS of the gradients.

    ``v = alpha * v + (1 - alpha) * g ** 2``; centered, the running mean of ``g`` is subtracted
    (``v - mean ** 2``); then ``p -= lr * g / (sqrt(v) + eps)``, through a momentum buffer when
    ``momentum > 0``.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``1e-2``.
        alpha (float, optional): the smoothing constant. Default: ``0.99``.
        eps (float, optional): added to the denominator. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty (added to the gradient). Default: ``0``.
        momentum (float, optional): the momentum factor. Default: ``0``.
        centered (bool, optional): normalize by the estimated variance. Default: ``False``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        capturable, foreach (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): True raises NotImplementedError (steps run outside
            autograd). Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01)
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
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

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
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
