/* One dtype's public GEMM functions: included by gemm.c with T and SFX
 * (f32/f64) defined. Not a standalone header. */

#define NAME(x) HB_CAT2(x, SFX)
/* Expands NAME(...) before HB_DISPATCH pastes the instruction-set suffix on. */
#define DISPATCH(name, args) HB_DISPATCH(name, args)

/* C = alpha * op(A) * op(B) + beta * C on checked arguments with m, n > 0. */
static int NAME(gemm_run)(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, T alpha,
                          const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
                          int64_t ldc, int nthreads) {
    if (k == 0) {
        for (int64_t i = 0; i < m; i++) {
            T *row = c + i * ldc;
            if (beta == 0)
                memset(row, 0, sizeof(T) * n);
            else if (beta != 1)
                for (int64_t j = 0; j < n; j++)
                    row[j] *= beta;
        }
        return HB_OK;
    }
    return DISPATCH(NAME(hb_gemm_driver), (trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta,
                                           c, ldc, nthreads));
}

int NAME(hb_gemm)(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T *a,
                  int64_t lda, const T *b, int64_t ldb, T beta, T *c, int64_t ldc) {
    if (!gemm_shapes_valid(trans_a, trans_b, m, n, k, lda, ldb, ldc))
        return HB_EINVAL;
    if (m == 0 || n == 0)
        return HB_OK;
    return NAME(gemm_run)(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                          gemm_threads(m, n, k));
}

int NAME(hb_gemm_batched)(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n,
                          int64_t k, T alpha, const T *a, int64_t stride_a_batch, int64_t lda,
                          const T *b, int64_t stride_b_batch, int64_t ldb, T beta, T *c,
                          int64_t stride_c_batch, int64_t ldc) {
    if (batch < 0 || !gemm_shapes_valid(trans_a, trans_b, m, n, k, lda, ldb, ldc))
        return HB_EINVAL;
    if (batch == 0 || m == 0 || n == 0)
        return HB_OK;
    if (batch > 1 && stride_c_batch == 0)
        return HB_EINVAL;
    int threads = gemm_threads(m, n, k);
    double total = (double)batch * (double)m * (double)n * (double)(k > 0 ? k : 1);
    /* Products too small to split are shared out whole instead. */
    if (threads == 1 && batch > 1 && total >= HB_GEMM_OMP_MIN_WORK && !omp_in_parallel() &&
        omp_get_max_threads() > 1) {
        int status = HB_OK;
#pragma omp parallel for schedule(static)
        for (int64_t i = 0; i < batch; i++) {
            int s = NAME(gemm_run)(trans_a, trans_b, m, n, k, alpha, a + i * stride_a_batch, lda,
                                   b + i * stride_b_batch, ldb, beta, c + i * stride_c_batch,
                                   ldc, 1);
            if (s != HB_OK) {
#pragma omp atomic write
                status = s;
            }
        }
        return status;
    }
    for (int64_t i = 0; i < batch; i++) {
        int s = NAME(gemm_run)(trans_a, trans_b, m, n, k, alpha, a + i * stride_a_batch, lda,
                               b + i * stride_b_batch, ldb, beta, c + i * stride_c_batch, ldc,
                               threads);
        if (s != HB_OK)
            return s;
    }
    return HB_OK;
}

int NAME(hb_linear_forward)(int64_t m, int64_t n, int64_t k, const T *x, int64_t ldx, const T *w,
                            int64_t ldw, const T *bias, T *y, int64_t ldy) {
    if (!gemm_shapes_valid(0, 1, m, n, k, ldx, ldw, ldy))
        return HB_EINVAL;
    if (m == 0 || n == 0)
        return HB_OK;
    /* The bias goes in first and the product is added onto it (beta = 1): one
     * pass of the kernel's stores and no second pass over Y. Wide rows get a
     * memcpy each; narrow rows of a contiguous Y (a handful of outputs, where a
     * memcpy per row costs more than the row) are filled by doubling: the
     * first row, then memcpy of everything filled so far onto what follows. A
     * separate pass adding the bias after the product cost 0.4 us on 400 rows
     * of 3 here, a third of the whole call. */
    if (bias) {
        if (n >= 16 || ldy != n) {
            for (int64_t i = 0; i < m; i++)
                memcpy(y + i * ldy, bias, sizeof(T) * n);
        } else {
            memcpy(y, bias, sizeof(T) * n);
            for (int64_t filled = 1; filled < m;) {
                int64_t rows = filled < m - filled ? filled : m - filled;
                memcpy(y + filled * n, y, sizeof(T) * (size_t)(rows * n));
                filled += rows;
            }
        }
    }
    return NAME(gemm_run)(0, 1, m, n, k, 1, x, ldx, w, ldw, bias ? 1 : 0, y, ldy,
                          gemm_threads(m, n, k));
}

