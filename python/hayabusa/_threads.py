"""hayabusa.get_num_threads / set_num_threads: the OpenMP threads the CPU kernels split work across."""
from __future__ import annotations

import numpy as _np

from . import _C


def get_num_threads() -> int:
    """Returns the number of threads used for intra-op parallelism on CPU.

    What :func:`set_num_threads` set (for every thread of the process), else
    ``OMP_NUM_THREADS`` or the number of cores. Kernels below a size threshold run on one thread
    whatever it says.

    Example::

        >>> n = torch.get_num_threads()
        >>> torch.set_num_threads(1)
        >>> torch.get_num_threads()
        1
        >>> torch.set_num_threads(n)
    """
    return _C.get_num_threads()


def set_num_threads(n: int, /) -> None:
    """Sets the number of threads used for intra-op parallelism on CPU, as torch.set_num_threads.

    Like PyTorch, it takes a positive int (not a bool or a float: RuntimeError), and the
    setting holds for kernels run from every Python thread.

    Args:
        n (int): the number of threads, at least 1.

    Example::

        >>> n = torch.get_num_threads()
        >>> torch.set_num_threads(2)
        >>> torch.get_num_threads()
        2
        >>> torch.set_num_threads(n)
    """
    if isinstance(n, (bool, _np.bool_)) or not isinstance(n, (int, _np.integer)):
        raise RuntimeError(f"set_num_threads expects an int, but got {_type_name(n)}")
    if not -2**31 <= n < 2**31:
        raise ValueError("Overflow when unpacking long")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    _C.set_num_threads(int(n))


def _type_name(obj):
    # PyTorch names the type as C does: numpy's scalar types with their module.
    cls = type(obj)
    return f"numpy.{cls.__name__}" if cls.__module__ == "numpy" else cls.__name__
