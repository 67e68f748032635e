"""Grad mode: whether ops record a graph. Context managers that also work as decorators.

The flag itself lives in the compiled core (hayabusa._core), where every op reads it;
there is one per thread, as in PyTorch (a new thread starts with grad enabled).
"""
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
    """Ops inside record no graph: results have ``requires_grad=False``."""

    mode = False


class enable_grad(_GradModeContext):
    """Turns graph recording back on inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(mode)``: as a function call it sets the mode at once, as PyTorch."""

    def __init__(self, mode):
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
    """Like ``no_grad`` (hayabusa has no separate inference tensors)."""

    def __init__(self, mode=True):
        self.mode = not mode
