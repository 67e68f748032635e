/* One dtype's convolution: included by conv.c with T and SFX (f32/f64)
 * defined. Not a standalone header. */

#define NAME(x) HB_CAT2(x, SFX)
#define GEMM NAME(hb_gemm)
/* Expands NAME(...) before HB_DISPATCH pastes the instruction-set suffix on. */
#define DISPATCH(name, args) HB_DISPATCH(name, args)

/* The kernel_h * kernel_w rows of the column matrix that one image channel gives. */
static void NAME(im2col_channel)(const struct hb_conv2d_geom *g, const T *restrict x,
                                 T *restrict col) {
    const int64_t oh_n = g->out_height, ow_n = g->out_width, p_n = oh_n * ow_n;
    const int64_t sw = g->stride_w;
    for (int64_t ki = 0; ki < g->kernel_h; ki++)
        for (int64_t kj = 0; kj < g->kernel_w; kj++) {
            T *restrict rows = col + (ki * g->kernel_w + kj) * p_n;
            const int64_t first = kj * g->dilation_w - g->pad_w;
            int64_t lo, hi;
            tap_range(first, sw, g->width, ow_n, &lo, &hi);
            for (int64_t oh = 0; oh < oh_n; oh++) {
                const int64_t ih = oh * g->stride_h - g->pad_h + ki * g->dilation_h;
                T *restrict d = rows + oh * ow_n;
                if (ih < 0 || ih >= g->height) {
                    memset(d, 0, sizeof(T) * ow_n);
                    continue;
                }
                const T *restrict s = x + ih * g->width;
                for (int64_t ow = 0; ow < lo; ow++)
                    d[ow] = 0;
                if (sw == 1)
                    memcpy(d + lo, s + first + lo, sizeof(T) * (hi - lo));
                else
                    for (int64_t ow = lo; ow < hi; ow++)
                        d[ow] = s[first + ow * sw];
                for (int64_t ow = hi; ow < ow_n; ow++)
                    d[ow] = 0;
            }
        }
}

/* Adds one channel's kernel_h * kernel_w column rows back into its image plane. */
static void NAME(col2im_channel)(const struct hb_conv2d_geom *g, const T *restrict col,
                                 T *restrict x) {
    const int64_t oh_n = g->out_height, ow_n = g->out_width, p_n = oh_n * ow_n;
    const int64_t sw = g->stride_w;
    for (int64_t ki = 0; ki < g->kernel_h; ki++)
        for (int64_t kj = 0; kj < g->kernel_w; kj++) {
            const T *restrict rows = col + (ki * g->kernel_w + kj) * p_n;
            const int64_t first = kj * g->dilation_w - g->pad_w;
            int64_t lo, hi;
            tap_range(first, sw, g->width, ow_n, &lo, &hi);
            for (int64_t oh = 0; oh < oh_n; oh++) {
                const int64_t ih = oh * g->stride_h - g->pad_h + ki * g->dilation_h;
                if (ih < 0 || ih >= g->height)
                    continue;
                const T *restrict s = rows + oh * ow_n;
                T *restrict d = x + ih * g->width;
                if (sw == 1)
                    for (int64_t ow = lo; ow < hi; ow++)
                        d[first + ow] += s[ow];
                else
                    for (int64_t ow = lo; ow < hi; ow++)
                        d[first + ow * sw] += s[ow];
            }
        }
}

static void NAME(im2col_image)(const struct hb_conv2d_geom *g, const T *x, T *col) {
    const int64_t plane = g->height * g->width;
    const int64_t rows = g->kernel_h * g->kernel_w * g->out_height * g->out_width;
    for (int64_t c = 0; c < g->channels; c++)
        NAME(im2col_channel)(g, x + c * plane, col + c * rows);
}

static void NAME(col2im_image)(const struct hb_conv2d_geom *g, const T *col, T *x) {
    const int64_t plane = g->height * g->width;
    const int64_t rows = g->kernel_h * g->kernel_w * g->out_height * g->out_width;
    memset(x, 0, sizeof(T) * g->channels * plane);
    for (int64_t c = 0; c < g->channels; c++)
        NAME(col2im_channel)(g, col + c * rows, x + c * plane);
}

