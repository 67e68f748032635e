"""Markdown tables of saved benchmark results, as the README's performance section shows them.

    python -m bench --json bench/results/steps.json --png bench/results/steps.png
    python bench/bench_gemm.py --json bench/results/gemm.json
    python bench/bench_gemm.py --threads 1 --json bench/results/gemm1.json
    python -m bench.footprint --json bench/results/footprint.json
    python -m bench.report bench/results

Each file that exists in the folder becomes one table; the rest are skipped.
"""
import json
import os
import sys


def steps_table(r):
    rows = ["| workload | PyTorch µs | hayabusa µs | PyTorch / hayabusa |", "|---|---:|---:|---:|"]
    for w in r["results"]:
        rows.append(f"| {w['workload']} | {w['torch_us']:.1f} | {w['hayabusa_us']:.1f} | "
                    f"**{w['ratio']:.2f}x** |")
    for line in r.get("notes", []):
        rows.append("")
        rows.append(line)
    return rows


def gemm_table(r):
    rows = [f"{r['threads']} thread(s), ISA {r['isa']}, numpy {r['numpy']} (OpenBLAS), "
            f"torch {r['torch']} (MKL)", "",
            "| product | hayabusa GFLOP/s | numpy GFLOP/s | torch GFLOP/s | vs numpy | vs torch |",
            "|---|---:|---:|---:|---:|---:|"]
    for w in r["results"]:
        g, t = w["gflops"], w["seconds"]
        rows.append(f"| {w['workload']} | {g['hayabusa']:.1f} | {g['numpy']:.1f} | {g['torch']:.1f} | "
                    f"{t['numpy'] / t['hayabusa']:.2f}x | {t['torch'] / t['hayabusa']:.2f}x |")
    return rows


def footprint_table(r):
    rows = [f"| engine | `import` ms, median (best) | peak RSS MB ({r['steps']} MNIST MLP steps) |",
            "|---|---:|---:|"]
    for engine, v in r["engines"].items():
        rss = "-" if v["peak_rss_mb"] is None else f"{v['peak_rss_mb']:.0f}"
        label = "numpy alone" if engine == "numpy" else engine
        rows.append(f"| {label} | {v['import_ms']:.0f} ({v['import_best_ms']:.0f}) | {rss} |")
    return rows


TABLES = {"steps.json": steps_table, "gemm.json": gemm_table, "gemm1.json": gemm_table,
          "footprint.json": footprint_table}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    folder = argv[0] if argv else os.path.join(os.path.dirname(__file__), "results")
    for name, table in TABLES.items():
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path) as f:
                print(f"<!-- {name} -->")
                print("\n".join(table(json.load(f))))
                print()


if __name__ == "__main__":
    main()
