"""The Optimizer base: parameter groups, defaults, zero_grad, state_dict round trips."""
from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from typing import TYPE_CHECKING

from .._core import bump_versions as _bump_versions, params_with_grads as _params_with_grads
from .._tensor import Tensor

if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Iterable, Tuple, Union

    #: what an optimizer takes: tensors, parameter-group dicts, or (name, tensor) pairs
    ParamsT = Union[Iterable[Tensor], Iterable[Dict[str, Any]], Iterable[Tuple[str, Tensor]]]


def _cast_state(param, value, key=None):
    """A copy of one parameter's saved state: tensors in the parameter's dtype (a floating one),
    except "step"; containers rebuilt; other values as they are."""
    if isinstance(value, Tensor):
        cast = value.to(param.dtype) if key != "step" and param.dtype.is_floating_point else value
        return cast.clone() if cast is value else cast
    if isinstance(value, dict):
        return {k: _cast_state(param, v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v) for v in value)
    return value


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class of the optimizers, as ``torch.optim.Optimizer``.

    It holds ``param_groups`` (a list of dicts: ``'params'`` and the group's options, which
    default to the constructor's ``defaults``) and ``state`` (per-parameter state, e.g. Adam's
    moving averages, keyed by the parameter tensor). Subclasses define :meth:`step`.

    Args:
        params (iterable): tensors, dicts defining parameter groups, or (name, tensor) pairs.
        defaults (dict): the default options of a group.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {type(params).__name__}")
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Adds a group of parameters with its own options (missing ones take the defaults).

        Useful to train newly unfrozen layers: the parameters must not be in another group.

        Args:
            param_group (dict): ``{'params': [...], 'lr': ..., ...}``.

        Example::

            >>> a, b = nn.Linear(2, 2), nn.Linear(2, 1)
            >>> optimizer = torch.optim.SGD(a.parameters(), lr=0.1)
            >>> optimizer.add_param_group({"params": b.parameters(), "lr": 0.01})
            >>> [group["lr"] for group in optimizer.param_groups]
            [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list instead.")
        params = [params] if isinstance(params, Tensor) else list(params)
        # model.named_parameters() gives (name, tensor) pairs: the names go to "param_names"
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(p).__name__}")
            if not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        group = {"params": params}
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some param names are missing")
            group["param_names"] = names
        for k, v in self.defaults.items():
            if v is required and k not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {k}")
            group[k] = param_group.get(k, v)
        for k, v in param_group.items():
            if k != "params":
                group[k] = v
        if len({id(p) for p in params}) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, this "
                          "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                          "information", stacklevel=3)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        for g in self.param_groups:
            if ("param_names" in g) != ("param_names" in group):
                named = "with names" if "param_names" in group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {named} to the optimizer")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Resets the gradients of the optimized parameters: to ``None`` (default), or to zeros.

        Call it before each ``loss.backward()``, since backward adds to ``.grad``.

        Args:
            set_to_none (bool, optional): drop the ``.grad`` tensors instead of zeroing them.
                Default: ``True``.
        """
        for g in self.param_groups:
            for p in g["params"]:
                if p._grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    p._grad.detach_()
                    p._grad.zero_()

    def _batches(self, group):
        """(params, grad arrays) of the group's parameters that have a gradient, one batch per
        dtype: a fused kernel call updates tensors of one dtype."""
        params, grads, mixed = _params_with_grads(group["params"])
        if not mixed:
            # the usual case, one dtype: no dict of batches to build
            return ((params, grads),) if params else ()
        batches = {}
        for p, g in zip(params, grads):
            ps, gs = batches.setdefault(p._data.dtype, ([], []))
            ps.append(p)
            gs.append(g)
        return batches.values()

    # the update wrote into the parameters' arrays: graphs that saved them must see it
    _bump_versions = staticmethod(_bump_versions)

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state: ``{'state': {index: {...}}, 'param_groups': [...]}``.

        Parameters are replaced by their index in the groups (in order), as in PyTorch, so the
        layout is PyTorch's and state dicts load across the two. The state tensors are the live
        ones (not copies); :func:`hayabusa.save` writes them out.

        Example::

            >>> w = nn.Parameter(torch.tensor([1., 2.]))
            >>> optimizer = torch.optim.SGD([w], lr=0.1, momentum=0.9)
            >>> (w * w).sum().backward()
            >>> optimizer.step()
            >>> optimizer.state_dict()["state"]
            {0: {'momentum_buffer': tensor([2., 4.])}}
        """
        index = {}
        groups = []
        for g in self.param_groups:
            packed = {k: v for k, v in g.items() if k != "params"}
            packed["params"] = []
            for p in g["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Loads a :meth:`state_dict` of an optimizer of this class with groups of the same sizes.

        Each saved group replaces the current one's options; state tensors become copies in the
        parameter's dtype, except the step counters, which keep theirs (as PyTorch; PyTorch
        aliases the saved tensors where no cast is needed, hayabusa always copies).

        Args:
            state_dict (dict): from :meth:`state_dict` (hayabusa's or PyTorch's).
        """
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for mine, saved in zip(self.param_groups, groups):
            if len(mine["params"]) != len(saved["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't match "
                                 "the size of optimizer's group")
        id_map = {}
        new_groups = []
        for mine, saved in zip(self.param_groups, groups):
            for p, i in zip(mine["params"], saved["params"]):
                id_map[i] = p
            group = copy.deepcopy({k: v for k, v in saved.items() if k != "params"})
            group["params"] = mine["params"]
            if "param_names" in mine and "param_names" not in group:
                group["param_names"] = mine["param_names"]
            new_groups.append(group)
        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                state[id_map[key]] = _cast_state(id_map[key], value)
            else:
                state[key] = value
        self.param_groups = new_groups
        self.state = state

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Performs one optimization step, updating the parameters that have a gradient in place.

        Args:
            closure (callable, optional): re-evaluates the model and returns the loss; called with
                grad mode on before the update.

        Returns:
            the closure's loss, or ``None``.
        """
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    def __repr__(self):
        lines = [type(self).__name__ + " ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for k in sorted(k for k in g if k != "params"):
                lines.append(f"    {k}: {g[k]}")
        lines.append(")")
        return "\n".join(lines)
