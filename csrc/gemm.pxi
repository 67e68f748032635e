# GEMM bindings: matmul_into, bmm_into, linear_forward, linear_backward.
#
# A 2-D operand reaches the kernel as a pointer, a transpose flag and a leading
# dimension: rows contiguous (the usual case, and slices like big[:, :k]) or
# columns contiguous (a transposed view like w.T, packed by the kernel without
# materializing it). Anything else (negative, zero or odd strides, unaligned
# data) is copied first, and so is an input that overlaps the output.

cdef extern from "gemm.h":
    int hb_gemm_batched_f32(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n,
                            int64_t k, float alpha, const float *a, int64_t stride_a_batch,
                            int64_t lda, const float *b, int64_t stride_b_batch, int64_t ldb,
                            float beta, float *c, int64_t stride_c_batch, int64_t ldc) nogil
    int hb_gemm_batched_f64(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n,
                            int64_t k, double alpha, const double *a, int64_t stride_a_batch,
                            int64_t lda, const double *b, int64_t stride_b_batch, int64_t ldb,
                            double beta, double *c, int64_t stride_c_batch, int64_t ldc) nogil
    int hb_linear_forward_f32(int64_t m, int64_t n, int64_t k, const float *x, int64_t ldx,
                              const float *w, int64_t ldw, const float *bias, float *y,
                              int64_t ldy) nogil
    int hb_linear_forward_f64(int64_t m, int64_t n, int64_t k, const double *x, int64_t ldx,
                              const double *w, int64_t ldw, const double *bias, double *y,
                              int64_t ldy) nogil
    int hb_linear_backward_f32(int64_t m, int64_t n, int64_t k, const float *grad_y,
                               const float *x, const float *w, float *grad_x, float *grad_w,
                               float *grad_b, int accumulate) nogil
    int hb_linear_backward_f64(int64_t m, int64_t n, int64_t k, const double *grad_y,
                               const double *x, const double *w, double *grad_x,
                               double *grad_w, double *grad_b, int accumulate) nogil


cdef int _matrix_layout(int64_t rows, int64_t cols, int64_t s0, int64_t s1, int64_t item,
                        int64_t *ld) noexcept:
    """0 (rows contiguous) or 1 (columns contiguous, pass as transposed) with the
    leading dimension in ld; -1 if the matrix has to be copied. The stride of a
    dimension of size 0 or 1 is never used to address memory, so it is replaced
    by one that makes the matrix contiguous."""
    if rows <= 1:
        s0 = (cols if cols > 1 else 1) * item
    if cols <= 1:
        s1 = item
    if s1 == item and s0 > 0 and s0 % item == 0 and s0 // item >= (cols if cols > 1 else 1):
        ld[0] = s0 // item
        return 0
    if s0 == item and s1 > 0 and s1 % item == 0 and s1 // item >= (rows if rows > 1 else 1):
        ld[0] = s1 // item
        return 1
    return -1


cdef cnp.ndarray _input_matrix(cnp.ndarray a, cnp.ndarray out, int *trans, int64_t *ld):
    """A 2-D (or batched 3-D) operand the kernel can read, with its layout."""
    cdef int nd = cnp.PyArray_NDIM(a)
    cdef int64_t item = cnp.PyArray_ITEMSIZE(a)
    cdef int64_t rows = cnp.PyArray_DIM(a, nd - 2), cols = cnp.PyArray_DIM(a, nd - 1)
    if cnp.PyArray_SIZE(a) == 0:
        # never read; numpy gives an empty array all-zero strides, which no
        # layout matches (a batch of 0 (M, K) matrices still has M and K > 0)
        trans[0] = 0
        ld[0] = cols if cols > 1 else 1
        return a
    cdef int layout = _matrix_layout(rows, cols, cnp.PyArray_STRIDE(a, nd - 2),
                                     cnp.PyArray_STRIDE(a, nd - 1), item, ld)
    cdef bint copy = layout < 0 or not cnp.PyArray_ISALIGNED(a) or _overlaps(a, out)
    if nd == 3 and cnp.PyArray_DIM(a, 0) > 1 and cnp.PyArray_STRIDE(a, 0) % item != 0:
        copy = True
    if copy:
        a = _copy(a)
        layout = _matrix_layout(rows, cols, cnp.PyArray_STRIDE(a, nd - 2),
                                cnp.PyArray_STRIDE(a, nd - 1), item, ld)
    trans[0] = layout
    return a


