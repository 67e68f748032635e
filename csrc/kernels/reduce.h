/* Reductions over one axis of a C-contiguous array viewed as (outer, n, inner):
 * out[o, j] = reduce over k of x[o, k, j]; out is C-contiguous (outer, inner).
 *
 * sum and mean accumulate in double, pairwise over blocks, so a long float32
 * sum is as accurate as numpy's. mean over n == 0 is NaN, sum over n == 0 is 0.
 * max/min write the first index of the extreme; a NaN wins (the first one), as
 * in torch.max/torch.min. indices may be NULL; n must be > 0 unless
 * outer * inner == 0. */
#ifndef HB_REDUCE_H
#define HB_REDUCE_H

#include <stdint.h>
#include "isa.h"

enum hb_status hb_reduce_sum_f32(const float *x, float *out, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_sum_f64(const double *x, double *out, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_mean_f32(const float *x, float *out, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_mean_f64(const double *x, double *out, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_max_f32(const float *x, float *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_max_f64(const double *x, double *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_min_f32(const float *x, float *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner);
enum hb_status hb_reduce_min_f64(const double *x, double *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner);

/* Columns of the inner axis one strided call handles: the accumulators for
 * them live on the stack. */
#define HB_REDUCE_COLUMNS 64

#endif
