"""Adam and AdamW (amsgrad, maximize, weight decay): one fused kernel call per group."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._factories import zeros_like
from ._step import call_closure, check_not_differentiable, new_step_counter
from .optimizer import Optimizer

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


def _check(lr, betas, eps, weight_decay):
    if lr < 0.0:
        raise ValueError(f"Invalid learning rate: {lr}")
    if eps < 0.0:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if weight_decay < 0.0:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam``: moving averages of the gradient and of its square, with
    bias correction.

    ``m = beta1 * m + (1 - beta1) * g``, ``v = beta2 * v + (1 - beta2) * g ** 2``,
    ``p -= lr * (m / (1 - beta1 ** t)) / (sqrt(v / (1 - beta2 ** t)) + eps)``, in PyTorch's
    order of operations (results agree to the last bit or two). One fused C call updates all
    the parameters of a group.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``1e-3``.
        betas (tuple of two floats, optional): the decay rates of the moving averages of the
            gradient and of its square. Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator for stability. Default: ``1e-8``.
        weight_decay (float, optional): L2 penalty (added to the gradient; decoupled as AdamW's with
            decoupled_weight_decay). Default: ``0``.
        amsgrad (bool, optional): use the maximum of past ``v`` (AMSGrad). Default: ``False``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, fused, capturable (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): accepted; steps always run outside autograd.
            Default: ``False``.
        decoupled_weight_decay (bool, optional): decay the weights directly (AdamW).
            Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    _decoupled = False

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        _check(lr, betas, eps, weight_decay)
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable, fused=fused,
                                      decoupled_weight_decay=decoupled_weight_decay or self._decoupled))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = call_closure(closure)
        for group in self.param_groups:
            for params, grads in self._batches(group):
                self._update(group, params, grads)
        return loss

    def _update(self, group, params, grads):
        amsgrad = group["amsgrad"]
        exp_avgs, exp_avg_sqs, max_sqs, steps = [], [], [], []
        for p in params:
            state = self.state[p]
            if not state:
                state["step"] = new_step_counter()
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
                if amsgrad:
                    state["max_exp_avg_sq"] = zeros_like(p)
            state["step"]._data += 1
            steps.append(int(state["step"]._data))
            exp_avgs.append(state["exp_avg"]._data)
            exp_avg_sqs.append(state["exp_avg_sq"]._data)
            if amsgrad:
                max_sqs.append(state["max_exp_avg_sq"]._data)
        beta1, beta2 = group["betas"]
        params[0]._backend.adam_step(
            [p._data for p in params], grads, exp_avgs, exp_avg_sqs, max_sqs if amsgrad else None,
            steps, group["lr"], beta1, beta2, group["eps"], group["weight_decay"], amsgrad,
            group["maximize"], group["decoupled_weight_decay"])
        self._bump_versions(params)


class AdamW(Adam):
    """Adam with decoupled weight decay, as ``torch.optim.AdamW``: ``p -= lr * weight_decay * p``
    before the Adam update, instead of an L2 term in the gradient.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``1e-3``.
        betas (tuple of two floats, optional): the decay rates of the moving averages of the
            gradient and of its square. Default: ``(0.9, 0.999)``.
        eps (float, optional): added to the denominator for stability. Default: ``1e-8``.
        weight_decay (float, optional): the decoupled decay. Default: ``1e-2``.
        amsgrad (bool, optional): AMSGrad. Default: ``False``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, fused, capturable (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): accepted; steps always run outside autograd.
            Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    _decoupled = True

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)
