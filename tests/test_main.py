"""python -m hayabusa: the bug-report summary of the version, the build and the machine."""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import hayabusa as hb
from hayabusa import _C


def run_main(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("HAYABUSA_ISA", "OMP_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-m", "hayabusa"], env={**clean, **env}, check=True,
                         capture_output=True, text=True).stdout
    lines = [line.split(":", 1) for line in out.splitlines()]
    return {name: value.strip() for name, value in lines}


def test_reports_version_build_and_machine():
    report = run_main(OMP_NUM_THREADS="3")
    assert list(report) == ["hayabusa", "Python", "platform", "machine", "numpy", "compiler", "ISA",
                            "OpenMP", "CUDA"]
    assert report["hayabusa"] == f"{hb.__version__} ({os.path.dirname(hb.__file__)})"
    assert report["Python"].startswith("{}.{}.{} (".format(*sys.version_info[:3]))
    assert report["numpy"] == np.__version__
    info = _C.build_info()
    assert info["compiler"] != "unknown" and info["compiler_version"]
    assert report["compiler"] == f"{info['compiler']} {info['compiler_version']}"
    assert report["ISA"] == (f"{_C.detect_isa()} in use (detected from the CPU); "
                             f"compiled: {', '.join(_C.compiled_isas())}")
    assert info["openmp"] >= 200505
    assert report["OpenMP"].endswith(f"(_OPENMP {info['openmp']}); 3 threads (OMP_NUM_THREADS=3)")
    cupy = "not installed" if importlib.util.find_spec("cupy") is None else ""
    assert report["CUDA"].startswith(f"available: {hb.cuda.is_available()}; cupy: {cupy}")


@pytest.mark.parametrize("name", _C.compiled_isas())
def test_reports_an_instruction_set_forced_at_import(name):
    try:
        _C.set_isa(name)
    except RuntimeError as e:
        pytest.skip(f"{name}: {e}")
    finally:
        _C.set_isa(_C.detect_isa())
    report = run_main(HAYABUSA_ISA=name, OMP_NUM_THREADS="1")
    assert report["ISA"] == f"{name} in use (forced by HAYABUSA_ISA); compiled: {', '.join(_C.compiled_isas())}"
    assert report["OpenMP"].endswith("; 1 thread (OMP_NUM_THREADS=1)")


def test_import_loads_neither_cupy_nor_torch():
    code = "import sys, hayabusa; print(sorted({m.split('.')[0] for m in sys.modules} & {'cupy', 'torch'}))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
