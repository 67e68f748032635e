import numpy as np
import pytest

import hayabusa
from hayabusa import _C


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same global generator state and default dtype."""
    hayabusa.manual_seed(0)
    hayabusa.set_default_dtype(hayabusa.float32)
    yield


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(params=_C.compiled_isas())
def isa(request):
    """Runs a test once per compiled instruction set, skipping those this CPU lacks."""
    try:
        _C.set_isa(request.param)
    except RuntimeError as e:
        pytest.skip(f"{request.param}: {e}")
    try:
        assert _C.get_isa() == request.param
        yield request.param
    finally:
        _C.set_isa(_C.detect_isa())