/* acc[r] += the sum of row r of a (rows x n). */
static void NAME(add_row_sums)(const T *a, int64_t rows, int64_t n, T *acc) {
    for (int64_t r = 0; r < rows; r++) {
        double s = 0;
#pragma omp simd reduction(+ : s)
        for (int64_t j = 0; j < n; j++)
            s += a[r * n + j];
        acc[r] += (T)s;
    }
}

struct NAME(conv_args) {
    const T *x, *w, *bias, *grad_y;
    T *y, *grad_x, *grad_w, *grad_b;
};

/* One image n of a call. `col` is this thread's column buffer (NULL when the
 * geometry is pointwise); grad_w and grad_b are this thread's accumulators. */
static int NAME(conv_image)(const struct hb_conv2d_geom *g, int mode,
                            const struct NAME(conv_args) *a, int64_t n, T *col, T *grad_w,
                            T *grad_b) {
    const int64_t groups = g->groups;
    const int64_t p_n = g->out_height * g->out_width, hw = g->height * g->width;
    const int64_t og = g->out_channels / groups;
    const int64_t k = (g->channels / groups) * g->kernel_h * g->kernel_w;
    const int64_t image_size = g->channels * hw, column_size = g->out_channels * p_n;
    int s = HB_OK;
    switch (mode) {
    case CONV_FORWARD: {
        const T *x = a->x + n * image_size;
        T *y = a->y + n * column_size;
        const T *cols = col ? col : x;
        if (col)
            NAME(im2col_image)(g, x, col);
        if (a->bias)
            for (int64_t o = 0; o < g->out_channels; o++)
                for (int64_t j = 0; j < p_n; j++)
                    y[o * p_n + j] = a->bias[o];
        for (int64_t gr = 0; gr < groups && s == HB_OK; gr++)
            s = GEMM(0, 0, og, p_n, k, 1, a->w + gr * og * k, k, cols + gr * k * p_n, p_n,
                     a->bias ? 1 : 0, y + gr * og * p_n, p_n);
        return s;
    }
    case CONV_BACKWARD: {
        const T *gy = a->grad_y + n * column_size;
        if (grad_w) {
            const T *x = a->x + n * image_size;
            const T *cols = col ? col : x;
            if (col)
                NAME(im2col_image)(g, x, col);
            for (int64_t gr = 0; gr < groups && s == HB_OK; gr++)
                s = GEMM(0, 1, og, k, p_n, 1, gy + gr * og * p_n, p_n, cols + gr * k * p_n, p_n,
                         1, grad_w + gr * og * k, k);
        }
        if (grad_b)
            NAME(add_row_sums)(gy, g->out_channels, p_n, grad_b);
        if (a->grad_x && s == HB_OK) {
            T *gx = a->grad_x + n * image_size;
            T *dcol = col ? col : gx;
            for (int64_t gr = 0; gr < groups && s == HB_OK; gr++)
                s = GEMM(1, 0, k, p_n, og, 1, a->w + gr * og * k, k, gy + gr * og * p_n, p_n, 0,
                         dcol + gr * k * p_n, p_n);
            if (col)
                NAME(col2im_image)(g, col, gx);
        }
        return s;
    }
    case CONV_T_FORWARD: {
        const T *x = a->x + n * column_size;
        T *y = a->y + n * image_size;
        T *dcol = col ? col : y;
        for (int64_t gr = 0; gr < groups && s == HB_OK; gr++)
            s = GEMM(1, 0, k, p_n, og, 1, a->w + gr * og * k, k, x + gr * og * p_n, p_n, 0,
                     dcol + gr * k * p_n, p_n);
        if (col)
            NAME(col2im_image)(g, col, y);
        if (a->bias)
            for (int64_t c = 0; c < g->channels; c++)
                for (int64_t j = 0; j < hw; j++)
                    y[c * hw + j] += a->bias[c];
        return s;
    }
    default: { /* CONV_T_BACKWARD */
        const T *gy = a->grad_y + n * image_size;
        if (grad_b)
            NAME(add_row_sums)(gy, g->channels, hw, grad_b);
        if (!a->grad_x && !grad_w)
            return s;
        const T *cols = col ? col : gy;
        if (col)
            NAME(im2col_image)(g, gy, col);
        if (a->grad_x) {
            T *gx = a->grad_x + n * column_size;
            for (int64_t gr = 0; gr < groups && s == HB_OK; gr++)
                s = GEMM(0, 0, og, p_n, k, 1, a->w + gr * og * k, k, cols + gr * k * p_n, p_n, 0,
                         gx + gr * og * p_n, p_n);
        }
        if (grad_w) {
            const T *x = a->x + n * column_size;
            for (int64_t gr = 0; gr < groups && s == HB_OK; gr++)
                s = GEMM(0, 1, og, k, p_n, 1, x + gr * og * p_n, p_n, cols + gr * k * p_n, p_n, 1,
                         grad_w + gr * og * k, k);
        }
        return s;
    }
    }
}

