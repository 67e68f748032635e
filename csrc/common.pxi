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


cdef inline int _native(cnp.ndarray a, str name) except -1:
    """The kernels read numbers in this machine's byte order: an array of the
    other (dtype '>f4' here) has the right type number and the wrong values."""
    if not cnp.PyArray_ISNOTSWAPPED(a):
        raise TypeError(f"{name} must be in the native byte order, got dtype {a.dtype.str!r}")
    return 0


cdef inline int _float_type(cnp.ndarray a, str name) except -1:
    """NPY_FLOAT or NPY_DOUBLE in the native byte order, or TypeError."""
    cdef int t = cnp.PyArray_TYPE(a)
    if t != cnp.NPY_FLOAT and t != cnp.NPY_DOUBLE:
        raise TypeError(f"{name} must be float32 or float64, got {a.dtype}")
    _native(a, name)
    return t


cdef inline cnp.ndarray _copy(cnp.ndarray a):
    return cnp.PyArray_NewCopy(a, cnp.NPY_CORDER)


cdef inline cnp.ndarray _contiguous_input(object a, str name):
    """A C-contiguous, aligned ndarray with the same values (a copy only if
    needed: a kernel takes its pointer as a T *, which must be aligned)."""
    cdef cnp.ndarray arr = _array(a, name)
    if not (cnp.PyArray_IS_C_CONTIGUOUS(arr) and cnp.PyArray_ISALIGNED(arr)):
        arr = _copy(arr)
    return arr


cdef inline bint _output_ok(cnp.ndarray a) noexcept:
    """What _check_output asks, as one test (callers format no message when it holds)."""
    return (cnp.PyArray_IS_C_CONTIGUOUS(a) and cnp.PyArray_ISWRITEABLE(a) and
            cnp.PyArray_ISALIGNED(a) and cnp.PyArray_ISNOTSWAPPED(a))


cdef inline int _check_output(cnp.ndarray out, str name) except -1:
    """An output must be C-contiguous, aligned, writable and in the native byte
    order: the kernel writes it in place through a T *."""
    if not cnp.PyArray_IS_C_CONTIGUOUS(out):
        raise ValueError(f"{name} must be C-contiguous, got strides {(<object>out).strides} for shape {(<object>out).shape}")
    if not cnp.PyArray_ISWRITEABLE(out):
        raise ValueError(f"{name} is read-only")
    if not cnp.PyArray_ISALIGNED(out):
        raise ValueError(f"{name} must be aligned to its {out.dtype} elements, got data at {<size_t>cnp.PyArray_DATA(out):#x}")
    _native(out, name)
    return 0


cdef void _span(cnp.ndarray a, char **lo, char **hi) noexcept:
    """The bytes [lo, hi) a's elements lie in."""
    cdef char *start = <char *>cnp.PyArray_DATA(a)
    cdef char *end = start + cnp.PyArray_ITEMSIZE(a)
    cdef int d
    cdef int64_t extent
    for d in range(cnp.PyArray_NDIM(a)):
        extent = (cnp.PyArray_DIM(a, d) - 1) * cnp.PyArray_STRIDE(a, d)
        if extent < 0:
            start += extent
        else:
            end += extent
    lo[0] = start
    hi[0] = end


cdef bint _overlaps(cnp.ndarray a, cnp.ndarray b) noexcept:
    """Whether the byte ranges a and b span intersect (a bounds check, not exact)."""
    if a is None or b is None or cnp.PyArray_SIZE(a) == 0 or cnp.PyArray_SIZE(b) == 0:
        return False
    cdef char *lo_a
    cdef char *hi_a
    cdef char *lo_b
    cdef char *hi_b
    _span(a, &lo_a, &hi_a)
    _span(b, &lo_b, &hi_b)
    return lo_a < hi_b and lo_b < hi_a


cdef inline cnp.ndarray _apart(cnp.ndarray a, cnp.ndarray out1, cnp.ndarray out2=None):
    """a, or a copy of it if it shares memory with an output: the kernels take
    inputs and outputs as restrict pointers, and threads write one part of an
    output while others still read the input."""
    if a is not None and (_overlaps(a, out1) or _overlaps(a, out2)):
        return _copy(a)
    return a


cdef int _check_apart(cnp.ndarray a, cnp.ndarray b, str fn, str names) except -1:
    """Two outputs of one call must not share memory."""
    if _overlaps(a, b):
        raise ValueError(f"{fn}: {names} share memory")
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
