/* Template for isa/softmax.c: expects T, SUF (f32/f64) and EXP for T. */

#define L(name) HB_CAT2(name, SUF)

/* The max is taken as `v > m ? v : m`: NaN never wins it, but then exp(NaN - m)
 * turns the whole row into NaN, as in PyTorch. A row of -inf gives
 * -inf - -inf = NaN, also as in PyTorch. */
static void L(softmax_row)(const T *restrict x, T *restrict y, int64_t n, int log_softmax) {
    T m = -INFINITY;
#pragma omp simd reduction(max : m)
    for (int64_t k = 0; k < n; k++)
        m = x[k] > m ? x[k] : m;
    double s = 0.0;
    if (log_softmax) {
#pragma omp simd reduction(+ : s)
        for (int64_t k = 0; k < n; k++)
            s += EXP(x[k] - m);
        const T log_s = (T)log(s);
#pragma omp simd
        for (int64_t k = 0; k < n; k++)
            y[k] = (x[k] - m) - log_s;
    } else {
#pragma omp simd reduction(+ : s)
        for (int64_t k = 0; k < n; k++) {
            const T e = EXP(x[k] - m);
            y[k] = e;
            s += e;
        }
        const T inv = (T)(1.0 / s);
#pragma omp simd
        for (int64_t k = 0; k < n; k++)
            y[k] *= inv;
    }
}

/* Columns [0, w) of one (n, inner) slab, w <= HB_SOFTMAX_BLOCK. */
static void L(softmax_columns)(const T *restrict x, T *restrict y, int64_t n, int64_t inner,
                               int64_t w, int log_softmax) {
    T m[HB_SOFTMAX_BLOCK];
    double s[HB_SOFTMAX_BLOCK];
    T f[HB_SOFTMAX_BLOCK];
    for (int64_t j = 0; j < w; j++) {
        m[j] = -INFINITY;
        s[j] = 0.0;
    }
    for (int64_t k = 0; k < n; k++) {
        const T *restrict row = x + k * inner;
#pragma omp simd
        for (int64_t j = 0; j < w; j++)
            m[j] = row[j] > m[j] ? row[j] : m[j];
    }
    if (log_softmax) {
        for (int64_t k = 0; k < n; k++) {
            const T *restrict row = x + k * inner;
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                s[j] += EXP(row[j] - m[j]);
        }
        for (int64_t j = 0; j < w; j++)
            f[j] = (T)log(s[j]);
        for (int64_t k = 0; k < n; k++) {
            const T *restrict row = x + k * inner;
            T *restrict out = y + k * inner;
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                out[j] = (row[j] - m[j]) - f[j];
        }
    } else {
        for (int64_t k = 0; k < n; k++) {
            const T *restrict row = x + k * inner;
            T *restrict out = y + k * inner;
#pragma omp simd
            for (int64_t j = 0; j < w; j++) {
                const T e = EXP(row[j] - m[j]);
                out[j] = e;
                s[j] += e;
            }
        }
        for (int64_t j = 0; j < w; j++)
            f[j] = (T)(1.0 / s[j]);
        for (int64_t k = 0; k < n; k++) {
            T *restrict out = y + k * inner;
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                out[j] *= f[j];
        }
    }
}

static void L(softmax_backward_row)(const T *restrict g, const T *restrict y, T *restrict gi,
                                    int64_t n, int log_softmax) {
    double s = 0.0;
    if (log_softmax) {
#pragma omp simd reduction(+ : s)
        for (int64_t k = 0; k < n; k++)
            s += g[k];
        const T sum = (T)s;
#pragma omp simd
        for (int64_t k = 0; k < n; k++)
            gi[k] = g[k] - EXP(y[k]) * sum;
    } else {
#pragma omp simd reduction(+ : s)
        for (int64_t k = 0; k < n; k++)
            s += (double)g[k] * y[k];
        const T dot = (T)s;
#pragma omp simd
        for (int64_t k = 0; k < n; k++)
            gi[k] = y[k] * (g[k] - dot);
    }
}

