/* Template for isa/loss.c: expects T, SUF (f32/f64), EXP and LOG for T, and
 * CE_SHORT_ROW and CE_BLOCK. */

/* each ISA object gets its own copy: hb_cross_entropy_forward_f32_avx2, ... */
#define L(name) HB_ISA_FN(HB_CAT2(name, SUF))

/* Sum of weight[target[i]] over non-ignored rows: the 'mean' divisor. Without
 * weights it is a count, kept as an integer: one double running sum is a chain
 * of dependent adds (4 cycles each), which cost 0.4 us on 400 rows, more than
 * the rest of a small cross-entropy; the integer count vectorizes and is exact. */
static double L(target_weight_sum)(const int64_t *restrict target, const T *restrict weight,
                                   int64_t N, int64_t ignore_index) {
    if (!weight) {
        int64_t count = 0;
        HB_OMP_FOR(N >= HB_OMP_MIN_ELEMENTS, "omp parallel for reduction(+ : count)", i, N,
                   count += target[i] != ignore_index;);
        return (double)count;
    }
    double total = 0.0;
    HB_OMP_FOR(N >= HB_OMP_MIN_ELEMENTS, "omp parallel for reduction(+ : total)", i, N,
               if (target[i] != ignore_index) total += (double)weight[target[i]];);
    return total;
}

/* dL/d(row i's loss) for 'mean'/'sum' (the same for every row); unused for 'none'. */
static double L(shared_scale)(const T *restrict grad_loss, const int64_t *restrict target,
                              const T *restrict weight, int64_t N, int64_t ignore_index,
                              int reduction) {
    if (reduction == HB_REDUCTION_NONE)
        return 0.0;
    if (reduction == HB_REDUCTION_SUM)
        return (double)grad_loss[0];
    return (double)grad_loss[0] / L(target_weight_sum)(target, weight, N, ignore_index);
}

/* One row's NLL term -w[t] * logp[t] and smoothing term -sum_c w[c] logp[c],
 * both 0 for an ignored row, with logp = (row - m) - l, as PyTorch's log_softmax
 * computes it (m + l rounds l away once |m| > 1e16). */
static inline void L(row_nll)(const T *restrict row, double m, double l, int64_t t,
                              const T *restrict weight, int64_t C, int64_t ignore_index,
                              double eps, double *nll, double *smooth) {
    *nll = *smooth = 0.0;
    if (t == ignore_index)
        return;
    *nll = -(weight ? (double)weight[t] : 1.0) * (((double)row[t] - m) - l);
    if (eps > 0.0) {
        double sm = 0.0;
        if (weight) {
            for (int64_t c = 0; c < C; c++)
                sm -= (double)weight[c] * (((double)row[c] - m) - l);
        } else {
            for (int64_t c = 0; c < C; c++)
                sm -= ((double)row[c] - m) - l;
        }
        *smooth = sm;
    }
}

/* Forward shared by NLL and cross-entropy: log-probabilities are
 * (x[i, c] - row_max[i]) - log_sum[i] for cross-entropy, and x itself for NLL
 * (row_max and log_sum NULL), whose x already holds them. */
