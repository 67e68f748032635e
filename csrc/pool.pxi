# 2-D pooling over planes: arrays are (planes, height, width), planes = N * C.

cdef extern from "pool.h":
    cdef struct hb_pool2d_geom:
        int64_t planes, height, width, out_height, out_width
        int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w
    int hb_pool2d_geom_valid(const hb_pool2d_geom *g) nogil
    int hb_max_pool2d_forward_f32(const hb_pool2d_geom *g, const float *x, float *y,
                                  int64_t *indices) nogil
    int hb_max_pool2d_forward_f64(const hb_pool2d_geom *g, const double *x, double *y,
                                  int64_t *indices) nogil
    int hb_adaptive_max_pool2d_forward_f32(const hb_pool2d_geom *g, const float *x, float *y,
                                           int64_t *indices) nogil
    int hb_adaptive_max_pool2d_forward_f64(const hb_pool2d_geom *g, const double *x, double *y,
                                           int64_t *indices) nogil
    int hb_max_pool2d_backward_f32(const hb_pool2d_geom *g, const float *grad_y,
                                   const int64_t *indices, float *grad_x) nogil
    int hb_max_pool2d_backward_f64(const hb_pool2d_geom *g, const double *grad_y,
                                   const int64_t *indices, double *grad_x) nogil
    int hb_avg_pool2d_forward_f32(const hb_pool2d_geom *g, const float *x, float *y,
                                  int count_include_pad, int64_t divisor_override) nogil
    int hb_avg_pool2d_forward_f64(const hb_pool2d_geom *g, const double *x, double *y,
                                  int count_include_pad, int64_t divisor_override) nogil
    int hb_avg_pool2d_backward_f32(const hb_pool2d_geom *g, const float *grad_y, float *grad_x,
                                   int count_include_pad, int64_t divisor_override) nogil
    int hb_avg_pool2d_backward_f64(const hb_pool2d_geom *g, const double *grad_y,
                                   double *grad_x, int count_include_pad,
                                   int64_t divisor_override) nogil
    int hb_adaptive_avg_pool2d_forward_f32(const hb_pool2d_geom *g, const float *x,
                                           float *y) nogil
    int hb_adaptive_avg_pool2d_forward_f64(const hb_pool2d_geom *g, const double *x,
                                           double *y) nogil
    int hb_adaptive_avg_pool2d_backward_f32(const hb_pool2d_geom *g, const float *grad_y,
                                            float *grad_x) nogil
    int hb_adaptive_avg_pool2d_backward_f64(const hb_pool2d_geom *g, const double *grad_y,
                                            double *grad_x) nogil


cdef cnp.ndarray _planes(object a, str name, int t):
    """a as a (planes, height, width) array of dtype t (t < 0: any float dtype)."""
    cdef cnp.ndarray arr = _array(a, name)
    if cnp.PyArray_NDIM(arr) != 3:
        raise ValueError(f"{name} must be 3-D (planes, height, width), got {_describe(arr)}")
    if t < 0:
        _float_type(arr, name)
    elif cnp.PyArray_TYPE(arr) != t:
        raise TypeError(f"{name} must have dtype {'float32' if t == cnp.NPY_FLOAT else 'float64'}, "
                        f"got {arr.dtype}")
    return arr


cdef cnp.ndarray _pool_indices(object a, cnp.ndarray like, bint output):
    if a is None:
        return None
    cdef cnp.ndarray arr = _array(a, "indices")
    if cnp.PyArray_TYPE(arr) != cnp.NPY_INT64:
        raise TypeError(f"indices must be int64, got {arr.dtype}")
    if (<object>arr).shape != (<object>like).shape:
        raise ValueError(f"indices must have shape {(<object>like).shape}, got {(<object>arr).shape}")
    if output:
        _check_output(arr, "indices")
        return arr
    return _contiguous_input(arr, "indices")