cdef int64_t _batch_stride(cnp.ndarray a) noexcept:
    if cnp.PyArray_DIM(a, 0) <= 1:
        return 0
    return cnp.PyArray_STRIDE(a, 0) // cnp.PyArray_ITEMSIZE(a)


cdef int _check_ndim(cnp.ndarray a, int nd, str name, str what) except -1:
    if cnp.PyArray_NDIM(a) != nd:
        raise RuntimeError(f"{name} must be {what} ({nd}-D), got an array of shape {(<object>a).shape}")
    return 0


cdef int _check_pair_dtypes(cnp.ndarray a, cnp.ndarray b, str name_a, str name_b) except -1:
    _float_type(a, name_a)
    _float_type(b, name_b)
    if cnp.PyArray_TYPE(a) != cnp.PyArray_TYPE(b):
        raise RuntimeError(f"expected {name_a} and {name_b} to have the same dtype, but got: {a.dtype} != {b.dtype}")
    return 0


cdef cnp.ndarray _gemm_out(object out, cnp.ndarray like, int nd, int64_t d0, int64_t d1,
                           int64_t d2, str name):
    """The given output, checked to have like's dtype and shape (d0, d1, d2)[:nd],
    or a new C-contiguous array of them when out is None."""
    cdef cnp.npy_intp dims[3]
    dims[0] = d0
    dims[1] = d1
    dims[2] = d2
    if out is None:
        return cnp.PyArray_EMPTY(nd, dims, cnp.PyArray_TYPE(like), 0)
    cdef cnp.ndarray o = _array(out, name)
    if cnp.PyArray_TYPE(o) != cnp.PyArray_TYPE(like):
        raise TypeError(f"{name} must have dtype {like.dtype}, got {o.dtype}")
    cdef int i
    cdef bint same = cnp.PyArray_NDIM(o) == nd
    for i in range(nd):
        same = same and cnp.PyArray_DIM(o, i) == dims[i]
    if not same:
        raise ValueError(f"{name} must have shape {(d0, d1, d2)[:nd]}, got {(<object>o).shape}")
    _check_output(o, name)
    return o


cdef int _batched(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n, int64_t k,
                  double alpha, cnp.ndarray a, int64_t stride_a, int64_t lda,
                  cnp.ndarray b, int64_t stride_b, int64_t ldb, double beta,
                  cnp.ndarray c, int64_t stride_c, int64_t ldc) except -1:
    cdef int status
    cdef void *pa = cnp.PyArray_DATA(a)
    cdef void *pb = cnp.PyArray_DATA(b)
    cdef void *pc = cnp.PyArray_DATA(c)
    if cnp.PyArray_TYPE(c) == cnp.NPY_FLOAT:
        _sync_threads()
        with nogil:
            status = hb_gemm_batched_f32(trans_a, trans_b, batch, m, n, k, <float>alpha,
                                         <const float *>pa, stride_a, lda, <const float *>pb,
                                         stride_b, ldb, <float>beta, <float *>pc, stride_c, ldc)
    else:
        _sync_threads()
        with nogil:
            status = hb_gemm_batched_f64(trans_a, trans_b, batch, m, n, k, alpha,
                                         <const double *>pa, stride_a, lda, <const double *>pb,
                                         stride_b, ldb, beta, <double *>pc, stride_c, ldc)
    return _check_status(status, "gemm")


def matmul_into(a, b, out=None, double alpha=1.0, double beta=0.0):
    """out = alpha * a @ b + beta * out for 2-D float arrays a (M, K), b (K, N)
    and a C-contiguous out (M, N) of the same dtype (None: a new array, with
    beta ignored). beta == 0 ignores out's old contents. Returns out."""
    cdef cnp.ndarray A = _array(a, "mat1"), B = _array(b, "mat2")
    _check_ndim(A, 2, "mat1", "a matrix")
    _check_ndim(B, 2, "mat2", "a matrix")
    _check_pair_dtypes(A, B, "mat1", "mat2")
    cdef int64_t m = A.shape[0], k = A.shape[1], k2 = B.shape[0], n = B.shape[1]
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})")
    if out is None:
        beta = 0.0
    cdef cnp.ndarray C = _gemm_out(out, A, 2, m, n, 0, "out")
    cdef int trans_a, trans_b
    cdef int64_t lda, ldb
    A = _input_matrix(A, C, &trans_a, &lda)
    B = _input_matrix(B, C, &trans_b, &ldb)
    _batched(trans_a, trans_b, 1, m, n, k, alpha, A, 0, lda, B, 0, ldb, beta, C, 0,
             n if n > 0 else 1)
    return C