static void L(nll_forward)(const T *restrict x, const double *restrict row_max,
                           const double *restrict log_sum,
                           const int64_t *restrict target, const T *restrict weight, int64_t N,
                           int64_t C, int64_t ignore_index, double eps, int reduction,
                           T *restrict loss) {
    /* 'mean' divides the NLL and smoothing sums separately, as PyTorch does: with
     * a zero divisor that gives NaN (0/0 + x/0), where one combined sum gives inf. */
    double total_nll = 0.0, total_smooth = 0.0;
    if (reduction != HB_REDUCTION_NONE && eps == 0.0 && !weight && row_max && C > 0 &&
        N * C < HB_OMP_MIN_ELEMENTS) {
        /* The usual cross-entropy: no weights, no smoothing, one thread. Each row's
         * term picks one logit, so the loop over rows vectorizes (a gather), an
         * ignored row reading its first logit and contributing 0. */
#pragma omp simd reduction(+ : total_nll)
        for (int64_t i = 0; i < N; i++) {
            const int64_t t = target[i];
            const int keep = t != ignore_index;
            const double v = ((double)x[i * C + (keep ? t : 0)] - row_max[i]) - log_sum[i];
            total_nll += keep ? -v : 0.0;
        }
    } else if (reduction == HB_REDUCTION_NONE || N * C >= HB_OMP_MIN_ELEMENTS) {
        HB_OMP_FOR(N * C >= HB_OMP_MIN_ELEMENTS,
                   "omp parallel for reduction(+ : total_nll, total_smooth)", i, N,
            double nll, smooth;
            L(row_nll)(x + i * C, row_max ? row_max[i] : 0.0, log_sum ? log_sum[i] : 0.0,
                       target[i], weight, C, ignore_index, eps, &nll, &smooth);
            if (reduction == HB_REDUCTION_NONE) {
                loss[i] = (T)(eps > 0.0 ? (1.0 - eps) * nll + eps / (double)C * smooth : nll);
            } else {
                total_nll += nll;
                total_smooth += smooth;
            });
    } else {
        /* one thread: four running sums, rows i, i+1, i+2, i+3 each into its own, so
         * that the adds do not wait on one another (see target_weight_sum) */
        double n0 = 0, n1 = 0, n2 = 0, n3 = 0, s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#define ROW(i, n_acc, s_acc)                                                                \
    do {                                                                                    \
        double nll, smooth;                                                                 \
        L(row_nll)(x + (i) * C, row_max ? row_max[i] : 0.0, log_sum ? log_sum[i] : 0.0,    \
                   target[i], weight, C, ignore_index, eps, &nll, &smooth);                 \
        n_acc += nll;                                                                       \
        s_acc += smooth;                                                                    \
    } while (0)
        int64_t i = 0;
        for (; i + 4 <= N; i += 4) {
            ROW(i, n0, s0);
            ROW(i + 1, n1, s1);
            ROW(i + 2, n2, s2);
            ROW(i + 3, n3, s3);
        }
        for (; i < N; i++)
            ROW(i, n0, s0);
#undef ROW
        total_nll = (n0 + n1) + (n2 + n3);
        total_smooth = (s0 + s1) + (s2 + s3);
    }
    if (reduction == HB_REDUCTION_NONE)
        return;
    const double den =
        reduction == HB_REDUCTION_MEAN ? L(target_weight_sum)(target, weight, N, ignore_index) : 1.0;
    loss[0] = (T)(eps > 0.0 ? (1.0 - eps) * (total_nll / den) + eps / (double)C * (total_smooth / den)
                            : total_nll / den);
}

/* log(sum(exp(row))) as the row's max and the log-sum-exp of the row less it; a
 * row of -inf (or holding +inf or NaN) gives NaN. */
static void L(row_logsumexp)(const T *restrict row, int64_t C, double *restrict row_max,
                             double *restrict log_sum) {
    T m = -INFINITY;
    double s = 0.0;
    /* the reduction clauses let both loops vectorize; a NaN the max skips
     * still reaches the sum through exp(NaN - m), so such rows stay NaN */
#pragma omp simd reduction(max : m)
    for (int64_t c = 0; c < C; c++)
        m = row[c] > m ? row[c] : m;
#pragma omp simd reduction(+ : s)
    for (int64_t c = 0; c < C; c++)
        s += EXP(row[c] - m);
    *row_max = (double)m;
    *log_sum = log(s);
}

/* Rows of fewer than CE_SHORT_ROW classes (C is a constant in each
 * instantiation below, so the loops over a row's classes unroll): per-row
 * vector loops would be all set-up, and vectorizing over rows needs strided
 * gathers. So the block goes through flat passes instead: each row's max and
 * the row less it into a scratch block (short scalar loops), the exp of the
 * whole block as one contiguous vectorized loop, each row's sum, and the log
 * of all the sums as another. Same NaN rules as row_logsumexp: a NaN the max
 * skips still reaches the sum through exp(NaN - m). */
static inline __attribute__((always_inline)) void L(short_rows_logsumexp_c)(
    const T *restrict x, int64_t rows, const int64_t C, double *restrict row_max,
    double *restrict log_sum) {
    T shifted[CE_BLOCK], sums[CE_BLOCK];
    for (int64_t r = 0; r < rows; r++) {
        const T *restrict row = x + r * C;
        T m = -INFINITY;
#pragma GCC unroll 16
        for (int64_t c = 0; c < C; c++)
            m = row[c] > m ? row[c] : m;
#pragma GCC unroll 16
        for (int64_t c = 0; c < C; c++)
            shifted[r * C + c] = row[c] - m;
        row_max[r] = (double)m;
    }
#pragma omp simd
    for (int64_t j = 0; j < rows * C; j++)
        shifted[j] = EXP(shifted[j]);
    for (int64_t r = 0; r < rows; r++) {
        T s = 0;
#pragma GCC unroll 16
        for (int64_t c = 0; c < C; c++)
            s += shifted[r * C + c];
        sums[r] = s;
    }
#pragma omp simd
    for (int64_t r = 0; r < rows; r++)
        log_sum[r] = (double)LOG(sums[r]);
}

