/* Template for isa/norm.c: expects T and SUF (f32/f64). */

#define L(name) HB_CAT2(name, SUF)

/* Mean and biased variance of n blocks of s elements, `stride` apart, in one
 * pass: the sums are taken of x - x[0], which keeps the variance accurate when
 * the mean is large against the spread. n * s > 0. */
static void L(blocks_stats)(const T *restrict x, int64_t n, int64_t s, int64_t stride,
                            double *mean, double *var) {
    const double shift = x[0];
    double sum = 0, sq = 0;
    for (int64_t i = 0; i < n; i++) {
        const T *restrict p = x + i * stride;
#pragma omp simd reduction(+ : sum, sq)
        for (int64_t j = 0; j < s; j++) {
            const double d = (double)p[j] - shift;
            sum += d;
            sq += d * d;
        }
    }
    const double m = (double)(n * s);
    const double v = (sq - sum * sum / m) / m;
    *mean = shift + sum / m;
    *var = v > 0 ? v : 0;
}

enum hb_status HB_ISA_FN(L(hb_batch_norm_forward))(const T *x, T *y, int64_t n, int64_t c,
                                                    int64_t s, const T *weight, const T *bias,
                                                    T *mean, T *invstd, T *running_mean,
                                                    T *running_var, double momentum, double eps,
                                                    int training) {
    const int64_t count = n * s, stride = c * s;
#pragma omp parallel for schedule(static) if (c > 1 && n * c * s >= HB_OMP_MIN_ELEMENTS)
    for (int64_t ch = 0; ch < c; ch++) {
        double mu, inv;
        if (training) {
            double var;
            L(blocks_stats)(x + ch * s, n, s, stride, &mu, &var);
            inv = 1.0 / sqrt(var + eps);
            if (running_mean)
                running_mean[ch] = (T)(momentum * mu + (1 - momentum) * running_mean[ch]);
            if (running_var) {
                const double unbiased = var * (double)count / (double)(count - 1);
                running_var[ch] = (T)(momentum * unbiased + (1 - momentum) * running_var[ch]);
            }
        } else {
            mu = running_mean[ch];
            inv = 1.0 / sqrt((double)running_var[ch] + eps);
        }
        mean[ch] = (T)mu;
        invstd[ch] = (T)inv;
        const T m = (T)mu, a = (T)(inv * (weight ? weight[ch] : 1)), b = bias ? bias[ch] : 0;
        for (int64_t i = 0; i < n; i++) {
            const T *restrict p = x + i * stride + ch * s;
            T *restrict q = y + i * stride + ch * s;
#pragma omp simd
            for (int64_t j = 0; j < s; j++)
                q[j] = (p[j] - m) * a + b;
        }
    }
    return HB_OK;
}

enum hb_status HB_ISA_FN(L(hb_batch_norm_backward))(const T *grad_y, const T *x, const T *mean,
                                                     const T *invstd, const T *weight, int64_t n,
                                                     int64_t c, int64_t s, T *grad_x, T *grad_w,
                                                     T *grad_b, int training) {
    const int64_t stride = c * s;
    const double count = (double)(n * s);
    const int need_sums = grad_w || grad_b || (grad_x && training);
#pragma omp parallel for schedule(static) if (c > 1 && n * c * s >= HB_OMP_MIN_ELEMENTS)
    for (int64_t ch = 0; ch < c; ch++) {
        const T m = mean[ch], inv = invstd[ch], w = weight ? weight[ch] : 1;
        double sum_dy = 0, sum_dy_xmu = 0;
        if (need_sums)
            for (int64_t i = 0; i < n; i++) {
                const T *restrict dy = grad_y + i * stride + ch * s;
                const T *restrict p = x + i * stride + ch * s;
#pragma omp simd reduction(+ : sum_dy, sum_dy_xmu)
                for (int64_t j = 0; j < s; j++) {
                    sum_dy += dy[j];
                    sum_dy_xmu += (double)dy[j] * (double)(p[j] - m);
                }
            }
        if (grad_b)
            grad_b[ch] = (T)sum_dy;
        if (grad_w)
            grad_w[ch] = (T)(sum_dy_xmu * inv);
        if (!grad_x)
            continue;
        const T scale = inv * w;
        /* training: dx = (dy - mean(dy) - (x - mean) * k) * invstd * w */
        const T mean_dy = training ? (T)(sum_dy / count) : 0;
        const T k = training ? (T)(sum_dy_xmu * inv * inv / count) : 0;
        for (int64_t i = 0; i < n; i++) {
            const T *restrict dy = grad_y + i * stride + ch * s;
            const T *restrict p = x + i * stride + ch * s;
            T *restrict gx = grad_x + i * stride + ch * s;
#pragma omp simd
            for (int64_t j = 0; j < s; j++)
                gx[j] = (dy[j] - mean_dy - (p[j] - m) * k) * scale;
        }
    }
    return HB_OK;
}