/* Runs every image of a call, sharing them out between threads when that
 * pays; the weight and bias gradients are summed per thread, then together. */
static int NAME(conv_run)(const struct hb_conv2d_geom *g, int mode,
                          const struct NAME(conv_args) *a) {
    if (!hb_conv2d_geom_valid(g))
        return HB_EINVAL;
    const int backward = mode == CONV_BACKWARD || mode == CONV_T_BACKWARD;
    const int64_t w_size = g->out_channels * (g->channels / g->groups) * g->kernel_h * g->kernel_w;
    const int64_t b_size = mode == CONV_BACKWARD ? g->out_channels : g->channels;
    T *grad_w = backward ? a->grad_w : NULL, *grad_b = backward ? a->grad_b : NULL;
    if (grad_w)
        memset(grad_w, 0, sizeof(T) * w_size);
    if (grad_b)
        memset(grad_b, 0, sizeof(T) * b_size);
    if (g->batch == 0)
        return HB_OK;
    const int needs_col = !is_pointwise(g) && (!backward || grad_w || a->grad_x);
    const int64_t col_size =
        needs_col ? g->channels * g->kernel_h * g->kernel_w * g->out_height * g->out_width : 0;
    const int threads = image_threads(g);
    /* Thread 0 accumulates straight into the outputs; the others get their own. */
    const int64_t acc_size = (grad_w ? w_size : 0) + (grad_b ? b_size : 0);
    const int64_t per_thread = col_size + acc_size;
    T *scratch = NULL;
    if (per_thread * threads > 0) {
        scratch = malloc(sizeof(T) * (size_t)(per_thread * threads));
        if (!scratch)
            return HB_ENOMEM;
    }
    for (int t = 1; t < threads && acc_size; t++)
        memset(scratch + t * per_thread + col_size, 0, sizeof(T) * acc_size);
    int status = HB_OK;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        T *mine = scratch ? scratch + t * per_thread : NULL;
        T *col = col_size ? mine : NULL;
        T *my_w = grad_w, *my_b = grad_b;
        if (t > 0) {
            my_w = grad_w ? mine + col_size : NULL;
            my_b = grad_b ? mine + col_size + (grad_w ? w_size : 0) : NULL;
        }
        if (backward) {
            /* fixed shares: each thread's weight-gradient sum, and so the
             * result, is the same from one call to the next */
            const int64_t n1 = part(g->batch, t + 1, nt);
            for (int64_t n = part(g->batch, t, nt); n < n1; n++) {
                int s = NAME(conv_image)(g, mode, a, n, col, my_w, my_b);
                if (s != HB_OK) {
#pragma omp atomic write
                    status = s;
                }
            }
        } else {
            /* one image at a time: a thread slowed down by another process
             * does not hold the others back */
#pragma omp for schedule(dynamic, 1)
            for (int64_t n = 0; n < g->batch; n++) {
                int s = NAME(conv_image)(g, mode, a, n, col, my_w, my_b);
                if (s != HB_OK) {
#pragma omp atomic write
                    status = s;
                }
            }
        }
    }
    for (int t = 1; t < threads && acc_size; t++) {
        const T *acc = scratch + t * per_thread + col_size;
        if (grad_w)
            for (int64_t i = 0; i < w_size; i++)
                grad_w[i] += acc[i];
        if (grad_b)
            for (int64_t i = 0; i < b_size; i++)
                grad_b[i] += acc[(grad_w ? w_size : 0) + i];
    }
    free(scratch);
    return status;
}

