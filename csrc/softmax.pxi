# Softmax and log-softmax over one dimension.

cdef extern from "softmax.h":
    int hb_softmax_forward_f32(const float *x, float *y, int64_t outer, int64_t n, int64_t inner,
                               int log) nogil
    int hb_softmax_forward_f64(const double *x, double *y, int64_t outer, int64_t n, int64_t inner,
                               int log) nogil
    int hb_softmax_backward_f32(const float *grad_out, const float *y, float *grad_in, int64_t outer,
                                int64_t n, int64_t inner, int log) nogil
    int hb_softmax_backward_f64(const double *grad_out, const double *y, double *grad_in,
                                int64_t outer, int64_t n, int64_t inner, int log) nogil


cdef int _wrap_dim(int dim, int ndim) except -1:
    """dim in [0, ndim), PyTorch's way: a 0-d array has dims -1 and 0."""
    cdef int rank = ndim if ndim > 0 else 1
    if dim < -rank or dim >= rank:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {dim})")
    return dim + rank if dim < 0 else dim


cdef int _softmax_view(cnp.ndarray a, int dim, int64_t *outer, int64_t *n, int64_t *inner) except -1:
    """(outer, n, inner) view of `a` with the softmax over n (a 0-d array is one row of one)."""
    cdef int ndim = cnp.PyArray_NDIM(a)
    cdef int d = _wrap_dim(dim, ndim)
    cdef cnp.npy_intp *shape = cnp.PyArray_DIMS(a)
    cdef int i
    outer[0] = 1
    n[0] = 1
    inner[0] = 1
    if ndim == 0:
        return 0
    for i in range(d):
        outer[0] *= shape[i]
    n[0] = shape[d]
    for i in range(d + 1, ndim):
        inner[0] *= shape[i]
    return 0


def softmax_forward(x, out, int dim, bint log):
    """out = softmax(x, dim), or log_softmax when `log`. out: None (a new array
    is returned) or a C-contiguous array of x's shape and dtype. Returns out."""
    cdef str name = "log_softmax_forward" if log else "softmax_forward"
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    cdef int64_t outer, n, inner
    _softmax_view(xa, dim, &outer, &n, &inner)
    xa = _contiguous_input(xa, "x")
    cdef cnp.ndarray oa
    if out is None:
        oa = _empty_like(xa)
    else:
        oa = _array(out, "out")
        _float_type(oa, "out")
        _same_dtype(xa, oa, name, None, "x and out")
        _same_shape(xa, oa, name, None, "x and out")
        _check_output(oa, "out")
        xa = _apart(xa, oa)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_softmax_forward_f32(<const float *>cnp.PyArray_DATA(xa),
                                            <float *>cnp.PyArray_DATA(oa), outer, n, inner, log)
        else:
            status = hb_softmax_forward_f64(<const double *>cnp.PyArray_DATA(xa),
                                            <double *>cnp.PyArray_DATA(oa), outer, n, inner, log)
    _check_status(status, name)
    return oa


def softmax_backward(grad_out, out, grad_in, int dim, bint log):
    """grad_in from grad_out and the forward's output `out` (softmax, or
    log_softmax when `log`). grad_in: None (a new array is returned) or a
    C-contiguous array of out's shape and dtype. Returns grad_in."""
    cdef str name = "log_softmax_backward" if log else "softmax_backward"
    cdef cnp.ndarray ga = _array(grad_out, "grad_out")
    cdef cnp.ndarray ya = _array(out, "out")
    cdef int t = _float_type(ga, "grad_out")
    _float_type(ya, "out")
    _same_dtype(ga, ya, name, None, "grad_out and out")
    _same_shape(ga, ya, name, None, "grad_out and out")
    cdef cnp.ndarray gi
    if grad_in is None:
        gi = _empty_like(ya)
    else:
        gi = _array(grad_in, "grad_in")
        _float_type(gi, "grad_in")
        _same_dtype(ga, gi, name, None, "grad_out and grad_in")
        _same_shape(ga, gi, name, None, "grad_out and grad_in")
        _check_output(gi, "grad_in")
    cdef int64_t outer, n, inner
    _softmax_view(ga, dim, &outer, &n, &inner)
    ga = _apart(_contiguous_input(ga, "grad_out"), gi)
    ya = _apart(_contiguous_input(ya, "out"), gi)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_softmax_backward_f32(<const float *>cnp.PyArray_DATA(ga),
                                             <const float *>cnp.PyArray_DATA(ya),
                                             <float *>cnp.PyArray_DATA(gi), outer, n, inner, log)
        else:
            status = hb_softmax_backward_f64(<const double *>cnp.PyArray_DATA(ga),
                                             <const double *>cnp.PyArray_DATA(ya),
                                             <double *>cnp.PyArray_DATA(gi), outer, n, inner, log)
    _check_status(status, name)
    return gi
