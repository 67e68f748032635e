/* Template for isa/loss.c: expects T, SUF (f32/f64) and EXP for T. */

/* each ISA object gets its own copy: hb_cross_entropy_forward_f32_avx2, ... */
#define L(name) HB_ISA_FN(HB_CAT2(name, SUF))

/* Sum of weight[target[i]] over non-ignored rows: the 'mean' divisor. */
static double L(target_weight_sum)(const int64_t *restrict target, const T *restrict weight,
                                   int64_t N, int64_t ignore_index) {
    double total = 0.0;
#pragma omp parallel for reduction(+ : total) if (N >= HB_OMP_MIN_ELEMENTS)
    for (int64_t i = 0; i < N; i++)
        if (target[i] != ignore_index)
            total += weight ? (double)weight[target[i]] : 1.0;
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

/* Forward shared by NLL and cross-entropy: log-probabilities are
 * x[i, c] - shift[i] (shift is the row's log-sum-exp for cross-entropy, NULL
 * for NLL, whose x already holds them). */
static void L(nll_forward)(const T *restrict x, const T *restrict shift,
                           const int64_t *restrict target, const T *restrict weight, int64_t N,
                           int64_t C, int64_t ignore_index, double eps, int reduction,
                           T *restrict loss) {
    /* 'mean' divides the NLL and smoothing sums separately, as PyTorch does: with
     * a zero divisor that gives NaN (0/0 + x/0), where one combined sum gives inf. */
    double total_nll = 0.0, total_smooth = 0.0;
#pragma omp parallel for reduction(+ : total_nll, total_smooth) if (N * C >= HB_OMP_MIN_ELEMENTS)
    for (int64_t i = 0; i < N; i++) {
        const int64_t t = target[i];
        double nll = 0.0, smooth = 0.0;
        if (t != ignore_index) {
            const T *restrict row = x + i * C;
            const double s = shift ? (double)shift[i] : 0.0;
            const double w = weight ? (double)weight[t] : 1.0;
            nll = -w * ((double)row[t] - s);
            if (eps > 0.0) {
                if (weight) {
                    for (int64_t c = 0; c < C; c++)
                        smooth -= (double)weight[c] * ((double)row[c] - s);
                } else {
                    for (int64_t c = 0; c < C; c++)
                        smooth -= (double)row[c] - s;
                }
            }
        }
        if (reduction == HB_REDUCTION_NONE) {
            loss[i] = (T)(eps > 0.0 ? (1.0 - eps) * nll + eps / (double)C * smooth : nll);
        } else {
            total_nll += nll;
            total_smooth += smooth;
        }
    }
    if (reduction == HB_REDUCTION_NONE)
        return;
    const double den =
        reduction == HB_REDUCTION_MEAN ? L(target_weight_sum)(target, weight, N, ignore_index) : 1.0;
    loss[0] = (T)(eps > 0.0 ? (1.0 - eps) * (total_nll / den) + eps / (double)C * (total_smooth / den)
                            : total_nll / den);
}

/* log(sum(exp(row))), max-shifted; a row of -inf (or holding +inf or NaN) gives NaN. */
static T L(row_logsumexp)(const T *restrict row, int64_t C) {
    T m = -INFINITY;
    double s = 0.0;
    if (C < 16) {
        /* short rows: the vector set-up would cost more than it saves */
        for (int64_t c = 0; c < C; c++)
            m = row[c] > m ? row[c] : m;
        for (int64_t c = 0; c < C; c++)
            s += EXP(row[c] - m);
    } else {
        /* the reduction clauses let both loops vectorize; a NaN the max skips
         * still reaches the sum through exp(NaN - m), so such rows stay NaN */
#pragma omp simd reduction(max : m)
        for (int64_t c = 0; c < C; c++)
            m = row[c] > m ? row[c] : m;
#pragma omp simd reduction(+ : s)
        for (int64_t c = 0; c < C; c++)
            s += EXP(row[c] - m);
    }
    return (T)((double)m + log(s));
}

enum hb_status L(hb_cross_entropy_forward)(const T *restrict logits,
                                           const int64_t *restrict target,
                                           const T *restrict weight, int64_t N, int64_t C,
                                           int64_t ignore_index, double label_smoothing,
                                           int reduction, T *restrict loss, T *restrict lse) {
    if (!valid_call(target, N, C, ignore_index, label_smoothing, reduction))
        return HB_EINVAL;
#pragma omp parallel for if (N * C >= HB_OMP_MIN_ELEMENTS)
    for (int64_t i = 0; i < N; i++)
        lse[i] = L(row_logsumexp)(logits + i * C, C);
    L(nll_forward)(logits, lse, target, weight, N, C, ignore_index, label_smoothing, reduction,
                   loss);
    return HB_OK;
}

enum hb_status L(hb_cross_entropy_backward)(const T *restrict grad_loss,
                                            const T *restrict logits,
                                            const int64_t *restrict target,
                                            const T *restrict weight, const T *restrict lse,
                                            int64_t N, int64_t C, int64_t ignore_index,
                                            double label_smoothing, int reduction,
                                            T *restrict grad_logits) {
    if (!valid_call(target, N, C, ignore_index, label_smoothing, reduction))
        return HB_EINVAL;
    const double eps = label_smoothing;
    const double shared = L(shared_scale)(grad_loss, target, weight, N, ignore_index, reduction);
    /* Per class c of a row with target t and softmax p:
     *   dloss/dx_c = ((1-eps) w[t] + eps/C sum_k w[k]) p_c - (1-eps) w[t] [c == t] - eps/C w[c] */
    double weight_total = (double)C;
    if (weight) {
        weight_total = 0.0;
        for (int64_t c = 0; c < C; c++)
            weight_total += (double)weight[c];
    }
#pragma omp parallel for if (N * C >= HB_OMP_MIN_ELEMENTS)
    for (int64_t i = 0; i < N; i++) {
        const int64_t t = target[i];
        const T *restrict x = logits + i * C;
        T *restrict g = grad_logits + i * C;
        if (t == ignore_index) {
            for (int64_t c = 0; c < C; c++)
                g[c] = (T)0;
            continue;
        }
        const double scale = reduction == HB_REDUCTION_NONE ? (double)grad_loss[i] : shared;
        const double w = weight ? (double)weight[t] : 1.0;
        const T m = lse[i];
        if (eps > 0.0) {
            const T coef_p = (T)(scale * ((1.0 - eps) * w + eps / (double)C * weight_total));
            const T coef_w = (T)(scale * eps / (double)C);
            if (weight) {
                for (int64_t c = 0; c < C; c++)
                    g[c] = coef_p * EXP(x[c] - m) - coef_w * weight[c];
            } else {
                for (int64_t c = 0; c < C; c++)
                    g[c] = coef_p * EXP(x[c] - m) - coef_w;
            }
        } else {
            const T coef_p = (T)(scale * w);
            for (int64_t c = 0; c < C; c++)
                g[c] = coef_p * EXP(x[c] - m);
        }
        g[t] -= (T)(scale * (1.0 - eps) * w);
    }
    return HB_OK;
}

enum hb_status L(hb_nll_loss_forward)(const T *restrict logp, const int64_t *restrict target,
                                      const T *restrict weight, int64_t N, int64_t C,
                                      int64_t ignore_index, int reduction, T *restrict loss) {
    if (!valid_call(target, N, C, ignore_index, 0.0, reduction))
        return HB_EINVAL;
    L(nll_forward)(logp, NULL, target, weight, N, C, ignore_index, 0.0, reduction, loss);
    return HB_OK;
}

enum hb_status L(hb_nll_loss_backward)(const T *restrict grad_loss, const int64_t *restrict target,
                                       const T *restrict weight, int64_t N, int64_t C,
                                       int64_t ignore_index, int reduction,
                                       T *restrict grad_logp) {
    if (!valid_call(target, N, C, ignore_index, 0.0, reduction))
        return HB_EINVAL;
    const double shared = L(shared_scale)(grad_loss, target, weight, N, ignore_index, reduction);
#pragma omp parallel for if (N * C >= HB_OMP_MIN_ELEMENTS)
    for (int64_t i = 0; i < N; i++) {
        const int64_t t = target[i];
        T *restrict g = grad_logp + i * C;
        for (int64_t c = 0; c < C; c++)
            g[c] = (T)0;
        if (t != ignore_index) {
            const double scale = reduction == HB_REDUCTION_NONE ? (double)grad_loss[i] : shared;
            g[t] = (T)(-scale * (weight ? (double)weight[t] : 1.0));
        }
    }
    return HB_OK;
}

#undef L
