"""Import time and peak memory of each engine, each measured in fresh processes.

    python -m bench.footprint [--steps 100] [--repeats 5] [--json FILE]

Import time: the best of several `python -X importtime -c "import ENGINE"`
runs (the package's cumulative time as Python itself reports it). Peak
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


def import_ms(engine, repeats):
    """Best of `repeats` cumulative import times of the engine's top-level package, in ms."""
    best = float("inf")
    for _ in range(repeats):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {engine}"],
                              capture_output=True, text=True, check=True)
        for line in proc.stderr.splitlines():
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[2] == engine:
                best = min(best, int(parts[1]) / 1000)
    return best


def peak_rss_mb(engine, steps):
    proc = subprocess.run([sys.executable, "-c", TRAIN.format(engine=engine, steps=steps)],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout.split()[-1]) / 1024


def measure(engines=("torch", "hayabusa"), steps=100, repeats=5):
    return {engine: {"import_ms": import_ms(engine, repeats),
                     "peak_rss_mb": peak_rss_mb(engine, steps)} for engine in engines}


def report(results, steps):
    print(f"{'engine':10s} {'import ms':>10s} {f'peak RSS MB ({steps} MNIST steps)':>32s}")
    for engine, r in results.items():
        print(f"{engine:10s} {r['import_ms']:10.1f} {r['peak_rss_mb']:32.1f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", help="write the results to this JSON file")
    args = parser.parse_args(argv)
    results = measure(steps=args.steps, repeats=args.repeats)
    report(results, args.steps)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"steps": args.steps, "engines": results}, f, indent=1)


if __name__ == "__main__":
    main()
