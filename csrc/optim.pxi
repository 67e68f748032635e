# Fused optimizer steps over a list of parameters in one C call
# (csrc/kernels/optim.c), with torch.optim's semantics.
from libc.stdlib cimport malloc, free, qsort

cdef extern from "optim.h":
    struct hb_sgd_options:
        double lr, momentum, dampening, weight_decay
        int nesterov, maximize, first_step
    struct hb_adam_options:
        double lr, beta1, beta2, eps, weight_decay
        int amsgrad, maximize, decoupled_weight_decay
    int hb_sgd_step_f32(float **params, const float **grads, float **momentum_buffers,
                        const int64_t *sizes, int64_t count, const hb_sgd_options *opt) nogil
    int hb_sgd_step_f64(double **params, const double **grads, double **momentum_buffers,
                        const int64_t *sizes, int64_t count, const hb_sgd_options *opt) nogil
    int hb_adam_step_f32(float **params, const float **grads, float **exp_avgs, float **exp_avg_sqs,
                         float **max_exp_avg_sqs, const int64_t *sizes, const int64_t *steps, int64_t count,
                         const hb_adam_options *opt) nogil
    int hb_adam_step_f64(double **params, const double **grads, double **exp_avgs, double **exp_avg_sqs,
                         double **max_exp_avg_sqs, const int64_t *sizes, const int64_t *steps, int64_t count,
                         const hb_adam_options *opt) nogil
    struct hb_adagrad_options:
        double lr, lr_decay, weight_decay, eps
        int maximize
    struct hb_adadelta_options:
        double lr, rho, eps, weight_decay
        int maximize
    struct hb_rmsprop_options:
        double lr, alpha, eps, weight_decay, momentum
        int centered, maximize
    struct hb_adamax_options:
        double lr, beta1, beta2, eps, weight_decay
        int maximize
    struct hb_nadam_options:
        double lr, beta1, beta2, eps, weight_decay, momentum_decay
        int decoupled_weight_decay, maximize
    int hb_adagrad_step_f32(float **params, const float **grads, float **state_sums, const int64_t *sizes,
                            const int64_t *steps, int64_t count, const hb_adagrad_options *opt) nogil
    int hb_adagrad_step_f64(double **params, const double **grads, double **state_sums, const int64_t *sizes,
                            const int64_t *steps, int64_t count, const hb_adagrad_options *opt) nogil
    int hb_adadelta_step_f32(float **params, const float **grads, float **square_avgs, float **acc_deltas,
                             const int64_t *sizes, int64_t count, const hb_adadelta_options *opt) nogil
    int hb_adadelta_step_f64(double **params, const double **grads, double **square_avgs, double **acc_deltas,
                             const int64_t *sizes, int64_t count, const hb_adadelta_options *opt) nogil
    int hb_rmsprop_step_f32(float **params, const float **grads, float **square_avgs, float **grad_avgs,
                            float **momentum_buffers, const int64_t *sizes, int64_t count,
                            const hb_rmsprop_options *opt) nogil
    int hb_rmsprop_step_f64(double **params, const double **grads, double **square_avgs, double **grad_avgs,
                            double **momentum_buffers, const int64_t *sizes, int64_t count,
                            const hb_rmsprop_options *opt) nogil
    int hb_adamax_step_f32(float **params, const float **grads, float **exp_avgs, float **exp_infs,
                           const int64_t *sizes, const int64_t *steps, int64_t count,
                           const hb_adamax_options *opt) nogil
    int hb_adamax_step_f64(double **params, const double **grads, double **exp_avgs, double **exp_infs,
                           const int64_t *sizes, const int64_t *steps, int64_t count,
                           const hb_adamax_options *opt) nogil
    int hb_nadam_step_f32(float **params, const float **grads, float **exp_avgs, float **exp_avg_sqs,
                          const int64_t *sizes, const int64_t *steps, const double *mu_products, int64_t count,
                          const hb_nadam_options *opt) nogil
    int hb_nadam_step_f64(double **params, const double **grads, double **exp_avgs, double **exp_avg_sqs,
                          const int64_t *sizes, const int64_t *steps, const double *mu_products, int64_t count,
                          const hb_nadam_options *opt) nogil