def bmm_into(a, b, out=None, double alpha=1.0, double beta=0.0):
    """out[i] = alpha * a[i] @ b[i] + beta * out[i] for 3-D float arrays a (B, M, K),
    b (B, K, N) (a batch stride of 0 broadcasts one matrix) and a C-contiguous
    out (B, M, N) of the same dtype (None: a new array, with beta ignored).
    Returns out."""
    cdef cnp.ndarray A = _array(a, "batch1"), B = _array(b, "batch2")
    _check_ndim(A, 3, "batch1", "a batch of matrices")
    _check_ndim(B, 3, "batch2", "a batch of matrices")
    _check_pair_dtypes(A, B, "batch1", "batch2")
    cdef int64_t batch = A.shape[0], m = A.shape[1], k = A.shape[2]
    cdef int64_t batch2 = B.shape[0], k2 = B.shape[1], n = B.shape[2]
    if batch != batch2 or k != k2:
        raise RuntimeError(f"batch1 and batch2 shapes cannot be multiplied "
                           f"({batch}x{m}x{k} and {batch2}x{k2}x{n})")
    if out is None:
        beta = 0.0
    cdef cnp.ndarray C = _gemm_out(out, A, 3, batch, m, n, "out")
    cdef int trans_a, trans_b
    cdef int64_t lda, ldb
    A = _input_matrix(A, C, &trans_a, &lda)
    B = _input_matrix(B, C, &trans_b, &ldb)
    _batched(trans_a, trans_b, batch, m, n, k, alpha, A, _batch_stride(A), lda,
             B, _batch_stride(B), ldb, beta, C, m * n, n if n > 0 else 1)
    return C


cdef cnp.ndarray _linear_input(object a, str name, cnp.ndarray out1, cnp.ndarray out2,
                               cnp.ndarray out3):
    """A C-contiguous input, copied if it is not one or may overlap an output."""
    cdef cnp.ndarray arr = _contiguous_input(a, name)
    if not cnp.PyArray_ISALIGNED(arr) or (out1 is not None and _overlaps(arr, out1)) or \
            (out2 is not None and _overlaps(arr, out2)) or (out3 is not None and _overlaps(arr, out3)):
        arr = _copy(arr)
    return arr


def linear_forward(x, weight, bias, out=None):
    """out = x @ weight.T + bias: x (M, K), weight (N, K), bias (N,) or None,
    out (M, N) C-contiguous (None: a new array), all of one float dtype.
    Returns out."""
    cdef cnp.ndarray X = _array(x, "input"), W = _array(weight, "weight")
    cdef cnp.ndarray Bv = None
    _check_ndim(X, 2, "input", "a matrix")
    _check_ndim(W, 2, "weight", "a matrix")
    _check_pair_dtypes(X, W, "input", "weight")
    cdef int64_t m = X.shape[0], k = X.shape[1], n = W.shape[0], k2 = W.shape[1]
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})")
    if bias is not None:
        Bv = _array(bias, "bias")
        _check_pair_dtypes(X, Bv, "input", "bias")
        if cnp.PyArray_NDIM(Bv) != 1 or cnp.PyArray_DIM(Bv, 0) != n:
            raise RuntimeError(f"bias must have shape ({n},), got {(<object>Bv).shape}")
    cdef cnp.ndarray Y = _gemm_out(out, X, 2, m, n, 0, "out")
    X = _linear_input(X, "input", Y, None, None)
    W = _linear_input(W, "weight", Y, None, None)
    if Bv is not None:
        Bv = _linear_input(Bv, "bias", Y, None, None)
    cdef void *px = cnp.PyArray_DATA(X)
    cdef void *pw = cnp.PyArray_DATA(W)
    cdef void *pb = cnp.PyArray_DATA(Bv) if Bv is not None else NULL
    cdef void *py = cnp.PyArray_DATA(Y)
    cdef int64_t ldk = k if k > 0 else 1, ldn = n if n > 0 else 1
    cdef int status
    if cnp.PyArray_TYPE(X) == cnp.NPY_FLOAT:
        _sync_threads()
        with nogil:
            status = hb_linear_forward_f32(m, n, k, <const float *>px, ldk, <const float *>pw,
                                           ldk, <const float *>pb, <float *>py, ldn)
    else:
        _sync_threads()
        with nogil:
            status = hb_linear_forward_f64(m, n, k, <const double *>px, ldk, <const double *>pw,
                                           ldk, <const double *>pb, <double *>py, ldn)
    _check_status(status, "linear_forward")
    return Y


