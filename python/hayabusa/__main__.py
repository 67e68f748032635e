"""python -m hayabusa: the version, the build and the machine, to paste into a bug report."""
import importlib.util
import os
import platform
import sys

import numpy

import hayabusa
from hayabusa import _C

# The _OPENMP macro is the date of the specification the compiler implements.
_OPENMP_VERSIONS = {200505: "2.5", 200805: "3.0", 201107: "3.1", 201307: "4.0", 201511: "4.5",
                    201811: "5.0", 202011: "5.1", 202111: "5.2", 202411: "6.0"}


def _isa():
    in_use = _C.get_isa()
    if os.environ.get("HAYABUSA_ISA"):
        how = "forced by HAYABUSA_ISA"
    elif in_use == _C.detect_isa():
        how = "detected from the CPU"
    else:
        how = "set with hayabusa._C.set_isa"
    return f"{in_use} in use ({how}); compiled: {', '.join(_C.compiled_isas())}"


def _openmp():
    date = _C.build_info()["openmp"]
    if not date:
        return "not compiled in"
    version = _OPENMP_VERSIONS.get(date, "unknown version")
    threads = hayabusa.get_num_threads()
    env = os.environ.get("OMP_NUM_THREADS")
    source = f"OMP_NUM_THREADS={env}" if env else f"{os.cpu_count()} logical CPUs"
    return f"{version} (_OPENMP {date}); {threads} thread{'s' if threads != 1 else ''} ({source})"


def _cupy():
    # Only here, never at `import hayabusa`: importing CuPy takes a second or more.
    if importlib.util.find_spec("cupy") is None:
        return "not installed"
    try:
        import cupy
    except Exception as e:  # a CuPy built for another CUDA fails here
        return f"installed but fails to import ({type(e).__name__}: {e})"
    return cupy.__version__


def report():
    """The lines `python -m hayabusa` prints, as (name, value) pairs."""
    info = _C.build_info()
    return [
        ("hayabusa", f"{hayabusa.__version__} ({os.path.dirname(hayabusa.__file__)})"),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})"),
        ("platform", platform.platform()),
        ("machine", platform.machine()),
        ("numpy", numpy.__version__),
        ("compiler", f"{info['compiler']} {info['compiler_version']}".strip()),
        ("ISA", _isa()),
        ("OpenMP", _openmp()),
        ("CUDA", f"available: {hayabusa.cuda.is_available()}; cupy: {_cupy()}"),
    ]


def main():
    for name, value in report():
        print(f"{name + ':':<10}{value}")


if __name__ == "__main__":
    main()
