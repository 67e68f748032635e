"""hayabusa.cuda: the CUDA device API.

The CUDA backend is not part of this release: ``is_available()`` is False and
asking for a CUDA device raises RuntimeError, as PyTorch does on a machine
without CUDA.
"""


def is_available():
    """Whether a CUDA device can be used. Always False until the CUDA backend lands."""
    return False


def device_count():
    """The number of usable CUDA devices."""
    return 0


def _require():
    raise RuntimeError(
        "Torch not compiled with CUDA enabled: this hayabusa build has no CUDA backend "
        "(hayabusa.cuda.is_available() is False)")


def synchronize(device=None):
    """Waits for all work on a CUDA device; raises without one, like PyTorch."""
    _require()


def manual_seed(seed):
    """Seeds the CUDA generators: a no-op without CUDA, as in PyTorch."""


def manual_seed_all(seed):
    """Seeds every CUDA generator: a no-op without CUDA, as in PyTorch."""
