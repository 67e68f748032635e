"""nn.Module: parameters, buffers and submodules registered by attribute assignment."""
from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import TYPE_CHECKING

from ..._core import module_call as _module_call
from ..._tensor import Tensor
from ...utils.hooks import RemovableHandle
from ..parameter import Parameter

if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, Mapping

    from ..._typing import DeviceLike


class _IncompatibleKeys(tuple):
    """(missing_keys, unexpected_keys), as load_state_dict returns them."""

    def __new__(cls, missing, unexpected):
        self = super().__new__(cls, (missing, unexpected))
        return self

    missing_keys = property(lambda self: self[0])
    unexpected_keys = property(lambda self: self[1])

    def __repr__(self):
        if not self[0] and not self[1]:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self[0]}, unexpected_keys={self[1]})"


def _typename(obj):
    """torch.typename: 'torch.FloatTensor' for tensors, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    module = cls.__module__
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


def _check_member_name(kind, name):
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {_typename(name)}")
    if "." in name:
        raise KeyError(f"{kind} name can't contain \".\"")
    if name == "":
        raise KeyError(f"{kind} name can't be empty string \"\"")


class Module:
    """Base class of all layers and models, as ``torch.nn.Module``.

    A subclass creates its layers and parameters as attributes in ``__init__`` (after
    ``super().__init__()``) and computes its output in :meth:`forward`; calling the module calls
    ``forward`` (and its hooks). Attributes that are :class:`Parameter` s, modules or buffers
    are registered: :meth:`parameters` finds them recursively, :meth:`state_dict` saves them,
    :meth:`to` converts them.

    Attributes:
        training (bool): train mode (True, the default) or eval mode; layers such as
            ``Dropout`` behave differently. Set by :meth:`train` and :meth:`eval`.

    Example::

        >>> class Net(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.fc1 = nn.Linear(2, 8)
        ...         self.fc2 = nn.Linear(8, 1)
        ...
        ...     def forward(self, x):
        ...         return self.fc2(self.fc1(x).relu())
        >>> net = Net()
        >>> net(torch.zeros(4, 2)).shape
        hayabusa.Size([4, 1])
        >>> [name for name, _ in net.named_parameters()]
        ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
        >>> net
        Net(
          (fc1): Linear(in_features=2, out_features=8, bias=True)
          (fc2): Linear(in_features=8, out_features=1, bias=True)
        )
    """

    training: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected arguments")
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks_with_kwargs", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks_with_kwargs", OrderedDict())
        object.__setattr__(self, "_forward_hooks_always_called", OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Computes the module's output: every subclass defines it.

        Call the module (``module(x)``) rather than ``forward`` directly, so that its hooks run.
        """
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function')

    # forward, or _call_with_hooks when the module has hooks: compiled (hayabusa._core), since
    # every layer of every model goes through it on each step
    __call__ = _module_call

    def _call_with_hooks(self, args, kwargs):
        for hook_id, hook in list(self._forward_pre_hooks.items()):
            if hook_id in self._forward_pre_hooks_with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError("forward pre-hook must return None or a tuple of "
                                           f"(new_args, new_kwargs), but got {result}.")
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        called = set()
        try:
            out = self.forward(*args, **kwargs)
            for hook_id, hook in list(self._forward_hooks.items()):
                called.add(hook_id)
                out = self._run_forward_hook(hook_id, hook, args, kwargs, out)
        except Exception:
            # hooks registered with always_call=True run even when forward raised
            for hook_id, hook in list(self._forward_hooks.items()):
                if hook_id in self._forward_hooks_always_called and hook_id not in called:
                    try:
                        self._run_forward_hook(hook_id, hook, args, kwargs, None)
                    except Exception as e:
                        warnings.warn("forward hook with ``always_call=True`` raised an exception "
                                      "that was silenced as another error was raised in forward: "
                                      f"{e}", stacklevel=2)
            raise
        return out

    def _run_forward_hook(self, hook_id, hook, args, kwargs, out):
        if hook_id in self._forward_hooks_with_kwargs:
            result = hook(self, args, kwargs, out)
        else:
            result = hook(self, args, out)
        return out if result is None else result

    # ------------------------------------------------------------ registration
    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            if isinstance(value, Parameter):
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            if isinstance(value, Module):
                raise AttributeError("cannot assign module before Module.__init__() call")
            object.__setattr__(self, name, value)
            return
        params, modules, buffers = self._parameters, self._modules, self._buffers
        if isinstance(value, Parameter):
            self._drop(name, keep=params)
            self.register_parameter(name, value)
        elif name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as parameter '{name}' "
                                "(torch.nn.Parameter or None expected)")
            params[name] = None
        elif isinstance(value, Module):
            self._drop(name, keep=modules)
            modules[name] = value
        elif name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{_typename(value)}' as child module '{name}' "
                                "(torch.nn.Module or None expected)")
            modules[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{_typename(value)}' as buffer '{name}' "
                                "(torch.nn.Buffer, torch.Tensor or None expected)")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _drop(self, name, keep):
        """Forget name everywhere but in keep, where a reassignment keeps its place."""
        self.__dict__.pop(name, None)
        for d in (self._parameters, self._modules, self._buffers):
            if d is not keep:
                d.pop(name, None)
        self._non_persistent_buffers.discard(name)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def __dir__(self):
        keys = (dir(type(self)) + list(self.__dict__) + list(self._parameters) + list(self._modules)
                + list(self._buffers))
        return sorted(k for k in keys if not k[0].isdigit())

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Adds a parameter (or ``None``, a declared but absent one) under ``name``.

        Assigning a :class:`Parameter` to an attribute does the same.

        Args:
            name (str): the attribute name (no ``.``, not empty, not taken by something else).
            param (Parameter or None): the parameter.
        """
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        _check_member_name("parameter", name)
        if hasattr(self, name) and name not in self._parameters:
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{_typename(param)}' object to parameter '{name}' "
                            "(torch.nn.Parameter or None required)")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Adds a buffer: a tensor that belongs to the module's state but is not trained.

        Buffers (running statistics, step counters, masks) appear in :meth:`buffers`, are saved by
        :meth:`state_dict` (unless ``persistent=False``) and converted by :meth:`to`.

        Args:
            name (str): the attribute name.
            tensor (Tensor or None): the buffer.
            persistent (bool, optional): include it in the state dict. Default: ``True``.

        Example::

            >>> m = nn.Module()
            >>> m.register_buffer("steps", torch.zeros(()))
            >>> list(m.state_dict())
            ['steps']
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        _check_member_name("buffer", name)
        if hasattr(self, name) and name not in self._buffers:
            raise KeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{_typename(tensor)}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Adds a child module under ``name`` (as assigning it to an attribute does).

        Args:
            name (str): the attribute name (no ``.``, not empty).
            module (Module or None): the child.
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f"module name can't contain \".\", got: {name}")
        if name == "":
            raise KeyError("module name can't be empty string \"\"")
        self._modules[name] = module

    def register_module(self, name: str, module: Module | None) -> None:
        """Alias of :meth:`add_module`."""
        self.add_module(name, module)

    def get_submodule(self, target: str) -> Module:
        """The submodule at the dotted path ``target`` (``''``: this module), or AttributeError.

        Example::

            >>> seq = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU()))
            >>> seq.get_submodule("1.0")
            ReLU()
        """
        mod = self
        for item in target.split(".") if target else ():
            if not hasattr(mod, item):
                raise AttributeError(f"{mod._get_name()} has no attribute `{item}`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return mod

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at the dotted path ``target`` (``'fc1.weight'``); AttributeError if none.

        """
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        param = getattr(mod, name)
        if not isinstance(param, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return param

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at the dotted path ``target``; AttributeError if none."""
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        if name not in mod._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return getattr(mod, name)

    # ------------------------------------------------------------ traversal
    def named_modules(self, memo: set[int] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """Yields ``(name, module)`` for this module (name ``prefix``, ``''`` by default) and every
        descendant, depth first, each module once (unless ``remove_duplicate=False``).

        Example::

            >>> seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
            >>> [name for name, _ in seq.named_modules()]
            ['', '0', '1']
        """
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name,
                                            remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """Yields this module and every descendant (see :meth:`named_modules`)."""
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Yields ``(name, module)`` for each direct child."""
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self) -> Iterator[Module]:
        """Yields each direct child module."""
        for _, m in self.named_children():
            yield m

    def _named_members(self, store, prefix, recurse, remove_duplicate=True):
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for mod_prefix, mod in modules:
            for name, value in getattr(mod, store).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield mod_prefix + ("." if mod_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Yields ``(dotted name, parameter)`` for the parameters of the module and its descendants.

        Each parameter comes once (unless ``remove_duplicate=False``); ``recurse=False`` yields
        this module's own only.

        Args:
            prefix (str, optional): prepended to every name. Default: ``''``.
            recurse (bool, optional): include descendants' parameters. Default: ``True``.
            remove_duplicate (bool, optional): yield a shared parameter once. Default: ``True``.

        Example::

            >>> [name for name, _ in nn.Sequential(nn.Linear(2, 3)).named_parameters()]
            ['0.weight', '0.bias']
        """
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Yields the parameters of this module and (if ``recurse``) of its descendants, each once.

        This is what an optimizer takes: ``torch.optim.SGD(model.parameters(), lr=0.1)``.

        Example::

            >>> sum(p.numel() for p in nn.Linear(2, 3).parameters())
            9
        """
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """Yields ``(dotted name, buffer)`` for the buffers of this module and its descendants.

        The arguments are those of :meth:`named_parameters`.
        """
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Yields the buffers of this module and (if ``recurse``) of its descendants."""
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Calls ``fn(module)`` on every descendant (children first), then on this module.

        Typically used to initialize weights.

        Example::

            >>> def init_weights(m):
            ...     if isinstance(m, nn.Linear):
            ...         nn.init.zeros_(m.bias)
            >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU()).apply(init_weights)
            >>> net[0].bias
            Parameter containing:
            tensor([0., 0., 0.], requires_grad=True)
        """
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------ modes
    def train(self, mode: bool = True) -> Module:
        """Sets train mode (``mode=True``) or eval mode on this module and its descendants.

        Args:
            mode (bool, optional): True for training, False for evaluation. Default: ``True``.
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        # each child's own train(), so that subclasses overriding it are honoured
        for m in self.children():
            m.train(mode)
        return self

    def eval(self) -> Module:
        """Sets eval mode (``train(False)``) on this module and its descendants; returns it.

        Layers such as ``Dropout`` then pass their input through. It does not turn off autograd:
        use :class:`hayabusa.no_grad` for that.

        Example::

            >>> net = nn.Sequential(nn.Dropout(0.5))
            >>> net.eval().training
            False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Sets ``requires_grad`` of every parameter (False freezes them); returns this module.

        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Resets the gradients of all parameters: to ``None`` (default), or to zeros in place.

        Args:
            set_to_none (bool, optional): drop the ``.grad`` tensors instead of zeroing them.
                Default: ``True``.
        """
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad.detach_()
                p.grad.zero_()

    # ------------------------------------------------------------ device/dtype
    def _apply(self, fn):
        for m in self.modules():
            for name, p in m._parameters.items():
                if p is None:
                    continue
                new = fn(p)
                if new is not p:
                    with_grad = p.requires_grad
                    p._data = new._data
                    p._version[0] += 1
                    if p.grad is not None:
                        p.grad = fn(p.grad)
                    p._requires_grad = with_grad
            for name, b in m._buffers.items():
                if b is not None:
                    m._buffers[name] = fn(b)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Converts the parameters and buffers in place: ``to(dtype)``, ``to(device)``,
        ``to(device, dtype)``, as :meth:`Tensor.to`; returns this module.

        A dtype converts the floating-point parameters and buffers only (integer buffers keep
        theirs), and must itself be floating. Parameters stay the same objects, so an optimizer
        made earlier still holds them. Only the CPU exists (CUDA raises RuntimeError).

        Example::

            >>> net = nn.Linear(2, 3).to(torch.float64)
            >>> net.weight.dtype
            hayabusa.float64
        """
        from ..._dtype import dtype as _dt
        dtype = kwargs.get("dtype")
        for a in args:
            if isinstance(a, _dt):
                dtype = a
        if dtype is not None and not dtype.is_floating_point:
            raise TypeError("nn.Module.to only accepts floating point or complex dtypes, but got "
                            f"desired dtype={dtype}")

        def convert(t):
            if t.dtype.is_floating_point:
                return t.detach().to(*args, **kwargs)
            kw = dict(kwargs)
            kw.pop("dtype", None)
            return t.detach().to(*[a for a in args if not isinstance(a, _dt)], **kw)
        return self._apply(convert)

    def cpu(self) -> Module:
        """This module itself (everything is on the CPU)."""
        return self

    def cuda(self, device: DeviceLike | None = None) -> Module:
        """Moves the module to CUDA: raises RuntimeError (this release has no CUDA backend).

        """
        from ..._device import as_device
        as_device("cuda" if device is None else device)
        return self

    def float(self) -> Module:
        """Converts the floating-point parameters and buffers to float32; returns this module."""
        return self._apply(lambda t: t.detach().float() if t.dtype.is_floating_point else t)

    def double(self) -> Module:
        """Converts the floating-point parameters and buffers to float64; returns this module."""
        return self._apply(lambda t: t.detach().double() if t.dtype.is_floating_point else t)

    def half(self) -> Module:
        """Converts the floating-point parameters and buffers to float16 (few ops support it yet).

        """
        return self._apply(lambda t: t.detach().half() if t.dtype.is_floating_point else t)

    # ------------------------------------------------------------ state
    def _save_to_state_dict(self, destination, prefix, keep_vars):
        """This module's own parameters, then its persistent buffers (not its children's)."""
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers:
                destination[prefix + name] = b if keep_vars else b.detach()

    def state_dict(self, destination: dict[str, Tensor] | None = None, prefix: str = "",
                   keep_vars: bool = False) -> dict[str, Tensor]:
        """The module's state: an ordered dict of every parameter and persistent buffer, by name.

        The values are detached tensors sharing the parameters' memory (the parameters themselves
        with ``keep_vars=True``). Save it with :func:`hayabusa.save` or
        :func:`hayabusa.utils.safetensors.save_file`, restore it with :meth:`load_state_dict`.
        The keys are PyTorch's, so state dicts move between the two.

        Args:
            destination (dict, optional): a dict to fill instead of a new OrderedDict.
            prefix (str, optional): prepended to every key. Default: ``''``.
            keep_vars (bool, optional): keep the parameters attached to autograd. Default:
                ``False``.

        Example::

            >>> list(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).state_dict())
            ['0.weight', '0.bias', '2.weight', '2.bias']
        """
        if destination is None:
            destination = OrderedDict()
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination, prefix + name + ".", keep_vars)
        return destination

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs):
        """Copy this module's own entries of state_dict in; record missing, unexpected, bad."""
        from ..._grad_mode import no_grad
        local = OrderedDict((k, v) for k, v in self._parameters.items() if v is not None)
        local.update((k, v) for k, v in self._buffers.items()
                     if v is not None and k not in self._non_persistent_buffers)
        assign = local_metadata.get("assign_to_params_buffers", False)
        for name, param in local.items():
            key = prefix + name
            if key not in state_dict:
                if strict:
                    missing_keys.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                error_msgs.append(f'While copying the parameter named "{key}", expected '
                                  "torch.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(value)}")
                continue
            if param.ndim == 0 and value.shape == (1,):
                value = value[0]
            if value.shape != param.shape:
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {param.shape}.")
                continue
            try:
                with no_grad():
                    if not assign:
                        param.copy_(value)
                    elif isinstance(param, Parameter):
                        setattr(self, name, Parameter(value, requires_grad=param.requires_grad))
                    else:
                        setattr(self, name, value)
            except Exception as ex:
                error_msgs.append(
                    f'While copying the parameter named "{key}", whose dimensions in the model '
                    f"are {param.shape} and whose dimensions in the checkpoint are "
                    f"{value.shape}, an exception occurred : {ex.args}.")
        if strict:
            for key in state_dict:
                if key.startswith(prefix):
                    head = key[len(prefix):].split(".", 1)
                    if (head[0] not in self._modules) if len(head) > 1 else (head[0] not in local):
                        unexpected_keys.append(key)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> _IncompatibleKeys:
        """Copies parameters and buffers from ``state_dict`` into this module and its descendants.

        The values are copied into the existing tensors (so optimizers keep working), checking
        shapes; with ``assign=True`` the module takes the given tensors instead. With ``strict``,
        missing or unexpected keys raise RuntimeError listing them (as do shape mismatches).

        Args:
            state_dict (dict): a state dict, as :meth:`state_dict` makes.
            strict (bool, optional): require the keys to match exactly. Default: ``True``.
            assign (bool, optional): take the tensors instead of copying. Default: ``False``.

        Returns:
            NamedTuple with ``missing_keys`` and ``unexpected_keys`` lists.

        Example::

            >>> a, b = nn.Linear(2, 3), nn.Linear(2, 3)
            >>> b.load_state_dict(a.state_dict())
            <All keys matched successfully>
            >>> bool((a.weight == b.weight).all())
            True
        """
        if not hasattr(state_dict, "items"):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        missing, unexpected, errors = [], [], []
        metadata = {"assign_to_params_buffers": True} if assign else {}

        def load(module, local_state, prefix=""):
            module._load_from_state_dict(local_state, prefix, dict(metadata), True, missing,
                                         unexpected, errors)
            for name, child in module._modules.items():
                if child is not None:
                    child_prefix = prefix + name + "."
                    load(child, {k: v for k, v in local_state.items()
                                 if k.startswith(child_prefix)}, child_prefix)

        load(self, OrderedDict(state_dict))
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: " +
                              ", ".join(f'"{k}"' for k in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " +
                              ", ".join(f'"{k}"' for k in missing) + ". ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------ hooks
    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Registers ``hook``, called before every :meth:`forward` with the positional arguments.

        ``hook(module, args)`` may return ``None`` or new arguments (a tuple, or one value); with
        ``with_kwargs=True`` it is ``hook(module, args, kwargs)`` and may return ``(args, kwargs)``.

        Args:
            hook (callable): the hook.
            prepend (bool, optional): run it before the hooks already registered. Default:
                ``False``.
            with_kwargs (bool, optional): pass the keyword arguments too. Default: ``False``.

        Returns:
            RemovableHandle: ``handle.remove()`` unregisters the hook.
        """
        handle = RemovableHandle(self._forward_pre_hooks,
                                 extra_dict=self._forward_pre_hooks_with_kwargs)
        self._forward_pre_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle.id, last=False)
        return handle

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                              with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Registers ``hook``, called after every :meth:`forward` with its arguments and output.

        ``hook(module, args, output)`` may return ``None`` or a replacement output; with
        ``with_kwargs=True`` it is ``hook(module, args, kwargs, output)``.

        Args:
            hook (callable): the hook.
            prepend (bool, optional): run it before the hooks already registered. Default:
                ``False``.
            with_kwargs (bool, optional): pass the keyword arguments too. Default: ``False``.
            always_call (bool, optional): run it even when ``forward`` raises. Default: ``False``.

        Returns:
            RemovableHandle: ``handle.remove()`` unregisters the hook.

        Example::

            >>> net = nn.Linear(2, 3)
            >>> shapes = []
            >>> handle = net.register_forward_hook(lambda m, args, out: shapes.append(out.shape))
            >>> _ = net(torch.zeros(4, 2))
            >>> shapes
            [hayabusa.Size([4, 3])]
            >>> handle.remove()
        """
        handle = RemovableHandle(self._forward_hooks, extra_dict=[
            self._forward_hooks_with_kwargs, self._forward_hooks_always_called])
        self._forward_hooks[handle.id] = hook
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        if prepend:
            self._forward_hooks.move_to_end(handle.id, last=False)
        return handle

    # ------------------------------------------------------------ repr
    def extra_repr(self) -> str:
        """The module's own settings, shown inside its repr (``in_features=2, ...``).

        Subclasses override it; the default is empty.
        """
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + repr(m).replace("\n", "\n  ")
                       for name, m in self._modules.items()]
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"
