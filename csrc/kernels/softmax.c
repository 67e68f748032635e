/* Public entry points of the softmax kernels: argument checks and ISA dispatch. */
#include "softmax.h"

HB_DECLARE_ISA(enum hb_status, hb_softmax_forward_f32,
               (const float *restrict x, float *restrict y, int64_t outer, int64_t n, int64_t inner,
                int log_softmax))
HB_DECLARE_ISA(enum hb_status, hb_softmax_forward_f64,
               (const double *restrict x, double *restrict y, int64_t outer, int64_t n,
                int64_t inner, int log_softmax))
HB_DECLARE_ISA(enum hb_status, hb_softmax_backward_f32,
               (const float *restrict grad_out, const float *restrict y, float *restrict grad_in,
                int64_t outer, int64_t n, int64_t inner, int log_softmax))
HB_DECLARE_ISA(enum hb_status, hb_softmax_backward_f64,
               (const double *restrict grad_out, const double *restrict y, double *restrict grad_in,
                int64_t outer, int64_t n, int64_t inner, int log_softmax))

static int valid(int64_t outer, int64_t n, int64_t inner) {
    return outer >= 0 && n >= 0 && inner >= 0;
}

enum hb_status hb_softmax_forward_f32(const float *restrict x, float *restrict y, int64_t outer,
                                      int64_t n, int64_t inner, int log_softmax) {
    if (!valid(outer, n, inner))
        return HB_EINVAL;
    return HB_DISPATCH(hb_softmax_forward_f32, (x, y, outer, n, inner, log_softmax));
}

enum hb_status hb_softmax_forward_f64(const double *restrict x, double *restrict y, int64_t outer,
                                      int64_t n, int64_t inner, int log_softmax) {
    if (!valid(outer, n, inner))
        return HB_EINVAL;
    return HB_DISPATCH(hb_softmax_forward_f64, (x, y, outer, n, inner, log_softmax));
}

enum hb_status hb_softmax_backward_f32(const float *restrict grad_out, const float *restrict y,
                                       float *restrict grad_in, int64_t outer, int64_t n,
                                       int64_t inner, int log_softmax) {
    if (!valid(outer, n, inner))
        return HB_EINVAL;
    return HB_DISPATCH(hb_softmax_backward_f32, (grad_out, y, grad_in, outer, n, inner, log_softmax));
}

enum hb_status hb_softmax_backward_f64(const double *restrict grad_out, const double *restrict y,
                                       double *restrict grad_in, int64_t outer, int64_t n,
                                       int64_t inner, int log_softmax) {
    if (!valid(outer, n, inner))
        return HB_EINVAL;
    return HB_DISPATCH(hb_softmax_backward_f64, (grad_out, y, grad_in, outer, n, inner, log_softmax));
}
