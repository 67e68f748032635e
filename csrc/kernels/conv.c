/* Convolution through im2col/col2im and the GEMM (see conv.h). The loops that
 * build and scatter the column matrix are copies and adds; the arithmetic is
 * in the GEMM, which carries the per-instruction-set code. */
#include "conv.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"

/* Total GEMM work (m * n * k summed over the batch) below which a call stays
 * on one thread, as in the GEMM itself. */
#define HB_CONV_OMP_MIN_WORK ((double)(1 << 20))
/* Work per image above which one image's products are big enough for the GEMM
 * to thread on its own: then a batch smaller than the thread count runs image
 * after image with a threaded GEMM instead of leaving threads idle. */
#define HB_CONV_IMAGE_WORK ((double)(1 << 23))

/* How many windows of `kernel` taps fit along one side. */
static int64_t conv_windows(int64_t size, int64_t pad, int64_t dilation, int64_t kernel,
                            int64_t stride) {
    int64_t span = size + 2 * pad - dilation * (kernel - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

/* Large enough for any real tensor, small enough that no product of two overflows. */
#define HB_CONV_MAX_PARAM ((int64_t)1 << 31)

int hb_conv2d_geom_valid(const struct hb_conv2d_geom *g) {
    const int64_t sizes[] = {g->batch, g->channels, g->height, g->width, g->out_channels,
                             g->out_height, g->out_width, g->pad_h, g->pad_w};
    const int64_t steps[] = {g->kernel_h, g->kernel_w, g->stride_h, g->stride_w,
                             g->dilation_h, g->dilation_w, g->groups};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        if (sizes[i] < 0 || sizes[i] > HB_CONV_MAX_PARAM)
            return 0;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] < 1 || steps[i] > HB_CONV_MAX_PARAM)
            return 0;
    if (g->channels % g->groups || g->out_channels % g->groups)
        return 0;
    return g->out_height <= conv_windows(g->height, g->pad_h, g->dilation_h, g->kernel_h,
                                         g->stride_h) &&
           g->out_width <= conv_windows(g->width, g->pad_w, g->dilation_w, g->kernel_w,
                                        g->stride_w);
}

/* Windows [lo, hi) along a row whose tap at offset `first` from the row start
 * (first + ow * stride) lands inside [0, size); the rest read padding. */
static void tap_range(int64_t first, int64_t stride, int64_t size, int64_t windows, int64_t *lo,
                      int64_t *hi) {
    int64_t a = first >= 0 ? 0 : (-first + stride - 1) / stride;
    int64_t b = first > size - 1 ? 0 : (size - 1 - first) / stride + 1;
    a = a < windows ? a : windows;
    b = b < windows ? b : windows;
    *lo = a;
    *hi = b > a ? b : a;
}

/* A 1x1 kernel with stride 1 and no padding: the image is its own column matrix. */
static int is_pointwise(const struct hb_conv2d_geom *g) {
    return g->kernel_h == 1 && g->kernel_w == 1 && g->stride_h == 1 && g->stride_w == 1 &&
           g->pad_h == 0 && g->pad_w == 0 && g->out_height == g->height &&
           g->out_width == g->width;
}

/* Threads to share the images out over; 1 runs them in turn, each GEMM then
 * deciding its own threads. */
static int image_threads(const struct hb_conv2d_geom *g) {
    if (g->batch < 2 || omp_in_parallel())
        return 1;
    int max = omp_get_max_threads();
    double per_image = (double)g->out_channels * (double)(g->channels / g->groups) *
                       (double)(g->kernel_h * g->kernel_w) *
                       (double)(g->out_height * g->out_width);
    if (max < 2 || per_image * (double)g->batch < HB_CONV_OMP_MIN_WORK)
        return 1;
    if (g->batch < max && per_image >= HB_CONV_IMAGE_WORK)
        return 1;
    return g->batch < max ? (int)g->batch : max;
}

/* Thread t of nt gets items [part(total, t, nt), part(total, t + 1, nt)). */
static int64_t part(int64_t total, int t, int nt) {
    return (total / nt) * t + (t < total % nt ? t : total % nt);
}

enum conv_mode { CONV_FORWARD, CONV_BACKWARD, CONV_T_FORWARD, CONV_T_BACKWARD };

/* The direct kernels for stride 1 (isa/conv_direct.c). */
HB_DECLARE_ISA(int, hb_conv2d_direct_forward_f32,
               (const struct hb_conv2d_geom *g, const float *x, const float *w, const float *bias,
                float *y, int threads))
HB_DECLARE_ISA(int, hb_conv2d_direct_forward_f64,
               (const struct hb_conv2d_geom *g, const double *x, const double *w,
                const double *bias, double *y, int threads))
HB_DECLARE_ISA(int, hb_conv2d_direct_backward_f32,
               (const struct hb_conv2d_geom *g, const float *x, const float *w,
                const float *grad_y, float *grad_x, float *grad_w, float *grad_b, int threads))
HB_DECLARE_ISA(int, hb_conv2d_direct_backward_f64,
               (const struct hb_conv2d_geom *g, const double *x, const double *w,
                const double *grad_y, double *grad_x, double *grad_w, double *grad_b,
                int threads))

/* Weight gradients above this many elements (4 MB in float32) stay on the
 * GEMM path: the direct kernel adds each image's gradient into the whole
 * array, which then no longer fits in cache. */
#define HB_CONV_DIRECT_MAX_WEIGHTS ((double)(1 << 20))

/* Whether a convolution (not transposed) takes the direct stride-1 kernels
 * rather than im2col + GEMM. Measured on one thread (3x3, padding 1): the
 * LeNet layer 16 -> 32 on 32 x 14x14 takes 0.70 ms forward and 1.5 ms
 * backward direct against 1.7 and 3.8 through im2col + GEMM; 64 -> 64 to
 * 256 -> 256 channels are faster direct both ways (backward 4.0 against 6.5
 * ms at 64 channels on 8 x 16x16); 512 -> 512 channels on 4 x 8x8 are still
 * faster forward (20 against 23 ms) but slower backward (47 against 38 ms).
 * A 1x1 kernel needs no column matrix, so the GEMM takes it; so does a batch
 * too small to keep every thread on its own image, where the GEMM's own
 * threads do better. The input gradient needs the output gradient padded by
 * dilation * (kernel - 1) - pad, so pad may not exceed that when it is asked
 * for. */
static int use_direct(const struct hb_conv2d_geom *g, int backward, int want_grad_x) {
    if (g->stride_h != 1 || g->stride_w != 1 || is_pointwise(g) || g->channels == 0 ||
        g->out_channels == 0 || g->out_height == 0 || g->out_width == 0 || g->batch == 0)
        return 0;
    if (want_grad_x && (g->pad_h > g->dilation_h * (g->kernel_h - 1) ||
                        g->pad_w > g->dilation_w * (g->kernel_w - 1)))
        return 0;
    const double weights = (double)g->out_channels * (double)(g->channels / g->groups) *
                           (double)(g->kernel_h * g->kernel_w);
    if (backward && weights > HB_CONV_DIRECT_MAX_WEIGHTS)
        return 0;
    return image_threads(g) > 1 || g->batch >= omp_get_max_threads() ||
           weights * (double)(g->out_height * g->out_width) < HB_CONV_IMAGE_WORK;
}

#define T float
#define SFX f32
#include "conv_typed.h"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "conv_typed.h"
#undef T
#undef SFX