/* out (+)= the column sums of the m x n rows g (Linear's bias gradient). Four
 * rows at a time into four sets of running sums: one set would make each
 * column's adds a chain, each waiting for the last (1.1 us on 400 rows of 3). */
#define HB_COLSUM_BLOCK 64
static void NAME(column_sums)(int64_t m, int64_t n, const T *restrict g, T *restrict out,
                              int accumulate) {
    if (n <= 16 && m >= 16) {
        /* Narrow rows: 16 rows of n are L = 16 n contiguous values whose entry q
         * belongs to column q % n, so the blocks of 16 rows are summed as flat
         * vectors of L (long, contiguous, vectorized adds), and only the L sums
         * are then folded into the n columns. */
        const int64_t L = 16 * n, blocks = m / 16;
        T acc[16 * 16], total[16];
        for (int64_t q = 0; q < L; q++)
            acc[q] = 0;
        for (int64_t b = 0; b < blocks; b++) {
            const T *restrict src = g + b * L;
            for (int64_t q = 0; q < L; q++)
                acc[q] += src[q];
        }
        for (int64_t j = 0; j < n; j++)
            total[j] = 0;
        for (int64_t r = 0; r < 16; r++)
            for (int64_t j = 0; j < n; j++)
                total[j] += acc[r * n + j];
        for (int64_t i = blocks * 16; i < m; i++)
            for (int64_t j = 0; j < n; j++)
                total[j] += g[i * n + j];
        for (int64_t j = 0; j < n; j++)
            out[j] = accumulate ? out[j] + total[j] : total[j];
        return;
    }
    for (int64_t j0 = 0; j0 < n; j0 += HB_COLSUM_BLOCK) {
        const int64_t w = n - j0 < HB_COLSUM_BLOCK ? n - j0 : HB_COLSUM_BLOCK;
        T s0[HB_COLSUM_BLOCK], s1[HB_COLSUM_BLOCK], s2[HB_COLSUM_BLOCK], s3[HB_COLSUM_BLOCK];
        for (int64_t j = 0; j < w; j++)
            s0[j] = s1[j] = s2[j] = s3[j] = 0;
        int64_t i = 0;
        for (; i + 4 <= m; i += 4) {
            const T *restrict r0 = g + i * n + j0;
            const T *restrict r1 = r0 + n, *restrict r2 = r1 + n, *restrict r3 = r2 + n;
            for (int64_t j = 0; j < w; j++) {
                s0[j] += r0[j];
                s1[j] += r1[j];
                s2[j] += r2[j];
                s3[j] += r3[j];
            }
        }
        for (; i < m; i++)
            for (int64_t j = 0; j < w; j++)
                s0[j] += g[i * n + j0 + j];
        for (int64_t j = 0; j < w; j++) {
            const T total = (s0[j] + s1[j]) + (s2[j] + s3[j]);
            out[j0 + j] = accumulate ? out[j0 + j] + total : total;
        }
    }
}

int NAME(hb_linear_backward)(int64_t m, int64_t n, int64_t k, const T *grad_y, const T *x,
                             const T *w, T *grad_x, T *grad_w, T *grad_b, int accumulate) {
    if (m < 0 || n < 0 || k < 0)
        return HB_EINVAL;
    T beta = accumulate ? 1 : 0;
    if (grad_x && m > 0 && k > 0) {
        int s = NAME(gemm_run)(0, 0, m, k, n, 1, grad_y, n, w, k, beta, grad_x, k,
                               gemm_threads(m, k, n));
        if (s != HB_OK)
            return s;
    }
    if (grad_w && n > 0 && k > 0) {
        int s = NAME(gemm_run)(1, 0, n, k, m, 1, grad_y, n, x, k, beta, grad_w, k,
                               gemm_threads(n, k, m));
        if (s != HB_OK)
            return s;
    }
    if (grad_b && n > 0)
        NAME(column_sums)(m, n, grad_y, grad_b, accumulate);
    return HB_OK;
}

#undef NAME
#undef DISPATCH
