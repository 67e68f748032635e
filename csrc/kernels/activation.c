/* Public entry points of the activation kernels: argument checks and ISA dispatch. */
#include "activation.h"

HB_DECLARE_ISA(enum hb_status, hb_unary_forward_f32,
               (int op, const float *restrict x, float *restrict y, int64_t n, double p1, double p2))
HB_DECLARE_ISA(enum hb_status, hb_unary_forward_f64,
               (int op, const double *restrict x, double *restrict y, int64_t n, double p1, double p2))
HB_DECLARE_ISA(enum hb_status, hb_unary_backward_f32,
               (int op, const float *restrict grad_out, const float *restrict saved,
                float *restrict grad_in, int64_t n, double p1, double p2))
HB_DECLARE_ISA(enum hb_status, hb_unary_backward_f64,
               (int op, const double *restrict grad_out, const double *restrict saved,
                double *restrict grad_in, int64_t n, double p1, double p2))

static int valid(int op, int64_t n) { return op >= 0 && op < HB_UNARY_COUNT && n >= 0; }

enum hb_status hb_unary_forward_f32(int op, const float *restrict x, float *restrict y, int64_t n,
                                    double p1, double p2) {
    if (!valid(op, n))
        return HB_EINVAL;
    return HB_DISPATCH(hb_unary_forward_f32, (op, x, y, n, p1, p2));
}

enum hb_status hb_unary_forward_f64(int op, const double *restrict x, double *restrict y, int64_t n,
                                    double p1, double p2) {
    if (!valid(op, n))
        return HB_EINVAL;
    return HB_DISPATCH(hb_unary_forward_f64, (op, x, y, n, p1, p2));
}

enum hb_status hb_unary_backward_f32(int op, const float *restrict grad_out,
                                     const float *restrict saved, float *restrict grad_in,
                                     int64_t n, double p1, double p2) {
    if (!valid(op, n))
        return HB_EINVAL;
    return HB_DISPATCH(hb_unary_backward_f32, (op, grad_out, saved, grad_in, n, p1, p2));
}

enum hb_status hb_unary_backward_f64(int op, const double *restrict grad_out,
                                     const double *restrict saved, double *restrict grad_in,
                                     int64_t n, double p1, double p2) {
    if (!valid(op, n))
        return HB_EINVAL;
    return HB_DISPATCH(hb_unary_backward_f64, (op, grad_out, saved, grad_in, n, p1, p2));
}
