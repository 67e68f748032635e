/* Normalization layers: batch norm over (n, c, s) and group norm over
 * (n, groups, cg, s), which with one group and s == 1 is layer norm.
 *
 * Batch norm normalizes each channel c over its n * s elements. Training
 * computes the batch mean and biased variance (shifted single pass, summed in
 * double), writes mean and invstd = 1 / sqrt(var + eps) for backward, and
 * updates the running statistics when given: running = (1 - momentum) *
 * running + momentum * batch, the variance unbiased (n * s / (n * s - 1)).
 * Evaluation normalizes with the running statistics, and writes them as mean
 * and invstd so that backward is the same call. weight and bias may be NULL
 * (no affine transform). Each channel is one unit of work: its statistics and
 * its normalization run back to back, while its elements are still in cache.
 *
 * Group norm normalizes each row of cg * s elements (rows = n * groups), two
 * passes over the row (mean, then squared deviations); mean and rstd are per
 * row. The weight and bias are per channel (groups * cg of them), channel
 * g * cg + j covering elements [j * s, (j + 1) * s) of row (i, g).
 */
#ifndef HB_NORM_H
#define HB_NORM_H

#include <stdint.h>

#include "isa.h"

enum hb_status hb_batch_norm_forward_f32(const float *x, float *y, int64_t n, int64_t c, int64_t s,
                                         const float *weight, const float *bias, float *mean,
                                         float *invstd, float *running_mean, float *running_var,
                                         double momentum, double eps, int training);
enum hb_status hb_batch_norm_forward_f64(const double *x, double *y, int64_t n, int64_t c,
                                         int64_t s, const double *weight, const double *bias,
                                         double *mean, double *invstd, double *running_mean,
                                         double *running_var, double momentum, double eps,
                                         int training);

/* Any of grad_x, grad_w, grad_b may be NULL. With `training`, grad_x carries
 * the terms through the batch statistics; without, the statistics are
 * constants (evaluation mode). */
enum hb_status hb_batch_norm_backward_f32(const float *grad_y, const float *x, const float *mean,
                                          const float *invstd, const float *weight, int64_t n,
                                          int64_t c, int64_t s, float *grad_x, float *grad_w,
                                          float *grad_b, int training);
enum hb_status hb_batch_norm_backward_f64(const double *grad_y, const double *x,
                                          const double *mean, const double *invstd,
                                          const double *weight, int64_t n, int64_t c, int64_t s,
                                          double *grad_x, double *grad_w, double *grad_b,
                                          int training);

enum hb_status hb_group_norm_forward_f32(const float *x, float *y, int64_t n, int64_t groups,
                                         int64_t cg, int64_t s, const float *weight,
                                         const float *bias, double eps, float *mean, float *rstd);
enum hb_status hb_group_norm_forward_f64(const double *x, double *y, int64_t n, int64_t groups,
                                         int64_t cg, int64_t s, const double *weight,
                                         const double *bias, double eps, double *mean,
                                         double *rstd);
enum hb_status hb_group_norm_backward_f32(const float *grad_y, const float *x, const float *mean,
                                          const float *rstd, const float *weight, int64_t n,
                                          int64_t groups, int64_t cg, int64_t s, float *grad_x,
                                          float *grad_w, float *grad_b);
enum hb_status hb_group_norm_backward_f64(const double *grad_y, const double *x,
                                          const double *mean, const double *rstd,
                                          const double *weight, int64_t n, int64_t groups,
                                          int64_t cg, int64_t s, double *grad_x, double *grad_w,
                                          double *grad_b);

#endif
