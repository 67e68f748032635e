/* One dtype's pooling: included by pool.c with T and SFX (f32/f64) defined.
 * Not a standalone header. */

#define NAME(x) HB_CAT2(x, SFX)

/* Takes v (at index i) as the running max when it is larger or NaN: as
 * PyTorch, the first of equal values wins and the last NaN does. The choice is
 * made with bit masks, not branches: on real data a branch per comparison is
 * mispredicted about half the time, which costs more than the whole window. */
static inline void NAME(max_step)(T *m, int64_t *best, T v, int64_t i) {
    const int64_t take = -(int64_t)((v > *m) | (v != v));
    UT vb, mb;
    memcpy(&vb, &v, sizeof vb);
    memcpy(&mb, m, sizeof mb);
    mb = (vb & (UT)take) | (mb & ~(UT)take);
    memcpy(m, &mb, sizeof mb);
    *best = (*best & ~take) | (i & take);
}

/* The max over rows [h0, h1) and columns [w0, w1) stepping dh, dw. */
static inline T NAME(window_max)(const T *x, int64_t width, int64_t h0, int64_t h1, int64_t dh,
                                 int64_t w0, int64_t w1, int64_t dw, int64_t *where) {
    T m = -INFINITY;
    int64_t best = h0 * width + w0;
    for (int64_t ih = h0; ih < h1; ih += dh)
        for (int64_t iw = w0; iw < w1; iw += dw)
            NAME(max_step)(&m, &best, x[ih * width + iw], ih * width + iw);
    *where = best;
    return m;
}

/* One output row of the common 2x2 window with stride 2 and no padding: the
 * same comparisons in the same order as window_max (starting from the first
 * element instead of -inf changes nothing), written as selects so that the
 * compiler vectorizes them; k is the winner's place in the window. */
#define HB_MAX_2X2(k_type, store_index)                                              \
    for (int64_t ow = 0; ow < out_w; ow++) {                                          \
        const T a = r0[2 * ow], b = r0[2 * ow + 1], c = r1[2 * ow], d = r1[2 * ow + 1]; \
        T m = a;                                                                      \
        k_type k = 0;                                                                 \
        const int tb = (b > m) | (b != b);                                            \
        m = tb ? b : m;                                                               \
        k = tb ? 1 : k;                                                               \
        const int tc = (c > m) | (c != c);                                            \
        m = tc ? c : m;                                                               \
        k = tc ? width : k;                                                           \
        const int td = (d > m) | (d != d);                                            \
        m = td ? d : m;                                                               \
        k = td ? width + 1 : k;                                                       \
        out[ow] = m;                                                                  \
        store_index;                                                                  \
    }

static void NAME(max_plane_2x2)(const struct hb_pool2d_geom *g, const T *restrict x,
                                T *restrict y, int64_t *restrict ind) {
    const int64_t width = g->width, out_h = g->out_height, out_w = g->out_width;
    for (int64_t oh = 0; oh < out_h; oh++) {
        const T *restrict r0 = x + 2 * oh * width, *restrict r1 = r0 + width;
        T *restrict out = y + oh * out_w;
        if (ind) {
            int64_t *restrict idx = ind + oh * out_w;
            const int64_t base = 2 * oh * width;
            HB_MAX_2X2(int32_t, idx[ow] = base + 2 * ow + k)
        } else {
            HB_MAX_2X2(int32_t, (void)k)
        }
    }
}
#undef HB_MAX_2X2

/* The first tap at or after 0 of a window starting at `start`. */
static inline int64_t NAME(first_tap)(int64_t start, int64_t step) {
    return start >= 0 ? start : start + (-start + step - 1) / step * step;
}

/* Any window: a block of outputs of one row at a time, tap by tap (the taps
 * of a window in the order window_max takes them), each tap a select over the
 * outputs whose window holds it, so that the loops run over outputs. */
