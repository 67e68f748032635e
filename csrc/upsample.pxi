# Separable 2-D resampling (interpolate): arrays are (planes, height, width).

cdef extern from "upsample.h":
    int hb_upsample2d_forward_f32(const float *x, float *y, int64_t planes, int64_t height,
                                  int64_t width, int64_t out_height, int64_t out_width,
                                  const int64_t *rows, const float *row_w, const int64_t *cols,
                                  const float *col_w) nogil
    int hb_upsample2d_forward_f64(const double *x, double *y, int64_t planes, int64_t height,
                                  int64_t width, int64_t out_height, int64_t out_width,
                                  const int64_t *rows, const double *row_w, const int64_t *cols,
                                  const double *col_w) nogil
    int hb_upsample2d_backward_f32(const float *grad_y, float *grad_x, int64_t planes,
                                   int64_t height, int64_t width, int64_t out_height,
                                   int64_t out_width, const int64_t *rows, const float *row_w,
                                   const int64_t *cols, const float *col_w) nogil
    int hb_upsample2d_backward_f64(const double *grad_y, double *grad_x, int64_t planes,
                                   int64_t height, int64_t width, int64_t out_height,
                                   int64_t out_width, const int64_t *rows, const double *row_w,
                                   const int64_t *cols, const double *col_w) nogil


cdef cnp.ndarray _taps(object a, str name, int64_t n, int64_t size):
    """(n, 2) int64 source indices, each in [0, size)."""
    cdef cnp.ndarray arr = _array(a, name)
    if cnp.PyArray_TYPE(arr) != cnp.NPY_INT64 or (<object>arr).shape != (n, 2):
        raise ValueError(f"{name} must be int64 of shape ({n}, 2), got {_describe(arr)}")
    if n and (arr.min() < 0 or arr.max() >= size):
        raise ValueError(f"{name}: source indices must lie in [0, {size})")
    return _contiguous_input(arr, name)


cdef cnp.ndarray _tap_weights(object a, str name, int64_t n, int t):
    if a is None:
        return None
    cdef cnp.ndarray arr = _array(a, name)
    if cnp.PyArray_TYPE(arr) != t or (<object>arr).shape != (n, 2):
        raise ValueError(f"{name} must be of shape ({n}, 2) and the data's dtype, got {_describe(arr)}")
    return _contiguous_input(arr, name)


cdef int _resample_call(cnp.ndarray src, cnp.ndarray dst, cnp.ndarray big, cnp.ndarray small,
                        rows, row_w, cols, col_w, bint forward) except -1:
    cdef int t = cnp.PyArray_TYPE(big)
    cdef int64_t planes = cnp.PyArray_DIM(big, 0), h = cnp.PyArray_DIM(big, 1), w = cnp.PyArray_DIM(big, 2)
    cdef int64_t oh = cnp.PyArray_DIM(small, 1), ow = cnp.PyArray_DIM(small, 2)
    if cnp.PyArray_DIM(small, 0) != planes:
        raise ValueError(f"plane counts differ: {_describe(big)} and {_describe(small)}")
    if (oh and not h) or (ow and not w):
        raise ValueError(f"cannot resample the empty planes of {_describe(big)}")
    cdef cnp.ndarray ra = _taps(rows, "rows", oh, h)
    cdef cnp.ndarray ca = _taps(cols, "cols", ow, w)
    cdef cnp.ndarray rw = _tap_weights(row_w, "row_w", oh, t)
    cdef cnp.ndarray cw = _tap_weights(col_w, "col_w", ow, t)
    _check_output(dst, "output")
    src = _contiguous_input(src, "input")
    cdef void *ps = cnp.PyArray_DATA(src)
    cdef void *pd = cnp.PyArray_DATA(dst)
    cdef const int64_t *pr = <const int64_t *>cnp.PyArray_DATA(ra)
    cdef const int64_t *pc = <const int64_t *>cnp.PyArray_DATA(ca)
    cdef void *prw = _ptr(rw)
    cdef void *pcw = _ptr(cw)
    cdef int status
    _sync_threads()
    with nogil:
        if forward and t == cnp.NPY_FLOAT:
            status = hb_upsample2d_forward_f32(<const float *>ps, <float *>pd, planes, h, w, oh, ow,
                                               pr, <const float *>prw, pc, <const float *>pcw)
        elif forward:
            status = hb_upsample2d_forward_f64(<const double *>ps, <double *>pd, planes, h, w, oh, ow,
                                               pr, <const double *>prw, pc, <const double *>pcw)
        elif t == cnp.NPY_FLOAT:
            status = hb_upsample2d_backward_f32(<const float *>ps, <float *>pd, planes, h, w, oh, ow,
                                                pr, <const float *>prw, pc, <const float *>pcw)
        else:
            status = hb_upsample2d_backward_f64(<const double *>ps, <double *>pd, planes, h, w, oh,
                                                ow, pr, <const double *>prw, pc,
                                                <const double *>pcw)
    _check_status(status, "upsample2d")
    return 0


def upsample2d_forward(x, y, rows, row_w, cols, col_w):
    """y[p, i, j] from x[p] through the per-row and per-column taps (weights None: nearest)."""
    cdef cnp.ndarray xa = _planes(x, "x", -1)
    cdef cnp.ndarray ya = _planes(y, "y", cnp.PyArray_TYPE(xa))
    _resample_call(xa, ya, xa, ya, rows, row_w, cols, col_w, True)
    return y


def upsample2d_backward(grad_y, grad_x, rows, row_w, cols, col_w):
    """grad_x = the transpose of upsample2d_forward applied to grad_y."""
    cdef cnp.ndarray ga = _planes(grad_y, "grad_y", -1)
    cdef cnp.ndarray gx = _planes(grad_x, "grad_x", cnp.PyArray_TYPE(ga))
    _resample_call(ga, gx, gx, ga, rows, row_w, cols, col_w, False)
    return grad_x
