# Fused cross-entropy (log-softmax + NLL) and NLL loss over (N, C) rows with int64 class targets.

cdef extern from "loss.h":
    enum hb_reduction:
        HB_REDUCTION_NONE
        HB_REDUCTION_MEAN
        HB_REDUCTION_SUM
    int64_t hb_loss_first_bad_target(const int64_t *target, int64_t N, int64_t C,
                                     int64_t ignore_index) nogil
    int hb_cross_entropy_forward_f32(const float *logits, const int64_t *target, const float *weight,
                                     int64_t N, int64_t C, int64_t ignore_index,
                                     double label_smoothing, int reduction, float *loss,
                                     double *lse) nogil
    int hb_cross_entropy_forward_f64(const double *logits, const int64_t *target,
                                     const double *weight, int64_t N, int64_t C,
                                     int64_t ignore_index, double label_smoothing, int reduction,
                                     double *loss, double *lse) nogil
    int hb_cross_entropy_backward_f32(const float *grad_loss, const float *logits,
                                      const int64_t *target, const float *weight, const double *lse,
                                      int64_t N, int64_t C, int64_t ignore_index,
                                      double label_smoothing, int reduction,
                                      float *grad_logits) nogil
    int hb_cross_entropy_backward_f64(const double *grad_loss, const double *logits,
                                      const int64_t *target, const double *weight,
                                      const double *lse, int64_t N, int64_t C,
                                      int64_t ignore_index, double label_smoothing, int reduction,
                                      double *grad_logits) nogil
    int hb_nll_loss_forward_f32(const float *logp, const int64_t *target, const float *weight,
                                int64_t N, int64_t C, int64_t ignore_index, int reduction,
                                float *loss) nogil
    int hb_nll_loss_forward_f64(const double *logp, const int64_t *target, const double *weight,
                                int64_t N, int64_t C, int64_t ignore_index, int reduction,
                                double *loss) nogil
    int hb_nll_loss_backward_f32(const float *grad_loss, const int64_t *target,
                                 const float *weight, int64_t N, int64_t C, int64_t ignore_index,
                                 int reduction, float *grad_logp) nogil
    int hb_nll_loss_backward_f64(const double *grad_loss, const int64_t *target,
                                 const double *weight, int64_t N, int64_t C, int64_t ignore_index,
                                 int reduction, double *grad_logp) nogil

_REDUCTIONS = {"none": HB_REDUCTION_NONE, "mean": HB_REDUCTION_MEAN, "sum": HB_REDUCTION_SUM}

# numpy dtype -> PyTorch's scalar type name, for messages worded like PyTorch's.
_TORCH_SCALAR_NAMES = {
    "float16": "Half", "float32": "Float", "float64": "Double", "int8": "Char", "uint8": "Byte",
    "int16": "Short", "int32": "Int", "int64": "Long", "bool": "Bool",
}


cdef str _torch_name(cnp.ndarray a):
    return _TORCH_SCALAR_NAMES.get(a.dtype.name, a.dtype.name)


cdef int _reduction_code(str reduction) except -1:
    code = _REDUCTIONS.get(reduction)
    if code is None:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return code


cdef cnp.ndarray _loss_rows(object x, str name):
    """The (N, C) float input of a loss, C-contiguous."""
    cdef cnp.ndarray xa = _array(x, name)
    _float_type(xa, name)
    if cnp.PyArray_NDIM(xa) != 2:
        raise ValueError(f"{name} must be 2-D (N, C), got {_describe(xa)}")
    return _contiguous_input(xa, name)


cdef cnp.ndarray _loss_target(object target, int64_t N, int64_t C, int64_t ignore_index):
    """int64 targets (N,), each in [0, C) or ignore_index, C-contiguous."""
    cdef cnp.ndarray ta = _array(target, "target")
    if cnp.PyArray_TYPE(ta) != cnp.NPY_INT64:
        raise RuntimeError(f"expected target dtype to be Long, but got {_torch_name(ta)} (target is {_describe(ta)})")
    _native(ta, "target")
    if cnp.PyArray_NDIM(ta) != 1:
        raise ValueError(f"target must be 1-D of shape ({N},), got {_describe(ta)}")
    if cnp.PyArray_DIM(ta, 0) != N:
        raise ValueError(f"Expected input batch_size ({N}) to match target batch_size ({cnp.PyArray_DIM(ta, 0)}).")
    ta = _contiguous_input(ta, "target")
    cdef int64_t bad = hb_loss_first_bad_target(<const int64_t *>cnp.PyArray_DATA(ta), N, C, ignore_index)
    if bad >= 0:
        raise IndexError(f"Target {(<const int64_t *>cnp.PyArray_DATA(ta))[bad]} is out of bounds.")
    return ta


