# Elementwise activations: unary_forward / unary_backward over one op code table.

cdef extern from "activation.h":
    enum hb_unary_op:
        HB_UNARY_RELU
        HB_UNARY_LEAKY_RELU
        HB_UNARY_SIGMOID
        HB_UNARY_TANH
        HB_UNARY_GELU
        HB_UNARY_GELU_TANH
        HB_UNARY_ELU
        HB_UNARY_SILU
        HB_UNARY_SOFTPLUS
        HB_UNARY_HARDTANH
    int hb_unary_forward_f32(int op, const float *x, float *y, int64_t n, double p1, double p2) nogil
    int hb_unary_forward_f64(int op, const double *x, double *y, int64_t n, double p1, double p2) nogil
    int hb_unary_backward_f32(int op, const float *grad_out, const float *saved, float *grad_in,
                              int64_t n, double p1, double p2) nogil
    int hb_unary_backward_f64(int op, const double *grad_out, const double *saved, double *grad_in,
                              int64_t n, double p1, double p2) nogil

# op -> (C op code, the tensor backward needs). Parameters: leaky_relu p1=negative_slope;
# elu p1=alpha; softplus p1=beta, p2=threshold; hardtanh p1=min_val, p2=max_val.
_UNARY_OPS = {
    "relu": (HB_UNARY_RELU, "output"),
    "leaky_relu": (HB_UNARY_LEAKY_RELU, "input"),
    "sigmoid": (HB_UNARY_SIGMOID, "output"),
    "tanh": (HB_UNARY_TANH, "output"),
    "gelu": (HB_UNARY_GELU, "input"),
    "gelu_tanh": (HB_UNARY_GELU_TANH, "input"),
    "elu": (HB_UNARY_ELU, "input"),
    "silu": (HB_UNARY_SILU, "input"),
    "softplus": (HB_UNARY_SOFTPLUS, "input"),
    "hardtanh": (HB_UNARY_HARDTANH, "input"),
}

UNARY_SAVES = {name: saves for name, (code, saves) in _UNARY_OPS.items()}


cdef int _unary_code(str op) except -1:
    entry = _UNARY_OPS.get(op)
    if entry is None:
        raise ValueError(f"unknown unary op {op!r}; expected one of {', '.join(_UNARY_OPS)}")
    return entry[0]


def unary_forward(str op, x, out=None, double p1=0.0, double p2=0.0):
    """out = op(x) elementwise, float32 or float64. out: None (a new array is
    returned) or a C-contiguous array of x's shape and dtype. Returns out."""
    cdef int code = _unary_code(op)
    cdef cnp.ndarray xa = _array(x, "x")
    cdef int t = _float_type(xa, "x")
    cdef cnp.ndarray oa
    xa = _contiguous_input(xa, "x")
    if out is None:
        oa = _empty_like(xa)
    else:
        oa = _array(out, "out")
        _float_type(oa, "out")
        _same_dtype(xa, oa, "unary_forward", op, "x and out")
        _same_shape(xa, oa, "unary_forward", op, "x and out")
        _check_output(oa, "out")
        xa = _apart(xa, oa)
    cdef int64_t n = cnp.PyArray_SIZE(xa)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_unary_forward_f32(code, <const float *>cnp.PyArray_DATA(xa),
                                          <float *>cnp.PyArray_DATA(oa), n, p1, p2)
        else:
            status = hb_unary_forward_f64(code, <const double *>cnp.PyArray_DATA(xa),
                                          <double *>cnp.PyArray_DATA(oa), n, p1, p2)
    _check_status(status, "unary_forward")
    return oa


def unary_backward(str op, grad_out, saved, out=None, double p1=0.0, double p2=0.0):
    """grad_in = dL/dx from grad_out and the saved tensor UNARY_SAVES[op] (input
    or output). out (the gradient): None (a new array is returned) or a C-contiguous array
    of saved's shape and dtype. Returns grad_in."""
    cdef int code = _unary_code(op)
    cdef cnp.ndarray ga = _array(grad_out, "grad_out")
    cdef cnp.ndarray sa = _array(saved, "saved")
    cdef int t = _float_type(ga, "grad_out")
    _float_type(sa, "saved")
    _same_dtype(ga, sa, "unary_backward", op, "grad_out and saved")
    _same_shape(ga, sa, "unary_backward", op, "grad_out and saved")
    cdef cnp.ndarray gi
    if out is None:
        gi = _empty_like(sa)
    else:
        gi = _array(out, "grad_in")
        _float_type(gi, "grad_in")
        _same_dtype(ga, gi, "unary_backward", op, "grad_out and grad_in")
        _same_shape(ga, gi, "unary_backward", op, "grad_out and grad_in")
        _check_output(gi, "grad_in")
    ga = _apart(_contiguous_input(ga, "grad_out"), gi)
    sa = _apart(_contiguous_input(sa, "saved"), gi)
    cdef int64_t n = cnp.PyArray_SIZE(ga)
    cdef int status
    _sync_threads()
    with nogil:
        if t == cnp.NPY_FLOAT:
            status = hb_unary_backward_f32(code, <const float *>cnp.PyArray_DATA(ga),
                                           <const float *>cnp.PyArray_DATA(sa),
                                           <float *>cnp.PyArray_DATA(gi), n, p1, p2)
        else:
            status = hb_unary_backward_f64(code, <const double *>cnp.PyArray_DATA(ga),
                                           <const double *>cnp.PyArray_DATA(sa),
                                           <double *>cnp.PyArray_DATA(gi), n, p1, p2)
    _check_status(status, "unary_backward")
    return gi
