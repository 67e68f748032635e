"""SGD with momentum, dampening, Nesterov and weight decay: one fused kernel call per group."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._core import arrays_of as _arrays_of, bump_versions as _bump_versions
from .._factories import zeros_like
from ._step import call_closure, check_not_differentiable
from .optimizer import Optimizer, required

if TYPE_CHECKING:
    from typing import Any, Callable

    from .optimizer import ParamsT


class SGD(Optimizer):
    """Stochastic gradient descent, with momentum, dampening, Nesterov momentum and weight decay.

    As ``torch.optim.SGD``: ``g = grad + weight_decay * p``; with momentum,
    ``buf = momentum * buf + (1 - dampening) * g`` (``buf = g`` on the first step) and ``g = buf``
    (Nesterov: ``g = g + momentum * buf``); then ``p -= lr * g``. One fused C call updates all the
    parameters of a group.

    Args:
        params (iterable): the parameters to optimize (``model.parameters()``), or dicts
            defining parameter groups (each with ``'params'`` and its own options), or
            ``(name, parameter)`` pairs (``model.named_parameters()``).
        lr (float, optional): the learning rate. Default: ``1e-3``.
        momentum (float, optional): the momentum factor. Default: ``0``.
        dampening (float, optional): dampening of the momentum. Default: ``0``.
        weight_decay (float, optional): L2 penalty (added to the gradient). Default: ``0``.
        nesterov (bool, optional): Nesterov momentum (needs momentum and no dampening).
            Default: ``False``.
        maximize (bool, optional): maximize the objective instead of minimizing. Default: ``False``.
        foreach, fused, capturable (optional): accepted for PyTorch's signature; every step
            is one fused C call per group and dtype regardless.
        differentiable (bool, optional): accepted; steps always run outside autograd.
            Default: ``False``.

    Example::

        >>> model = nn.Linear(2, 1)
        >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> loss = model(torch.ones(4, 2)).pow(2).mean()
        >>> optimizer.zero_grad()
        >>> loss.backward()
        >>> optimizer.step()
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        check_not_differentiable(differentiable)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        loss = None if closure is None else call_closure(closure)
        for group in self.param_groups:
            for params, grads in self._batches(group):
                self._update(group, params, grads)
        return loss

    def _update(self, group, params, grads):
        momentum = group["momentum"]
        args = (group["lr"], momentum, group["dampening"], group["nesterov"],
                group["weight_decay"], group["maximize"])
        be = params[0]._backend
        if momentum == 0:
            be.sgd_step(_arrays_of(params), grads, None, *args, False)
        else:
            state = self.state
            bufs = [state[p].get("momentum_buffer") for p in params]
            if all(b is not None for b in bufs):
                # every parameter past its first step: one call
                be.sgd_step(_arrays_of(params), grads, _arrays_of(bufs), *args, False)
                _bump_versions(params)
                return
            # parameters seeing their first step start their buffer from the gradient:
            # one call for those, one for the rest
            calls = {False: ([], [], []), True: ([], [], [])}
            for p, g in zip(params, grads):
                s = state[p]
                buf = s.get("momentum_buffer")
                if buf is None:
                    buf = s["momentum_buffer"] = zeros_like(p)
                    datas, gs, bufs = calls[True]
                else:
                    datas, gs, bufs = calls[False]
                datas.append(p._data)
                gs.append(g)
                bufs.append(buf._data)
            for first, (datas, gs, bufs) in calls.items():
                if datas:
                    be.sgd_step(datas, gs, bufs, *args, first)
        _bump_versions(params)