int NAME(hb_conv2d_forward)(const struct hb_conv2d_geom *g, const T *x, const T *w,
                            const T *bias, T *y) {
    if (!hb_conv2d_geom_valid(g))
        return HB_EINVAL;
    if (use_direct(g, 0, 0))
        return DISPATCH(NAME(hb_conv2d_direct_forward), (g, x, w, bias, y, image_threads(g)));
    struct NAME(conv_args) a = {x, w, bias, NULL, y, NULL, NULL, NULL};
    return NAME(conv_run)(g, CONV_FORWARD, &a);
}

int NAME(hb_conv2d_backward)(const struct hb_conv2d_geom *g, const T *x, const T *w,
                             const T *grad_y, T *grad_x, T *grad_w, T *grad_b) {
    if (!hb_conv2d_geom_valid(g))
        return HB_EINVAL;
    if (use_direct(g, 1, grad_x != NULL))
        return DISPATCH(NAME(hb_conv2d_direct_backward),
                        (g, x, w, grad_y, grad_x, grad_w, grad_b, image_threads(g)));
    struct NAME(conv_args) a = {x, w, NULL, grad_y, NULL, grad_x, grad_w, grad_b};
    return NAME(conv_run)(g, CONV_BACKWARD, &a);
}

int NAME(hb_conv_transpose2d_forward)(const struct hb_conv2d_geom *g, const T *x, const T *w,
                                      const T *bias, T *y) {
    struct NAME(conv_args) a = {x, w, bias, NULL, y, NULL, NULL, NULL};
    return NAME(conv_run)(g, CONV_T_FORWARD, &a);
}

int NAME(hb_conv_transpose2d_backward)(const struct hb_conv2d_geom *g, const T *x, const T *w,
                                       const T *grad_y, T *grad_x, T *grad_w, T *grad_b) {
    struct NAME(conv_args) a = {x, w, NULL, grad_y, NULL, grad_x, grad_w, grad_b};
    return NAME(conv_run)(g, CONV_T_BACKWARD, &a);
}

/* unfold and fold: one (image, channel) plane per unit of work. */
int NAME(hb_im2col)(const struct hb_conv2d_geom *g, const T *x, T *col) {
    if (!hb_conv2d_geom_valid(g))
        return HB_EINVAL;
    const int64_t units = g->batch * g->channels, plane = g->height * g->width;
    const int64_t rows = g->kernel_h * g->kernel_w * g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (units > 1 && units * rows >= HB_OMP_MIN_ELEMENTS)
    for (int64_t u = 0; u < units; u++)
        NAME(im2col_channel)(g, x + u * plane, col + u * rows);
    return HB_OK;
}

int NAME(hb_col2im)(const struct hb_conv2d_geom *g, const T *col, T *x) {
    if (!hb_conv2d_geom_valid(g))
        return HB_EINVAL;
    const int64_t units = g->batch * g->channels, plane = g->height * g->width;
    const int64_t rows = g->kernel_h * g->kernel_w * g->out_height * g->out_width;
#pragma omp parallel for schedule(static) if (units > 1 && units * rows >= HB_OMP_MIN_ELEMENTS)
    for (int64_t u = 0; u < units; u++) {
        memset(x + u * plane, 0, sizeof(T) * plane);
        NAME(col2im_channel)(g, col + u * rows, x + u * plane);
    }
    return HB_OK;
}

#undef NAME
#undef GEMM
#undef DISPATCH