static void L(short_rows_logsumexp)(const T *restrict x, int64_t rows, int64_t C,
                                    double *restrict row_max, double *restrict log_sum) {
    switch (C) {
#define CE_SHORT_CASE(c) \
    case c: L(short_rows_logsumexp_c)(x, rows, c, row_max, log_sum); break;
        CE_SHORT_CASE(1) CE_SHORT_CASE(2) CE_SHORT_CASE(3) CE_SHORT_CASE(4) CE_SHORT_CASE(5)
        CE_SHORT_CASE(6) CE_SHORT_CASE(7) CE_SHORT_CASE(8) CE_SHORT_CASE(9) CE_SHORT_CASE(10)
        CE_SHORT_CASE(11) CE_SHORT_CASE(12) CE_SHORT_CASE(13) CE_SHORT_CASE(14) CE_SHORT_CASE(15)
#undef CE_SHORT_CASE
    }
}

static void L(logsumexp_rows)(const T *restrict logits, int64_t N, int64_t C,
                              double *restrict row_max, double *restrict log_sum) {
    const int parallel = N * C >= HB_OMP_MIN_ELEMENTS;
    if (C >= CE_SHORT_ROW || C == 0) {
        HB_OMP_FOR(parallel, "omp parallel for", i, N,
                   L(row_logsumexp)(logits + i * C, C, row_max + i, log_sum + i););
        return;
    }
    const int64_t rows_per_block = CE_BLOCK / C;
    const int64_t blocks = (N + rows_per_block - 1) / rows_per_block;
    HB_OMP_FOR(parallel, "omp parallel for", b, blocks,
        const int64_t i0 = b * rows_per_block;
        const int64_t rows = N - i0 < rows_per_block ? N - i0 : rows_per_block;
        L(short_rows_logsumexp)(logits + i0 * C, rows, C, row_max + i0, log_sum + i0););
}

enum hb_status L(hb_cross_entropy_forward)(const T *restrict logits,
                                           const int64_t *restrict target,
                                           const T *restrict weight, int64_t N, int64_t C,
                                           int64_t ignore_index, double label_smoothing,
                                           int reduction, T *restrict loss,
                                           double *restrict lse) {
    if (!valid_call(target, N, C, ignore_index, label_smoothing, reduction))
        return HB_EINVAL;
    L(logsumexp_rows)(logits, N, C, lse, lse + N);
    L(nll_forward)(logits, lse, lse + N, target, weight, N, C, ignore_index, label_smoothing, reduction,
                   loss);
    return HB_OK;
}


/* Cross-entropy gradient of rows [i0, i1): the softmax goes into g first, its
 * exp as one flat vectorized pass over the block, then each row is scaled and
 * its target entry corrected. Per class c of a row with target t and softmax p:
 *   dloss/dx_c = ((1-eps) w[t] + eps/C sum_k w[k]) p_c - (1-eps) w[t] [c == t] - eps/C w[c]
 * where the row's dloss comes from grad_loss[i] ('none') or is `shared`. */
static void L(ce_backward_rows)(const T *restrict grad_loss, const T *restrict logits,
                                const int64_t *restrict target, const T *restrict weight,
                                const double *restrict row_max, const double *restrict log_sum,
                                int64_t i0, int64_t i1, int64_t C, int64_t ignore_index,
                                double eps, int reduction, double shared, double weight_total,
                                T *restrict grad_logits) {
    for (int64_t i = i0; i < i1; i++) {
        const T *restrict x = logits + i * C;
        T *restrict g = grad_logits + i * C;
        const T m = (T)row_max[i], l = (T)log_sum[i];
#pragma omp simd
        for (int64_t c = 0; c < C; c++)
            g[c] = (x[c] - m) - l;
    }
    T *restrict block = grad_logits + i0 * C;
#pragma omp simd
    for (int64_t j = 0; j < (i1 - i0) * C; j++)
        block[j] = EXP(block[j]);
    for (int64_t i = i0; i < i1; i++) {
        const int64_t t = target[i];
        T *restrict g = grad_logits + i * C;
        if (t == ignore_index) {  /* 0 * softmax: NaN where it is NaN, as PyTorch */
            for (int64_t c = 0; c < C; c++)
                g[c] *= (T)0;
            continue;
        }
        const double scale = reduction == HB_REDUCTION_NONE ? (double)grad_loss[i] : shared;
        const double w = weight ? (double)weight[t] : 1.0;
        if (eps > 0.0) {
            const T coef_p = (T)(scale * ((1.0 - eps) * w + eps / (double)C * weight_total));
            const T coef_w = (T)(scale * eps / (double)C);
            if (weight) {
#pragma omp simd
                for (int64_t c = 0; c < C; c++)
                    g[c] = coef_p * g[c] - coef_w * weight[c];
            } else {
#pragma omp simd
                for (int64_t c = 0; c < C; c++)
                    g[c] = coef_p * g[c] - coef_w;
            }
        } else {
            const T coef_p = (T)(scale * w);
#pragma omp simd
            for (int64_t c = 0; c < C; c++)
                g[c] = coef_p * g[c];
        }
        g[t] -= (T)(scale * (1.0 - eps) * w);
    }
}

