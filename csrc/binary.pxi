# Elementwise arithmetic (csrc/kernels/binary.c): add, sub, mul, div.

cdef extern from "binary.h":
    enum hb_binary_op:
        HB_BINARY_ADD
        HB_BINARY_SUB
        HB_BINARY_MUL
        HB_BINARY_DIV
    int hb_binary_f32(int op, const float *a, int64_t a_stride, const float *b, int64_t b_stride,
                      float *out, int64_t n) nogil
    int hb_binary_f64(int op, const double *a, int64_t a_stride, const double *b,
                      int64_t b_stride, double *out, int64_t n) nogil

BINARY_OPS = {"add": HB_BINARY_ADD, "sub": HB_BINARY_SUB, "mul": HB_BINARY_MUL,
              "div": HB_BINARY_DIV}


cdef bint _repeats_one_value(cnp.ndarray a) noexcept:
    """Whether every element of a is one element in memory (all strides 0).
    An empty array has no element to repeat (numpy gives it zero strides too;
    the kernel would read a value from its 1-byte allocation)."""
    cdef int d
    if cnp.PyArray_SIZE(a) == 0:
        return False
    for d in range(cnp.PyArray_NDIM(a)):
        if cnp.PyArray_STRIDE(a, d) != 0 and cnp.PyArray_DIM(a, d) != 1:
            return False
    return True


cdef bint _covers(cnp.ndarray small, cnp.ndarray full) noexcept:
    """Whether broadcasting small against full gives full's shape."""
    cdef int nd = cnp.PyArray_NDIM(small), nf = cnp.PyArray_NDIM(full), d
    cdef cnp.npy_intp s
    if nd > nf:
        return False
    for d in range(nd):
        s = cnp.PyArray_DIM(small, nd - 1 - d)
        if s != 1 and s != cnp.PyArray_DIM(full, nf - 1 - d):
            return False
    return True


def binary(int op, a, b, out=None):
    """a op b (op from BINARY_OPS) in one threaded kernel, for the layouts it
    handles: float32/float64 arrays of one dtype, each either C-contiguous
    with the result's shape or repeating one value (one element, or a
    broadcast view of one), or a Python float or int against such an array
    (not a numpy scalar, which brings its own dtype to the promotion).
    out: None (a new array) or a C-contiguous array to write, which may be an
    operand. Returns the result, or NotImplemented for anything else (other
    dtypes or byte orders, general broadcasting, strided or misaligned views):
    the caller then uses the array library."""
    if op < 0 or op > HB_BINARY_DIV:
        raise ValueError(f"unknown binary op {op}; expected one of {BINARY_OPS}")
    cdef cnp.ndarray A = None, B = None, full
    cdef double av = 0.0, bv = 0.0
    cdef int64_t a_stride = 1, b_stride = 1
    cdef int t
    if isinstance(a, cnp.ndarray):
        A = <cnp.ndarray>a
    elif type(a) is float or type(a) is int:
        av = a
        a_stride = 0
    else:
        return NotImplemented
    if isinstance(b, cnp.ndarray):
        B = <cnp.ndarray>b
    elif type(b) is float or type(b) is int:
        bv = b
        b_stride = 0
    else:
        return NotImplemented
    if A is None and B is None:
        return NotImplemented
    if A is not None and B is not None and cnp.PyArray_TYPE(A) != cnp.PyArray_TYPE(B):
        return NotImplemented
    t = cnp.PyArray_TYPE(A if A is not None else B)
    if t != cnp.NPY_FLOAT and t != cnp.NPY_DOUBLE:
        return NotImplemented
    # the operand that gives the result its shape: a contiguous one, unless both repeat
    if A is not None and B is not None:
        if _dims_equal(A, B) and cnp.PyArray_IS_C_CONTIGUOUS(A) and cnp.PyArray_IS_C_CONTIGUOUS(B):
            full = A
        elif cnp.PyArray_IS_C_CONTIGUOUS(A) and _repeats_one_value(B) and _covers(B, A):
            full = A
            b_stride = 0
        elif cnp.PyArray_IS_C_CONTIGUOUS(B) and _repeats_one_value(A) and _covers(A, B):
            full = B
            a_stride = 0
        else:
            return NotImplemented
    elif A is not None:
        if not cnp.PyArray_IS_C_CONTIGUOUS(A):
            return NotImplemented
        full = A
    else:
        if not cnp.PyArray_IS_C_CONTIGUOUS(B):
            return NotImplemented
        full = B
    if (A is not None and not (cnp.PyArray_ISALIGNED(A) and cnp.PyArray_ISNOTSWAPPED(A))) or \
            (B is not None and not (cnp.PyArray_ISALIGNED(B) and cnp.PyArray_ISNOTSWAPPED(B))):
        return NotImplemented
    cdef cnp.ndarray O
    if out is None:
        O = _empty_like(full)
    else:
        O = _array(out, "out")
        if cnp.PyArray_TYPE(O) != t or not _dims_equal(O, full):
            raise ValueError(f"out must be a {full.dtype} array of shape {(<object>full).shape}, "
                             f"got {_describe(O)}")
        _check_output(O, "out")
        if (A is not None and O is not A and _overlaps(O, A)) or \
                (B is not None and O is not B and _overlaps(O, B)):
            raise ValueError("out overlaps an operand without being it")
    cdef int64_t n = cnp.PyArray_SIZE(O)
    cdef float a32 = <float>av, b32 = <float>bv
    cdef void *pa = cnp.PyArray_DATA(A) if A is not None else NULL
    cdef void *pb = cnp.PyArray_DATA(B) if B is not None else NULL
    cdef void *po = cnp.PyArray_DATA(O)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_binary_f32(op, <const float *>pa if pa != NULL else &a32, a_stride,
                                   <const float *>pb if pb != NULL else &b32, b_stride,
                                   <float *>po, n)
        else:
            status = hb_binary_f64(op, <const double *>pa if pa != NULL else &av, a_stride,
                                   <const double *>pb if pb != NULL else &bv, b_stride,
                                   <double *>po, n)
    _check_status(status, "binary")
    return O