cdef str _hparam(double v):
    """A hyperparameter as torch's messages print it (-1, not -1.0, for a whole number)."""
    return str(int(v)) if v == v and v not in (float("inf"), float("-inf")) and v == int(v) else repr(v)


cdef list _array_list(object seq, str name, Py_ssize_t count):
    """seq as a list of `count` items, or TypeError/ValueError."""
    if not isinstance(seq, (list, tuple)):
        raise TypeError(f"{name} must be a list or tuple of numpy.ndarray, got {type(seq).__name__}")
    if count >= 0 and len(seq) != count:
        raise ValueError(f"{name} has {len(seq)} arrays but params has {count}")
    return list(seq)


# The checks below run for every parameter on every step: each message is only
# formatted when its check fails.
cdef cnp.ndarray _check_param(object a, Py_ssize_t i, int dtype):
    if not isinstance(a, cnp.ndarray):
        _array(a, f"params[{i}]")
    cdef cnp.ndarray p = <cnp.ndarray>a
    cdef int t = cnp.PyArray_TYPE(p)
    if t != cnp.NPY_FLOAT and t != cnp.NPY_DOUBLE:
        _float_type(p, f"params[{i}]")
    if dtype >= 0 and t != dtype:
        raise TypeError(f"params[{i}] is {p.dtype} but params[0] is {cnp.PyArray_DescrFromType(dtype)}: "
                        f"one call updates one dtype; group parameters by dtype")
    if not _output_ok(p):
        _check_output(p, f"params[{i}]")
    return p


cdef cnp.ndarray _check_like(object a, cnp.ndarray p, str name, Py_ssize_t i, bint state):
    """An array paired with params[i]: same shape and dtype. A state is updated
    in place, so it must be C-contiguous and writable; a grad is only read, and
    a non-contiguous one is copied."""
    if not isinstance(a, cnp.ndarray):
        _array(a, f"{name}[{i}]")
    cdef cnp.ndarray arr = <cnp.ndarray>a
    if cnp.PyArray_TYPE(arr) != cnp.PyArray_TYPE(p):
        raise TypeError(f"{name}[{i}] has dtype {arr.dtype} but params[{i}] has dtype {p.dtype}")
    if not _dims_equal(arr, p):
        raise ValueError(f"{name}[{i}] has shape {(<object>arr).shape} but params[{i}] has shape {(<object>p).shape}")
    if state:
        if not _output_ok(arr):
            _check_output(arr, f"{name}[{i}]")
    elif not (cnp.PyArray_IS_C_CONTIGUOUS(arr) and cnp.PyArray_ISALIGNED(arr) and
              cnp.PyArray_ISNOTSWAPPED(arr)):
        _native(arr, f"{name}[{i}]")
        arr = _contiguous_input(arr, f"{name}[{i}]")
    return arr


cdef struct _Extent:
    char *lo
    char *hi
    Py_ssize_t list_index   # which of the lists (params, grads, states...)
    Py_ssize_t tensor       # which tensor in it
    bint written


cdef int _by_start(const void *a, const void *b) noexcept nogil:
    cdef char *x = (<const _Extent *>a).lo
    cdef char *y = (<const _Extent *>b).lo
    return -1 if x < y else (1 if x > y else 0)