/* An ignored row's gradient: 0 * softmax, NaN where the softmax is NaN, as PyTorch. */
static inline __attribute__((always_inline)) void L(zero_ignored_row)(T *restrict g,
                                                                      const int64_t C) {
#pragma GCC unroll 16
    for (int64_t c = 0; c < C; c++)
        g[c] *= (T)0;
}

/* ce_backward_rows for rows of fewer than CE_SHORT_ROW classes (a constant in
 * each instantiation below, so the loops over a row's classes unroll): the
 * same three passes, the middle one, the exp, flat over the whole block. */
static inline __attribute__((always_inline)) void L(ce_backward_short_rows_c)(
    const T *restrict grad_loss, const T *restrict logits, const int64_t *restrict target,
    const T *restrict weight, const double *restrict row_max, const double *restrict log_sum,
    int64_t i0, int64_t i1, const int64_t C, int64_t ignore_index, double eps, int reduction,
    double shared, double weight_total, T *restrict grad_logits) {
    for (int64_t i = i0; i < i1; i++) {
        const T m = (T)row_max[i], l = (T)log_sum[i];
#pragma GCC unroll 16
        for (int64_t c = 0; c < C; c++)
            grad_logits[i * C + c] = (logits[i * C + c] - m) - l;
    }
    T *restrict block = grad_logits + i0 * C;
#pragma omp simd
    for (int64_t j = 0; j < (i1 - i0) * C; j++)
        block[j] = EXP(block[j]);
    if (eps == 0.0 && !weight && reduction != HB_REDUCTION_NONE && isfinite((T)shared)) {
        /* The usual call: one scale for every row, so the block is scaled as one
         * flat vector and each row then only has its target entry corrected (the
         * same products as below, without a branchy pass over every row). An
         * ignored row is scaled too, then zeroed: with a finite scale and a
         * softmax in [0, 1] (or NaN) that is the 0 * softmax below. An infinite
         * scale (every row ignored: 1/0) takes the general path, which never
         * scales ignored rows. */
        const T scale = (T)shared;
#pragma omp simd
        for (int64_t j = 0; j < (i1 - i0) * C; j++)
            block[j] *= scale;
        for (int64_t i = i0; i < i1; i++) {
            const int64_t t = target[i];
            T *restrict g = grad_logits + i * C;
            if (t == ignore_index)
                L(zero_ignored_row)(g, C);
            else
                g[t] -= scale;
        }
        return;
    }
    const T keep = (T)(1.0 - eps), smooth_p = (T)(eps / (double)C * weight_total);
    const T smooth_w = (T)(eps / (double)C);
    for (int64_t i = i0; i < i1; i++) {
        const int64_t t = target[i];
        T *restrict g = grad_logits + i * C;
        if (t == ignore_index) {
            L(zero_ignored_row)(g, C);
            continue;
        }
        const T scale = reduction == HB_REDUCTION_NONE ? grad_loss[i] : (T)shared;
        const T w = weight ? weight[t] : (T)1;
        const T coef_p = scale * (keep * w + smooth_p);
        if (eps > 0.0) {
            const T coef_w = scale * smooth_w;
#pragma GCC unroll 16
            for (int64_t c = 0; c < C; c++)
                g[c] = coef_p * g[c] - coef_w * (weight ? weight[c] : (T)1);
        } else {
#pragma GCC unroll 16
            for (int64_t c = 0; c < C; c++)
                g[c] = coef_p * g[c];
        }
        g[t] -= scale * keep * w;
    }
}

