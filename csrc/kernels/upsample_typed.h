/* One dtype's resampling: included by upsample.c with T and SFX (f32/f64)
 * defined. Not a standalone header. */

#define NAME(x) HB_CAT2(x, SFX)

/* One input row resampled along the columns into out (out_width values). */
static inline T NAME(column_value)(const T *row, const int64_t *cols, const T *col_w,
                                   int64_t j) {
    if (!col_w)
        return row[cols[2 * j]];
    return col_w[2 * j] * row[cols[2 * j]] + col_w[2 * j + 1] * row[cols[2 * j + 1]];
}

int NAME(hb_upsample2d_forward)(const T *x, T *y, int64_t planes, int64_t height, int64_t width,
                                int64_t out_height, int64_t out_width, const int64_t *rows,
                                const T *row_w, const int64_t *cols, const T *col_w) {
    if (bad_sizes(planes, height, width, out_height, out_width) ||
        !indices_in_range(rows, out_height, height) || !indices_in_range(cols, out_width, width))
        return HB_EINVAL;
    const int64_t plane = height * width, out_plane = out_height * out_width;
#pragma omp parallel for schedule(static) if (planes > 1 && planes * out_plane >= HB_OMP_MIN_ELEMENTS)
    for (int64_t p = 0; p < planes; p++) {
        const T *xp = x + p * plane;
        T *yp = y + p * out_plane;
        for (int64_t i = 0; i < out_height; i++) {
            const T *r0 = xp + rows[2 * i] * width;
            T *out = yp + i * out_width;
            if (!row_w) {
                for (int64_t j = 0; j < out_width; j++)
                    out[j] = NAME(column_value)(r0, cols, col_w, j);
                continue;
            }
            const T *r1 = xp + rows[2 * i + 1] * width;
            const T a = row_w[2 * i], b = row_w[2 * i + 1];
            for (int64_t j = 0; j < out_width; j++)
                out[j] = a * NAME(column_value)(r0, cols, col_w, j) +
                         b * NAME(column_value)(r1, cols, col_w, j);
        }
    }
    return HB_OK;
}

/* Adds g, weighted along the columns, into one input row. */
static inline void NAME(column_add)(T *row, const int64_t *cols, const T *col_w, int64_t j, T g) {
    if (!col_w) {
        row[cols[2 * j]] += g;
        return;
    }
    row[cols[2 * j]] += col_w[2 * j] * g;
    row[cols[2 * j + 1]] += col_w[2 * j + 1] * g;
}

int NAME(hb_upsample2d_backward)(const T *grad_y, T *grad_x, int64_t planes, int64_t height,
                                 int64_t width, int64_t out_height, int64_t out_width,
                                 const int64_t *rows, const T *row_w, const int64_t *cols,
                                 const T *col_w) {
    if (bad_sizes(planes, height, width, out_height, out_width) ||
        !indices_in_range(rows, out_height, height) || !indices_in_range(cols, out_width, width))
        return HB_EINVAL;
    const int64_t plane = height * width, out_plane = out_height * out_width;
#pragma omp parallel for schedule(static) if (planes > 1 && planes * out_plane >= HB_OMP_MIN_ELEMENTS)
    for (int64_t p = 0; p < planes; p++) {
        T *gx = grad_x + p * plane;
        const T *gy = grad_y + p * out_plane;
        memset(gx, 0, sizeof(T) * plane);
        for (int64_t i = 0; i < out_height; i++) {
            const T *g = gy + i * out_width;
            T *r0 = gx + rows[2 * i] * width;
            if (!row_w) {
                for (int64_t j = 0; j < out_width; j++)
                    NAME(column_add)(r0, cols, col_w, j, g[j]);
                continue;
            }
            T *r1 = gx + rows[2 * i + 1] * width;
            const T a = row_w[2 * i], b = row_w[2 * i + 1];
            for (int64_t j = 0; j < out_width; j++) {
                NAME(column_add)(r0, cols, col_w, j, a * g[j]);
                NAME(column_add)(r1, cols, col_w, j, b * g[j]);
            }
        }
    }
    return HB_OK;
}

#undef NAME
