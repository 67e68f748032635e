"""Training-step benchmarks: the same workload on PyTorch and hayabusa, interleaved, in one process.

    python -m bench [--rounds 7] [--json results.json] [--png ratios.png] [--only NAME ...]

Each workload is built once per engine from the same numpy data; then the two
engines alternate, round by round, each timing a batch of iterations (after a
short idle that lets the other engine's threads park), and the median
per-iteration time of each engine is reported with the ratio
PyTorch / hayabusa (above 1 means hayabusa is faster).
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np


def _mlp(engine, sizes, act, rng_seed=0):
    nn = engine.nn
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(getattr(nn, act)())
    model = nn.Sequential(*layers)
    rng = np.random.default_rng(rng_seed)
    with engine.no_grad():
        for p in model.parameters():
            p.copy_(engine.from_numpy(rng.uniform(-0.3, 0.3, tuple(p.shape)).astype(np.float32)))
    return model


def training_step(sizes, batch, act, opt_name, opt_kw):
    """A workload factory: one zero_grad -> forward -> loss -> backward -> step."""
    def build(engine):
        rng = np.random.default_rng(1)
        x = engine.from_numpy(rng.standard_normal((batch, sizes[0])).astype(np.float32))
        y = engine.from_numpy(rng.integers(0, sizes[-1], batch).astype(np.int64))
        model = _mlp(engine, sizes, act)
        crit = engine.nn.CrossEntropyLoss()
        opt = getattr(engine.optim, opt_name)(model.parameters(), **opt_kw)

        def step():
            opt.zero_grad()
            loss = crit(model(x), y)
            loss.backward()
            opt.step()
        return step
    return build


def inference(sizes, batch, act):
    def build(engine):
        rng = np.random.default_rng(1)
        x = engine.from_numpy(rng.standard_normal((batch, sizes[0])).astype(np.float32))
        model = _mlp(engine, sizes, act)

        def step():
            with engine.no_grad():
                model(x)
        return step
    return build


def dataloader_epoch(n, features, batch, shuffle, split=None):
    """One pass of a DataLoader over in-memory tensors (the tutorials' input pipeline); split: the
    fraction random_split keeps for training."""
    def build(engine):
        from importlib import import_module
        data = import_module(engine.__name__ + ".utils.data")
        rng = np.random.default_rng(2)
        ds = data.TensorDataset(
            engine.from_numpy(rng.standard_normal((n, features)).astype(np.float32)),
            engine.from_numpy(rng.integers(0, 10, n).astype(np.int64)))
        if split is not None:
            ds, _ = data.random_split(ds, [split, 1 - split], generator=engine.Generator().manual_seed(0))
        loader = data.DataLoader(ds, batch_size=batch, shuffle=shuffle)

        def step():
            for _ in loader:
                pass
        return step
    return build


# Passes over an n-element float32 array that elementwise(n) makes, forward
# (relu 2, mul 3, add 2, sum 1) and backward (mul 2 + 2 against the broadcast
# seed, relu's backward 3, the two gradients of x added 3): its memory traffic.
ELEMENTWISE_PASSES = 18


def copy_bandwidth(n, rounds=7):
    """GB/s of a plain copy of n float32 values (read + write), best of several."""
    src = np.ones(n, np.float32)
    dst = np.empty_like(src)
    best = min(_time(lambda: np.copyto(dst, src), 5) for _ in range(rounds))
    return 2 * 4 * n / best / 1e9


def elementwise(n):
    """y = relu(x) * x + 1, summed, forward and backward."""
    def build(engine):
        rng = np.random.default_rng(3)
        x = engine.from_numpy(rng.standard_normal(n).astype(np.float32)).requires_grad_()

        def step():
            x.grad = None
            (engine.relu(x) * x + 1).sum().backward()
        return step
    return build


def softmax_cross_entropy(rows, classes):
    def build(engine):
        rng = np.random.default_rng(4)
        x = engine.from_numpy(rng.standard_normal((rows, classes)).astype(np.float32)).requires_grad_()
        y = engine.from_numpy(rng.integers(0, classes, rows).astype(np.int64))

        def step():
            x.grad = None
            engine.nn.functional.cross_entropy(x, y).backward()
        return step
    return build


def optimizer_step_alone(sizes, opt_name="Adam", **opt_kw):
    def build(engine):
        model = _mlp(engine, sizes, "ReLU")
        for p in model.parameters():
            p.grad = engine.ones_like(p)
        opt = getattr(engine.optim, opt_name)(model.parameters(), **{"lr": 1e-3, **opt_kw})
        return opt.step
    return build


def _lenet(engine):
    nn = engine.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(32 * 7 * 7, 10))


def _cifar_block(engine):
    nn = engine.nn
    return nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                         nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 16 * 16, 10))


def _same_weights(engine, model, seed=0):
    """Parameters drawn from one numpy generator, so both engines train the same network."""
    rng = np.random.default_rng(seed)
    with engine.no_grad():
        for p in model.parameters():
            bound = 1.0 / np.sqrt(max(1, int(np.prod(tuple(p.shape)[1:]))))
            p.copy_(engine.from_numpy(rng.uniform(-bound, bound, tuple(p.shape)).astype(np.float32)))
    return model


def cnn_step(make, input_shape, classes=10):
    """A CNN training step: zero_grad -> forward -> cross-entropy -> backward -> SGD momentum."""
    def build(engine):
        rng = np.random.default_rng(5)
        x = engine.from_numpy(rng.standard_normal(input_shape).astype(np.float32))
        y = engine.from_numpy(rng.integers(0, classes, input_shape[0]).astype(np.int64))
        model = _same_weights(engine, make(engine))
        crit = engine.nn.CrossEntropyLoss()
        opt = engine.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

        def step():
            opt.zero_grad()
            loss = crit(model(x), y)
            loss.backward()
            opt.step()
        return step
    return build


def cnn_inference(make, input_shape):
    """The forward pass in evaluation mode (BatchNorm on its running statistics), no grad."""
    def build(engine):
        rng = np.random.default_rng(5)
        x = engine.from_numpy(rng.standard_normal(input_shape).astype(np.float32))
        model = _same_weights(engine, make(engine)).eval()

        def step():
            with engine.no_grad():
                model(x)
        return step
    return build


WORKLOADS = {
    "tutorial classifier step (400x2 -> 3, SGD)":
        training_step([2, 3], 400, "ReLU", "SGD", dict(lr=0.01)),
    "tiny MLP step (32x16 -> 32 -> 4, SGD momentum)":
        training_step([16, 32, 4], 32, "ReLU", "SGD", dict(lr=0.01, momentum=0.9)),
    "MNIST MLP step (128x784 -> 256 -> 256 -> 10, Adam)":
        training_step([784, 256, 256, 10], 128, "ReLU", "Adam", dict(lr=1e-3)),
    "tutorial classifier forward": inference([2, 3], 400, "ReLU"),
    "tiny MLP forward": inference([16, 32, 4], 32, "ReLU"),
    "MNIST MLP forward": inference([784, 256, 256, 10], 128, "ReLU"),
    "Adam step alone (MNIST MLP parameters)": optimizer_step_alone([784, 256, 256, 10]),
    "RMSprop step alone (MNIST MLP, momentum, centered)":
        optimizer_step_alone([784, 256, 256, 10], "RMSprop", momentum=0.9, centered=True),
    "Adagrad step alone (MNIST MLP parameters)": optimizer_step_alone([784, 256, 256, 10], "Adagrad"),
    "NAdam step alone (MNIST MLP parameters)": optimizer_step_alone([784, 256, 256, 10], "NAdam"),
    "Adamax step alone (tiny MLP parameters)": optimizer_step_alone([16, 32, 4], "Adamax"),
    "elementwise fwd+bwd, 64 elements": elementwise(64),
    "elementwise fwd+bwd, 4M elements": elementwise(4 * 1024 * 1024),
    "cross-entropy fwd+bwd, 256x1000": softmax_cross_entropy(256, 1000),
    "DataLoader epoch (1024x8, batch 64, shuffled)": dataloader_epoch(1024, 8, 64, True),
    "DataLoader epoch (60000x784, batch 128)": dataloader_epoch(60000, 784, 128, False),
    "DataLoader epoch (random_split 80% of 10000x32, batch 64, shuffled)":
        dataloader_epoch(10000, 32, 64, True, split=0.8),
    "LeNet CNN step (32x1x28x28, SGD momentum)": cnn_step(_lenet, (32, 1, 28, 28)),
    "LeNet CNN forward (32x1x28x28)": cnn_inference(_lenet, (32, 1, 28, 28)),
    "CIFAR conv+BN block step (64x3x32x32, SGD momentum)": cnn_step(_cifar_block, (64, 3, 32, 32)),
    "CIFAR conv+BN block forward (64x3x32x32)": cnn_inference(_cifar_block, (64, 3, 32, 32)),
}


def _time(fn, iters, settle=0.0, warm=0.0):
    # settle: idle first, so that the other engine's OpenMP threads, still spinning after its
    # turn, have parked and do not take the cores this one's threads need (two engines, two
    # thread pools, two cores). warm: then untimed iterations, since on this virtual machine the
    # first milliseconds after an idle spell run multi-threaded code slowly (bench_gemm.py's
    # sample() has the figures). Each engine is timed as a program using it alone sees it.
    time.sleep(settle)
    warm_until = time.perf_counter() + warm
    while time.perf_counter() < warm_until:
        fn()
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    return (time.perf_counter() - start) / iters


def measure(build, engines, rounds, target_s=0.2, settle=0.05, warm=0.03):
    steps = {name: build(mod) for name, mod in engines.items()}
    iters = {}
    for name, fn in steps.items():
        fn()  # warm-up (and lazy initialization)
        once = max(_time(fn, 3), 1e-7)
        iters[name] = max(3, int(target_s / once))
    times = {name: [] for name in steps}
    for _ in range(rounds):
        for name, fn in steps.items():
            times[name].append(_time(fn, iters[name], settle, warm))
    return {name: statistics.median(t) for name, t in times.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--png", help="write a bar chart of the ratios to this PNG file")
    parser.add_argument("--only", nargs="*", help="substrings of the workloads to run")
    args = parser.parse_args(argv)

    import torch
    import hayabusa
    torch.set_num_threads(int(torch.get_num_threads()))
    engines = {"torch": torch, "hayabusa": hayabusa}
    results = []
    print(f"{'workload':55s} {'torch µs':>10s} {'hayabusa µs':>12s} {'ratio':>7s}")
    for name, build in WORKLOADS.items():
        if args.only and not any(s in name for s in args.only):
            continue
        med = measure(build, engines, args.rounds)
        ratio = med["torch"] / med["hayabusa"]
        results.append({"workload": name, "torch_us": med["torch"] * 1e6,
                        "hayabusa_us": med["hayabusa"] * 1e6, "ratio": ratio})
        print(f"{name:55s} {med['torch'] * 1e6:10.1f} {med['hayabusa'] * 1e6:12.1f} {ratio:6.2f}x",
              flush=True)
    notes = []
    big = [r for r in results if r["workload"].startswith("elementwise fwd+bwd, 4M")]
    if big:
        n = 4 * 1024 * 1024
        moved = ELEMENTWISE_PASSES * 4 * n / 1e9
        note = (f"4M-element elementwise fwd+bwd: about {ELEMENTWISE_PASSES} passes over 16 MiB, "
                f"i.e. PyTorch {moved / (big[0]['torch_us'] * 1e-6):.1f} GB/s, hayabusa "
                f"{moved / (big[0]['hayabusa_us'] * 1e-6):.1f} GB/s; a plain copy: "
                f"{copy_bandwidth(n):.1f} GB/s")
        notes.append(note)
        print(note)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"python": sys.version.split()[0], "torch": torch.__version__,
                       "hayabusa": hayabusa.__version__, "isa": hayabusa._C.get_isa(),
                       "results": results, "notes": notes}, f, indent=1)
    if args.png:
        if __package__:
            from .report import ratio_chart
        else:   # run as a script, python bench/run.py: bench/ is on sys.path
            from report import ratio_chart
        ratio_chart(results, args.png, f"hayabusa {hayabusa.__version__} vs PyTorch {torch.__version__}")

if __name__ == "__main__":
    main()
