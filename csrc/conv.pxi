# 2-D convolution, transposed convolution, unfold (im2col) and fold (col2im), NCHW.
#
# Every binding takes the image and column arrays with their full shapes and
# the convolution parameters as (height, width) pairs, rebuilds the geometry
# from them and checks that the shapes agree with it before calling C.

cdef extern from "conv.h":
    cdef struct hb_conv2d_geom:
        int64_t batch
        int64_t channels, height, width
        int64_t out_channels, out_height, out_width
        int64_t kernel_h, kernel_w
        int64_t stride_h, stride_w
        int64_t pad_h, pad_w
        int64_t dilation_h, dilation_w
        int64_t groups
    int hb_conv2d_geom_valid(const hb_conv2d_geom *g) nogil
    int hb_im2col_f32(const hb_conv2d_geom *g, const float *x, float *col) nogil
    int hb_im2col_f64(const hb_conv2d_geom *g, const double *x, double *col) nogil
    int hb_col2im_f32(const hb_conv2d_geom *g, const float *col, float *x) nogil
    int hb_col2im_f64(const hb_conv2d_geom *g, const double *col, double *x) nogil
    int hb_conv2d_forward_f32(const hb_conv2d_geom *g, const float *x, const float *w,
                              const float *bias, float *y) nogil
    int hb_conv2d_forward_f64(const hb_conv2d_geom *g, const double *x, const double *w,
                              const double *bias, double *y) nogil
    int hb_conv2d_backward_f32(const hb_conv2d_geom *g, const float *x, const float *w,
                               const float *grad_y, float *grad_x, float *grad_w,
                               float *grad_b) nogil
    int hb_conv2d_backward_f64(const hb_conv2d_geom *g, const double *x, const double *w,
                               const double *grad_y, double *grad_x, double *grad_w,
                               double *grad_b) nogil
    int hb_conv_transpose2d_forward_f32(const hb_conv2d_geom *g, const float *x, const float *w,
                                        const float *bias, float *y) nogil
    int hb_conv_transpose2d_forward_f64(const hb_conv2d_geom *g, const double *x,
                                        const double *w, const double *bias, double *y) nogil
    int hb_conv_transpose2d_backward_f32(const hb_conv2d_geom *g, const float *x,
                                         const float *w, const float *grad_y, float *grad_x,
                                         float *grad_w, float *grad_b) nogil
    int hb_conv_transpose2d_backward_f64(const hb_conv2d_geom *g, const double *x,
                                         const double *w, const double *grad_y, double *grad_x,
                                         double *grad_w, double *grad_b) nogil


cdef int64_t _windows(int64_t size, int64_t pad, int64_t dilation, int64_t kernel, int64_t stride):
    cdef int64_t span = size + 2 * pad - dilation * (kernel - 1) - 1
    return -1 if span < 0 else span // stride + 1


cdef int _fill_geom(hb_conv2d_geom *g, tuple image, tuple columns, tuple kernel, stride, padding,
                    dilation, int64_t groups, str what) except -1:
    """The geometry from an image shape (N, C, H, W), a column shape (N, O, OH, OW) and the
    parameters; ValueError unless it is consistent (the columns may stop short of the image's
    last rows, as a transposed convolution's output_padding leaves them)."""
    stride, padding, dilation = _pair(stride, "stride"), _pair(padding, "padding"), _pair(dilation, "dilation")
    if image[0] != columns[0]:
        raise ValueError(f"{what}: batch sizes differ ({image} and {columns})")
    g.batch, g.channels, g.height, g.width = image
    g.out_channels, g.out_height, g.out_width = columns[1:]
    g.kernel_h, g.kernel_w = kernel
    g.stride_h, g.stride_w = stride
    g.pad_h, g.pad_w = padding
    g.dilation_h, g.dilation_w = dilation
    g.groups = groups
    if not hb_conv2d_geom_valid(g):
        raise ValueError(f"{what}: inconsistent geometry: image {image}, columns {columns}, kernel {kernel}, "
                         f"stride {stride}, padding {padding}, dilation {dilation}, groups {groups}")
    return 0


cdef cnp.ndarray _rank4(object a, str name, int t):
    cdef cnp.ndarray arr = _array(a, name)
    if cnp.PyArray_NDIM(arr) != 4:
        raise ValueError(f"{name} must be 4-D (N, C, H, W), got {_describe(arr)}")
    if cnp.PyArray_TYPE(arr) != t:
        raise TypeError(f"{name} must have dtype {'float32' if t == cnp.NPY_FLOAT else 'float64'}, "
                        f"got {arr.dtype}")
    return arr


cdef cnp.ndarray _conv_output(object a, tuple shape, str name, int t):
    cdef cnp.ndarray arr = _rank4(a, name, t)
    if _shape(arr) != shape:
        raise ValueError(f"{name} must have shape {shape}, got {_shape(arr)}")
    _check_output(arr, name)
    return arr


cdef cnp.ndarray _conv_bias(object bias, int64_t n, int t, bint output):
    if bias is None:
        return None
    cdef cnp.ndarray b = _array(bias, "bias")
    if cnp.PyArray_NDIM(b) != 1 or cnp.PyArray_DIM(b, 0) != n:
        raise ValueError(f"bias must have shape ({n},), got {_describe(b)}")
    if cnp.PyArray_TYPE(b) != t:
        raise TypeError(f"bias must have dtype {'float32' if t == cnp.NPY_FLOAT else 'float64'}, got {b.dtype}")
    if output:
        _check_output(b, "bias gradient")
        return b
    return _contiguous_input(b, "bias")


def conv2d_forward(x, w, bias, y, stride, padding, dilation, int64_t groups):
    """y = conv2d(x, w) + bias: x (N, C, H, W), w (O, C/groups, kh, kw), y (N, O, OH, OW)."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    xa = _rank4(xa, "x", t)
    cdef cnp.ndarray wa = _rank4(w, "weight", t)
    cdef cnp.ndarray ya = _rank4(y, "y", t)
    cdef hb_conv2d_geom g
    _fill_geom(&g, _shape(xa), _shape(ya), _shape(wa)[2:], stride, padding, dilation, groups, "conv2d_forward")
    if _shape(wa) != (g.out_channels, g.channels // groups, g.kernel_h, g.kernel_w):
        raise ValueError(f"conv2d_forward: weight of shape {_shape(wa)} does not fit input {_shape(xa)}, "
                         f"output {_shape(ya)} and groups={groups}")
    if (g.out_height != _windows(g.height, g.pad_h, g.dilation_h, g.kernel_h, g.stride_h) or
            g.out_width != _windows(g.width, g.pad_w, g.dilation_w, g.kernel_w, g.stride_w)):
        raise ValueError(f"conv2d_forward: output of shape {_shape(ya)} does not fit input {_shape(xa)}")
    _check_output(ya, "y")
    cdef cnp.ndarray ba = _conv_bias(bias, g.out_channels, t, False)
    xa = _contiguous_input(xa, "x")
    wa = _contiguous_input(wa, "weight")
    cdef void *p_ba = _ptr(ba)
    cdef void *p_wa = _ptr(wa)
    cdef void *p_xa = _ptr(xa)
    cdef void *p_ya = _ptr(ya)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_conv2d_forward_f32(&g, <const float *>p_xa, <const float *>p_wa,
                                           <const float *>p_ba, <float *>p_ya)
        else:
            status = hb_conv2d_forward_f64(&g, <const double *>p_xa, <const double *>p_wa,
                                           <const double *>p_ba, <double *>p_ya)
    _check_status(status, "conv2d_forward")
    return y


def conv2d_backward(x, w, grad_y, grad_x, grad_w, grad_b, stride, padding, dilation,
                    int64_t groups):
    """The gradients of conv2d_forward into grad_x, grad_w, grad_b (each may be None)."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    xa = _rank4(xa, "x", t)
    cdef cnp.ndarray wa = _rank4(w, "weight", t)
    cdef cnp.ndarray ga = _rank4(grad_y, "grad_y", t)
    cdef hb_conv2d_geom g
    _fill_geom(&g, _shape(xa), _shape(ga), _shape(wa)[2:], stride, padding, dilation, groups, "conv2d_backward")
    if _shape(wa) != (g.out_channels, g.channels // groups, g.kernel_h, g.kernel_w):
        raise ValueError(f"conv2d_backward: weight of shape {_shape(wa)} does not fit input {_shape(xa)}, "
                         f"grad_y {_shape(ga)} and groups={groups}")
    if (g.out_height != _windows(g.height, g.pad_h, g.dilation_h, g.kernel_h, g.stride_h) or
            g.out_width != _windows(g.width, g.pad_w, g.dilation_w, g.kernel_w, g.stride_w)):
        raise ValueError(f"conv2d_backward: grad_y of shape {_shape(ga)} does not fit input {_shape(xa)}")
    cdef cnp.ndarray gx = None if grad_x is None else _conv_output(grad_x, _shape(xa), "grad_x", t)
    cdef cnp.ndarray gw = None if grad_w is None else _conv_output(grad_w, _shape(wa), "grad_w", t)
    cdef cnp.ndarray gb = _conv_bias(grad_b, g.out_channels, t, True)
    xa = _contiguous_input(xa, "x")
    wa = _contiguous_input(wa, "weight")
    ga = _contiguous_input(ga, "grad_y")
    cdef void *p_ga = _ptr(ga)
    cdef void *p_gb = _ptr(gb)
    cdef void *p_gw = _ptr(gw)
    cdef void *p_gx = _ptr(gx)
    cdef void *p_wa = _ptr(wa)
    cdef void *p_xa = _ptr(xa)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_conv2d_backward_f32(&g, <const float *>p_xa, <const float *>p_wa,
                                            <const float *>p_ga, <float *>p_gx,
                                            <float *>p_gw, <float *>p_gb)
        else:
            status = hb_conv2d_backward_f64(&g, <const double *>p_xa, <const double *>p_wa,
                                            <const double *>p_ga, <double *>p_gx,
                                            <double *>p_gw, <double *>p_gb)
    _check_status(status, "conv2d_backward")
    return grad_x, grad_w, grad_b


cdef int _check_transposed(hb_conv2d_geom *g, str what) except -1:
    """The image of a transposed convolution: as many rows as the windows need, plus less
    than max(stride, dilation) of output_padding."""
    cdef int64_t need_h = (g.out_height - 1) * g.stride_h - 2 * g.pad_h + g.dilation_h * (g.kernel_h - 1) + 1
    cdef int64_t need_w = (g.out_width - 1) * g.stride_w - 2 * g.pad_w + g.dilation_w * (g.kernel_w - 1) + 1
    cdef int64_t extra_h = g.height - need_h, extra_w = g.width - need_w
    if (extra_h < 0 or extra_h >= max(g.stride_h, g.dilation_h) or extra_w < 0 or
            extra_w >= max(g.stride_w, g.dilation_w)):
        raise ValueError(f"{what}: output of {g.height}x{g.width} does not fit input of "
                         f"{g.out_height}x{g.out_width}")
    return 0


def conv_transpose2d_forward(x, w, bias, y, stride, padding, dilation, int64_t groups):
    """y = conv_transpose2d(x, w) + bias: x (N, Cin, H, W), w (Cin, Cout/groups, kh, kw),
    y (N, Cout, OH, OW); y's size carries the output_padding."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    xa = _rank4(xa, "x", t)
    cdef cnp.ndarray wa = _rank4(w, "weight", t)
    cdef cnp.ndarray ya = _rank4(y, "y", t)
    cdef hb_conv2d_geom g
    _fill_geom(&g, _shape(ya), _shape(xa), _shape(wa)[2:], stride, padding, dilation, groups,
               "conv_transpose2d_forward")
    if _shape(wa) != (g.out_channels, g.channels // groups, g.kernel_h, g.kernel_w):
        raise ValueError(f"conv_transpose2d_forward: weight of shape {_shape(wa)} does not fit input "
                         f"{_shape(xa)}, output {_shape(ya)} and groups={groups}")
    _check_transposed(&g, "conv_transpose2d_forward")
    _check_output(ya, "y")
    cdef cnp.ndarray ba = _conv_bias(bias, g.channels, t, False)
    xa = _contiguous_input(xa, "x")
    wa = _contiguous_input(wa, "weight")
    cdef void *p_ba = _ptr(ba)
    cdef void *p_wa = _ptr(wa)
    cdef void *p_xa = _ptr(xa)
    cdef void *p_ya = _ptr(ya)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_conv_transpose2d_forward_f32(&g, <const float *>p_xa,
                                                     <const float *>p_wa,
                                                     <const float *>p_ba, <float *>p_ya)
        else:
            status = hb_conv_transpose2d_forward_f64(&g, <const double *>p_xa,
                                                     <const double *>p_wa,
                                                     <const double *>p_ba, <double *>p_ya)
    _check_status(status, "conv_transpose2d_forward")
    return y


def conv_transpose2d_backward(x, w, grad_y, grad_x, grad_w, grad_b, stride, padding, dilation,
                              int64_t groups):
    """The gradients of conv_transpose2d_forward into grad_x, grad_w, grad_b (each may be None)."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    xa = _rank4(xa, "x", t)
    cdef cnp.ndarray wa = _rank4(w, "weight", t)
    cdef cnp.ndarray ga = _rank4(grad_y, "grad_y", t)
    cdef hb_conv2d_geom g
    _fill_geom(&g, _shape(ga), _shape(xa), _shape(wa)[2:], stride, padding, dilation, groups,
               "conv_transpose2d_backward")
    if _shape(wa) != (g.out_channels, g.channels // groups, g.kernel_h, g.kernel_w):
        raise ValueError(f"conv_transpose2d_backward: weight of shape {_shape(wa)} does not fit input "
                         f"{_shape(xa)}, grad_y {_shape(ga)} and groups={groups}")
    _check_transposed(&g, "conv_transpose2d_backward")
    cdef cnp.ndarray gx = None if grad_x is None else _conv_output(grad_x, _shape(xa), "grad_x", t)
    cdef cnp.ndarray gw = None if grad_w is None else _conv_output(grad_w, _shape(wa), "grad_w", t)
    cdef cnp.ndarray gb = _conv_bias(grad_b, g.channels, t, True)
    xa = _contiguous_input(xa, "x")
    wa = _contiguous_input(wa, "weight")
    ga = _contiguous_input(ga, "grad_y")
    cdef void *p_ga = _ptr(ga)
    cdef void *p_gb = _ptr(gb)
    cdef void *p_gw = _ptr(gw)
    cdef void *p_gx = _ptr(gx)
    cdef void *p_wa = _ptr(wa)
    cdef void *p_xa = _ptr(xa)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_conv_transpose2d_backward_f32(&g, <const float *>p_xa,
                                                      <const float *>p_wa,
                                                      <const float *>p_ga, <float *>p_gx,
                                                      <float *>p_gw, <float *>p_gb)
        else:
            status = hb_conv_transpose2d_backward_f64(&g, <const double *>p_xa,
                                                      <const double *>p_wa,
                                                      <const double *>p_ga, <double *>p_gx,
                                                      <double *>p_gw, <double *>p_gb)
    _check_status(status, "conv_transpose2d_backward")
    return grad_x, grad_w, grad_b


cdef int _fill_unfold_geom(hb_conv2d_geom *g, cnp.ndarray image, cnp.ndarray col, kernel, dilation,
                           padding, stride, str what) except -1:
    """Geometry of unfold/fold: image (N, C, H, W), col (N, C * kh * kw, L), L = OH * OW."""
    kernel = _pair(kernel, "kernel_size")
    cdef int64_t kh = kernel[0], kw = kernel[1]
    if kh < 1 or kw < 1:
        raise ValueError(f"{what}: kernel_size must be positive, got {kernel}")
    _pair(padding, "padding")
    _pair(stride, "stride")
    _pair(dilation, "dilation")
    cdef int64_t oh = _windows(_shape(image)[2], padding[0], dilation[0], kh, stride[0]) if stride[0] > 0 and dilation[0] > 0 else -1
    cdef int64_t ow = _windows(_shape(image)[3], padding[1], dilation[1], kw, stride[1]) if stride[1] > 0 and dilation[1] > 0 else -1
    if oh < 0 or ow < 0:
        raise ValueError(f"{what}: no window of kernel {kernel} fits the image {_shape(image)} with "
                         f"padding {padding}, dilation {dilation}, stride {stride}")
    cdef tuple want = (_shape(image)[0], _shape(image)[1] * kh * kw, oh * ow)
    if _shape(col) != want:
        raise ValueError(f"{what}: columns must have shape {want} for image {_shape(image)}, got {_shape(col)}")
    _fill_geom(g, _shape(image), (_shape(image)[0], _shape(image)[1], oh, ow), kernel, stride, padding,
               dilation, 1, what)
    return 0


def im2col(x, col, kernel, dilation, padding, stride):
    """col (N, C*kh*kw, L) = the sliding windows of x (N, C, H, W): F.unfold."""
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    xa = _rank4(xa, "x", t)
    cdef cnp.ndarray ca = _array(col, "col")
    if cnp.PyArray_NDIM(ca) != 3 or cnp.PyArray_TYPE(ca) != t:
        raise ValueError(f"col must be 3-D with x's dtype {xa.dtype}, got {_describe(ca)}")
    cdef hb_conv2d_geom g
    _fill_unfold_geom(&g, xa, ca, kernel, dilation, padding, stride, "im2col")
    _check_output(ca, "col")
    xa = _contiguous_input(xa, "x")
    cdef void *p_ca = _ptr(ca)
    cdef void *p_xa = _ptr(xa)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_im2col_f32(&g, <const float *>p_xa, <float *>p_ca)
        else:
            status = hb_im2col_f64(&g, <const double *>p_xa, <double *>p_ca)
    _check_status(status, "im2col")
    return col


def col2im(col, x, kernel, dilation, padding, stride):
    """x (N, C, H, W) = the windows in col (N, C*kh*kw, L) summed back in place: F.fold."""
    cdef cnp.ndarray ca = _array(col, "col")
    cdef int t = _float_type(ca, "col")
    cdef cnp.ndarray xa = _rank4(x, "x", t)
    if cnp.PyArray_NDIM(ca) != 3:
        raise ValueError(f"col must be 3-D, got {_describe(ca)}")
    cdef hb_conv2d_geom g
    _fill_unfold_geom(&g, xa, ca, kernel, dilation, padding, stride, "col2im")
    _check_output(xa, "x")
    ca = _contiguous_input(ca, "col")
    cdef void *p_ca = _ptr(ca)
    cdef void *p_xa = _ptr(xa)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_col2im_f32(&g, <const float *>p_ca, <float *>p_xa)
        else:
            status = hb_col2im_f64(&g, <const double *>p_ca, <double *>p_xa)
    _check_status(status, "col2im")
    return x