enum hb_status HB_ISA_FN(L(hb_group_norm_forward))(const T *x, T *y, int64_t n, int64_t groups,
                                                    int64_t cg, int64_t s, const T *weight,
                                                    const T *bias, double eps, T *mean, T *rstd) {
    const int64_t rows = n * groups, d = cg * s;
#pragma omp parallel for schedule(static) if (rows > 1 && rows * d >= HB_OMP_MIN_ELEMENTS)
    for (int64_t r = 0; r < rows; r++) {
        const T *restrict p = x + r * d;
        T *restrict q = y + r * d;
        double sum = 0, sq = 0;
#pragma omp simd reduction(+ : sum)
        for (int64_t j = 0; j < d; j++)
            sum += p[j];
        const double mu = sum / (double)d;
#pragma omp simd reduction(+ : sq)
        for (int64_t j = 0; j < d; j++) {
            const double dev = (double)p[j] - mu;
            sq += dev * dev;
        }
        const double inv = 1.0 / sqrt(sq / (double)d + eps);
        mean[r] = (T)mu;
        rstd[r] = (T)inv;
        const T m = (T)mu, rs = (T)inv;
        const int64_t ch0 = (r % groups) * cg;
        if (s == 1) {
            /* layer norm: one weight per element */
#pragma omp simd
            for (int64_t j = 0; j < d; j++)
                q[j] = (p[j] - m) * rs * (weight ? weight[ch0 + j] : 1) +
                       (bias ? bias[ch0 + j] : 0);
            continue;
        }
        for (int64_t cc = 0; cc < cg; cc++) {
            const T a = rs * (weight ? weight[ch0 + cc] : 1), b = bias ? bias[ch0 + cc] : 0;
#pragma omp simd
            for (int64_t j = cc * s; j < (cc + 1) * s; j++)
                q[j] = (p[j] - m) * a + b;
        }
    }
    return HB_OK;
}

/* One row of group norm's input gradient: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)),
 * g = dy * w, with w per element (s == 1, layer norm) or per block of s. */
static void L(group_norm_row_backward)(const T *restrict dy, const T *restrict x, const T *w,
                                       int64_t cg, int64_t s, T m, T rs, T *restrict gx) {
    const int64_t d = cg * s;
    double sum_g = 0, sum_gx = 0;
    if (s == 1) {
#pragma omp simd reduction(+ : sum_g, sum_gx)
        for (int64_t j = 0; j < d; j++) {
            const double g = (double)dy[j] * (w ? w[j] : 1);
            sum_g += g;
            sum_gx += g * (double)(x[j] - m);
        }
    } else {
        for (int64_t cc = 0; cc < cg; cc++) {
            const double wc = w ? w[cc] : 1;
#pragma omp simd reduction(+ : sum_g, sum_gx)
            for (int64_t j = cc * s; j < (cc + 1) * s; j++) {
                const double g = (double)dy[j] * wc;
                sum_g += g;
                sum_gx += g * (double)(x[j] - m);
            }
        }
    }
    const T mean_g = (T)(sum_g / (double)d);
    const T k = (T)(sum_gx * rs * rs / (double)d);
    if (s == 1) {
#pragma omp simd
        for (int64_t j = 0; j < d; j++)
            gx[j] = (dy[j] * (w ? w[j] : 1) - mean_g - (x[j] - m) * k) * rs;
        return;
    }
    for (int64_t cc = 0; cc < cg; cc++) {
        const T wc = w ? w[cc] : 1;
#pragma omp simd
        for (int64_t j = cc * s; j < (cc + 1) * s; j++)
            gx[j] = (dy[j] * wc - mean_g - (x[j] - m) * k) * rs;
    }
}

enum hb_status HB_ISA_FN(L(hb_group_norm_backward))(const T *grad_y, const T *x, const T *mean,
                                                     const T *rstd, const T *weight, int64_t n,
                                                     int64_t groups, int64_t cg, int64_t s,
                                                     T *grad_x, T *grad_w, T *grad_b) {
    const int64_t rows = n * groups, d = cg * s, channels = groups * cg;
    if (grad_x) {
#pragma omp parallel for schedule(static) if (rows > 1 && rows * d >= HB_OMP_MIN_ELEMENTS)
        for (int64_t r = 0; r < rows; r++)
            L(group_norm_row_backward)(grad_y + r * d, x + r * d,
                                       weight ? weight + (r % groups) * cg : NULL, cg, s, mean[r],
                                       rstd[r], grad_x + r * d);
    }
    if (!grad_w && !grad_b)
        return HB_OK;
    /* per channel: sums over the batch of dy * xhat and of dy */
#pragma omp parallel for schedule(static) if (channels > 1 && rows * d >= HB_OMP_MIN_ELEMENTS)
    for (int64_t ch = 0; ch < channels; ch++) {
        const int64_t g = ch / cg, offset = (ch % cg) * s;
        double sum_w = 0, sum_b = 0;
        for (int64_t i = 0; i < n; i++) {
            const int64_t r = i * groups + g;
            const T m = mean[r], rs = rstd[r];
            const T *restrict dy = grad_y + r * d + offset;
            const T *restrict p = x + r * d + offset;
#pragma omp simd reduction(+ : sum_w, sum_b)
            for (int64_t j = 0; j < s; j++) {
                sum_w += (double)dy[j] * (double)((p[j] - m) * rs);
                sum_b += dy[j];
            }
        }
        if (grad_w)
            grad_w[ch] = (T)sum_w;
        if (grad_b)
            grad_b[ch] = (T)sum_b;
    }
    return HB_OK;
}

#undef L
