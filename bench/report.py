"""Markdown tables of saved benchmark results, as the README's performance section shows them.

    python -m bench --json bench/results/steps.json --png bench/results/steps.png
    python bench/bench_gemm.py --json bench/results/gemm.json
    python bench/bench_gemm.py --threads 1 --json bench/results/gemm1.json
    python -m bench.footprint --json bench/results/footprint.json
    python -m bench.report bench/results [--png CHART]

Each file that exists in the folder becomes one table; the rest are skipped.
--png redraws the bar chart of steps.json's ratios (what `python -m bench --png` draws).
"""
import argparse
import json
import os


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


def ratio_chart(results, path, title=None):
    """A horizontal bar per workload: PyTorch time / hayabusa time, on a log scale (the
    DataLoader's tens and the kernels' ones on one axis), each bar labelled with its ratio."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = [r["workload"] for r in results][::-1]
    ratios = [r["ratio"] for r in results][::-1]
    fig, ax = plt.subplots(figsize=(10, 0.38 * len(results) + 1.4))
    bars = ax.barh(names, ratios, color=["tab:green" if r >= 1 else "tab:red" for r in ratios])
    ax.set_xscale("log")
    ax.axvline(1.0, color="k", lw=0.8)
    for bar, r in zip(bars, ratios):
        ax.text(bar.get_width() * 1.04, bar.get_y() + bar.get_height() / 2, f"{r:.2f}x",
                va="center", fontsize=8)
    ax.set_xlim(right=max(ratios) * 2.0)
    ax.set_xlabel("PyTorch time / hayabusa time (log scale; right of the line: hayabusa faster)")
    ax.tick_params(axis="y", labelsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


TABLES = {"steps.json": steps_table, "gemm.json": gemm_table, "gemm1.json": gemm_table,
          "footprint.json": footprint_table}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=os.path.join(os.path.dirname(__file__), "results"))
    parser.add_argument("--png", help="draw steps.json's ratios into this PNG file")
    args = parser.parse_args(argv)
    folder = args.folder
    if args.png:
        with open(os.path.join(folder, "steps.json")) as f:
            steps = json.load(f)
        ratio_chart(steps["results"], args.png,
                    f"hayabusa {steps['hayabusa']} vs PyTorch {steps['torch']}")
    for name, table in TABLES.items():
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path) as f:
                print(f"<!-- {name} -->")
                print("\n".join(table(json.load(f))))
                print()


if __name__ == "__main__":
    main()
