"""Import time and peak memory of each engine, each measured in fresh processes.

    python -m bench.footprint [--steps 100] [--repeats 11] [--json FILE]

Import time: the median and best wall-clock time of `import ENGINE` in several
fresh processes (numpy's alone too: both engines import it). Peak
memory: the resident-set high-water mark (ru_maxrss) of a process that
imports the engine and trains the MNIST MLP (batch 128, 784 -> 256 -> 256 ->
10, ReLU, Adam) on random data for --steps steps.
"""
import argparse
import json
import subprocess
import sys

TRAIN = """
import resource
import numpy as np
import {engine} as torch
nn = torch.nn
rng = np.random.default_rng(0)
x = torch.from_numpy(rng.standard_normal((128, 784)).astype(np.float32))
y = torch.from_numpy(rng.integers(0, 10, 128).astype(np.int64))
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                      nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for _ in range({steps}):
    opt.zero_grad()
    crit(model(x), y).backward()
    opt.step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


IMPORT = """
import time
t0 = time.perf_counter()
import {engine}
print(time.perf_counter() - t0)
"""


def import_ms(engine, repeats):
    """(median, best) wall-clock time of `import ENGINE` in `repeats` fresh processes, in ms.
    Timed inside the process around the import statement alone, so interpreter start-up is
    left out; `python -X importtime` gives the per-module breakdown (its own bookkeeping
    inflates the total by a fifth or so)."""
    times = sorted(float(subprocess.run([sys.executable, "-c", IMPORT.format(engine=engine)],
                                        capture_output=True, text=True, check=True).stdout) * 1e3
                   for _ in range(repeats))
    return times[len(times) // 2], times[0]


def peak_rss_mb(engine, steps):
    proc = subprocess.run([sys.executable, "-c", TRAIN.format(engine=engine, steps=steps)],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout.split()[-1]) / 1024


def measure(engines=("torch", "hayabusa"), steps=100, repeats=11):
    results = {}
    for engine in ("numpy",) + tuple(engines):    # numpy alone: the floor under both engines
        median, best = import_ms(engine, repeats)
        results[engine] = {"import_ms": median, "import_best_ms": best,
                           "peak_rss_mb": None if engine == "numpy" else peak_rss_mb(engine, steps)}
    return results


EDITABLE_CHECK = """
import sys
import hayabusa
print(any(name.startswith("_editable") and "hayabusa" in name for name in sys.modules))
"""


def editable_install():
    """Whether hayabusa is a scikit-build-core editable install (`pip install -e .`): its import
    runs a CMake rebuild check first (about 150 ms here), which a user's install does not."""
    out = subprocess.run([sys.executable, "-c", EDITABLE_CHECK], capture_output=True, text=True,
                         check=True).stdout
    return out.strip() == "True"


def report(results, steps):
    print(f"{'engine':10s} {'import ms (median)':>18s} {'(best)':>8s} {f'peak RSS MB ({steps} MNIST steps)':>32s}")
    for engine, r in results.items():
        rss = "-" if r["peak_rss_mb"] is None else f"{r['peak_rss_mb']:.1f}"
        print(f"{engine:10s} {r['import_ms']:18.1f} {r['import_best_ms']:8.1f} {rss:>32s}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    results = measure(steps=args.steps, repeats=args.repeats)
    report(results, args.steps)
    if editable_install():
        print("note: hayabusa is an editable install here (pip install -e .), whose import runs a "
              "rebuild check first: measure a regular install (pip install .) for a user's figure")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"steps": args.steps, "engines": results}, f, indent=1)


if __name__ == "__main__":
    main()
