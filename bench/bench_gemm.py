"""GEMM micro-benchmark: hayabusa._C.matmul_into vs numpy.matmul vs torch.mm.

float32 square products 32..2048 and the products of an MNIST MLP's first
Linear layer (batch 128, 784 -> 256: forward, grad_input, grad_weight). All
three run in one process on the same arrays, interleaved round by round, each
writing into a preallocated output; the table gives median times, GFLOP/s and
hayabusa's speed relative to the others (> 1: hayabusa is faster).

    PYTHONPATH=python python3 bench/bench_gemm.py [--threads N] [--rounds R]
"""
import argparse
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=None, help="threads for all three (default: all cores)")
parser.add_argument("--rounds", type=int, default=7, help="interleaved timing rounds per workload")
parser.add_argument("--min-time", type=float, default=0.02, help="seconds per timed sample")
args = parser.parse_args()

if args.threads is not None:
    # OpenMP, OpenBLAS and MKL read these when they load, so they go in before the imports.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from hayabusa import _C  # noqa: E402

if args.threads is not None:
    torch.set_num_threads(args.threads)


def workloads(rng):
    for n in (32, 64, 128, 256, 512, 1024, 2048):
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        yield f"square {n}", a, b
    x = rng.standard_normal((128, 784), dtype=np.float32)
    w = rng.standard_normal((256, 784), dtype=np.float32)
    g = rng.standard_normal((128, 256), dtype=np.float32)
    yield "mlp fwd  x@W.T 128x784x256", x, w.T
    yield "mlp bwd  g@W   128x256x784", g, w
    yield "mlp bwd  g.T@x 256x128x784", g.T, x


def sample(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def main():
    rng = np.random.default_rng(0)
    print(f"threads: {args.threads or 'default'} (torch {torch.get_num_threads()}), "
          f"isa: {_C.get_isa()}, numpy {np.__version__}, torch {torch.__version__}")
    header = f"{'workload':28} {'hayabusa':>17} {'numpy':>17} {'torch':>17} {'vs numpy':>9} {'vs torch':>9}"
    print(header)
    print("-" * len(header))
    for name, a, b in workloads(rng):
        m, k = a.shape
        n = b.shape[1]
        out_hb = np.empty((m, n), np.float32)
        out_np = np.empty((m, n), np.float32)
        ta = torch.from_numpy(a) if a.flags.c_contiguous else torch.from_numpy(a.T).t()
        tb = torch.from_numpy(b) if b.flags.c_contiguous else torch.from_numpy(b.T).t()
        out_t = torch.empty((m, n), dtype=torch.float32)
        impls = {
            "hayabusa": lambda: _C.matmul_into(a, b, out_hb),
            "numpy": lambda: np.matmul(a, b, out=out_np),
            "torch": lambda: torch.mm(ta, tb, out=out_t),
        }
        for fn in impls.values():  # warm up, and check they agree
            fn()
        ref = a.astype(np.float64) @ b.astype(np.float64)
        for label, res in (("hayabusa", out_hb), ("numpy", out_np), ("torch", out_t.numpy())):
            err = np.abs(res - ref).max() / (np.abs(ref).max() + 1e-30)
            assert err < 1e-4, f"{name}: {label} disagrees with the float64 reference ({err:.2e})"
        numbers = {}
        for label, fn in impls.items():
            t = sample(fn, 1)
            numbers[label] = max(1, int(args.min_time / max(t, 1e-9)))
        times = {label: [] for label in impls}
        for _ in range(args.rounds):
            for label, fn in impls.items():
                times[label].append(sample(fn, numbers[label]))
        med = {label: float(np.median(ts)) for label, ts in times.items()}
        flops = 2.0 * m * n * k

        def cell(label):
            t = med[label]
            unit, scale = ("us", 1e6) if t < 1e-3 else ("ms", 1e3)
            return f"{t * scale:7.1f}{unit} {flops / t / 1e9:6.1f}GF"

        print(f"{name:28} {cell('hayabusa'):>17} {cell('numpy'):>17} {cell('torch'):>17} "
              f"{med['numpy'] / med['hayabusa']:8.2f}x {med['torch'] / med['hayabusa']:8.2f}x",
              flush=True)


if __name__ == "__main__":
    main()
