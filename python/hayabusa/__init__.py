"""hayabusa: a small, fast neural-network engine with PyTorch's API."""
import os as _os

from . import _C

_C.set_isa(_os.environ.get("HAYABUSA_ISA") or _C.detect_isa())

__version__ = "0.1.0"
