/* 2-D convolution, transposed convolution, im2col and col2im (NCHW, contiguous).
 *
 * One geometry describes a convolution from an image (channels x height x
 * width) to columns (out_channels x out_height x out_width): window (oh, ow)
 * of the image starts at (oh * stride_h - pad_h, ow * stride_w - pad_w) and
 * its taps are dilation apart; taps in the padding read zero. The weight is
 * (out_channels, channels / groups, kernel_h, kernel_w). A transposed
 * convolution is the same geometry read backwards: its output is the image
 * and its input the columns, its weight (in_channels, out_channels / groups,
 * kernel_h, kernel_w) is the geometry's weight as stored.
 *
 * Stride-1 convolutions (forward and backward) run the direct kernels of
 * isa/conv_direct.c, which never build the column matrix. The others, and
 * transposed convolutions, send every product to the GEMM (gemm.h) one image
 * at a time through an im2col buffer (skipped for 1x1 kernels with stride 1
 * and no padding, whose image already is the column matrix); each thread holds
 * one column buffer, and backward reuses it for the gradient of the columns.
 * Images are shared out between threads when the batch can keep them busy,
 * otherwise the GEMM threads itself. Functions return HB_EINVAL for an
 * inconsistent geometry, HB_ENOMEM when the scratch buffers cannot be
 * allocated.
 */
#ifndef HB_CONV_H
#define HB_CONV_H

#include <stdint.h>

#include "isa.h"

struct hb_conv2d_geom {
    int64_t batch;
    int64_t channels, height, width;             /* the image */
    int64_t out_channels, out_height, out_width; /* the columns */
    int64_t kernel_h, kernel_w;
    int64_t stride_h, stride_w;
    int64_t pad_h, pad_w;
    int64_t dilation_h, dilation_w;
    int64_t groups;
};

/* Whether the geometry is consistent: positive kernel, stride and dilation,
 * non-negative sizes and padding, groups dividing both channel counts, and
 * every window (out_height x out_width of them) starting inside the padded
 * image. A transposed convolution's output_padding can leave image rows that
 * no window reaches, so fewer windows than fit are allowed. */
int hb_conv2d_geom_valid(const struct hb_conv2d_geom *g);

/* col (batch, channels * kernel_h * kernel_w, out_height * out_width) = the
 * windows of x (batch, channels, height, width): F.unfold. */
int hb_im2col_f32(const struct hb_conv2d_geom *g, const float *x, float *col);
int hb_im2col_f64(const struct hb_conv2d_geom *g, const double *x, double *col);

/* x = the sum of the windows in col back into the image (F.fold): overwrites x. */
int hb_col2im_f32(const struct hb_conv2d_geom *g, const float *col, float *x);
int hb_col2im_f64(const struct hb_conv2d_geom *g, const double *col, double *x);

/* y (batch, out_channels, out_height, out_width) = conv2d(x, w) + bias; bias may be NULL. */
int hb_conv2d_forward_f32(const struct hb_conv2d_geom *g, const float *x, const float *w,
                          const float *bias, float *y);
int hb_conv2d_forward_f64(const struct hb_conv2d_geom *g, const double *x, const double *w,
                          const double *bias, double *y);

/* The gradients of conv2d from grad_y: any of grad_x, grad_w, grad_b may be
 * NULL (not computed); x is read only for grad_w, w only for grad_x. */
int hb_conv2d_backward_f32(const struct hb_conv2d_geom *g, const float *x, const float *w,
                           const float *grad_y, float *grad_x, float *grad_w, float *grad_b);
int hb_conv2d_backward_f64(const struct hb_conv2d_geom *g, const double *x, const double *w,
                           const double *grad_y, double *grad_x, double *grad_w,
                           double *grad_b);

/* Transposed convolution: x is the columns (batch, out_channels, out_height,
 * out_width), y the image (batch, channels, height, width); bias (channels)
 * may be NULL. */
int hb_conv_transpose2d_forward_f32(const struct hb_conv2d_geom *g, const float *x,
                                    const float *w, const float *bias, float *y);
int hb_conv_transpose2d_forward_f64(const struct hb_conv2d_geom *g, const double *x,
                                    const double *w, const double *bias, double *y);
int hb_conv_transpose2d_backward_f32(const struct hb_conv2d_geom *g, const float *x,
                                     const float *w, const float *grad_y, float *grad_x,
                                     float *grad_w, float *grad_b);
int hb_conv_transpose2d_backward_f64(const struct hb_conv2d_geom *g, const double *x,
                                     const double *w, const double *grad_y, double *grad_x,
                                     double *grad_w, double *grad_b);

#endif
