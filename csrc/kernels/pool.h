/* 2-D pooling over the planes of an NCHW tensor (max, average, adaptive).
 *
 * A contiguous input is `planes` planes of height x width (planes = N * C);
 * every output plane is out_height x out_width. Max pooling records, per
 * output, the index within its input plane (ih * width + iw) of the maximum,
 * as PyTorch returns it; backward scatters through those indices, so it also
 * serves adaptive max pooling. Window (oh, ow) of the fixed-size pools starts
 * at (oh * stride_h - pad_h, ow * stride_w - pad_w); the adaptive pools use
 * rows [floor(oh * H / OH), ceil((oh + 1) * H / OH)), likewise columns.
 * Work is split over planes. Functions return HB_EINVAL for an inconsistent
 * geometry.
 */
#ifndef HB_POOL_H
#define HB_POOL_H

#include <stdint.h>

#include "isa.h"

struct hb_pool2d_geom {
    int64_t planes, height, width, out_height, out_width;
    int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
};

/* Whether every window of a fixed-size pool starts inside the padded plane and
 * pad <= kernel / 2 (so no window lies wholly in the padding). */
int hb_pool2d_geom_valid(const struct hb_pool2d_geom *g);

/* y = the window maxima (NaN wins; among equals the first); indices (int64,
 * per output) may be NULL when backward will not need them. */
int hb_max_pool2d_forward_f32(const struct hb_pool2d_geom *g, const float *x, float *y,
                              int64_t *indices);
int hb_max_pool2d_forward_f64(const struct hb_pool2d_geom *g, const double *x, double *y,
                              int64_t *indices);
/* Adaptive max pooling; kernel, stride, pad and dilation are not read. */
int hb_adaptive_max_pool2d_forward_f32(const struct hb_pool2d_geom *g, const float *x, float *y,
                                       int64_t *indices);
int hb_adaptive_max_pool2d_forward_f64(const struct hb_pool2d_geom *g, const double *x,
                                       double *y, int64_t *indices);
/* grad_x = 0, then grad_x[index] += grad_y in each plane. An index outside
 * its plane is skipped: PyTorch records one for a dilated window that holds
 * no input element (its output is -inf, and depends on no input). */
int hb_max_pool2d_backward_f32(const struct hb_pool2d_geom *g, const float *grad_y,
                               const int64_t *indices, float *grad_x);
int hb_max_pool2d_backward_f64(const struct hb_pool2d_geom *g, const double *grad_y,
                               const int64_t *indices, double *grad_x);

/* Average pooling as PyTorch: the divisor is divisor_override when it is
 * positive, else the window's size clipped to the padded plane
 * (count_include_pad) or to the plane itself. */
int hb_avg_pool2d_forward_f32(const struct hb_pool2d_geom *g, const float *x, float *y,
                              int count_include_pad, int64_t divisor_override);
int hb_avg_pool2d_forward_f64(const struct hb_pool2d_geom *g, const double *x, double *y,
                              int count_include_pad, int64_t divisor_override);
int hb_avg_pool2d_backward_f32(const struct hb_pool2d_geom *g, const float *grad_y,
                               float *grad_x, int count_include_pad, int64_t divisor_override);
int hb_avg_pool2d_backward_f64(const struct hb_pool2d_geom *g, const double *grad_y,
                               double *grad_x, int count_include_pad, int64_t divisor_override);

int hb_adaptive_avg_pool2d_forward_f32(const struct hb_pool2d_geom *g, const float *x, float *y);
int hb_adaptive_avg_pool2d_forward_f64(const struct hb_pool2d_geom *g, const double *x,
                                       double *y);
int hb_adaptive_avg_pool2d_backward_f32(const struct hb_pool2d_geom *g, const float *grad_y,
                                        float *grad_x);
int hb_adaptive_avg_pool2d_backward_f64(const struct hb_pool2d_geom *g, const double *grad_y,
                                        double *grad_x);

#endif
