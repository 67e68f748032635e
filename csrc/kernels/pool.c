/* 2-D pooling (see pool.h): one plane per unit of work, each output computed
 * from its window in one pass. The loops are plain comparisons and sums over
 * small windows, compiled once; the windows and divisors follow PyTorch's CPU
 * kernels exactly, so the values (and for max pooling the indices, ties and
 * NaN) are the same. */
#include "pool.h"

#include <math.h>
#include <stdint.h>
#include <omp.h>
#include <string.h>

#define HB_POOL_MAX_PARAM ((int64_t)1 << 31)

int hb_pool2d_geom_valid(const struct hb_pool2d_geom *g) {
    const int64_t sizes[] = {g->planes, g->height, g->width, g->out_height, g->out_width,
                             g->pad_h, g->pad_w};
    const int64_t steps[] = {g->kernel_h, g->kernel_w, g->stride_h, g->stride_w,
                             g->dilation_h, g->dilation_w};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        if (sizes[i] < 0 || sizes[i] > HB_POOL_MAX_PARAM)
            return 0;
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] < 1 || steps[i] > HB_POOL_MAX_PARAM)
            return 0;
    /* indices within a plane are kept in 32 bits next to float32 values */
    if (g->height * g->width > INT32_MAX)
        return 0;
    if (2 * g->pad_h > (g->kernel_h - 1) * g->dilation_h + 1 ||
        2 * g->pad_w > (g->kernel_w - 1) * g->dilation_w + 1)
        return 0;
    if (g->out_height > 0 && (g->out_height - 1) * g->stride_h - g->pad_h >= g->height)
        return 0;
    if (g->out_width > 0 && (g->out_width - 1) * g->stride_w - g->pad_w >= g->width)
        return 0;
    return 1;
}

static int adaptive_geom_valid(const struct hb_pool2d_geom *g) {
    if (g->planes < 0 || g->height < 0 || g->width < 0 || g->out_height < 0 || g->out_width < 0)
        return 0;
    /* every output needs a non-empty window */
    return (g->out_height == 0 || g->height > 0) && (g->out_width == 0 || g->width > 0);
}

/* Whether a call over `planes` planes of `plane` elements is worth threading. */
static int pool_parallel(const struct hb_pool2d_geom *g, int64_t plane) {
    return g->planes > 1 && g->planes * plane >= HB_OMP_MIN_ELEMENTS;
}

/* Outputs [lo, hi) (of the first `windows`) whose tap at offset `first` from
 * the row start (first + ow * stride) lands inside [0, size). */
static void tap_range(int64_t first, int64_t stride, int64_t size, int64_t windows, int64_t *lo,
                      int64_t *hi) {
    int64_t a = first >= 0 ? 0 : (-first + stride - 1) / stride;
    int64_t b = first > size - 1 ? 0 : (size - 1 - first) / stride + 1;
    a = a < windows ? a : windows;
    b = b < windows ? b : windows;
    *lo = a;
    *hi = b > a ? b : a;
}

/* Outputs of one row handled together by the general max pooling loop. */
#define HB_POOL_BLOCK 256

static int64_t adaptive_start(int64_t i, int64_t in, int64_t out) { return (i * in) / out; }

static int64_t adaptive_end(int64_t i, int64_t in, int64_t out) {
    return ((i + 1) * in + out - 1) / out;
}

/* UT and IT: the unsigned and signed integers of T's width (masks, indices). */
#define T float
#define UT uint32_t
#define IT int32_t
#define SFX f32
#include "pool_typed.h"
#undef T
#undef UT
#undef IT
#undef SFX

#define T double
#define UT uint64_t
#define IT int64_t
#define SFX f64
#include "pool_typed.h"
#undef T
#undef UT
#undef IT
#undef SFX
