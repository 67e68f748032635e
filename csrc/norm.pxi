# Normalization: batch norm over (N, C, *), group norm and layer norm over rows.

cdef extern from "norm.h":
    int hb_batch_norm_forward_f32(const float *x, float *y, int64_t n, int64_t c, int64_t s,
                                  const float *weight, const float *bias, float *mean,
                                  float *invstd, float *running_mean, float *running_var,
                                  double momentum, double eps, int training) nogil
    int hb_batch_norm_forward_f64(const double *x, double *y, int64_t n, int64_t c, int64_t s,
                                  const double *weight, const double *bias, double *mean,
                                  double *invstd, double *running_mean, double *running_var,
                                  double momentum, double eps, int training) nogil
    int hb_batch_norm_backward_f32(const float *grad_y, const float *x, const float *mean,
                                   const float *invstd, const float *weight, int64_t n,
                                   int64_t c, int64_t s, float *grad_x, float *grad_w,
                                   float *grad_b, int training) nogil
    int hb_batch_norm_backward_f64(const double *grad_y, const double *x, const double *mean,
                                   const double *invstd, const double *weight, int64_t n,
                                   int64_t c, int64_t s, double *grad_x, double *grad_w,
                                   double *grad_b, int training) nogil
    int hb_group_norm_forward_f32(const float *x, float *y, int64_t n, int64_t groups,
                                  int64_t cg, int64_t s, const float *weight, const float *bias,
                                  double eps, float *mean, float *rstd) nogil
    int hb_group_norm_forward_f64(const double *x, double *y, int64_t n, int64_t groups,
                                  int64_t cg, int64_t s, const double *weight,
                                  const double *bias, double eps, double *mean,
                                  double *rstd) nogil
    int hb_group_norm_backward_f32(const float *grad_y, const float *x, const float *mean,
                                   const float *rstd, const float *weight, int64_t n,
                                   int64_t groups, int64_t cg, int64_t s, float *grad_x,
                                   float *grad_w, float *grad_b) nogil
    int hb_group_norm_backward_f64(const double *grad_y, const double *x, const double *mean,
                                   const double *rstd, const double *weight, int64_t n,
                                   int64_t groups, int64_t cg, int64_t s, double *grad_x,
                                   double *grad_w, double *grad_b) nogil


cdef cnp.ndarray _norm_vector(object a, str name, int64_t n, int t, bint output, bint required):
    """A 1-D array of n elements of dtype t (None allowed unless required)."""
    if a is None:
        if required:
            raise TypeError(f"{name} is required")
        return None
    cdef cnp.ndarray arr = _array(a, name)
    if cnp.PyArray_NDIM(arr) != 1 or cnp.PyArray_DIM(arr, 0) != n:
        raise ValueError(f"{name} must have shape ({n},), got {_describe(arr)}")
    if cnp.PyArray_TYPE(arr) != t:
        raise TypeError(f"{name} must have dtype {'float32' if t == cnp.NPY_FLOAT else 'float64'}, got {arr.dtype}")
    if output:
        _check_output(arr, name)
        return arr
    return _contiguous_input(arr, name)


cdef cnp.ndarray _norm_like(object a, cnp.ndarray like, str name, bint output):
    """An array with like's shape and dtype."""
    cdef cnp.ndarray arr = _array(a, name)
    _same_dtype(like, arr, name, None, "")
    _same_shape(like, arr, name, None, "")
    if output:
        _check_output(arr, name)
        return arr
    return _contiguous_input(arr, name)


cdef int _channels_view(cnp.ndarray x, int64_t *n, int64_t *c, int64_t *s) except -1:
    """(N, C, *) viewed as (n, c, s)."""
    if cnp.PyArray_NDIM(x) < 2:
        raise ValueError(f"batch norm input must have at least 2 dimensions (N, C, ...), got {_describe(x)}")
    n[0] = cnp.PyArray_DIM(x, 0)
    c[0] = cnp.PyArray_DIM(x, 1)
    s[0] = 1
    cdef int d
    for d in range(2, cnp.PyArray_NDIM(x)):
        s[0] *= cnp.PyArray_DIM(x, d)
    return 0


