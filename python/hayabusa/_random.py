"""Random numbers: one global generator (manual_seed), and Generator objects for DataLoader."""
from ._device import as_device
from .backends import cpu as _cpu


class Generator:
    """A random generator, as torch.Generator: ``Generator().manual_seed(0)``."""

    def __init__(self, device="cpu"):
        self.device = as_device(device)
        self._impl = _cpu.Generator()

    def manual_seed(self, seed):
        self._impl.manual_seed(seed)
        return self

    def seed(self):
        import random
        s = random.SystemRandom().randrange(2 ** 63)
        self._impl.manual_seed(s)
        return s

    def initial_seed(self):
        return self._impl.initial_seed()

    def get_state(self):
        return self._impl.get_state()

    def set_state(self, state):
        self._impl.set_state(state)


default_generator = Generator()
default_generator.manual_seed(0x5EED)


def manual_seed(seed):
    """Seeds the global generator: the same seed gives the same rand/randn/randperm/init."""
    return default_generator.manual_seed(int(seed))


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state):
    default_generator.set_state(state)
