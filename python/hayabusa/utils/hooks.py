"""RemovableHandle: what registering a hook returns; ``handle.remove()`` unregisters it."""
from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class RemovableHandle:
    """What registering a hook returns (``Tensor.register_hook``, ``Module.register_forward_hook``,
    ...): ``handle.remove()`` unregisters the hook; used as a context manager, it removes the
    hook on exit.

    Example::

        >>> net = nn.Linear(2, 1)
        >>> calls = []
        >>> with net.register_forward_pre_hook(lambda m, args: calls.append(1)):
        ...     _ = net(torch.zeros(1, 2))
        >>> _ = net(torch.zeros(1, 2))
        >>> calls
        [1]
    """

    next_id = 0

    def __init__(self, hooks_dict: dict[int, Any], *,
                 extra_dict: dict[int, Any] | list[dict[int, Any]] | None = None) -> None:
        # weak references: a handle kept by the user does not keep a module's hooks alive
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = RemovableHandle.next_id
        RemovableHandle.next_id += 1
        extras = [extra_dict] if isinstance(extra_dict, dict) else (extra_dict or [])
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        """Unregisters the hook (a no-op if it is already gone)."""
        for ref in (self.hooks_dict_ref,) + self.extra_dict_ref:
            d = ref()
            if d is not None:
                d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
