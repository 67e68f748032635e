/* Public entry points of the elementwise arithmetic kernels: argument checks and ISA dispatch. */
#include "binary.h"

#define BINARY_PARAMS(T) \
    (int op, const T *a, int64_t a_stride, const T *b, int64_t b_stride, T *out, int64_t n)
#define BINARY_ARGS (op, a, a_stride, b, b_stride, out, n)

HB_DECLARE_ISA(enum hb_status, hb_binary_f32, BINARY_PARAMS(float))
HB_DECLARE_ISA(enum hb_status, hb_binary_f64, BINARY_PARAMS(double))

static int valid(int op, int64_t a_stride, int64_t b_stride, int64_t n) {
    return op >= 0 && op < HB_BINARY_COUNT && n >= 0 && (a_stride == 0 || a_stride == 1) &&
           (b_stride == 0 || b_stride == 1);
}

enum hb_status hb_binary_f32 BINARY_PARAMS(float) {
    if (!valid(op, a_stride, b_stride, n))
        return HB_EINVAL;
    return HB_DISPATCH(hb_binary_f32, BINARY_ARGS);
}

enum hb_status hb_binary_f64 BINARY_PARAMS(double) {
    if (!valid(op, a_stride, b_stride, n))
        return HB_EINVAL;
    return HB_DISPATCH(hb_binary_f64, BINARY_ARGS);
}