cdef object _loss_weight(object weight, cnp.ndarray x, int64_t C):
    """None, or class weights (C,) of x's dtype, C-contiguous."""
    if weight is None:
        return None
    cdef cnp.ndarray wa = _array(weight, "weight")
    _float_type(wa, "weight")
    if cnp.PyArray_TYPE(wa) != cnp.PyArray_TYPE(x):
        raise RuntimeError(f"expected scalar type {_torch_name(x)} but found {_torch_name(wa)} (weight is {_describe(wa)}, input {_describe(x)})")
    if cnp.PyArray_NDIM(wa) != 1 or cnp.PyArray_DIM(wa, 0) != C:
        raise RuntimeError(f"weight tensor should be defined either for all {C} classes or no classes but got weight tensor of shape: {list((<object>wa).shape)}")
    return _contiguous_input(wa, "weight")


cdef int _check_loss_array(cnp.ndarray a, cnp.ndarray x, str name, int nd, int64_t d0,
                           int64_t d1) except -1:
    """An array of x's dtype and shape (d0, d1)[:nd]: a scalar () or per-row (N,)
    loss, or (N, C) scores."""
    _float_type(a, name)
    _same_dtype(x, a, name, None, "and the input")
    if cnp.PyArray_NDIM(a) != nd or (nd > 0 and cnp.PyArray_DIM(a, 0) != d0) or \
            (nd > 1 and cnp.PyArray_DIM(a, 1) != d1):
        raise ValueError(f"{name} must have shape {(d0, d1)[:nd]}, got {_describe(a)}")
    return 0


cdef cnp.ndarray _loss_output(object out, cnp.ndarray x, str name, int nd, int64_t d0, int64_t d1):
    """A given output array, checked, or a new one of x's dtype and shape (d0, d1)[:nd]."""
    cdef cnp.npy_intp dims[2]
    if out is None:
        dims[0] = d0
        dims[1] = d1
        return cnp.PyArray_EMPTY(nd, dims, cnp.PyArray_TYPE(x), 0)
    cdef cnp.ndarray a = _array(out, name)
    _check_loss_array(a, x, name, nd, d0, d1)
    _check_output(a, name)
    return a


cdef cnp.ndarray _lse_array(object a, int64_t N, str name, bint output):
    """Rows' log-sum-exps, float64 (2, N) whatever the logits' dtype: each row's
    max, then log(sum(exp(x - max))) (see loss.h). An output (None: a new
    array) or the forward's, handed back to backward."""
    cdef cnp.npy_intp dims[2]
    dims[0] = 2
    dims[1] = N
    if output and a is None:
        return cnp.PyArray_EMPTY(2, dims, cnp.NPY_DOUBLE, 0)
    cdef cnp.ndarray arr = _array(a, name)
    if cnp.PyArray_TYPE(arr) != cnp.NPY_DOUBLE:
        raise TypeError(f"{name} must be float64 (the forward's log-sum-exps), got {arr.dtype}")
    _native(arr, name)
    if cnp.PyArray_NDIM(arr) != 2 or cnp.PyArray_DIM(arr, 0) != 2 or cnp.PyArray_DIM(arr, 1) != N:
        raise ValueError(f"{name} must have shape (2, {N}), got {_describe(arr)}")
    if output:
        _check_output(arr, name)
        return arr
    return _contiguous_input(arr, name)


cdef int _loss_ndim(int reduction) noexcept:
    """The loss is per row (N,) for 'none', a scalar () otherwise."""
    return 1 if reduction == HB_REDUCTION_NONE else 0


cdef int _check_label_smoothing(double label_smoothing) except -1:
    if not (0.0 <= label_smoothing <= 1.0):
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    return 0


cdef const void *_data_or_null(object a):
    return NULL if a is None else cnp.PyArray_DATA(<cnp.ndarray>a)