cdef cnp.ndarray _grad_output(object g, cnp.ndarray like, int64_t d0, int64_t d1, int nd,
                              str name):
    """A gradient to compute: True (a new array), an array to write, or None or
    False (skipped)."""
    if g is None or g is False:
        return None
    return _gemm_out(None if g is True else g, like, nd, d0, d1, 0, name)


def linear_backward(grad_out, x, weight, grad_x, grad_weight, grad_bias, bint accumulate=False):
    """Gradients of out = x @ weight.T + bias given grad_out (M, N), x (M, K) and
    weight (N, K): grad_x (M, K) = grad_out @ weight, grad_weight (N, K) =
    grad_out.T @ x, grad_bias (N,) = grad_out summed over rows. Each grad_* is
    a C-contiguous output, True (a new array) or None/False (not computed);
    accumulate adds into given outputs. Returns (grad_x, grad_weight,
    grad_bias), None where not computed."""
    if accumulate and (grad_x is True or grad_weight is True or grad_bias is True):
        raise ValueError("linear_backward: accumulate needs the outputs to add into, not True")
    cdef cnp.ndarray G = _array(grad_out, "grad_output"), X = _array(x, "input")
    cdef cnp.ndarray W = _array(weight, "weight")
    _check_ndim(G, 2, "grad_output", "a matrix")
    _check_ndim(X, 2, "input", "a matrix")
    _check_ndim(W, 2, "weight", "a matrix")
    _check_pair_dtypes(G, X, "grad_output", "input")
    _check_pair_dtypes(G, W, "grad_output", "weight")
    cdef int64_t m = G.shape[0], n = G.shape[1], k = X.shape[1]
    if X.shape[0] != m or W.shape[0] != n or W.shape[1] != k:
        raise RuntimeError(f"linear_backward: shapes do not match: grad_output {(<object>G).shape}, "
                           f"input {(<object>X).shape}, weight {(<object>W).shape}")
    cdef cnp.ndarray GX = _grad_output(grad_x, G, m, k, 2, "grad_input")
    cdef cnp.ndarray GW = _grad_output(grad_weight, G, n, k, 2, "grad_weight")
    cdef cnp.ndarray GB = _grad_output(grad_bias, G, n, 0, 1, "grad_bias")
    if (GX is not None and GW is not None and _overlaps(GX, GW)) or \
            (GX is not None and GB is not None and _overlaps(GX, GB)) or \
            (GW is not None and GB is not None and _overlaps(GW, GB)):
        raise ValueError("linear_backward: grad_input, grad_weight and grad_bias must not overlap")
    G = _linear_input(G, "grad_output", GX, GW, GB)
    X = _linear_input(X, "input", GX, GW, GB)
    W = _linear_input(W, "weight", GX, GW, GB)
    cdef void *pg = cnp.PyArray_DATA(G)
    cdef void *px = cnp.PyArray_DATA(X)
    cdef void *pw = cnp.PyArray_DATA(W)
    cdef void *pgx = cnp.PyArray_DATA(GX) if GX is not None else NULL
    cdef void *pgw = cnp.PyArray_DATA(GW) if GW is not None else NULL
    cdef void *pgb = cnp.PyArray_DATA(GB) if GB is not None else NULL
    cdef int acc = 1 if accumulate else 0
    cdef int status
    if cnp.PyArray_TYPE(G) == cnp.NPY_FLOAT:
        _sync_threads()
        with nogil:
            status = hb_linear_backward_f32(m, n, k, <const float *>pg, <const float *>px,
                                            <const float *>pw, <float *>pgx, <float *>pgw,
                                            <float *>pgb, acc)
    else:
        _sync_threads()
        with nogil:
            status = hb_linear_backward_f64(m, n, k, <const double *>pg, <const double *>px,
                                            <const double *>pw, <double *>pgx, <double *>pgw,
                                            <double *>pgb, acc)
    _check_status(status, "linear_backward")
    return GX, GW, GB
