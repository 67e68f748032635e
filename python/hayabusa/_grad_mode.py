"""Grad mode: whether ops record a graph. Context managers that also work as decorators.

The flag itself lives in the compiled core (hayabusa._core), where every op reads it;
there is one per thread, as in PyTorch (a new thread starts with grad enabled).
"""
from __future__ import annotations

import functools

from ._core import is_grad_enabled, set_grad_mode


def _set(mode):
    set_grad_mode(bool(mode))


class _GradModeContext:
    """Sets grad mode on entry and restores the previous mode on exit; usable as a decorator."""

    mode = True

    def __enter__(self):
        self._prev = set_grad_mode(self.mode)
        return self

    def __exit__(self, *exc):
        _set(self._prev)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradModeContext):
    """Context manager (and decorator) that turns graph recording off inside it.

    Results computed inside do not require grad, and nothing is saved for backward: use it
    for evaluation and for updates that autograd must not see. The mode is one flag for the
    whole process (PyTorch keeps one per thread).

    Example::

        >>> x = torch.ones(2, requires_grad=True)
        >>> with torch.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
        >>> @torch.no_grad()
        ... def double(t):
        ...     return t * 2
        >>> double(x).requires_grad
        False
    """

    mode = False


class enable_grad(_GradModeContext):
    """Context manager (and decorator) that turns graph recording back on, e.g. inside ``no_grad``.

    Example::

        >>> x = torch.ones(2, requires_grad=True)
        >>> with torch.no_grad():
        ...     with torch.enable_grad():
        ...         y = x * 2
        >>> y.requires_grad
        True
    """

    mode = True


class set_grad_enabled(_GradModeContext):
    """Sets graph recording on or off: at once when called, and back when used as a context ends.

    Args:
        mode (bool): record (True) or not (False).

    Example::

        >>> with torch.set_grad_enabled(False):
        ...     print(torch.is_grad_enabled())
        False
        >>> torch.is_grad_enabled()
        True
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._prev = set_grad_mode(self.mode)

    def __enter__(self):
        return self

    def __call__(self, fn):
        _set(self._prev)
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper


class inference_mode(_GradModeContext):
    """Context manager (and decorator) for inference: in hayabusa, the same as :class:`no_grad`.

    PyTorch's inference tensors (which can never enter autograd later) do not exist here.

    Args:
        mode (bool, optional): turn recording off (True) or leave it on (False). Default: ``True``.

    Example::

        >>> with torch.inference_mode():
        ...     print(torch.is_grad_enabled())
        False
    """

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode
