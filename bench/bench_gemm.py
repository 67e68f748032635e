"""GEMM micro-benchmark: hayabusa._C.matmul_into vs numpy.matmul vs torch.mm.

Square products 32..2048 in float32 and float64, and the products of an MNIST
MLP's first Linear layer (batch 128, 784 -> 256: forward, grad_input,
grad_weight) in float32. All three libraries run in one process on the same
arrays, interleaved round by round, each writing into a preallocated output;
the table gives median times, GFLOP/s and hayabusa's speed relative to the
others (> 1: hayabusa is faster). Each sample starts after --settle seconds of
idle (no library's worker threads still spinning from the previous one's turn)
and --warm seconds of untimed calls (see sample()).

    python bench/bench_gemm.py [--threads N] [--rounds R] [--settle S] [--warm S] [--json FILE]

--threads 1 gives the single-thread figures (OpenMP, OpenBLAS and MKL are all
limited before they load).
"""
import argparse
import json
import os
import platform
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=None, help="threads for all three (default: all cores)")
parser.add_argument("--rounds", type=int, default=7, help="interleaved timing rounds per workload")
parser.add_argument("--min-time", type=float, default=0.02, help="seconds per timed sample")
parser.add_argument("--settle", type=float, default=0.1,
                    help="seconds of idle before each timed sample (see SETTLE)")
parser.add_argument("--warm", type=float, default=0.03,
                    help="seconds of untimed calls after the idle, before each timed sample")
parser.add_argument("--json", help="write the results to this JSON file")
parser.add_argument("--only", nargs="*", help="substrings of the workloads to run")
args = parser.parse_args()

if args.threads is not None:
    # OpenMP, OpenBLAS and MKL read these when they load, so they go in before the imports.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from hayabusa import _C  # noqa: E402

if args.threads is not None:
    torch.set_num_threads(args.threads)

SQUARES = (32, 64, 128, 256, 512, 1024, 2048)


def workloads(rng):
    for dtype in (np.float32, np.float64):
        tag = "f32" if dtype == np.float32 else "f64"
        for n in SQUARES:
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            yield f"{tag} square {n}", a, b
        if dtype == np.float32:
            x = rng.standard_normal((128, 784)).astype(dtype)
            w = rng.standard_normal((256, 784)).astype(dtype)
            g = rng.standard_normal((128, 256)).astype(dtype)
            yield "f32 mlp fwd  x@W.T 128x784x256", x, w.T
            yield "f32 mlp bwd  g@W   128x256x784", g, w
            yield "f32 mlp bwd  g.T@x 256x128x784", g.T, x


# Each sample starts with --settle seconds of idle, then --warm seconds of untimed calls.
# Idle: three thread pools (our OpenMP, OpenBLAS's, PyTorch's OpenMP) share two cores in this
# process, and each keeps its threads spinning for a while after a call (libgomp: 300000
# pauses; OpenBLAS: about 2^28 cycles, some 80 ms). Timed straight after another library, a
# product found the other's threads still spinning on the core it needed: numpy's and
# PyTorch's 128 x 128 took 0.75 ms instead of 40 us. Warm: on this virtual machine the first
# milliseconds after an idle spell run slowly for any multi-threaded call (the idle vCPU must be
# woken): a 20 ms sample of our 128 x 128 straight after the idle took 1.7 ms a product, a
# 200 ms one 37 us. Together they time each library as a program using it alone sees it.
def sample(fn, number):
    time.sleep(args.settle)
    warm_until = time.perf_counter() + args.warm
    fn()
    while time.perf_counter() < warm_until:
        fn()
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def measure(a, b):
    m, k = a.shape
    n = b.shape[1]
    out_hb = np.empty((m, n), a.dtype)
    out_np = np.empty((m, n), a.dtype)
    ta = torch.from_numpy(a) if a.flags.c_contiguous else torch.from_numpy(a.T).t()
    tb = torch.from_numpy(b) if b.flags.c_contiguous else torch.from_numpy(b.T).t()
    out_t = torch.empty((m, n), dtype=ta.dtype)
    impls = {
        "hayabusa": lambda: _C.matmul_into(a, b, out_hb),
        "numpy": lambda: np.matmul(a, b, out=out_np),
        "torch": lambda: torch.mm(ta, tb, out=out_t),
    }
    for fn in impls.values():  # warm up, and check they agree
        fn()
    ref = a.astype(np.float64) @ b.astype(np.float64)
    tol = 1e-4 if a.dtype == np.float32 else 1e-12
    for label, res in (("hayabusa", out_hb), ("numpy", out_np), ("torch", out_t.numpy())):
        err = np.abs(res - ref).max() / (np.abs(ref).max() + 1e-30)
        assert err < tol, f"{label} disagrees with the float64 reference ({err:.2e})"
    numbers = {}
    for label, fn in impls.items():
        numbers[label] = max(1, int(args.min_time / max(sample(fn, 3), 1e-9)))
    times = {label: [] for label in impls}
    for _ in range(args.rounds):
        for label, fn in impls.items():
            times[label].append(sample(fn, numbers[label]))
    return {label: float(np.median(ts)) for label, ts in times.items()}, 2.0 * m * n * k


def main():
    rng = np.random.default_rng(0)
    threads = args.threads or torch.get_num_threads()
    print(f"threads: {threads}, isa: {_C.get_isa()}, numpy {np.__version__}, "
          f"torch {torch.__version__}, {platform.processor() or platform.machine()}")
    header = (f"{'workload':32} {'hayabusa':>17} {'numpy':>17} {'torch':>17} "
              f"{'vs numpy':>9} {'vs torch':>9}")
    print(header)
    print("-" * len(header))
    results = []
    for name, a, b in workloads(rng):
        if args.only and not any(s in name for s in args.only):
            continue
        med, flops = measure(a, b)

        def cell(label):
            t = med[label]
            unit, scale = ("us", 1e6) if t < 1e-3 else ("ms", 1e3)
            return f"{t * scale:7.1f}{unit} {flops / t / 1e9:6.1f}GF"

        print(f"{name:32} {cell('hayabusa'):>17} {cell('numpy'):>17} {cell('torch'):>17} "
              f"{med['numpy'] / med['hayabusa']:8.2f}x {med['torch'] / med['hayabusa']:8.2f}x",
              flush=True)
        results.append({"workload": name, "seconds": med,
                        "gflops": {k: flops / v / 1e9 for k, v in med.items()}})
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": threads, "isa": _C.get_isa(), "numpy": np.__version__,
                       "torch": torch.__version__, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