cdef int _check_disjoint(tuple lists, tuple names, tuple written, Py_ssize_t count) except -1:
    """No array the step writes (a parameter or a state) may share memory with
    any other array of the call, of this tensor or another: the threads take
    the tensors' elements in slices of their concatenation, so an aliased
    array is updated by two threads at once (a parameter listed twice
    included). Gradients, which are only read, may share memory with each
    other. Sorting the byte ranges by start makes this one pass."""
    cdef Py_ssize_t n = 0, k, j, i, clash
    cdef _Extent *extents = <_Extent *>malloc(len(lists) * count * sizeof(_Extent) + 1)
    if extents == NULL:
        raise MemoryError("optimizer step: out of memory")
    cdef cnp.ndarray arr
    cdef char *w_hi = NULL
    cdef char *any_hi = NULL
    cdef Py_ssize_t w_at = -1, any_at = -1
    try:
        for k in range(len(lists)):
            if lists[k] is None:
                continue
            for i in range(count):
                arr = lists[k][i]
                if cnp.PyArray_NBYTES(arr) == 0:
                    continue
                extents[n].lo = <char *>cnp.PyArray_DATA(arr)
                extents[n].hi = extents[n].lo + cnp.PyArray_NBYTES(arr)
                extents[n].list_index = k
                extents[n].tensor = i
                extents[n].written = written[k]
                n += 1
        qsort(extents, n, sizeof(_Extent), _by_start)
        for j in range(n):
            clash = -1
            if w_at >= 0 and extents[j].lo < w_hi:
                clash = w_at
            elif extents[j].written and any_at >= 0 and extents[j].lo < any_hi:
                clash = any_at
            if clash >= 0:
                raise ValueError(f"{names[extents[clash].list_index]}[{extents[clash].tensor}] and "
                                 f"{names[extents[j].list_index]}[{extents[j].tensor}] share memory")
            if extents[j].written and extents[j].hi > w_hi:
                w_hi, w_at = extents[j].hi, j
            if extents[j].hi > any_hi:
                any_hi, any_at = extents[j].hi, j
    finally:
        free(extents)
    return 0


