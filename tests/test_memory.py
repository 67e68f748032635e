"""Memory over a long run: resident memory flat after warm-up, graphs freed
after backward, no reference cycles left for the garbage collector.

The resident set is read from /proc/self/statm (Linux); the graph checks run
everywhere. A leak of 100 bytes a step in the tutorial loop, or of one
activation a step in the MLP, would break the bounds here.
"""
import gc
import os
import weakref

import numpy as np
import pytest

import hayabusa as torch
import hayabusa.nn as nn

TUTORIAL_STEPS = 20000
MLP_STEPS = 300
TUTORIAL_BOUND = 2 * 2**20
MLP_BOUND = 4 * 2**20


def resident_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# AddressSanitizer (.ci/sanitize) holds freed memory in quarantine: the resident set grows by design
measures_rss = pytest.mark.skipif(
    not os.path.exists("/proc/self/statm") or "libasan" in os.environ.get("LD_PRELOAD", ""),
    reason="needs /proc/self/statm and the plain allocator")


def tutorial():
    """The tutorial classifier: 400 points in 2-D, three classes, Linear(2, 3), cross-entropy, SGD."""
    x = torch.randn(400, 2)
    y = (x[:, 0] > x[:, 1]).long() + (x[:, 0] > 1).long()
    model = nn.Linear(2, 3)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def step():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return model, step


def mnist_mlp():
    """An MNIST-sized MLP on random data: batch 128, 784 -> 256 -> 256 -> 10, Adam."""
    x = torch.randn(128, 784)
    y = torch.randint(0, 10, (128,))
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return model, step


def growth(step, warmup, steps):
    """The largest rise of the resident set over `steps` steps after `warmup` steps."""
    for _ in range(warmup):
        step()
    start = peak = resident_bytes()
    for i in range(steps):
        step()
        if i % 100 == 0:
            peak = max(peak, resident_bytes())
    return max(peak, resident_bytes()) - start


@measures_rss
def test_tutorial_classifier_memory_is_flat():
    _, step = tutorial()
    first = step().item()
    rise = growth(step, 2000, TUTORIAL_STEPS)
    assert step().item() < first  # it trained
    assert rise <= TUTORIAL_BOUND, f"resident memory rose {rise / 2**20:.2f} MB over {TUTORIAL_STEPS} steps"


@measures_rss
def test_mnist_mlp_memory_is_flat():
    _, step = mnist_mlp()
    first = step().item()
    rise = growth(step, 30, MLP_STEPS)
    assert step().item() < first
    assert rise <= MLP_BOUND, f"resident memory rose {rise / 2**20:.2f} MB over {MLP_STEPS} steps"


def graph_nodes(loss):
    """Every node reachable from loss.grad_fn (AccumulateGrad included)."""
    seen, stack = [], [loss.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        stack.extend(getattr(node, "next_functions", ()))
    return seen


def saved_values(node):
    """What a node keeps for backward: its `saved` tuple and its attributes (hot nodes have
    no instance dict, only `saved`)."""
    saved = node.saved
    values = list(saved) if isinstance(saved, tuple) else [] if saved is None else [saved]
    if hasattr(node, "__dict__"):
        values += list(vars(node).values())
    return values


@pytest.mark.parametrize("make", [tutorial, mnist_mlp], ids=["tutorial", "mlp"])
def test_graph_freed_after_backward(make):
    model, _ = make()
    x = torch.randn(16, 2 if make is tutorial else 784)
    h = model(x)
    loss = h.relu().sum() + h.sigmoid().mean()
    nodes = graph_nodes(loss)
    functions = [n for n in nodes if type(n).__name__ != "AccumulateGrad"]
    assert len(functions) >= 4
    # what forward saved for backward: activations, not the user's input or the parameters
    own = {id(p._data) for p in model.parameters()} | {id(x._data)}
    saved = [weakref.ref(v) for n in functions for v in saved_values(n)
             if isinstance(v, np.ndarray) and id(v) not in own]
    assert saved
    node_refs = [weakref.ref(n) for n in functions]
    del nodes, functions, h
    loss.backward()
    assert all(r() is None for r in saved), "saved activations still alive after backward"
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()
    del loss
    # freed by reference counting alone: no cycle keeps a node for the collector
    assert all(r() is None for r in node_refs), "graph nodes still alive after the loss was dropped"


def test_retained_graph_is_freed_with_its_output():
    model, _ = mnist_mlp()
    loss = model(torch.randn(4, 784)).sum()
    refs = [weakref.ref(n) for n in graph_nodes(loss) if type(n).__name__ != "AccumulateGrad"]
    loss.backward(retain_graph=True)
    loss.backward()
    del loss
    assert all(r() is None for r in refs)


@pytest.mark.parametrize("make", [tutorial, mnist_mlp], ids=["tutorial", "mlp"])
def test_training_step_leaves_no_cycles(make):
    _, step = make()
    step()
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            step()
        assert gc.collect() == 0, "a training step left reference cycles for the collector"
    finally:
        gc.enable()


def test_rich_training_loop_leaves_no_cycles():
    """DataLoader, dropout, hooks, retain_graph, autograd.grad, no_grad evaluation,
    gradient clipping, anomaly mode: none of it may leave a cycle behind."""
    import warnings

    import hayabusa.nn.functional as F
    from hayabusa.utils.data import DataLoader, TensorDataset

    X, Y = torch.randn(96, 20), torch.randint(0, 4, (96,))
    loader = DataLoader(TensorDataset(X, Y), batch_size=32, shuffle=True)
    model = nn.Sequential(nn.Linear(20, 32), nn.GELU(), nn.Dropout(0.1), nn.Linear(32, 4))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

    def epoch():
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            out = model(xb)
            loss = criterion(out, yb) + 0.01 * F.mse_loss(out.softmax(1), F.one_hot(yb, 4).float())
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            loss.item()
        model.eval()
        with torch.no_grad():
            (model(X).argmax(1) == Y).float().mean().item()
        handle = model[0].weight.register_hook(lambda g: g * 1.0)
        loss = model(X).pow(2).mean()
        loss.backward(retain_graph=True)
        loss.backward()
        handle.remove()
        torch.autograd.grad(model(X).sum(), list(model.parameters()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with torch.autograd.detect_anomaly():
                model(X).sum().backward()

    epoch()
    gc.collect()
    gc.disable()
    try:
        epoch()
        assert gc.collect() == 0
    finally:
        gc.enable()