def cross_entropy_forward(logits, target, weight, long ignore_index, double label_smoothing,
                          str reduction, loss_out=None, lse_out=None):
    """cross_entropy(logits, target) as torch.nn.functional.cross_entropy, and
    each row's log-sum-exp for the backward: (2, N) float64 for either dtype,
    the rows' maxes and the log-sum-exps of the rows less them (their sum is
    the log-sum-exp; kept apart, as PyTorch's log_softmax keeps them).
    The loss is () for 'mean'/'sum', (N,) for 'none'. loss_out, lse_out: None
    (new arrays) or arrays to write. Returns (loss, lse)."""
    cdef int red = _reduction_code(reduction)
    _check_label_smoothing(label_smoothing)
    cdef cnp.ndarray xa = _loss_rows(logits, "logits")
    cdef int64_t N = cnp.PyArray_DIM(xa, 0), C = cnp.PyArray_DIM(xa, 1)
    cdef cnp.ndarray ta = _loss_target(target, N, C, ignore_index)
    wa = _loss_weight(weight, xa, C)
    cdef cnp.ndarray la = _loss_output(loss_out, xa, "loss_out", _loss_ndim(red), N, 0)
    cdef cnp.ndarray sa = _lse_array(lse_out, N, "lse_out", True)
    _check_apart(la, sa, "cross_entropy_forward", "loss_out and lse_out")
    xa, ta, wa = _apart(xa, la, sa), _apart(ta, la, sa), _apart(wa, la, sa)
    cdef const void *w = _data_or_null(wa)
    cdef int status
    _sync_threads()
    with nogil:
        if cnp.PyArray_TYPE(xa) == cnp.NPY_FLOAT:
            status = hb_cross_entropy_forward_f32(
                <const float *>cnp.PyArray_DATA(xa), <const int64_t *>cnp.PyArray_DATA(ta),
                <const float *>w, N, C, ignore_index, label_smoothing, red,
                <float *>cnp.PyArray_DATA(la), <double *>cnp.PyArray_DATA(sa))
        else:
            status = hb_cross_entropy_forward_f64(
                <const double *>cnp.PyArray_DATA(xa), <const int64_t *>cnp.PyArray_DATA(ta),
                <const double *>w, N, C, ignore_index, label_smoothing, red,
                <double *>cnp.PyArray_DATA(la), <double *>cnp.PyArray_DATA(sa))
    _check_status(status, "cross_entropy_forward")
    return la, sa


def cross_entropy_backward(grad_loss, logits, target, weight, lse, long ignore_index,
                           double label_smoothing, str reduction, grad_logits=None):
    """dL/dlogits (N, C) from grad_loss (() for 'mean'/'sum', (N,) for 'none'),
    the logits and the forward's lse (float64). grad_logits: None (a new array)
    or an array to write. Returns it."""
    cdef int red = _reduction_code(reduction)
    _check_label_smoothing(label_smoothing)
    cdef cnp.ndarray xa = _loss_rows(logits, "logits")
    cdef int64_t N = cnp.PyArray_DIM(xa, 0), C = cnp.PyArray_DIM(xa, 1)
    cdef cnp.ndarray ta = _loss_target(target, N, C, ignore_index)
    wa = _loss_weight(weight, xa, C)
    cdef cnp.ndarray ga = _array(grad_loss, "grad_loss")
    _check_loss_array(ga, xa, "grad_loss", _loss_ndim(red), N, 0)
    cdef cnp.ndarray sa = _lse_array(lse, N, "lse", False)
    cdef cnp.ndarray gi = _loss_output(grad_logits, xa, "grad_logits", 2, N, C)
    ga = _apart(_contiguous_input(ga, "grad_loss"), gi)
    sa = _apart(sa, gi)
    xa, ta, wa = _apart(xa, gi), _apart(ta, gi), _apart(wa, gi)
    cdef const void *w = _data_or_null(wa)
    cdef int status
    _sync_threads()
    with nogil:
        if cnp.PyArray_TYPE(xa) == cnp.NPY_FLOAT:
            status = hb_cross_entropy_backward_f32(
                <const float *>cnp.PyArray_DATA(ga), <const float *>cnp.PyArray_DATA(xa),
                <const int64_t *>cnp.PyArray_DATA(ta), <const float *>w,
                <const double *>cnp.PyArray_DATA(sa), N, C, ignore_index, label_smoothing, red,
                <float *>cnp.PyArray_DATA(gi))
        else:
            status = hb_cross_entropy_backward_f64(
                <const double *>cnp.PyArray_DATA(ga), <const double *>cnp.PyArray_DATA(xa),
                <const int64_t *>cnp.PyArray_DATA(ta), <const double *>w,
                <const double *>cnp.PyArray_DATA(sa), N, C, ignore_index, label_smoothing, red,
                <double *>cnp.PyArray_DATA(gi))
    _check_status(status, "cross_entropy_backward")
    return gi


