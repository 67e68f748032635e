# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""hayabusa._C: bindings to the C kernels in csrc/kernels.

Each kernel family has its own include file (csrc/<family>.pxi). A binding
validates every argument (types, dtypes, shapes, contiguity, writability) and
raises TypeError/ValueError/RuntimeError with shapes and dtypes in the message;
only then does it release the GIL and call C, which never sees a bad call.
"""
cimport numpy as cnp
import numpy as np

cnp.import_array()

include "common.pxi"
include "views.pxi"
include "isa.pxi"
include "threads.pxi"
include "build_info.pxi"
include "gemm.pxi"
include "binary.pxi"
include "reduce.pxi"
include "optim.pxi"
include "activation.pxi"
include "softmax.pxi"
include "loss.pxi"
include "conv.pxi"
include "pool.pxi"
include "norm.pxi"
include "upsample.pxi"
