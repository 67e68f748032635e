"""Threads: grad mode is per thread, as in PyTorch; set_num_threads is process-wide
and takes effect; kernels release the GIL; concurrent inference matches serial."""
import copy
import os
import threading
import time

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
from hayabusa import _C


def run_in_thread(fn):
    result = []
    t = threading.Thread(target=lambda: result.append(fn()))
    t.start()
    t.join()
    return result[0]


def test_grad_mode_is_per_thread():
    with hb.no_grad():
        assert not hb.is_grad_enabled()
        assert run_in_thread(hb.is_grad_enabled)  # a new thread starts with grad enabled
    x = hb.ones(3, requires_grad=True)

    def in_no_grad():
        with hb.no_grad():
            return (x * 2).requires_grad, hb.is_grad_enabled()
    assert run_in_thread(in_no_grad) == (False, False)
    assert hb.is_grad_enabled() and (x * 2).requires_grad

    def switch_off():
        hb.set_grad_enabled(False)
        return hb.is_grad_enabled()
    assert run_in_thread(switch_off) is False
    assert hb.is_grad_enabled()


def test_inference_under_no_grad_in_one_thread_leaves_training_in_another_alone():
    """With one process-wide flag, a thread serving inference under no_grad switched
    off the graph of the thread that was training: every one of 3000 steps lost it."""
    hb.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 4))
    x, y = hb.randn(32, 20), hb.randint(0, 4, (32,))
    criterion = nn.CrossEntropyLoss()
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            with hb.no_grad():
                model(x)
    server = threading.Thread(target=serve)
    server.start()
    try:
        without_graph = 0
        for _ in range(500):
            loss = criterion(model(x), y)
            if loss.grad_fn is None:
                without_graph += 1
            else:
                loss.backward()
    finally:
        stop.set()
        server.join()
    assert without_graph == 0


@pytest.fixture
def restore_threads():
    before = hb.get_num_threads()
    yield
    hb.set_num_threads(before)


def test_set_num_threads_is_process_wide(restore_threads):
    """omp_set_num_threads alone sets the calling thread's count: a kernel called
    from another thread kept OpenMP's default."""
    hb.set_num_threads(1)
    assert hb.get_num_threads() == 1
    assert run_in_thread(hb.get_num_threads) == 1
    hb.set_num_threads(3)
    assert run_in_thread(hb.get_num_threads) == 3 and hb.get_num_threads() == 3


def test_set_num_threads_errors_as_pytorch(restore_threads):
    with pytest.raises(RuntimeError, match="positive integer"):
        hb.set_num_threads(0)
    with pytest.raises(RuntimeError, match="expects an int, but got float"):
        hb.set_num_threads(2.5)
    with pytest.raises(RuntimeError, match="expects an int, but got bool"):
        hb.set_num_threads(True)
    hb.set_num_threads(np.int64(2))
    assert hb.get_num_threads() == 2 and isinstance(hb.get_num_threads(), int)


def large_workload():
    """One call of each threaded kernel family, past its threshold, in float64."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((300, 200)), rng.standard_normal((200, 250))
    x = rng.standard_normal((64, 1024))
    t = rng.integers(0, 1024, 64)
    p, g = rng.standard_normal(100_000), rng.standard_normal(100_000)
    _C.sgd_step([p], [g], None, 0.1, 0.0, 0.0, False, 0.0, False, False)
    big = rng.standard_normal(300_000)
    total = np.empty(())
    _C.reduce_sum(big, total, 0)
    return [_C.matmul_into(a, b), _C.softmax_forward(x, None, 1, True), _C.unary_forward("tanh", big),
            _C.cross_entropy_forward(x, t, None, -100, 0.0, "none")[0], p, total,
            _C.binary(_C.BINARY_OPS["mul"], big, big)]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in /proc/self/task")
def test_set_num_threads_takes_effect_and_results_do_not_depend_on_it(restore_threads):
    hb.set_num_threads(1)
    reference = large_workload()
    for n in (2, 5):
        hb.set_num_threads(n)
        got = large_workload()
        for want, have in zip(reference, got):
            np.testing.assert_array_equal(have, want)  # bit for bit
        # OpenMP keeps its team's threads: the process now has at least n of them
        assert len(os.listdir("/proc/self/task")) >= n


@pytest.mark.parametrize("name", ["matmul", "tanh", "softmax", "sum", "adam"])
def test_kernels_release_the_gil(name, restore_threads):
    """While one thread is inside a kernel, another runs Python: with the GIL held,
    no Python bytecode could run between the kernel's start and its end."""
    hb.set_num_threads(1)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((700, 700))
    big = rng.standard_normal(20_000_000)
    params = [rng.standard_normal(5_000_000)]
    calls = {
        "matmul": lambda: _C.matmul_into(a, a),
        "tanh": lambda: _C.unary_forward("tanh", big),
        "softmax": lambda: _C.softmax_forward(big.reshape(100, -1), None, 1, False),
        "sum": lambda: _C.reduce_sum(big.reshape(1000, -1), np.empty(1000), 1),
        "adam": lambda: _C.adam_step(params, [params[0] * 0.1], [np.zeros(5_000_000)],
                                     [np.zeros(5_000_000)], None, [1], 1e-3, 0.9, 0.999, 1e-8, 0.0,
                                     False, False, False),
    }
    window = []
    started = threading.Event()

    def kernel_thread():
        started.set()
        start = time.perf_counter()
        calls[name]()
        window.extend([start, time.perf_counter()])
    worker = threading.Thread(target=kernel_thread)
    ticks = []
    worker.start()
    started.wait()
    while worker.is_alive():
        ticks.append(time.perf_counter())
    worker.join()
    start, end = window
    inside = [t for t in ticks if start < t < end]
    assert len(inside) > 100, f"{len(inside)} Python steps ran during a {1e3 * (end - start):.1f} ms kernel"


def test_concurrent_inference_matches_serial():
    hb.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 128), nn.Tanh(), nn.Linear(128, 10),
                          nn.LogSoftmax(dim=1))
    model.eval()
    inputs = [hb.randn(200, 64) for _ in range(8)]
    with hb.no_grad():
        serial = [model(x).numpy().copy() for x in inputs]
    results = {}
    errors = []

    def infer(i):
        try:
            with hb.no_grad():
                for _ in range(20):
                    out = model(inputs[i]).numpy()
                    if not np.array_equal(out, serial[i]):
                        errors.append(i)
                results[i] = out
        except Exception as e:  # surfaced below: a thread's exception is otherwise lost
            errors.append(repr(e))
    threads = [threading.Thread(target=infer, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for i in range(len(inputs)):
        np.testing.assert_array_equal(results[i], serial[i])


def test_concurrent_training_of_separate_models_matches_serial():
    """Each thread trains its own model: the graphs, grad mode and optimizer steps
    of one thread must not leak into another's. (The models are made up front:
    the default generator is shared, as in PyTorch.)"""
    hb.manual_seed(0)
    models = [nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3)) for _ in range(4)]

    def train(seed):
        rng = np.random.default_rng(seed)
        x = hb.tensor(rng.standard_normal((64, 10)), dtype=hb.float32)
        y = hb.tensor(rng.integers(0, 3, 64))
        model = copy.deepcopy(models[seed])
        optimizer = hb.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(50):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        return [p.detach().numpy().copy() for p in model.parameters()]
    serial = [train(s) for s in range(4)]
    results = {}
    threads = [threading.Thread(target=lambda s=s: results.__setitem__(s, train(s))) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in range(4):
        for want, got in zip(serial[s], results[s]):
            np.testing.assert_array_equal(got, want)
