"""Threads: grad mode is per thread, as in PyTorch; set_num_threads is process-wide
and takes effect; kernels release the GIL; concurrent inference matches serial."""
import threading

import pytest

import hayabusa as hb
import hayabusa.nn as nn


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