static void L(softmax_backward_columns)(const T *restrict g, const T *restrict y,
                                        T *restrict gi, int64_t n, int64_t inner, int64_t w,
                                        int log_softmax) {
    double s[HB_SOFTMAX_BLOCK];
    T f[HB_SOFTMAX_BLOCK];
    for (int64_t j = 0; j < w; j++)
        s[j] = 0.0;
    for (int64_t k = 0; k < n; k++) {
        const T *restrict grow = g + k * inner;
        const T *restrict yrow = y + k * inner;
        if (log_softmax) {
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                s[j] += grow[j];
        } else {
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                s[j] += (double)grow[j] * yrow[j];
        }
    }
    for (int64_t j = 0; j < w; j++)
        f[j] = (T)s[j];
    for (int64_t k = 0; k < n; k++) {
        const T *restrict grow = g + k * inner;
        const T *restrict yrow = y + k * inner;
        T *restrict out = gi + k * inner;
        if (log_softmax) {
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                out[j] = grow[j] - EXP(yrow[j]) * f[j];
        } else {
#pragma omp simd
            for (int64_t j = 0; j < w; j++)
                out[j] = yrow[j] * (grow[j] - f[j]);
        }
    }
}

enum hb_status HB_ISA_FN(L(hb_softmax_forward))(const T *restrict x, T *restrict y,
                                                 int64_t outer, int64_t n, int64_t inner,
                                                 int log_softmax) {
    const int64_t total = outer * n * inner;
    if (inner == 1) {
        HB_OMP_FOR(total >= HB_OMP_MIN_ELEMENTS, "omp parallel for schedule(static)", o, outer,
                   L(softmax_row)(x + o * n, y + o * n, n, log_softmax););
        return HB_OK;
    }
    const int64_t blocks = (inner + HB_SOFTMAX_BLOCK - 1) / HB_SOFTMAX_BLOCK;
    HB_OMP_FOR(total >= HB_OMP_MIN_ELEMENTS, "omp parallel for schedule(static)", task,
               outer * blocks,
        const int64_t o = task / blocks, i0 = task % blocks * HB_SOFTMAX_BLOCK;
        const int64_t w = inner - i0 < HB_SOFTMAX_BLOCK ? inner - i0 : HB_SOFTMAX_BLOCK;
        const int64_t offset = o * n * inner + i0;
        L(softmax_columns)(x + offset, y + offset, n, inner, w, log_softmax););
    return HB_OK;
}

enum hb_status HB_ISA_FN(L(hb_softmax_backward))(const T *restrict grad_out, const T *restrict y,
                                                  T *restrict grad_in, int64_t outer, int64_t n,
                                                  int64_t inner, int log_softmax) {
    const int64_t total = outer * n * inner;
    if (inner == 1) {
        HB_OMP_FOR(total >= HB_OMP_MIN_ELEMENTS, "omp parallel for schedule(static)", o, outer,
                   L(softmax_backward_row)(grad_out + o * n, y + o * n, grad_in + o * n, n,
                                           log_softmax););
        return HB_OK;
    }
    const int64_t blocks = (inner + HB_SOFTMAX_BLOCK - 1) / HB_SOFTMAX_BLOCK;
    HB_OMP_FOR(total >= HB_OMP_MIN_ELEMENTS, "omp parallel for schedule(static)", task,
               outer * blocks,
        const int64_t o = task / blocks, i0 = task % blocks * HB_SOFTMAX_BLOCK;
        const int64_t w = inner - i0 < HB_SOFTMAX_BLOCK ? inner - i0 : HB_SOFTMAX_BLOCK;
        const int64_t offset = o * n * inner + i0;
        L(softmax_backward_columns)(grad_out + offset, y + offset, grad_in + offset, n, inner, w,
                                    log_softmax););
    return HB_OK;
}

#undef L