def batch_norm_forward(x, y, weight, bias, mean, invstd, running_mean, running_var,
                       double momentum, double eps, bint training):
    """y = batch_norm(x); mean and invstd (C,) receive the statistics used. Training takes them
    from the batch and updates running_mean/running_var when given; evaluation reads them."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    cdef int64_t n, c, s
    _channels_view(xa, &n, &c, &s)
    cdef cnp.ndarray ya = _norm_like(y, xa, "y", True)
    cdef cnp.ndarray wa = _norm_vector(weight, "weight", c, t, False, False)
    cdef cnp.ndarray ba = _norm_vector(bias, "bias", c, t, False, False)
    cdef cnp.ndarray ma = _norm_vector(mean, "mean", c, t, True, True)
    cdef cnp.ndarray ia = _norm_vector(invstd, "invstd", c, t, True, True)
    cdef cnp.ndarray rm = _norm_vector(running_mean, "running_mean", c, t, True, not training)
    cdef cnp.ndarray rv = _norm_vector(running_var, "running_var", c, t, True, not training)
    if training and n * s == 0 and c > 0:
        raise ValueError(f"batch_norm_forward: no elements per channel to take statistics of in {_describe(xa)}")
    if training and (rm is not None or rv is not None) and n * s < 2:
        raise ValueError(f"batch_norm_forward: the unbiased running variance needs more than one value "
                         f"per channel, got {_describe(xa)}")
    xa = _contiguous_input(xa, "x")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *py = cnp.PyArray_DATA(ya)
    cdef void *pw = _ptr(wa)
    cdef void *pb = _ptr(ba)
    cdef void *pm = cnp.PyArray_DATA(ma)
    cdef void *pi = cnp.PyArray_DATA(ia)
    cdef void *prm = _ptr(rm)
    cdef void *prv = _ptr(rv)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_batch_norm_forward_f32(<const float *>px, <float *>py, n, c, s,
                                               <const float *>pw, <const float *>pb, <float *>pm,
                                               <float *>pi, <float *>prm, <float *>prv, momentum,
                                               eps, training)
        else:
            status = hb_batch_norm_forward_f64(<const double *>px, <double *>py, n, c, s,
                                               <const double *>pw, <const double *>pb,
                                               <double *>pm, <double *>pi, <double *>prm,
                                               <double *>prv, momentum, eps, training)
    _check_status(status, "batch_norm_forward")
    return y


def batch_norm_backward(grad_y, x, mean, invstd, weight, grad_x, grad_w, grad_b, bint training):
    """The gradients of batch_norm_forward (each output may be None)."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    cdef int64_t n, c, s
    _channels_view(xa, &n, &c, &s)
    cdef cnp.ndarray ga = _norm_like(grad_y, xa, "grad_y", False)
    cdef cnp.ndarray ma = _norm_vector(mean, "mean", c, t, False, True)
    cdef cnp.ndarray ia = _norm_vector(invstd, "invstd", c, t, False, True)
    cdef cnp.ndarray wa = _norm_vector(weight, "weight", c, t, False, False)
    cdef cnp.ndarray gx = None if grad_x is None else _norm_like(grad_x, xa, "grad_x", True)
    cdef cnp.ndarray gw = _norm_vector(grad_w, "grad_w", c, t, True, False)
    cdef cnp.ndarray gb = _norm_vector(grad_b, "grad_b", c, t, True, False)
    xa = _contiguous_input(xa, "x")
    cdef void *pg = cnp.PyArray_DATA(ga)
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *pm = cnp.PyArray_DATA(ma)
    cdef void *pi = cnp.PyArray_DATA(ia)
    cdef void *pw = _ptr(wa)
    cdef void *pgx = _ptr(gx)
    cdef void *pgw = _ptr(gw)
    cdef void *pgb = _ptr(gb)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_batch_norm_backward_f32(<const float *>pg, <const float *>px,
                                                <const float *>pm, <const float *>pi,
                                                <const float *>pw, n, c, s, <float *>pgx,
                                                <float *>pgw, <float *>pgb, training)
        else:
            status = hb_batch_norm_backward_f64(<const double *>pg, <const double *>px,
                                                <const double *>pm, <const double *>pi,
                                                <const double *>pw, n, c, s, <double *>pgx,
                                                <double *>pgw, <double *>pgb, training)
    _check_status(status, "batch_norm_backward")
    return grad_x, grad_w, grad_b


