/* Separable 2-D resampling of the planes of an NCHW tensor (F.interpolate's
 * nearest, linear and bilinear modes).
 *
 * The caller computes, per output row, the source rows and their weights
 * (rows[2 * i], rows[2 * i + 1], row_w[2 * i], row_w[2 * i + 1]), likewise per
 * output column; all indices must lie in the input plane. A NULL weight table
 * makes that axis nearest: only the first index is read, copied unweighted
 * (so an inf is never multiplied by a zero weight). Output element (i, j) is
 * row_w0 * (col_w0 * x[r0, c0] + col_w1 * x[r0, c1]) + row_w1 * (... r1 ...),
 * the order PyTorch's CPU kernel sums in. Backward adds each output's
 * gradient back with the same weights. Work is split over planes.
 */
#ifndef HB_UPSAMPLE_H
#define HB_UPSAMPLE_H

#include <stdint.h>

#include "isa.h"

int hb_upsample2d_forward_f32(const float *x, float *y, int64_t planes, int64_t height,
                              int64_t width, int64_t out_height, int64_t out_width,
                              const int64_t *rows, const float *row_w, const int64_t *cols,
                              const float *col_w);
int hb_upsample2d_forward_f64(const double *x, double *y, int64_t planes, int64_t height,
                              int64_t width, int64_t out_height, int64_t out_width,
                              const int64_t *rows, const double *row_w, const int64_t *cols,
                              const double *col_w);
/* grad_x = 0, then every output's gradient added back to its sources. */
int hb_upsample2d_backward_f32(const float *grad_y, float *grad_x, int64_t planes,
                               int64_t height, int64_t width, int64_t out_height,
                               int64_t out_width, const int64_t *rows, const float *row_w,
                               const int64_t *cols, const float *col_w);
int hb_upsample2d_backward_f64(const double *grad_y, double *grad_x, int64_t planes,
                               int64_t height, int64_t width, int64_t out_height,
                               int64_t out_width, const int64_t *rows, const double *row_w,
                               const int64_t *cols, const double *col_w);

#endif
