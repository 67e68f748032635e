"""Anomaly detection: find the op whose backward produced NaN (torch.autograd.detect_anomaly).

In anomaly mode every graph node keeps the stack of the forward call that made
it, and backward checks each node's gradients: the first that holds a NaN
raises RuntimeError naming the node, after a warning that shows that forward
stack. It costs time on every op, so it is for debugging only.
"""
from __future__ import annotations

import functools
import warnings

from .._core import is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_mode

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled"]


class detect_anomaly:
    """Context manager (and decorator) that turns on anomaly detection inside it.

    In anomaly mode every graph node keeps the stack of the forward call that made it, and
    backward checks each node's gradients: the first that holds a NaN raises RuntimeError
    naming the node, after a warning showing that forward stack. It slows every op: for
    debugging only. Entering it warns, as PyTorch.

    Args:
        check_nan (bool, optional): check the gradients for NaN. Default: ``True``.

    Example::

        >>> a = torch.tensor([-1.], requires_grad=True)
        >>> with torch.autograd.detect_anomaly():
        ...     a.sqrt().sum().backward()
        Traceback (most recent call last):
            ...
        RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self._prev = (is_anomaly_enabled(), is_anomaly_check_nan_enabled())
        set_anomaly_mode(True, self.check_nan)

    def __exit__(self, *exc):
        set_anomaly_mode(*self._prev)
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Turns anomaly detection on or off at once; used as a context manager, restores the previous
    setting on exit. See :class:`detect_anomaly`.

    Args:
        mode (bool): on (True) or off.
        check_nan (bool, optional): check the gradients for NaN. Default: ``True``.

    Example::

        >>> with torch.autograd.set_detect_anomaly(True):
        ...     print(torch.is_anomaly_enabled())
        True
        >>> torch.is_anomaly_enabled()
        False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (is_anomaly_enabled(), is_anomaly_check_nan_enabled())
        set_anomaly_mode(bool(mode), check_nan)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        set_anomaly_mode(*self._prev)
        return False
