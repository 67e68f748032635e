/* Template: included by isa/reduce.c with HB_T (element type) and HB_SUF
 * (f32/f64) defined. No include guard on purpose. */
#define HB_FN(name) HB_ISA_FN(HB_CAT2(name, HB_SUF))
#define HB_LOCAL(name) HB_CAT2(name, HB_SUF)

/* Pairwise summation (numpy's scheme): the rounding error grows with log n
 * instead of n. The 8 independent lanes let the compiler vectorize. */
#define HB_PAIRWISE_BLOCK 128
static double HB_LOCAL(pairwise_sum)(const HB_T *x, int64_t n) {
    if (n <= HB_PAIRWISE_BLOCK) {
        double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int64_t i = 0;
        for (; i + 8 <= n; i += 8)
            for (int k = 0; k < 8; k++)
                lane[k] += x[i + k];
        double s = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
        for (; i < n; i++)
            s += x[i];
        return s;
    }
    int64_t half = n / 2;
    half -= half % 8;
    return HB_LOCAL(pairwise_sum)(x, half) + HB_LOCAL(pairwise_sum)(x + half, n - half);
}
#undef HB_PAIRWISE_BLOCK

double HB_FN(hb_pairwise_sum)(const HB_T *x, int64_t n) { return HB_LOCAL(pairwise_sum)(x, n); }

/* rows contiguous rows of n elements: out[r] = sum (or mean) of row r. */
void HB_FN(hb_sum_rows)(const HB_T *x, HB_T *out, int64_t rows, int64_t n, int mean) {
    for (int64_t r = 0; r < rows; r++) {
        double s = HB_LOCAL(pairwise_sum)(x + r * n, n);
        out[r] = (HB_T)(mean ? s / (double)n : s);
    }
}

/* Columns [j0, j1) (at most HB_REDUCE_COLUMNS) of one (n, inner) slice:
 * out[j] = sum over k of x[k * inner + j]. Blocks of rows are summed first and
 * then added up, which keeps the error of long sums small. */
#define HB_ROW_BLOCK 128
void HB_FN(hb_sum_columns)(const HB_T *x, HB_T *out, int64_t n, int64_t inner, int64_t j0, int64_t j1, int mean) {
    double total[HB_REDUCE_COLUMNS], block[HB_REDUCE_COLUMNS];
    const int64_t w = j1 - j0;
    for (int64_t t = 0; t < w; t++)
        total[t] = 0;
    for (int64_t k0 = 0; k0 < n; k0 += HB_ROW_BLOCK) {
        const int64_t k1 = k0 + HB_ROW_BLOCK < n ? k0 + HB_ROW_BLOCK : n;
        for (int64_t t = 0; t < w; t++)
            block[t] = 0;
        for (int64_t k = k0; k < k1; k++) {
            const HB_T *row = x + k * inner + j0;
            for (int64_t t = 0; t < w; t++)
                block[t] += row[t];
        }
        for (int64_t t = 0; t < w; t++)
            total[t] += block[t];
    }
    for (int64_t t = 0; t < w; t++)
        out[j0 + t] = (HB_T)(mean ? total[t] / (double)n : total[t]);
}
#undef HB_ROW_BLOCK

/* Whether v replaces best: a NaN always does (and then nothing replaces it);
 * otherwise only a strictly better value, so the first extreme is kept. */
#define HB_BETTER(v, best, is_max) ((v) != (v) || ((is_max) ? (v) > (best) : (v) < (best)))

/* rows contiguous rows of n > 0 elements: the extreme of each and its index. */
void HB_FN(hb_extreme_rows)(const HB_T *x, HB_T *values, int64_t *indices, int64_t rows, int64_t n, int is_max) {
    for (int64_t r = 0; r < rows; r++) {
        const HB_T *row = x + r * n;
        HB_T best = row[0];
        int64_t at = 0;
        for (int64_t k = 1; k < n && best == best; k++) {
            if (HB_BETTER(row[k], best, is_max)) {
                best = row[k];
                at = k;
            }
        }
        values[r] = best;
        if (indices)
            indices[r] = at;
    }
}

/* Columns [j0, j1) (at most HB_REDUCE_COLUMNS) of one (n, inner) slice, n > 0. */
void HB_FN(hb_extreme_columns)(const HB_T *x, HB_T *values, int64_t *indices, int64_t n, int64_t inner, int64_t j0,
                               int64_t j1, int is_max) {
    HB_T best[HB_REDUCE_COLUMNS];
    int64_t at[HB_REDUCE_COLUMNS];
    const int64_t w = j1 - j0;
    for (int64_t t = 0; t < w; t++) {
        best[t] = x[j0 + t];
        at[t] = 0;
    }
    for (int64_t k = 1; k < n; k++) {
        const HB_T *row = x + k * inner + j0;
        for (int64_t t = 0; t < w; t++) {
            if (best[t] == best[t] && HB_BETTER(row[t], best[t], is_max)) {
                best[t] = row[t];
                at[t] = k;
            }
        }
    }
    for (int64_t t = 0; t < w; t++) {
        values[j0 + t] = best[t];
        if (indices)
            indices[j0 + t] = at[t];
    }
}
#undef HB_BETTER

#undef HB_FN
#undef HB_LOCAL