cdef int _check_group_sizes(cnp.ndarray x, int64_t n, int64_t groups, int64_t cg, int64_t s,
                            str what) except -1:
    if n < 0 or groups < 0 or cg < 0 or s < 0:
        raise ValueError(f"{what}: sizes must be non-negative, got n={n}, groups={groups}, cg={cg}, s={s}")
    if cnp.PyArray_SIZE(x) != n * groups * cg * s:
        raise ValueError(f"{what}: {_describe(x)} does not hold n * groups * cg * s = "
                         f"{n} * {groups} * {cg} * {s} elements")
    if n * groups > 0 and cg * s == 0:
        raise ValueError(f"{what}: rows of zero elements cannot be normalized")
    return 0


def group_norm_forward(x, y, weight, bias, mean, rstd, int64_t n, int64_t groups, int64_t cg,
                       int64_t s, double eps):
    """y = group_norm(x) over rows of cg * s elements; mean and rstd (n * groups,) per row."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    _check_group_sizes(xa, n, groups, cg, s, "group_norm_forward")
    cdef cnp.ndarray ya = _norm_like(y, xa, "y", True)
    cdef cnp.ndarray wa = _norm_vector(weight, "weight", groups * cg, t, False, False)
    cdef cnp.ndarray ba = _norm_vector(bias, "bias", groups * cg, t, False, False)
    cdef cnp.ndarray ma = _norm_vector(mean, "mean", n * groups, t, True, True)
    cdef cnp.ndarray ra = _norm_vector(rstd, "rstd", n * groups, t, True, True)
    xa = _contiguous_input(xa, "x")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *py = cnp.PyArray_DATA(ya)
    cdef void *pw = _ptr(wa)
    cdef void *pb = _ptr(ba)
    cdef void *pm = cnp.PyArray_DATA(ma)
    cdef void *pr = cnp.PyArray_DATA(ra)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_group_norm_forward_f32(<const float *>px, <float *>py, n, groups, cg, s,
                                               <const float *>pw, <const float *>pb, eps,
                                               <float *>pm, <float *>pr)
        else:
            status = hb_group_norm_forward_f64(<const double *>px, <double *>py, n, groups, cg, s,
                                               <const double *>pw, <const double *>pb, eps,
                                               <double *>pm, <double *>pr)
    _check_status(status, "group_norm_forward")
    return y


def group_norm_backward(grad_y, x, mean, rstd, weight, grad_x, grad_w, grad_b, int64_t n,
                        int64_t groups, int64_t cg, int64_t s):
    """The gradients of group_norm_forward (each output may be None)."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    _check_group_sizes(xa, n, groups, cg, s, "group_norm_backward")
    cdef cnp.ndarray ga = _norm_like(grad_y, xa, "grad_y", False)
    cdef cnp.ndarray ma = _norm_vector(mean, "mean", n * groups, t, False, True)
    cdef cnp.ndarray ra = _norm_vector(rstd, "rstd", n * groups, t, False, True)
    cdef cnp.ndarray wa = _norm_vector(weight, "weight", groups * cg, t, False, False)
    cdef cnp.ndarray gx = None if grad_x is None else _norm_like(grad_x, xa, "grad_x", True)
    cdef cnp.ndarray gw = _norm_vector(grad_w, "grad_w", groups * cg, t, True, False)
    cdef cnp.ndarray gb = _norm_vector(grad_b, "grad_b", groups * cg, t, True, False)
    xa = _contiguous_input(xa, "x")
    cdef void *pg = cnp.PyArray_DATA(ga)
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *pm = cnp.PyArray_DATA(ma)
    cdef void *pr = cnp.PyArray_DATA(ra)
    cdef void *pw = _ptr(wa)
    cdef void *pgx = _ptr(gx)
    cdef void *pgw = _ptr(gw)
    cdef void *pgb = _ptr(gb)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_group_norm_backward_f32(<const float *>pg, <const float *>px,
                                                <const float *>pm, <const float *>pr,
                                                <const float *>pw, n, groups, cg, s,
                                                <float *>pgx, <float *>pgw, <float *>pgb)
        else:
            status = hb_group_norm_backward_f64(<const double *>pg, <const double *>px,
                                                <const double *>pm, <const double *>pr,
                                                <const double *>pw, n, groups, cg, s,
                                                <double *>pgx, <double *>pgw, <double *>pgb)
    _check_status(status, "group_norm_backward")
    return grad_x, grad_w, grad_b
