import numpy as np
import pytest

import hayabusa


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same global generator state and default dtype."""
    hayabusa.manual_seed(0)
    hayabusa.set_default_dtype(hayabusa.float32)
    yield


@pytest.fixture
def rng():
    return np.random.default_rng(0)
