# Reductions over one axis: sum, mean, max/min with indices (csrc/kernels/reduce.c).

cdef extern from "reduce.h":
    int hb_reduce_sum_f32(const float *x, float *out, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_sum_f64(const double *x, double *out, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_mean_f32(const float *x, float *out, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_mean_f64(const double *x, double *out, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_max_f32(const float *x, float *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_max_f64(const double *x, double *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_min_f32(const float *x, float *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner) nogil
    int hb_reduce_min_f64(const double *x, double *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner) nogil


cdef int _reduce_axis(cnp.ndarray x, int axis, int64_t *outer, int64_t *n, int64_t *inner) except -1:
    """Normalizes `axis` (negative counts from the end; a 0-d x takes 0 or -1,
    as in torch) and views x as (outer, n, inner). Returns the axis."""
    cdef int ndim = cnp.PyArray_NDIM(x)
    cdef int rank = ndim if ndim > 0 else 1
    if axis < -rank or axis >= rank:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {axis})")
    if axis < 0:
        axis += rank
    outer[0] = 1
    n[0] = 1
    inner[0] = 1
    cdef int d
    for d in range(ndim):
        if d < axis:
            outer[0] *= x.shape[d]
        elif d == axis:
            n[0] = x.shape[d]
        else:
            inner[0] *= x.shape[d]
    return axis


cdef tuple _reduced_shape(cnp.ndarray x, int axis):
    shape = (<object>x).shape
    return shape[:axis] + shape[axis + 1:]


cdef cnp.ndarray _reduce_output(object out, cnp.ndarray x, tuple shape, str name):
    cdef cnp.ndarray o = _array(out, name)
    _same_dtype(x, o, name, None, "and x")
    if (<object>o).shape != shape:
        raise ValueError(f"{name} must have shape {shape} (x's shape {(<object>x).shape} without the reduced axis), "
                         f"got {(<object>o).shape}")
    _check_output(o, name)
    return o


cdef _reduce_sum(str kernel, object x, object out, int axis, bint mean):
    cdef cnp.ndarray xa = _contiguous_input(x, "x")
    cdef int t = _float_type(xa, "x")
    cdef int64_t outer, n, inner
    axis = _reduce_axis(xa, axis, &outer, &n, &inner)
    cdef cnp.ndarray o = _reduce_output(out, xa, _reduced_shape(xa, axis), "out")
    xa = _apart(xa, o)
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *po = cnp.PyArray_DATA(o)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            if mean:
                status = hb_reduce_mean_f32(<const float *>px, <float *>po, outer, n, inner)
            else:
                status = hb_reduce_sum_f32(<const float *>px, <float *>po, outer, n, inner)
        else:
            if mean:
                status = hb_reduce_mean_f64(<const double *>px, <double *>po, outer, n, inner)
            else:
                status = hb_reduce_sum_f64(<const double *>px, <double *>po, outer, n, inner)
    _check_status(status, kernel)


def reduce_sum(x, out, int axis):
    """out[...] = x.sum(axis); out has x's shape without `axis` (C-contiguous).
    float32 sums accumulate in double, pairwise; a sum over zero elements is 0."""
    _reduce_sum("reduce_sum", x, out, axis, False)


def reduce_mean(x, out, int axis):
    """out[...] = x.mean(axis); the mean over zero elements is NaN, as in torch."""
    _reduce_sum("reduce_mean", x, out, axis, True)


cdef _reduce_extreme(str kernel, object x, object values_out, object indices_out, int axis, bint is_max):
    cdef cnp.ndarray xa = _contiguous_input(x, "x")
    cdef int t = _float_type(xa, "x")
    cdef int64_t outer, n, inner
    axis = _reduce_axis(xa, axis, &outer, &n, &inner)
    cdef tuple shape = _reduced_shape(xa, axis)
    cdef cnp.ndarray v = _reduce_output(values_out, xa, shape, "values_out")
    cdef cnp.ndarray ix = None
    if indices_out is not None:
        ix = _array(indices_out, "indices_out")
        if cnp.PyArray_TYPE(ix) != cnp.NPY_INT64:
            raise TypeError(f"indices_out must be int64, got {ix.dtype}")
        if (<object>ix).shape != shape:
            raise ValueError(f"indices_out must have shape {shape}, got {(<object>ix).shape}")
        _check_output(ix, "indices_out")
        _check_apart(v, ix, kernel, "values_out and indices_out")
    xa = _apart(xa, v, ix)
    if n == 0:
        raise IndexError(f"{'max' if is_max else 'min'}(): Expected reduction dim {axis} to have non-zero size.")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *pv = cnp.PyArray_DATA(v)
    cdef int64_t *pi = <int64_t *>cnp.PyArray_DATA(ix) if ix is not None else NULL
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            if is_max:
                status = hb_reduce_max_f32(<const float *>px, <float *>pv, pi, outer, n, inner)
            else:
                status = hb_reduce_min_f32(<const float *>px, <float *>pv, pi, outer, n, inner)
        else:
            if is_max:
                status = hb_reduce_max_f64(<const double *>px, <double *>pv, pi, outer, n, inner)
            else:
                status = hb_reduce_min_f64(<const double *>px, <double *>pv, pi, outer, n, inner)
    _check_status(status, kernel)


def reduce_max(x, values_out, indices_out, int axis):
    """values_out[...] = x.max(axis), indices_out[...] = the first index of it
    (indices_out may be None). A NaN in a slice is its max, at its first NaN,
    as in torch.max. An empty axis raises IndexError, as in torch."""
    _reduce_extreme("reduce_max", x, values_out, indices_out, axis, True)


def reduce_min(x, values_out, indices_out, int axis):
    """Like reduce_max, for the minimum."""
    _reduce_extreme("reduce_min", x, values_out, indices_out, axis, False)
