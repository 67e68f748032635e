/* Elementwise activations: one op code table, forward and backward kernels.
 *
 * Backward takes the tensor the op saves (hb_unary_saves_output): the output
 * where the formula can be written in terms of it, the input otherwise.
 * p1 and p2 are the op's parameters, always given explicitly (the Python layer
 * supplies PyTorch's defaults).
 */
#ifndef HB_ACTIVATION_H
#define HB_ACTIVATION_H

#include <stdint.h>
#include "isa.h"

enum hb_unary_op {
    HB_UNARY_RELU = 0,       /* saves output */
    HB_UNARY_LEAKY_RELU,     /* p1 = negative_slope; saves input */
    HB_UNARY_SIGMOID,        /* saves output */
    HB_UNARY_TANH,           /* saves output */
    HB_UNARY_GELU,           /* exact (erf); saves input */
    HB_UNARY_GELU_TANH,      /* tanh approximation; saves input */
    HB_UNARY_ELU,            /* p1 = alpha; saves input */
    HB_UNARY_SILU,           /* saves input */
    HB_UNARY_SOFTPLUS,       /* p1 = beta, p2 = threshold; saves input */
    HB_UNARY_HARDTANH,       /* p1 = min_val, p2 = max_val; saves input */
    HB_UNARY_COUNT
};

/* y = op(x), n elements. */
enum hb_status hb_unary_forward_f32(int op, const float *restrict x, float *restrict y, int64_t n,
                                    double p1, double p2);
enum hb_status hb_unary_forward_f64(int op, const double *restrict x, double *restrict y, int64_t n,
                                    double p1, double p2);

/* grad_in = dL/dx from grad_out = dL/dy and the saved tensor (x or y). */
enum hb_status hb_unary_backward_f32(int op, const float *restrict grad_out,
                                     const float *restrict saved, float *restrict grad_in,
                                     int64_t n, double p1, double p2);
enum hb_status hb_unary_backward_f64(int op, const double *restrict grad_out,
                                     const double *restrict saved, double *restrict grad_in,
                                     int64_t n, double p1, double p2);

#endif