def sgd_step(params, grads, momentum_buffers, double lr, double momentum, double dampening, bint nesterov,
             double weight_decay, bint maximize, bint first_step):
    """One torch.optim.SGD step for every parameter, in one C call.

    params, grads: lists of arrays (float32 or float64, one dtype per call);
    momentum_buffers: None when momentum == 0, else a list of arrays shaped
    like the params. first_step: the buffers are set to the (decayed)
    gradient instead of updated, as torch does when it creates them. Params
    and buffers are updated in place and must be C-contiguous and writable;
    grads are only read (a non-contiguous grad is copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= momentum:
        raise ValueError(f"Invalid momentum value: {_hparam(momentum)}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError("Nesterov momentum requires a momentum and zero dampening")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list gs = _array_list(grads, "grads", count)
    cdef list bs = None
    if momentum != 0:
        if momentum_buffers is None:
            raise ValueError(f"momentum_buffers must be a list of arrays when momentum is {_hparam(momentum)}")
        bs = _array_list(momentum_buffers, "momentum_buffers", count)
    elif momentum_buffers is not None:
        raise ValueError("momentum_buffers must be None when momentum is 0")

    cdef int dtype = -1
    cdef Py_ssize_t i
    cdef cnp.ndarray p
    for i in range(count):
        p = _check_param(ps[i], i, dtype)
        dtype = cnp.PyArray_TYPE(p)
        ps[i] = p
        gs[i] = _check_like(gs[i], p, "grads", i, False)
        if bs is not None:
            bs[i] = _check_like(bs[i], p, "momentum_buffers", i, True)
    _check_disjoint((ps, gs, bs), ("params", "grads", "momentum_buffers"), (True, False, True), count)
    if count == 0:
        return

    cdef hb_sgd_options opt
    opt.lr = lr
    opt.momentum = momentum
    opt.dampening = dampening
    opt.weight_decay = weight_decay
    opt.nesterov = nesterov
    opt.maximize = maximize
    opt.first_step = first_step
    cdef void **ptrs = <void **>malloc(3 * count * sizeof(void *))
    cdef int64_t *sizes = <int64_t *>malloc(count * sizeof(int64_t))
    cdef int status
    try:
        if ptrs == NULL or sizes == NULL:
            raise MemoryError("sgd_step: out of memory")
        for i in range(count):
            ptrs[i] = cnp.PyArray_DATA(<cnp.ndarray>ps[i])
            ptrs[count + i] = cnp.PyArray_DATA(<cnp.ndarray>gs[i])
            ptrs[2 * count + i] = cnp.PyArray_DATA(<cnp.ndarray>bs[i]) if bs is not None else NULL
            sizes[i] = cnp.PyArray_SIZE(<cnp.ndarray>ps[i])
        _sync_threads()
        with nogil:
            if dtype == cnp.NPY_FLOAT:
                status = hb_sgd_step_f32(<float **>ptrs, <const float **>(ptrs + count),
                                         <float **>(ptrs + 2 * count) if bs is not None else NULL,
                                         sizes, count, &opt)
            else:
                status = hb_sgd_step_f64(<double **>ptrs, <const double **>(ptrs + count),
                                         <double **>(ptrs + 2 * count) if bs is not None else NULL,
                                         sizes, count, &opt)
        _check_status(status, "sgd_step")
    finally:
        free(ptrs)
        free(sizes)


def adam_step(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps, double lr, double beta1,
              double beta2, double eps, double weight_decay, bint amsgrad, bint maximize,
              bint decoupled_weight_decay):
    """One torch.optim.Adam step (AdamW with decoupled_weight_decay) for every
    parameter, in one C call.

    params, grads, exp_avgs, exp_avg_sqs: lists of arrays (float32 or float64,
    one dtype per call); max_exp_avg_sqs: None unless amsgrad, else a list;
    steps: each parameter's step count (int >= 1), already incremented for
    this step. Params and states are updated in place and must be C-contiguous
    and writable; grads are only read (a non-contiguous grad is copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {_hparam(eps)}")
    if not 0.0 <= beta1 < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {_hparam(beta1)}")
    if not 0.0 <= beta2 < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {_hparam(beta2)}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list gs = _array_list(grads, "grads", count)
    cdef list ms = _array_list(exp_avgs, "exp_avgs", count)
    cdef list vs = _array_list(exp_avg_sqs, "exp_avg_sqs", count)
    cdef list maxs = None
    if amsgrad:
        if max_exp_avg_sqs is None:
            raise ValueError("max_exp_avg_sqs must be a list of arrays when amsgrad is True")
        maxs = _array_list(max_exp_avg_sqs, "max_exp_avg_sqs", count)
    elif max_exp_avg_sqs is not None:
        raise ValueError("max_exp_avg_sqs must be None when amsgrad is False")
    if not isinstance(steps, (list, tuple)):
        raise TypeError(f"steps must be a list or tuple of ints, got {type(steps).__name__}")
    if len(steps) != count:
        raise ValueError(f"steps has {len(steps)} entries but params has {count}")

    cdef int dtype = -1
    cdef Py_ssize_t i
    cdef cnp.ndarray p
    cdef list step_counts = []
    for i in range(count):
        p = _check_param(ps[i], i, dtype)
        dtype = cnp.PyArray_TYPE(p)
        ps[i] = p
        gs[i] = _check_like(gs[i], p, "grads", i, False)
        ms[i] = _check_like(ms[i], p, "exp_avgs", i, True)
        vs[i] = _check_like(vs[i], p, "exp_avg_sqs", i, True)
        if maxs is not None:
            maxs[i] = _check_like(maxs[i], p, "max_exp_avg_sqs", i, True)
        if isinstance(steps[i], bool) or not hasattr(steps[i], "__index__"):
            raise TypeError(f"steps[{i}] must be an int, got {type(steps[i]).__name__}")
        step_counts.append(steps[i].__index__())
        if step_counts[i] < 1:
            raise ValueError(f"steps[{i}] must be >= 1 (the count after this step), got {step_counts[i]}")
    _check_disjoint((ps, gs, ms, vs, maxs), ("params", "grads", "exp_avgs", "exp_avg_sqs", "max_exp_avg_sqs"),
                    (True, False, True, True, True), count)
    if count == 0:
        return

    cdef hb_adam_options opt
    opt.lr = lr
    opt.beta1 = beta1
    opt.beta2 = beta2
    opt.eps = eps
    opt.weight_decay = weight_decay
    opt.amsgrad = amsgrad
    opt.maximize = maximize
    opt.decoupled_weight_decay = decoupled_weight_decay
    cdef void **ptrs = <void **>malloc(5 * count * sizeof(void *))
    cdef int64_t *sizes = <int64_t *>malloc(2 * count * sizeof(int64_t))
    cdef int status
    try:
        if ptrs == NULL or sizes == NULL:
            raise MemoryError("adam_step: out of memory")
        for i in range(count):
            ptrs[i] = cnp.PyArray_DATA(<cnp.ndarray>ps[i])
            ptrs[count + i] = cnp.PyArray_DATA(<cnp.ndarray>gs[i])
            ptrs[2 * count + i] = cnp.PyArray_DATA(<cnp.ndarray>ms[i])
            ptrs[3 * count + i] = cnp.PyArray_DATA(<cnp.ndarray>vs[i])
            ptrs[4 * count + i] = cnp.PyArray_DATA(<cnp.ndarray>maxs[i]) if maxs is not None else NULL
            sizes[i] = cnp.PyArray_SIZE(<cnp.ndarray>ps[i])
            sizes[count + i] = step_counts[i]
        _sync_threads()
        with nogil:
            if dtype == cnp.NPY_FLOAT:
                status = hb_adam_step_f32(<float **>ptrs, <const float **>(ptrs + count),
                                          <float **>(ptrs + 2 * count), <float **>(ptrs + 3 * count),
                                          <float **>(ptrs + 4 * count) if amsgrad else NULL,
                                          sizes, sizes + count, count, &opt)
            else:
                status = hb_adam_step_f64(<double **>ptrs, <const double **>(ptrs + count),
                                          <double **>(ptrs + 2 * count), <double **>(ptrs + 3 * count),
                                          <double **>(ptrs + 4 * count) if amsgrad else NULL,
                                          sizes, sizes + count, count, &opt)
        _check_status(status, "adam_step")
    finally:
        free(ptrs)
        free(sizes)


# --- Adagrad, Adadelta, RMSprop, Adamax, NAdam: shared checks, then one C call each ---

cdef list _optional_list(object seq, str name, Py_ssize_t count, bint wanted, str when):
    """seq as a list of `count` arrays when `wanted`, else None (and seq must be None)."""
    if wanted:
        if seq is None:
            raise ValueError(f"{name} must be a list of arrays when {when}")
        return _array_list(seq, name, count)
    if seq is not None:
        raise ValueError(f"{name} must be None unless {when}")
    return None


cdef int _check_group(list ps, list others, tuple names) except -2:
    """Checks params (one float dtype, C-contiguous, writable) and, index by
    index, each list in `others` against them (a None list is absent):
    others[0] is the grads (read-only; a non-contiguous one is copied), the
    rest are states updated in place. names: "params", then one per list.
    Replaces the items by the checked arrays; returns the dtype (-1 for no
    params)."""
    cdef Py_ssize_t i, k
    cdef int dtype = -1
    cdef cnp.ndarray p
    for i in range(len(ps)):
        p = _check_param(ps[i], i, dtype)
        dtype = cnp.PyArray_TYPE(p)
        ps[i] = p
        for k in range(len(others)):
            if others[k] is not None:
                others[k][i] = _check_like(others[k][i], p, names[k + 1], i, k > 0)
    # params and states are written, the grads (others[0]) only read
    _check_disjoint(tuple([ps] + others), names,
                    (True, False) + (True,) * (len(others) - 1), len(ps))
    return dtype


cdef list _step_counts(object steps, Py_ssize_t count):
    """Each parameter's step count, already incremented for this step (int >= 1)."""
    if not isinstance(steps, (list, tuple)):
        raise TypeError(f"steps must be a list or tuple of ints, got {type(steps).__name__}")
    if len(steps) != count:
        raise ValueError(f"steps has {len(steps)} entries but params has {count}")
    cdef list out = []
    cdef Py_ssize_t i
    for i in range(count):
        if isinstance(steps[i], bool) or not hasattr(steps[i], "__index__"):
            raise TypeError(f"steps[{i}] must be an int, got {type(steps[i]).__name__}")
        out.append(steps[i].__index__())
        if out[i] < 1:
            raise ValueError(f"steps[{i}] must be >= 1 (the count after this step), got {out[i]}")
    return out


cdef class _Pointers:
    """The C arguments of one call: the data pointers of list k at lists[k]
    (NULL for an absent list), sizes[i], ints[i] (step counts) and doubles[i]."""
    cdef void **ptrs
    cdef void **lists[8]
    cdef int64_t *sizes
    cdef int64_t *ints
    cdef double *doubles

    def __cinit__(self, list arrays, Py_ssize_t count, list ints=None, list doubles=None):
        if len(arrays) > 8:
            raise ValueError("_Pointers: at most 8 lists")
        self.ptrs = <void **>malloc((len(arrays) * count + 1) * sizeof(void *))
        self.sizes = <int64_t *>malloc((2 * count + 1) * sizeof(int64_t))
        self.doubles = <double *>malloc((count + 1) * sizeof(double))
        if self.ptrs == NULL or self.sizes == NULL or self.doubles == NULL:
            raise MemoryError("optimizer step: out of memory")
        self.ints = self.sizes + count
        cdef Py_ssize_t i, k
        for k in range(len(arrays)):
            self.lists[k] = self.ptrs + k * count if arrays[k] is not None else NULL
            for i in range(count):
                self.ptrs[k * count + i] = cnp.PyArray_DATA(<cnp.ndarray>arrays[k][i]) if arrays[k] is not None else NULL
        for i in range(count):
            self.sizes[i] = cnp.PyArray_SIZE(<cnp.ndarray>arrays[0][i])
            self.ints[i] = ints[i] if ints is not None else 0
            self.doubles[i] = doubles[i] if doubles is not None else 0.0

    def __dealloc__(self):
        free(self.ptrs)
        free(self.sizes)
        free(self.doubles)


def adagrad_step(params, grads, state_sums, steps, double lr, double lr_decay, double weight_decay, double eps,
                 bint maximize):
    """One torch.optim.Adagrad step for every parameter, in one C call.

    params, grads, state_sums: lists of arrays (float32 or float64, one dtype
    per call); steps: each parameter's step count (int >= 1), already
    incremented. Params and sums are updated in place and must be C-contiguous
    and writable; grads are only read (a non-contiguous grad is copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= lr_decay:
        raise ValueError(f"Invalid lr_decay value: {_hparam(lr_decay)}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {_hparam(eps)}")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list lists = [ps, _array_list(grads, "grads", count), _array_list(state_sums, "state_sums", count)]
    cdef int dtype = _check_group(ps, lists[1:], ("params", "grads", "state_sums"))
    cdef list step_counts = _step_counts(steps, count)
    if count == 0:
        return
    cdef hb_adagrad_options opt
    opt.lr, opt.lr_decay, opt.weight_decay, opt.eps, opt.maximize = lr, lr_decay, weight_decay, eps, maximize
    cdef _Pointers c = _Pointers(lists, count, step_counts)
    cdef int status
    with nogil:
        if dtype == cnp.NPY_FLOAT:
            status = hb_adagrad_step_f32(<float **>c.lists[0], <const float **>c.lists[1],
                                         <float **>c.lists[2], c.sizes, c.ints, count, &opt)
        else:
            status = hb_adagrad_step_f64(<double **>c.lists[0], <const double **>c.lists[1],
                                         <double **>c.lists[2], c.sizes, c.ints, count, &opt)
    _check_status(status, "adagrad_step")


def adadelta_step(params, grads, square_avgs, acc_deltas, double lr, double rho, double eps, double weight_decay,
                  bint maximize):
    """One torch.optim.Adadelta step for every parameter, in one C call.

    params, grads, square_avgs, acc_deltas: lists of arrays (float32 or
    float64, one dtype per call). Params and states are updated in place and
    must be C-contiguous and writable; grads are only read (a non-contiguous
    grad is copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= rho <= 1.0:
        raise ValueError(f"Invalid rho value: {_hparam(rho)}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {_hparam(eps)}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list lists = [ps, _array_list(grads, "grads", count), _array_list(square_avgs, "square_avgs", count),
                       _array_list(acc_deltas, "acc_deltas", count)]
    cdef int dtype = _check_group(ps, lists[1:], ("params", "grads", "square_avgs", "acc_deltas"))
    if count == 0:
        return
    cdef hb_adadelta_options opt
    opt.lr, opt.rho, opt.eps, opt.weight_decay, opt.maximize = lr, rho, eps, weight_decay, maximize
    cdef _Pointers c = _Pointers(lists, count)
    cdef int status
    with nogil:
        if dtype == cnp.NPY_FLOAT:
            status = hb_adadelta_step_f32(<float **>c.lists[0], <const float **>c.lists[1],
                                          <float **>c.lists[2], <float **>c.lists[3], c.sizes, count, &opt)
        else:
            status = hb_adadelta_step_f64(<double **>c.lists[0], <const double **>c.lists[1],
                                          <double **>c.lists[2], <double **>c.lists[3], c.sizes, count,
                                          &opt)
    _check_status(status, "adadelta_step")


def rmsprop_step(params, grads, square_avgs, grad_avgs, momentum_buffers, double lr, double alpha, double eps,
                 double weight_decay, double momentum, bint centered, bint maximize):
    """One torch.optim.RMSprop step for every parameter, in one C call.

    params, grads, square_avgs: lists of arrays (float32 or float64, one dtype
    per call); grad_avgs: a list when centered, else None; momentum_buffers: a
    list when momentum > 0, else None. Params and states are updated in place
    and must be C-contiguous and writable; grads are only read (a
    non-contiguous grad is copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {_hparam(eps)}")
    if not 0.0 <= momentum:
        raise ValueError(f"Invalid momentum value: {_hparam(momentum)}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    if not 0.0 <= alpha:
        raise ValueError(f"Invalid alpha value: {_hparam(alpha)}")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list lists = [ps, _array_list(grads, "grads", count), _array_list(square_avgs, "square_avgs", count),
                       _optional_list(grad_avgs, "grad_avgs", count, centered, "centered is True"),
                       _optional_list(momentum_buffers, "momentum_buffers", count, momentum > 0, "momentum > 0")]
    cdef int dtype = _check_group(ps, lists[1:],
                                  ("params", "grads", "square_avgs", "grad_avgs", "momentum_buffers"))
    if count == 0:
        return
    cdef hb_rmsprop_options opt
    opt.lr, opt.alpha, opt.eps, opt.weight_decay, opt.momentum = lr, alpha, eps, weight_decay, momentum
    opt.centered, opt.maximize = centered, maximize
    cdef _Pointers c = _Pointers(lists, count)
    cdef int status
    with nogil:
        if dtype == cnp.NPY_FLOAT:
            status = hb_rmsprop_step_f32(<float **>c.lists[0], <const float **>c.lists[1],
                                         <float **>c.lists[2], <float **>c.lists[3],
                                         <float **>c.lists[4], c.sizes, count, &opt)
        else:
            status = hb_rmsprop_step_f64(<double **>c.lists[0], <const double **>c.lists[1],
                                         <double **>c.lists[2], <double **>c.lists[3],
                                         <double **>c.lists[4], c.sizes, count, &opt)
    _check_status(status, "rmsprop_step")


cdef int _check_betas(double beta1, double beta2) except -1:
    if not 0.0 <= beta1 < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {_hparam(beta1)}")
    if not 0.0 <= beta2 < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {_hparam(beta2)}")
    return 0


def adamax_step(params, grads, exp_avgs, exp_infs, steps, double lr, double beta1, double beta2, double eps,
                double weight_decay, bint maximize):
    """One torch.optim.Adamax step for every parameter, in one C call.

    params, grads, exp_avgs, exp_infs: lists of arrays (float32 or float64,
    one dtype per call); steps: each parameter's step count (int >= 1),
    already incremented. Params and states are updated in place and must be
    C-contiguous and writable; grads are only read (a non-contiguous grad is
    copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {_hparam(eps)}")
    _check_betas(beta1, beta2)
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list lists = [ps, _array_list(grads, "grads", count), _array_list(exp_avgs, "exp_avgs", count),
                       _array_list(exp_infs, "exp_infs", count)]
    cdef int dtype = _check_group(ps, lists[1:], ("params", "grads", "exp_avgs", "exp_infs"))
    cdef list step_counts = _step_counts(steps, count)
    if count == 0:
        return
    cdef hb_adamax_options opt
    opt.lr, opt.beta1, opt.beta2, opt.eps, opt.weight_decay = lr, beta1, beta2, eps, weight_decay
    opt.maximize = maximize
    cdef _Pointers c = _Pointers(lists, count, step_counts)
    cdef int status
    with nogil:
        if dtype == cnp.NPY_FLOAT:
            status = hb_adamax_step_f32(<float **>c.lists[0], <const float **>c.lists[1],
                                        <float **>c.lists[2], <float **>c.lists[3], c.sizes, c.ints,
                                        count, &opt)
        else:
            status = hb_adamax_step_f64(<double **>c.lists[0], <const double **>c.lists[1],
                                        <double **>c.lists[2], <double **>c.lists[3], c.sizes, c.ints,
                                        count, &opt)
    _check_status(status, "adamax_step")


def nadam_step(params, grads, exp_avgs, exp_avg_sqs, steps, mu_products, double lr, double beta1, double beta2,
               double eps, double weight_decay, double momentum_decay, bint decoupled_weight_decay, bint maximize):
    """One torch.optim.NAdam step for every parameter, in one C call.

    params, grads, exp_avgs, exp_avg_sqs: lists of arrays (float32 or float64,
    one dtype per call); steps: each parameter's step count (int >= 1),
    already incremented; mu_products: each parameter's product of the momentum
    schedule mu_1 * ... * mu_step, already including this step (a float in
    [0, 1)). Params and states are updated in place and must be C-contiguous
    and writable; grads are only read (a non-contiguous grad is copied first)."""
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {_hparam(lr)}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {_hparam(eps)}")
    _check_betas(beta1, beta2)
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {_hparam(weight_decay)}")
    if not 0.0 <= momentum_decay:
        raise ValueError(f"Invalid momentum_decay value: {_hparam(momentum_decay)}")
    cdef list ps = _array_list(params, "params", -1)
    cdef Py_ssize_t count = len(ps)
    cdef list lists = [ps, _array_list(grads, "grads", count), _array_list(exp_avgs, "exp_avgs", count),
                       _array_list(exp_avg_sqs, "exp_avg_sqs", count)]
    cdef int dtype = _check_group(ps, lists[1:], ("params", "grads", "exp_avgs", "exp_avg_sqs"))
    cdef list step_counts = _step_counts(steps, count)
    if not isinstance(mu_products, (list, tuple)):
        raise TypeError(f"mu_products must be a list or tuple of floats, got {type(mu_products).__name__}")
    if len(mu_products) != count:
        raise ValueError(f"mu_products has {len(mu_products)} entries but params has {count}")
    cdef list mus = []
    cdef Py_ssize_t i
    for i in range(count):
        if isinstance(mu_products[i], bool) or not hasattr(mu_products[i], "__float__"):
            raise TypeError(f"mu_products[{i}] must be a float, got {type(mu_products[i]).__name__}")
        mus.append(float(mu_products[i]))
        if not 0.0 <= mus[i] < 1.0:
            raise ValueError(f"mu_products[{i}] must be in [0, 1), got {mus[i]!r}")
    if count == 0:
        return
    cdef hb_nadam_options opt
    opt.lr, opt.beta1, opt.beta2, opt.eps, opt.weight_decay = lr, beta1, beta2, eps, weight_decay
    opt.momentum_decay, opt.decoupled_weight_decay, opt.maximize = momentum_decay, decoupled_weight_decay, maximize
    cdef _Pointers c = _Pointers(lists, count, step_counts, mus)
    cdef int status
    with nogil:
        if dtype == cnp.NPY_FLOAT:
            status = hb_nadam_step_f32(<float **>c.lists[0], <const float **>c.lists[1],
                                       <float **>c.lists[2], <float **>c.lists[3], c.sizes, c.ints,
                                       c.doubles, count, &opt)
        else:
            status = hb_nadam_step_f64(<double **>c.lists[0], <const double **>c.lists[1],
                                       <double **>c.lists[2], <double **>c.lists[3], c.sizes, c.ints,
                                       c.doubles, count, &opt)
    _check_status(status, "nadam_step")