static void L(ce_backward_short_rows)(const T *restrict grad_loss, const T *restrict logits,
                                      const int64_t *restrict target, const T *restrict weight,
                                      const double *restrict row_max,
                                      const double *restrict log_sum, int64_t i0, int64_t i1,
                                      int64_t C,
                                      int64_t ignore_index, double eps, int reduction,
                                      double shared, double weight_total,
                                      T *restrict grad_logits) {
    switch (C) {
#define CE_SHORT_CASE(c)                                                                          \
    case c:                                                                                       \
        L(ce_backward_short_rows_c)(grad_loss, logits, target, weight, row_max, log_sum, i0, i1, c, \
                                    ignore_index, eps, reduction, shared, weight_total,           \
                                    grad_logits);                                                 \
        break;
        CE_SHORT_CASE(1) CE_SHORT_CASE(2) CE_SHORT_CASE(3) CE_SHORT_CASE(4) CE_SHORT_CASE(5)
        CE_SHORT_CASE(6) CE_SHORT_CASE(7) CE_SHORT_CASE(8) CE_SHORT_CASE(9) CE_SHORT_CASE(10)
        CE_SHORT_CASE(11) CE_SHORT_CASE(12) CE_SHORT_CASE(13) CE_SHORT_CASE(14) CE_SHORT_CASE(15)
#undef CE_SHORT_CASE
    }
}

enum hb_status L(hb_cross_entropy_backward)(const T *restrict grad_loss,
                                            const T *restrict logits,
                                            const int64_t *restrict target,
                                            const T *restrict weight, const double *restrict lse,
                                            int64_t N, int64_t C, int64_t ignore_index,
                                            double label_smoothing, int reduction,
                                            T *restrict grad_logits) {
    if (!valid_call(target, N, C, ignore_index, label_smoothing, reduction))
        return HB_EINVAL;
    const double shared = L(shared_scale)(grad_loss, target, weight, N, ignore_index, reduction);
    double weight_total = (double)C;
    if (weight) {
        weight_total = 0.0;
        for (int64_t c = 0; c < C; c++)
            weight_total += (double)weight[c];
    }
    /* blocks of rows of at most CE_BLOCK elements, or one row when rows are long */
    const int64_t rows_per_block = C >= CE_BLOCK || C == 0 ? 1 : CE_BLOCK / C;
    const int64_t blocks = (N + rows_per_block - 1) / rows_per_block;
    HB_OMP_FOR(N * C >= HB_OMP_MIN_ELEMENTS, "omp parallel for", b, blocks,
        const int64_t i0 = b * rows_per_block;
        const int64_t i1 = N - i0 < rows_per_block ? N : i0 + rows_per_block;
        (C < CE_SHORT_ROW ? L(ce_backward_short_rows) : L(ce_backward_rows))(
            grad_loss, logits, target, weight, lse, lse + N, i0, i1, C, ignore_index, label_smoothing,
            reduction, shared, weight_total, grad_logits););
    return HB_OK;
}

enum hb_status L(hb_nll_loss_forward)(const T *restrict logp, const int64_t *restrict target,
                                      const T *restrict weight, int64_t N, int64_t C,
                                      int64_t ignore_index, int reduction, T *restrict loss) {
    if (!valid_call(target, N, C, ignore_index, 0.0, reduction))
        return HB_EINVAL;
    L(nll_forward)(logp, NULL, NULL, target, weight, N, C, ignore_index, 0.0, reduction, loss);
    return HB_OK;
}

enum hb_status L(hb_nll_loss_backward)(const T *restrict grad_loss, const int64_t *restrict target,
                                       const T *restrict weight, int64_t N, int64_t C,
                                       int64_t ignore_index, int reduction,
                                       T *restrict grad_logp) {
    if (!valid_call(target, N, C, ignore_index, 0.0, reduction))
        return HB_EINVAL;
    const double shared = L(shared_scale)(grad_loss, target, weight, N, ignore_index, reduction);
    HB_OMP_FOR(N * C >= HB_OMP_MIN_ELEMENTS, "omp parallel for", i, N,
        const int64_t t = target[i];
        T *restrict g = grad_logp + i * C;
        for (int64_t c = 0; c < C; c++)
            g[c] = (T)0;
        if (t != ignore_index) {
            const double scale = reduction == HB_REDUCTION_NONE ? (double)grad_loss[i] : shared;
            g[t] = (T)(-scale * (weight ? (double)weight[t] : 1.0));
        });
    return HB_OK;
}

#undef L