def nll_loss_forward(logp, target, weight, long ignore_index, str reduction, loss_out=None):
    """nll_loss(logp, target) as torch.nn.functional.nll_loss, logp (N, C).
    loss_out: None (a new array) or an array to write. Returns the loss."""
    cdef int red = _reduction_code(reduction)
    cdef cnp.ndarray xa = _loss_rows(logp, "logp")
    cdef int64_t N = cnp.PyArray_DIM(xa, 0), C = cnp.PyArray_DIM(xa, 1)
    cdef cnp.ndarray ta = _loss_target(target, N, C, ignore_index)
    wa = _loss_weight(weight, xa, C)
    cdef cnp.ndarray la = _loss_output(loss_out, xa, "loss_out", _loss_ndim(red), N, 0)
    xa, ta, wa = _apart(xa, la), _apart(ta, la), _apart(wa, la)
    cdef const void *w = _data_or_null(wa)
    cdef int status
    _sync_threads()
    with nogil:
        if cnp.PyArray_TYPE(xa) == cnp.NPY_FLOAT:
            status = hb_nll_loss_forward_f32(
                <const float *>cnp.PyArray_DATA(xa), <const int64_t *>cnp.PyArray_DATA(ta),
                <const float *>w, N, C, ignore_index, red, <float *>cnp.PyArray_DATA(la))
        else:
            status = hb_nll_loss_forward_f64(
                <const double *>cnp.PyArray_DATA(xa), <const int64_t *>cnp.PyArray_DATA(ta),
                <const double *>w, N, C, ignore_index, red, <double *>cnp.PyArray_DATA(la))
    _check_status(status, "nll_loss_forward")
    return la


def nll_loss_backward(grad_loss, target, weight, long ignore_index, str reduction, grad_logp):
    """grad_logp (N, C) = dL/dlogp from grad_loss (() for 'mean'/'sum', (N,) for 'none')."""
    cdef int red = _reduction_code(reduction)
    cdef cnp.ndarray gi = _array(grad_logp, "grad_logp")
    _float_type(gi, "grad_logp")
    if cnp.PyArray_NDIM(gi) != 2:
        raise ValueError(f"grad_logp must be 2-D (N, C), got {_describe(gi)}")
    _check_output(gi, "grad_logp")
    cdef int64_t N = cnp.PyArray_DIM(gi, 0), C = cnp.PyArray_DIM(gi, 1)
    cdef cnp.ndarray ta = _loss_target(target, N, C, ignore_index)
    wa = _loss_weight(weight, gi, C)
    cdef cnp.ndarray ga = _array(grad_loss, "grad_loss")
    _check_loss_array(ga, gi, "grad_loss", _loss_ndim(red), N, 0)
    ga = _apart(_contiguous_input(ga, "grad_loss"), gi)
    ta, wa = _apart(ta, gi), _apart(wa, gi)
    cdef const void *w = _data_or_null(wa)
    cdef int status
    _sync_threads()
    with nogil:
        if cnp.PyArray_TYPE(gi) == cnp.NPY_FLOAT:
            status = hb_nll_loss_backward_f32(
                <const float *>cnp.PyArray_DATA(ga), <const int64_t *>cnp.PyArray_DATA(ta),
                <const float *>w, N, C, ignore_index, red, <float *>cnp.PyArray_DATA(gi))
        else:
            status = hb_nll_loss_backward_f64(
                <const double *>cnp.PyArray_DATA(ga), <const int64_t *>cnp.PyArray_DATA(ta),
                <const double *>w, N, C, ignore_index, red, <double *>cnp.PyArray_DATA(gi))
    _check_status(status, "nll_loss_backward")
    return grad_logp
