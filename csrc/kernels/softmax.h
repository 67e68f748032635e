/* Softmax and log-softmax over one dimension.
 *
 * A contiguous array is viewed as (outer, n, inner) with the softmax taken
 * over n: element (o, k, i) sits at (o * n + k) * inner + i. Backward needs
 * only the forward's output y, never its input.
 */
#ifndef HB_SOFTMAX_H
#define HB_SOFTMAX_H

#include <stdint.h>
#include "isa.h"

/* y = softmax(x) (or log_softmax when log != 0) over the middle dimension. */
enum hb_status hb_softmax_forward_f32(const float *restrict x, float *restrict y, int64_t outer,
                                      int64_t n, int64_t inner, int log_softmax);
enum hb_status hb_softmax_forward_f64(const double *restrict x, double *restrict y, int64_t outer,
                                      int64_t n, int64_t inner, int log_softmax);

/* softmax: grad_in = y * (grad_out - sum(grad_out * y));
 * log_softmax: grad_in = grad_out - exp(y) * sum(grad_out); sums over n. */
enum hb_status hb_softmax_backward_f32(const float *restrict grad_out, const float *restrict y,
                                       float *restrict grad_in, int64_t outer, int64_t n,
                                       int64_t inner, int log_softmax);
enum hb_status hb_softmax_backward_f64(const double *restrict grad_out, const double *restrict y,
                                       double *restrict grad_in, int64_t outer, int64_t n,
                                       int64_t inner, int log_softmax);

#endif