static void NAME(max_plane)(const struct hb_pool2d_geom *g, const T *x, T *y, int64_t *ind) {
    T m[HB_POOL_BLOCK];
    IT best[HB_POOL_BLOCK]; /* T's width, so that the selects vectorize */
    const int64_t width = g->width, sw = g->stride_w, dw = g->dilation_w;
    for (int64_t oh = 0; oh < g->out_height; oh++) {
        const int64_t start_h = oh * g->stride_h - g->pad_h;
        int64_t h1 = start_h + (g->kernel_h - 1) * g->dilation_h + 1;
        h1 = h1 < g->height ? h1 : g->height;
        const int64_t h0 = NAME(first_tap)(start_h, g->dilation_h);
        for (int64_t ow0 = 0; ow0 < g->out_width; ow0 += HB_POOL_BLOCK) {
            const int64_t n = g->out_width - ow0 < HB_POOL_BLOCK ? g->out_width - ow0 : HB_POOL_BLOCK;
            for (int64_t j = 0; j < n; j++) {
                m[j] = -INFINITY;
                best[j] = (IT)(h0 * width + NAME(first_tap)((ow0 + j) * sw - g->pad_w, dw));
            }
            for (int64_t ih = h0; ih < h1; ih += g->dilation_h) {
                const T *row = x + ih * width;
                for (int64_t kj = 0; kj < g->kernel_w; kj++) {
                    const int64_t first = kj * dw - g->pad_w;
                    int64_t lo, hi;
                    tap_range(first, sw, width, ow0 + n, &lo, &hi);
                    lo = lo > ow0 ? lo : ow0;
                    for (int64_t ow = lo; ow < hi; ow++) {
                        const int64_t i = first + ow * sw;
                        const T v = row[i];
                        const int take = (v > m[ow - ow0]) | (v != v);
                        m[ow - ow0] = take ? v : m[ow - ow0];
                        best[ow - ow0] = take ? (IT)(ih * width + i) : best[ow - ow0];
                    }
                }
            }
            memcpy(y + oh * g->out_width + ow0, m, sizeof(T) * n);
            if (ind)
                for (int64_t j = 0; j < n; j++)
                    ind[oh * g->out_width + ow0 + j] = best[j];
        }
    }
}

int NAME(hb_max_pool2d_forward)(const struct hb_pool2d_geom *g, const T *x, T *y,
                                int64_t *indices) {
    if (!hb_pool2d_geom_valid(g))
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
    const int unrolled = g->kernel_h == 2 && g->kernel_w == 2 && g->stride_h == 2 &&
                         g->stride_w == 2 && g->pad_h == 0 && g->pad_w == 0 &&
                         g->dilation_h == 1 && g->dilation_w == 1 &&
                         2 * g->out_height <= g->height && 2 * g->out_width <= g->width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        int64_t *ind = indices ? indices + p * out_plane : NULL;
        if (unrolled)
            NAME(max_plane_2x2)(g, x + p * plane, y + p * out_plane, ind);
        else
            NAME(max_plane)(g, x + p * plane, y + p * out_plane, ind);
    }
    return HB_OK;
}

int NAME(hb_adaptive_max_pool2d_forward)(const struct hb_pool2d_geom *g, const T *x, T *y,
                                         int64_t *indices) {
    if (!adaptive_geom_valid(g))
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        const T *xp = x + p * plane;
        for (int64_t oh = 0; oh < g->out_height; oh++) {
            const int64_t h0 = adaptive_start(oh, g->height, g->out_height);
            const int64_t h1 = adaptive_end(oh, g->height, g->out_height);
            for (int64_t ow = 0; ow < g->out_width; ow++) {
                const int64_t w0 = adaptive_start(ow, g->width, g->out_width);
                const int64_t w1 = adaptive_end(ow, g->width, g->out_width);
                const int64_t o = p * out_plane + oh * g->out_width + ow;
                int64_t where;
                y[o] = NAME(window_max)(xp, g->width, h0, h1, 1, w0, w1, 1, &where);
                if (indices)
                    indices[o] = where;
            }
        }
    }
    return HB_OK;
}

int NAME(hb_max_pool2d_backward)(const struct hb_pool2d_geom *g, const T *grad_y,
                                 const int64_t *indices, T *grad_x) {
    if (g->planes < 0 || g->height < 0 || g->width < 0 || g->out_height < 0 || g->out_width < 0)
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        T *gx = grad_x + p * plane;
        const T *gy = grad_y + p * out_plane;
        const int64_t *ind = indices + p * out_plane;
        memset(gx, 0, sizeof(T) * plane);
        for (int64_t o = 0; o < out_plane; o++)
            if (ind[o] >= 0 && ind[o] < plane)
                gx[ind[o]] += gy[o];
    }
    return HB_OK;
}

/* Window rows [*lo, *hi) of output i clipped to the plane, and its extent
 * clipped to the padded plane (PyTorch's count_include_pad size). */
static inline int64_t NAME(avg_window)(int64_t i, int64_t stride, int64_t pad, int64_t kernel,
                                       int64_t size, int64_t *lo, int64_t *hi) {
    int64_t a = i * stride - pad;
    int64_t b = a + kernel < size + pad ? a + kernel : size + pad;
    const int64_t padded = b - a;
    *lo = a > 0 ? a : 0;
    *hi = b < size ? b : size;
    return padded;
}

static inline int64_t NAME(avg_divisor)(int64_t padded, int64_t inside, int count_include_pad,
                                        int64_t divisor_override) {
    if (divisor_override > 0)
        return divisor_override;
    return count_include_pad ? padded : inside;
}