cdef int _pool_geom(hb_pool2d_geom *g, cnp.ndarray image, cnp.ndarray out, kernel, stride, padding,
                    dilation, bint fixed, str what) except -1:
    """The geometry of image -> out; fixed-size pools also take the window parameters and
    check that out has the floor or ceil count of windows."""
    cdef tuple ishape = (<object>image).shape, oshape = (<object>out).shape
    if ishape[0] != oshape[0]:
        raise ValueError(f"{what}: plane counts differ ({ishape} and {oshape})")
    g.planes, g.height, g.width = ishape
    g.out_height, g.out_width = oshape[1:]
    g.kernel_h = g.kernel_w = g.stride_h = g.stride_w = g.dilation_h = g.dilation_w = 1
    g.pad_h = g.pad_w = 0
    if not fixed:
        return 0
    kernel, stride, padding, dilation = (_pair(kernel, "kernel_size"), _pair(stride, "stride"),
                                         _pair(padding, "padding"), _pair(dilation, "dilation"))
    g.kernel_h, g.kernel_w = kernel
    g.stride_h, g.stride_w = stride
    g.pad_h, g.pad_w = padding
    g.dilation_h, g.dilation_w = dilation
    if not hb_pool2d_geom_valid(g):
        raise ValueError(f"{what}: inconsistent geometry: {ishape} -> {oshape} with kernel {kernel}, "
                         f"stride {stride}, padding {padding}, dilation {dilation}")
    cdef int d
    for d in range(2):
        # Python integers: floor division, as PyTorch's output-size formula
        span = ishape[1 + d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1
        floor_out = span // stride[d] + 1
        ceil_out = (span + stride[d] - 1) // stride[d] + 1
        if ceil_out > 0 and (ceil_out - 1) * stride[d] >= ishape[1 + d] + padding[d]:
            ceil_out -= 1
        if oshape[1 + d] not in (floor_out, ceil_out) or oshape[1 + d] < 0:
            raise ValueError(f"{what}: output {oshape} does not fit input {ishape} with kernel {kernel}, "
                             f"stride {stride}, padding {padding}, dilation {dilation}")
    return 0


def max_pool2d_forward(x, y, indices, kernel, stride, padding, dilation):
    """y = max pooling of x; indices (int64, y's shape) receives the argmax or is None."""
    cdef cnp.ndarray xa = _planes(x, "x", -1)
    cdef int t = cnp.PyArray_TYPE(xa)
    cdef cnp.ndarray ya = _planes(y, "y", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, xa, ya, kernel, stride, padding, dilation, True, "max_pool2d_forward")
    _check_output(ya, "y")
    cdef cnp.ndarray ia = _pool_indices(indices, ya, True)
    xa = _contiguous_input(xa, "x")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *py = cnp.PyArray_DATA(ya)
    cdef int64_t *pi = NULL if ia is None else <int64_t *>cnp.PyArray_DATA(ia)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_max_pool2d_forward_f32(&g, <const float *>px, <float *>py, pi)
        else:
            status = hb_max_pool2d_forward_f64(&g, <const double *>px, <double *>py, pi)
    _check_status(status, "max_pool2d_forward")
    return y


def adaptive_max_pool2d_forward(x, y, indices):
    """y = adaptive max pooling of x to y's size; indices as max_pool2d_forward."""
    cdef cnp.ndarray xa = _planes(x, "x", -1)
    cdef int t = cnp.PyArray_TYPE(xa)
    cdef cnp.ndarray ya = _planes(y, "y", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, xa, ya, None, None, None, None, False, "adaptive_max_pool2d_forward")
    if (g.out_height and not g.height) or (g.out_width and not g.width):
        raise ValueError(f"adaptive_max_pool2d_forward: empty input {(<object>xa).shape}")
    _check_output(ya, "y")
    cdef cnp.ndarray ia = _pool_indices(indices, ya, True)
    xa = _contiguous_input(xa, "x")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *py = cnp.PyArray_DATA(ya)
    cdef int64_t *pi = NULL if ia is None else <int64_t *>cnp.PyArray_DATA(ia)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_adaptive_max_pool2d_forward_f32(&g, <const float *>px, <float *>py, pi)
        else:
            status = hb_adaptive_max_pool2d_forward_f64(&g, <const double *>px, <double *>py, pi)
    _check_status(status, "adaptive_max_pool2d_forward")
    return y


def max_pool2d_backward(grad_y, indices, grad_x):
    """grad_x = 0, then grad_y scattered to the recorded argmax positions of each plane."""
    cdef cnp.ndarray ga = _planes(grad_y, "grad_y", -1)
    cdef int t = cnp.PyArray_TYPE(ga)
    cdef cnp.ndarray gx = _planes(grad_x, "grad_x", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, gx, ga, None, None, None, None, False, "max_pool2d_backward")
    _check_output(gx, "grad_x")
    if indices is None:
        raise TypeError("max_pool2d_backward: indices are required")
    cdef cnp.ndarray ia = _pool_indices(indices, ga, False)
    ga = _contiguous_input(ga, "grad_y")
    cdef void *pg = cnp.PyArray_DATA(ga)
    cdef void *px = cnp.PyArray_DATA(gx)
    cdef const int64_t *pi = <const int64_t *>cnp.PyArray_DATA(ia)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_max_pool2d_backward_f32(&g, <const float *>pg, pi, <float *>px)
        else:
            status = hb_max_pool2d_backward_f64(&g, <const double *>pg, pi, <double *>px)
    _check_status(status, "max_pool2d_backward")
    return grad_x


def avg_pool2d_forward(x, y, kernel, stride, padding, bint count_include_pad, int64_t divisor_override):
    """y = average pooling of x (divisor_override <= 0: none)."""
    cdef cnp.ndarray xa = _planes(x, "x", -1)
    cdef int t = cnp.PyArray_TYPE(xa)
    cdef cnp.ndarray ya = _planes(y, "y", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, xa, ya, kernel, stride, padding, (1, 1), True, "avg_pool2d_forward")
    _check_output(ya, "y")
    xa = _contiguous_input(xa, "x")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *py = cnp.PyArray_DATA(ya)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_avg_pool2d_forward_f32(&g, <const float *>px, <float *>py,
                                               count_include_pad, divisor_override)
        else:
            status = hb_avg_pool2d_forward_f64(&g, <const double *>px, <double *>py,
                                               count_include_pad, divisor_override)
    _check_status(status, "avg_pool2d_forward")
    return y


def avg_pool2d_backward(grad_y, grad_x, kernel, stride, padding, bint count_include_pad,
                        int64_t divisor_override):
    cdef cnp.ndarray ga = _planes(grad_y, "grad_y", -1)
    cdef int t = cnp.PyArray_TYPE(ga)
    cdef cnp.ndarray gx = _planes(grad_x, "grad_x", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, gx, ga, kernel, stride, padding, (1, 1), True, "avg_pool2d_backward")
    _check_output(gx, "grad_x")
    ga = _contiguous_input(ga, "grad_y")
    cdef void *pg = cnp.PyArray_DATA(ga)
    cdef void *px = cnp.PyArray_DATA(gx)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_avg_pool2d_backward_f32(&g, <const float *>pg, <float *>px,
                                                count_include_pad, divisor_override)
        else:
            status = hb_avg_pool2d_backward_f64(&g, <const double *>pg, <double *>px,
                                                count_include_pad, divisor_override)
    _check_status(status, "avg_pool2d_backward")
    return grad_x


def adaptive_avg_pool2d_forward(x, y):
    cdef cnp.ndarray xa = _planes(x, "x", -1)
    cdef int t = cnp.PyArray_TYPE(xa)
    cdef cnp.ndarray ya = _planes(y, "y", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, xa, ya, None, None, None, None, False, "adaptive_avg_pool2d_forward")
    if (g.out_height and not g.height) or (g.out_width and not g.width):
        raise ValueError(f"adaptive_avg_pool2d_forward: empty input {(<object>xa).shape}")
    _check_output(ya, "y")
    xa = _contiguous_input(xa, "x")
    cdef void *px = cnp.PyArray_DATA(xa)
    cdef void *py = cnp.PyArray_DATA(ya)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_adaptive_avg_pool2d_forward_f32(&g, <const float *>px, <float *>py)
        else:
            status = hb_adaptive_avg_pool2d_forward_f64(&g, <const double *>px, <double *>py)
    _check_status(status, "adaptive_avg_pool2d_forward")
    return y


def adaptive_avg_pool2d_backward(grad_y, grad_x):
    cdef cnp.ndarray ga = _planes(grad_y, "grad_y", -1)
    cdef int t = cnp.PyArray_TYPE(ga)
    cdef cnp.ndarray gx = _planes(grad_x, "grad_x", t)
    cdef hb_pool2d_geom g
    _pool_geom(&g, gx, ga, None, None, None, None, False, "adaptive_avg_pool2d_backward")
    if (g.out_height and not g.height) or (g.out_width and not g.width):
        raise ValueError(f"adaptive_avg_pool2d_backward: empty input {(<object>gx).shape}")
    _check_output(gx, "grad_x")
    ga = _contiguous_input(ga, "grad_y")
    cdef void *pg = cnp.PyArray_DATA(ga)
    cdef void *px = cnp.PyArray_DATA(gx)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_adaptive_avg_pool2d_backward_f32(&g, <const float *>pg, <float *>px)
        else:
            status = hb_adaptive_avg_pool2d_backward_f64(&g, <const double *>pg, <double *>px)
    _check_status(status, "adaptive_avg_pool2d_backward")
    return grad_x
