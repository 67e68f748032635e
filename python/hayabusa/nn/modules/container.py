"""Containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict."""
from __future__ import annotations

import operator
from collections import OrderedDict, abc
from typing import TYPE_CHECKING

from ..._tensor import Tensor
from ..parameter import Parameter
from .module import Module

if TYPE_CHECKING:
    from typing import Any, ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView


def _abs_index(idx, size):
    """idx in [0, size) as PyTorch's containers accept it: an int in [-size, size)."""
    idx = operator.index(idx)
    if not -size <= idx < size:
        raise IndexError(f"index {idx} is out of range")
    return idx % size


def _renumber(module):
    """Keys 0..n-1 again after a deletion, as PyTorch's containers keep them."""
    module._modules = OrderedDict((str(i), m) for i, m in enumerate(module._modules.values()))


def _not_sequential(other):
    return ValueError("add operator supports only objects of Sequential class, but "
                      f"{type(other)} is given.")


class Sequential(Module):
    """A chain of modules: calling it feeds the input through each module in order.

    Build it from modules (named ``'0'``, ``'1'``, ...) or from an ``OrderedDict`` of named
    modules. It can be indexed (``seq[0]``, ``seq[-1]``), sliced (a new Sequential), iterated,
    changed (``append``, ``insert``, ``extend``, ``pop``, ``del seq[i]``), added (``+``) and
    repeated (``*``).

    Args:
        *args (Module): the modules, or one OrderedDict of name to module.

    Example::

        >>> model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
        >>> model(torch.ones(3, 2)).shape
        hayabusa.Size([3, 1])
        >>> model[0]
        Linear(in_features=2, out_features=4, bias=True)
        >>> model
        Sequential(
          (0): Linear(in_features=2, out_features=4, bias=True)
          (1): ReLU()
          (2): Linear(in_features=4, out_features=1, bias=True)
        )
    """

    def __init__(self, *args: Module | OrderedDict[str, Module]) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, m in args[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(args):
                self.add_module(str(i), m)

    def forward(self, input: Any) -> Any:
        for m in self._modules.values():
            input = m(input)
        return input

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return self.__class__(OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[_abs_index(idx, len(self))]

    def __setitem__(self, idx, module):
        key = list(self._modules.keys())[_abs_index(idx, len(self))]
        setattr(self, key, module)

    def __delitem__(self, idx):
        keys = list(self._modules.keys())
        for key in (keys[idx] if isinstance(idx, slice) else [keys[_abs_index(idx, len(self))]]):
            delattr(self, key)
        _renumber(self)

    def __dir__(self):
        return [k for k in super().__dir__() if not k.isdigit()]

    def __add__(self, other):
        if not isinstance(other, Sequential):
            raise _not_sequential(other)
        out = Sequential()
        for layer in list(self) + list(other):
            out.append(layer)
        return out

    def __iadd__(self, other):
        if not isinstance(other, Sequential):
            raise _not_sequential(other)
        offset = len(self)
        for i, module in enumerate(other):
            self.add_module(str(i + offset), module)
        return self

    def __mul__(self, other):
        if not isinstance(other, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(other)}")
        if other <= 0:
            raise ValueError(f"Non-positive multiplication factor {other} for {type(self)}")
        out = Sequential()
        for _ in range(other):
            for module in self:
                out.append(module)
        return out

    __rmul__ = __mul__

    def pop(self, key: int) -> Module:
        """Removes the module at index ``key`` and returns it."""
        v = self[key]
        del self[key]
        return v

    def append(self, module: Module) -> Sequential:
        """Adds ``module`` at the end; returns this Sequential."""
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index: int, module: Module) -> Sequential:
        """Inserts ``module`` before position ``index``; returns this Sequential."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += n
        for i in range(n, index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module
        return self

    def extend(self, sequential: Iterable[Module]) -> Sequential:
        """Appends each module of ``sequential`` (any iterable of modules); returns this Sequential.

        """
        for layer in sequential:
            self.append(layer)
        return self


class ModuleList(Module):
    """A list of modules, registered as the owner's children (so their parameters are found).

    It is not callable itself: iterate over it in ``forward``. It supports indexing, slicing,
    ``len``, iteration, ``append``, ``extend``, ``insert``, ``pop``, ``del`` and ``+``.

    Args:
        modules (iterable of Modules, optional): the initial modules.

    Example::

        >>> layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
        >>> layers
        ModuleList(
          (0-2): 3 x Linear(in_features=4, out_features=4, bias=True)
        )
        >>> x = torch.ones(1, 4)
        >>> for layer in layers:
        ...     x = layer(x).relu()
        >>> x.shape
        hayabusa.Size([1, 4])
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self += modules

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return self.__class__(list(self._modules.values())[idx])
        return self._modules[str(_abs_index(idx, len(self)))]

    def __setitem__(self, idx, module):
        setattr(self, str(_abs_index(idx, len(self))), module)

    def __delitem__(self, idx):
        if isinstance(idx, slice):
            for k in range(len(self._modules))[idx]:
                delattr(self, str(k))
        else:
            delattr(self, str(_abs_index(idx, len(self))))
        _renumber(self)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        out = ModuleList()
        for i, module in enumerate(list(self) + list(other)):
            out.add_module(str(i), module)
        return out

    def __dir__(self):
        return [k for k in super().__dir__() if not k.isdigit()]

    def __repr__(self):
        # runs of identical modules print once, as "(0-2): 3 x Linear(...)"
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []
        for i, r in enumerate(reprs):
            if runs and runs[-1][2] == r:
                runs[-1][1] = i
            else:
                runs.append([i, i, r])
        lines = []
        for start, end, r in runs:
            line = f"({start}): {r}" if start == end else f"({start}-{end}): {end - start + 1} x {r}"
            lines.append(line.replace("\n", "\n  "))
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"

    def insert(self, index: int, module: Module) -> None:
        """Inserts ``module`` before position ``index``."""
        for i in range(len(self._modules), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module

    def append(self, module: Module) -> ModuleList:
        """Adds ``module`` at the end; returns this ModuleList."""
        self.add_module(str(len(self)), module)
        return self

    def pop(self, key: int) -> Module:
        """Removes the module at index ``key`` and returns it."""
        v = self[key]
        del self[key]
        return v

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Appends each module of ``modules``; returns this ModuleList."""
        if not isinstance(modules, abc.Iterable):
            raise TypeError("ModuleList.extend should be called with an iterable, but got "
                            + type(modules).__name__)
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self


class ModuleDict(Module):
    """An ordered dict of modules by name, registered as the owner's children.

    It supports ``d[name]``, ``d[name] = module``, ``del``, ``in``, ``len``, iteration over the
    names, ``keys``, ``values``, ``items``, ``update``, ``pop`` and ``clear``.

    Args:
        modules (mapping or iterable of (str, Module) pairs, optional): the initial modules.

    Example::

        >>> acts = nn.ModuleDict({"relu": nn.ReLU(), "tanh": nn.Tanh()})
        >>> acts["tanh"](torch.zeros(2))
        tensor([0., 0.])
        >>> list(acts.keys())
        ['relu', 'tanh']
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
                 ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self) -> None:
        """Removes every module."""
        self._modules.clear()

    def pop(self, key: str) -> Module:
        """Removes the module named ``key`` and returns it."""
        v = self[key]
        del self[key]
        return v

    def keys(self) -> KeysView[str]:
        """The names, in order."""
        return self._modules.keys()

    def items(self) -> ItemsView[str, Module]:
        """The (name, module) pairs, in order."""
        return self._modules.items()

    def values(self) -> ValuesView[Module]:
        """The modules, in order."""
        return self._modules.values()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Adds (or replaces) the modules of a mapping or of an iterable of (name, module) pairs.

        """
        if not isinstance(modules, abc.Iterable):
            raise TypeError("ModuleDict.update should be called with an iterable of key/value "
                            "pairs, but got " + type(modules).__name__)
        if isinstance(modules, (abc.Mapping, ModuleDict)):
            for key, module in modules.items():
                self[key] = module
            return
        for j, m in enumerate(modules):
            if not isinstance(m, abc.Iterable):
                raise TypeError(f"ModuleDict update sequence element #{j} should be Iterable; is"
                                + type(m).__name__)
            if len(m) != 2:
                raise ValueError(f"ModuleDict update sequence element #{j} has length {len(m)}; "
                                 "2 is required")
            self[m[0]] = m[1]


def _describe_member(p, type_name):
    """ParameterList/ParameterDict's one-line description of an entry."""
    if isinstance(p, Tensor):
        size = "x".join(str(s) for s in p.shape)
        kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
        return f"{kind} containing: [{type_name(p)} of size {size}]"
    return f"Object of type: {type(p).__name__}"


class ParameterList(Module):
    """A list of parameters, registered on the owner (tensors are wrapped in :class:`Parameter`).

    Args:
        values (iterable of Tensors, optional): the initial parameters.

    Example::

        >>> params = nn.ParameterList([torch.zeros(2), torch.ones(3)])
        >>> [type(p).__name__ for p in params], len(list(params.parameters()))
        (['Parameter', 'Parameter'], 2)
    """

    def __init__(self, values: Iterable[Tensor] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            out = self.__class__()
            for i in range(*idx.indices(len(self))):
                out.append(self[i])
            return out
        return getattr(self, str(_abs_index(idx, len(self))))

    def __setitem__(self, idx, param):
        idx = _abs_index(idx, len(self))
        if isinstance(param, Tensor) and not isinstance(param, Parameter):
            param = Parameter(param)
        setattr(self, str(idx), param)

    def __len__(self):
        return self._size

    def __iter__(self):
        return iter(self[i] for i in range(len(self)))

    def __iadd__(self, parameters):
        return self.extend(parameters)

    def __dir__(self):
        return [k for k in super().__dir__() if not k.isdigit()]

    def append(self, value: Tensor) -> ParameterList:
        """Adds ``value`` (wrapped in a Parameter if a plain tensor) at the end; returns this list.

        """
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable[Tensor]) -> ParameterList:
        """Appends each of ``values``; returns this list."""
        if not isinstance(values, abc.Iterable) or isinstance(values, Tensor):
            raise TypeError("ParameterList.extend should be called with an iterable, but got "
                            + type(values).__name__)
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(f"  ({k}): {_describe_member(p, lambda t: t.dtype)}"
                         for k, p in enumerate(self))

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")


class ParameterDict(Module):
    """A dict of parameters by name, registered on the owner (tensors are wrapped in Parameter).

    It keeps insertion order and supports the dict methods (``keys``, ``values``, ``items``,
    ``get``, ``pop``, ``popitem``, ``setdefault``, ``update``, ``copy``, ``clear``, ``fromkeys``,
    ``|``). A plain dict given to the constructor or ``update`` is added in sorted key order,
    as PyTorch.

    Args:
        parameters (mapping or iterable of (str, Tensor) pairs, optional): the initial parameters.

    Example::

        >>> pd = nn.ParameterDict({"w": torch.zeros(2, 3)})
        >>> pd["b"] = torch.zeros(2)
        >>> list(pd.keys()), type(pd["b"]).__name__
        (['w', 'b'], 'Parameter')
    """

    def __init__(self,
                 parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    def _key_to_attr(self, key):
        if not isinstance(key, str):
            raise TypeError("Index given to ParameterDict cannot be used as a key as it is not a "
                            f"string (type is '{type(key).__name__}'). Open an issue on github "
                            "if you need non-string keys.")
        return key

    def __getitem__(self, key):
        return getattr(self, self._key_to_attr(key))

    def __setitem__(self, key, value):
        self._keys[key] = None
        if isinstance(value, Tensor) and not isinstance(value, Parameter):
            value = Parameter(value)
        setattr(self, self._key_to_attr(key), value)

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._key_to_attr(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(self._keys)

    def __contains__(self, key):
        return key in self._keys

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same parameters (not copies of them)."""
        return ParameterDict(OrderedDict((k, self[k]) for k in self._keys))

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The parameter ``key``, first setting it to ``default`` if it is absent."""
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Removes every parameter."""
        for k in list(self._keys):
            del self[k]

    def pop(self, key: str) -> Any:
        """Removes the parameter ``key`` and returns it."""
        v = self[key]
        del self[key]
        return v

    def popitem(self) -> tuple[str, Any]:
        """Removes the last-added parameter and returns ``(key, parameter)``."""
        k = next(reversed(self._keys))
        return k, self.pop(k)

    def get(self, key: str, default: Any = None) -> Any:
        """The parameter ``key``, or ``default`` if it is absent."""
        return self[key] if key in self else default

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict with each of ``keys`` set to ``default``."""
        return ParameterDict((k, default) for k in keys)

    def keys(self) -> KeysView[str]:
        """The names, in order."""
        return self._keys.keys()

    def items(self) -> Iterator[tuple[str, Any]]:
        """The (name, parameter) pairs, in order."""
        return ((k, self[k]) for k in self._keys)

    def values(self) -> Iterator[Any]:
        """The parameters, in order."""
        return (self[k] for k in self._keys)

    def update(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Adds (or replaces) the entries of a mapping (a plain dict in key order) or of pairs.

        """
        if not isinstance(parameters, abc.Iterable):
            raise TypeError("ParametersDict.update should be called with an iterable of "
                            "key/value pairs, but got " + type(parameters).__name__)
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            for key, value in parameters.items():
                self[key] = value
        elif isinstance(parameters, abc.Mapping):
            for key, value in sorted(parameters.items()):
                self[key] = value
        else:
            for j, p in enumerate(parameters):
                if not isinstance(p, abc.Iterable):
                    raise TypeError(f"ParameterDict update sequence element #{j} should be "
                                    "Iterable; is" + type(p).__name__)
                if len(p) != 2:
                    raise ValueError(f"ParameterDict update sequence element #{j} has length "
                                     f"{len(p)}; 2 is required")
                self[p[0]] = p[1]

    def extra_repr(self) -> str:
        # PyTorch names the type here (torch.FloatTensor), the dtype in ParameterList
        return "\n".join(f"  ({k}): {_describe_member(p, lambda t: t.type())}"
                         for k, p in self.items())

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterDict should not be called.")

    def __or__(self, other):
        out = self.copy()
        out.update(other)
        return out

    def __ror__(self, other):
        out = other.copy()
        out.update(self)
        return out

    def __ior__(self, other):
        self.update(other)
        return self
