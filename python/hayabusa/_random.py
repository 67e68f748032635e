"""Random numbers: one global generator (manual_seed), and Generator objects for DataLoader."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ._device import as_device
from .backends import cpu as _cpu

if TYPE_CHECKING:
    from ._typing import DeviceLike


class Generator:
    """A random number generator, as ``torch.Generator``: its own seed and state.

    Pass one as ``generator=`` to the random factories, the ``nn.init`` functions,
    :class:`~hayabusa.utils.data.DataLoader` and :func:`~hayabusa.utils.data.random_split` to
    make them reproducible independently of the global generator. The streams are not
    PyTorch's: the same seed gives the same values in hayabusa, not the values PyTorch gives.

    Args:
        device (str or hayabusa.device, optional): ``'cpu'`` (CUDA raises RuntimeError).

    Example::

        >>> g = torch.Generator().manual_seed(42)
        >>> a = torch.randn(3, generator=g)
        >>> b = torch.randn(3, generator=torch.Generator().manual_seed(42))
        >>> bool((a == b).all())
        True
    """

    def __init__(self, device: DeviceLike = "cpu") -> None:
        self.device = as_device(device)
        self._impl = _cpu.Generator()

    def manual_seed(self, seed: int) -> Generator:
        """Seeds this generator; returns it (so ``Generator().manual_seed(0)`` chains)."""
        self._impl.manual_seed(seed)
        return self

    def seed(self) -> int:
        """Seeds this generator from the operating system's randomness; returns the seed."""
        import random
        s = random.SystemRandom().randrange(2 ** 63)
        self._impl.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._impl.initial_seed()

    def get_state(self) -> dict:
        """A snapshot of this generator's state, for :meth:`set_state`.

        The state is hayabusa's own (not PyTorch's ByteTensor).
        """
        return self._impl.get_state()

    def set_state(self, state: dict) -> None:
        """Restores a state from :meth:`get_state`: the values drawn next repeat."""
        self._impl.set_state(state)


default_generator = Generator()
default_generator.manual_seed(0x5EED)


def manual_seed(seed: int) -> Generator:
    """Seeds the global generator: the same seed gives the same rand/randn/randperm/init values.

    The values are hayabusa's, not those PyTorch gives for the same seed. Returns the global
    generator.

    Example::

        >>> _ = torch.manual_seed(0)
        >>> a = torch.rand(2)
        >>> _ = torch.manual_seed(0)
        >>> bool((torch.rand(2) == a).all())
        True
    """
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seeds the global generator from the operating system's randomness; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the global generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> dict:
    """A snapshot of the global generator's state, for :func:`set_rng_state`.

    Example::

        >>> state = torch.get_rng_state()
        >>> a = torch.rand(2)
        >>> torch.set_rng_state(state)
        >>> bool((torch.rand(2) == a).all())
        True
    """
    return default_generator.get_state()


def set_rng_state(state: dict) -> None:
    """Restores the global generator's state from :func:`get_rng_state`."""
    default_generator.set_state(state)
