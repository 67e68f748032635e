# Shared validation helpers for the kernel bindings.
from libc.stdint cimport int64_t
cimport numpy as cnp

cdef extern from "isa.h":
    int HB_OK
    int HB_EINVAL
    int HB_ENOMEM
    int HB_EUNSUPPORTED


cdef inline str _describe(object a):
    if isinstance(a, cnp.ndarray):
        return f"array of shape {a.shape} and dtype {a.dtype}"
    return f"{type(a).__name__}"


cdef inline cnp.ndarray _array(object a, str name):
    """`a` as an ndarray, or TypeError."""
    if not isinstance(a, cnp.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {_describe(a)}")
    return <cnp.ndarray>a


cdef inline int _float_type(cnp.ndarray a, str name) except -1:
    """NPY_FLOAT or NPY_DOUBLE, or TypeError."""
    cdef int t = cnp.PyArray_TYPE(a)
    if t != cnp.NPY_FLOAT and t != cnp.NPY_DOUBLE:
        raise TypeError(f"{name} must be float32 or float64, got {a.dtype}")
    return t


cdef inline cnp.ndarray _contiguous_input(object a, str name):
    """A C-contiguous ndarray with the same values (a copy only if needed)."""
    cdef cnp.ndarray arr = _array(a, name)
    if not cnp.PyArray_IS_C_CONTIGUOUS(arr):
        arr = cnp.PyArray_GETCONTIGUOUS(arr)
    return arr


cdef inline int _check_output(cnp.ndarray out, str name) except -1:
    """An output must be C-contiguous and writable: the kernel writes it in place."""
    if not cnp.PyArray_IS_C_CONTIGUOUS(out):
        raise ValueError(f"{name} must be C-contiguous, got strides {(<object>out).strides} for shape {(<object>out).shape}")
    if not cnp.PyArray_ISWRITEABLE(out):
        raise ValueError(f"{name} is read-only")
    return 0


# The checks below run on every kernel call, so the messages are only
# formatted when a check fails: a call names its function, the op (or None)
# and the arrays compared, e.g. ("unary_forward", "relu", "x and out").
cdef str _context(str fn, object op, str names):
    head = fn if op is None else f"{fn}({op!r})"
    return f"{head} {names}" if names else head


cdef inline int _same_dtype(cnp.ndarray a, cnp.ndarray b, str fn, object op, str names) except -1:
    if cnp.PyArray_TYPE(a) != cnp.PyArray_TYPE(b):
        raise TypeError(f"{_context(fn, op, names)}: dtypes differ ({a.dtype} and {b.dtype})")
    return 0


cdef inline bint _dims_equal(cnp.ndarray a, cnp.ndarray b) noexcept:
    cdef int nd = cnp.PyArray_NDIM(a), i
    if nd != cnp.PyArray_NDIM(b):
        return False
    for i in range(nd):
        if cnp.PyArray_DIM(a, i) != cnp.PyArray_DIM(b, i):
            return False
    return True


cdef inline int _same_shape(cnp.ndarray a, cnp.ndarray b, str fn, object op, str names) except -1:
    if not _dims_equal(a, b):
        raise ValueError(f"{_context(fn, op, names)}: shapes differ ({(<object>a).shape} and "
                         f"{(<object>b).shape})")
    return 0


cdef inline cnp.ndarray _empty_like(cnp.ndarray a):
    """A new C-contiguous array of a's shape and dtype (an output the binding allocates)."""
    return cnp.PyArray_EMPTY(cnp.PyArray_NDIM(a), cnp.PyArray_DIMS(a), cnp.PyArray_TYPE(a), 0)


cdef inline int _check_status(int status, str kernel) except -1:
    if status == HB_OK:
        return 0
    if status == HB_ENOMEM:
        raise MemoryError(f"{kernel}: out of memory")
    if status == HB_EINVAL:
        raise ValueError(f"{kernel}: invalid arguments")
    raise RuntimeError(f"{kernel}: failed with status {status}")


# ----------------------------------------------------------- layer kernels (conv, pool, norm)
cdef inline tuple _shape(cnp.ndarray a):
    return (<object>a).shape


cdef inline void *_ptr(cnp.ndarray a):
    """The data pointer of an optional array (NULL for None)."""
    return NULL if a is None else cnp.PyArray_DATA(a)


cdef tuple _pair(object v, str name):
    if not isinstance(v, tuple) or len(v) != 2:
        raise TypeError(f"{name} must be a (height, width) tuple of ints, got {v!r}")
    return v
