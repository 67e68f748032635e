"""hayabusa.get_num_threads / set_num_threads against PyTorch's semantics and errors."""
import numpy as np
import pytest

import hayabusa as hb
from hayabusa import _C


@pytest.fixture
def restore_threads():
    before = hb.get_num_threads()
    yield
    hb.set_num_threads(before)


def test_get_num_threads_reads_openmp():
    assert hb.get_num_threads() == _C.get_num_threads() >= 1


@pytest.mark.parametrize("n", [1, 3, np.int64(2), np.int32(1), np.uint64(2)])
def test_set_num_threads_takes_effect(restore_threads, n):
    hb.set_num_threads(n)
    assert hb.get_num_threads() == _C.get_num_threads() == int(n)


def test_gemm_result_does_not_depend_on_the_thread_count(restore_threads, rng):
    # Large enough for the GEMM to run its OpenMP region; threads split the
    # output into blocks, so every element is summed in the same order.
    a = rng.standard_normal((192, 160))
    b = rng.standard_normal((160, 224))
    hb.set_num_threads(1)
    one = (hb.from_numpy(a) @ hb.from_numpy(b)).numpy()
    hb.set_num_threads(3)
    three = (hb.from_numpy(a) @ hb.from_numpy(b)).numpy()
    np.testing.assert_allclose(one, a @ b, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(one, three)


# Exceptions and messages recorded from torch 2.13's set_num_threads.
@pytest.mark.parametrize("value, error, message", [
    (0, RuntimeError, "set_num_threads expects a positive integer"),
    (-1, RuntimeError, "set_num_threads expects a positive integer"),
    (-2**31, RuntimeError, "set_num_threads expects a positive integer"),
    (np.int64(-1), RuntimeError, "set_num_threads expects a positive integer"),
    (2.0, RuntimeError, "set_num_threads expects an int, but got float"),
    ("2", RuntimeError, "set_num_threads expects an int, but got str"),
    (None, RuntimeError, "set_num_threads expects an int, but got NoneType"),
    (True, RuntimeError, "set_num_threads expects an int, but got bool"),
    (np.bool_(True), RuntimeError, "set_num_threads expects an int, but got numpy.bool"),
    (np.float64(2), RuntimeError, "set_num_threads expects an int, but got numpy.float64"),
    (2**31, ValueError, "Overflow when unpacking long"),
    (-2**40, ValueError, "Overflow when unpacking long"),
])
def test_set_num_threads_rejects_like_torch(restore_threads, value, error, message):
    before = hb.get_num_threads()
    with pytest.raises(error, match=f"^{message}$"):
        hb.set_num_threads(value)
    assert hb.get_num_threads() == before


def test_arguments_are_positional_only():
    with pytest.raises(TypeError):
        hb.set_num_threads(n=2)
    with pytest.raises(TypeError):
        hb.get_num_threads(1)


@pytest.mark.parametrize("value", [0, -3, 2.0, "2", None, True, np.bool_(False), np.float32(1), 2**31])
def test_errors_match_torch(restore_threads, value):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as expected:
        torch.set_num_threads(value)
    with pytest.raises(expected.type, match=f"^{expected.value}$"):
        hb.set_num_threads(value)
