"""SGD with momentum, dampening, Nesterov and weight decay: one fused kernel call per group."""
from .._factories import zeros_like
from ._step import call_closure
from .optimizer import Optimizer, required


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        if lr is not required and lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def step(self, closure=None):
        loss = call_closure(closure)
        for group in self.param_groups:
            for params, grads in self._batches(group):
                self._update(group, params, grads)
        return loss

    def _update(self, group, params, grads):
        args = (group["lr"], group["momentum"], group["dampening"], group["nesterov"],
                group["weight_decay"], group["maximize"])
        be = params[0]._backend
        if group["momentum"] == 0:
            be.sgd_step([p._data for p in params], grads, None, *args, False)
        else:
            state = self.state
            bufs = [state[p].get("momentum_buffer") for p in params]
            if all(b is not None for b in bufs):
                # every parameter past its first step: one call
                be.sgd_step([p._data for p in params], grads, [b._data for b in bufs], *args,
                            False)
                self._bump_versions(params)
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
        self._bump_versions(params)