int NAME(hb_avg_pool2d_forward)(const struct hb_pool2d_geom *g, const T *x, T *y,
                                int count_include_pad, int64_t divisor_override) {
    if (!hb_pool2d_geom_valid(g) || g->dilation_h != 1 || g->dilation_w != 1)
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        const T *xp = x + p * plane;
        T *yp = y + p * out_plane;
        for (int64_t oh = 0; oh < g->out_height; oh++) {
            int64_t h0, h1, w0, w1;
            const int64_t ph = NAME(avg_window)(oh, g->stride_h, g->pad_h, g->kernel_h,
                                                g->height, &h0, &h1);
            for (int64_t ow = 0; ow < g->out_width; ow++) {
                const int64_t pw = NAME(avg_window)(ow, g->stride_w, g->pad_w, g->kernel_w,
                                                    g->width, &w0, &w1);
                if (h0 >= h1 || w0 >= w1) {
                    yp[oh * g->out_width + ow] = 0;
                    continue;
                }
                double s = 0;
                for (int64_t ih = h0; ih < h1; ih++)
                    for (int64_t iw = w0; iw < w1; iw++)
                        s += xp[ih * g->width + iw];
                const int64_t div = NAME(avg_divisor)(ph * pw, (h1 - h0) * (w1 - w0),
                                                      count_include_pad, divisor_override);
                yp[oh * g->out_width + ow] = (T)(s / (double)div);
            }
        }
    }
    return HB_OK;
}

int NAME(hb_avg_pool2d_backward)(const struct hb_pool2d_geom *g, const T *grad_y, T *grad_x,
                                 int count_include_pad, int64_t divisor_override) {
    if (!hb_pool2d_geom_valid(g) || g->dilation_h != 1 || g->dilation_w != 1)
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        T *gx = grad_x + p * plane;
        const T *gy = grad_y + p * out_plane;
        memset(gx, 0, sizeof(T) * plane);
        for (int64_t oh = 0; oh < g->out_height; oh++) {
            int64_t h0, h1, w0, w1;
            const int64_t ph = NAME(avg_window)(oh, g->stride_h, g->pad_h, g->kernel_h,
                                                g->height, &h0, &h1);
            for (int64_t ow = 0; ow < g->out_width; ow++) {
                const int64_t pw = NAME(avg_window)(ow, g->stride_w, g->pad_w, g->kernel_w,
                                                    g->width, &w0, &w1);
                if (h0 >= h1 || w0 >= w1)
                    continue;
                const int64_t div = NAME(avg_divisor)(ph * pw, (h1 - h0) * (w1 - w0),
                                                      count_include_pad, divisor_override);
                const T share = gy[oh * g->out_width + ow] / (T)div;
                for (int64_t ih = h0; ih < h1; ih++)
                    for (int64_t iw = w0; iw < w1; iw++)
                        gx[ih * g->width + iw] += share;
            }
        }
    }
    return HB_OK;
}

int NAME(hb_adaptive_avg_pool2d_forward)(const struct hb_pool2d_geom *g, const T *x, T *y) {
    if (!adaptive_geom_valid(g))
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        const T *xp = x + p * plane;
        for (int64_t oh = 0; oh < g->out_height; oh++) {
            const int64_t h0 = adaptive_start(oh, g->height, g->out_height);
            const int64_t h1 = adaptive_end(oh, g->height, g->out_height);
            for (int64_t ow = 0; ow < g->out_width; ow++) {
                const int64_t w0 = adaptive_start(ow, g->width, g->out_width);
                const int64_t w1 = adaptive_end(ow, g->width, g->out_width);
                double s = 0;
                for (int64_t ih = h0; ih < h1; ih++)
                    for (int64_t iw = w0; iw < w1; iw++)
                        s += xp[ih * g->width + iw];
                y[p * out_plane + oh * g->out_width + ow] =
                    (T)(s / (double)((h1 - h0) * (w1 - w0)));
            }
        }
    }
    return HB_OK;
}

int NAME(hb_adaptive_avg_pool2d_backward)(const struct hb_pool2d_geom *g, const T *grad_y,
                                          T *grad_x) {
    if (!adaptive_geom_valid(g))
        return HB_EINVAL;
    const int64_t plane = g->height * g->width, out_plane = g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (pool_parallel(g, plane))
    for (int64_t p = 0; p < g->planes; p++) {
        T *gx = grad_x + p * plane;
        memset(gx, 0, sizeof(T) * plane);
        for (int64_t oh = 0; oh < g->out_height; oh++) {
            const int64_t h0 = adaptive_start(oh, g->height, g->out_height);
            const int64_t h1 = adaptive_end(oh, g->height, g->out_height);
            for (int64_t ow = 0; ow < g->out_width; ow++) {
                const int64_t w0 = adaptive_start(ow, g->width, g->out_width);
                const int64_t w1 = adaptive_end(ow, g->width, g->out_width);
                const T share = grad_y[p * out_plane + oh * g->out_width + ow] /
                                (T)((h1 - h0) * (w1 - w0));
                for (int64_t ih = h0; ih < h1; ih++)
                    for (int64_t iw = w0; iw < w1; iw++)
                        gx[ih * g->width + iw] += share;
            }
        }
    }
    return HB_OK;
}

#undef NAME
