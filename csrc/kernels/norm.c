/* Public entry points of the normalization kernels: argument checks and ISA dispatch. */
#include "norm.h"

#define HB_DECLARE_NORM_ISA(T, SFX)                                                                 \
    HB_DECLARE_ISA(enum hb_status, hb_batch_norm_forward_##SFX,                                     \
                   (const T *x, T *y, int64_t n, int64_t c, int64_t s, const T *weight,             \
                    const T *bias, T *mean, T *invstd, T *running_mean, T *running_var,             \
                    double momentum, double eps, int training))                                     \
    HB_DECLARE_ISA(enum hb_status, hb_batch_norm_backward_##SFX,                                    \
                   (const T *grad_y, const T *x, const T *mean, const T *invstd, const T *weight,   \
                    int64_t n, int64_t c, int64_t s, T *grad_x, T *grad_w, T *grad_b,               \
                    int training))                                                                  \
    HB_DECLARE_ISA(enum hb_status, hb_group_norm_forward_##SFX,                                     \
                   (const T *x, T *y, int64_t n, int64_t groups, int64_t cg, int64_t s,             \
                    const T *weight, const T *bias, double eps, T *mean, T *rstd))                  \
    HB_DECLARE_ISA(enum hb_status, hb_group_norm_backward_##SFX,                                    \
                   (const T *grad_y, const T *x, const T *mean, const T *rstd, const T *weight,     \
                    int64_t n, int64_t groups, int64_t cg, int64_t s, T *grad_x, T *grad_w,         \
                    T *grad_b))
HB_DECLARE_NORM_ISA(float, f32)
HB_DECLARE_NORM_ISA(double, f64)

static int bad_sizes(int64_t a, int64_t b, int64_t c) { return a < 0 || b < 0 || c < 0; }

/* Training needs elements to take statistics of; evaluation needs the running ones. */
static int bad_batch_norm(int64_t n, int64_t c, int64_t s, const void *mean, const void *invstd,
                          const void *running_mean, const void *running_var, int training) {
    if (bad_sizes(n, c, s) || !mean || !invstd)
        return 1;
    if (training)
        return c > 0 && n * s == 0;
    return !running_mean || !running_var;
}

#define HB_NORM_ENTRY_POINTS(T, SFX)                                                                \
    enum hb_status hb_batch_norm_forward_##SFX(                                                     \
        const T *x, T *y, int64_t n, int64_t c, int64_t s, const T *weight, const T *bias,          \
        T *mean, T *invstd, T *running_mean, T *running_var, double momentum, double eps,           \
        int training) {                                                                             \
        if (bad_batch_norm(n, c, s, mean, invstd, running_mean, running_var, training))             \
            return HB_EINVAL;                                                                       \
        return HB_DISPATCH(hb_batch_norm_forward_##SFX,                                             \
                           (x, y, n, c, s, weight, bias, mean, invstd, running_mean, running_var,   \
                            momentum, eps, training));                                              \
    }                                                                                               \
    enum hb_status hb_batch_norm_backward_##SFX(                                                    \
        const T *grad_y, const T *x, const T *mean, const T *invstd, const T *weight, int64_t n,    \
        int64_t c, int64_t s, T *grad_x, T *grad_w, T *grad_b, int training) {                      \
        if (bad_sizes(n, c, s))                                                                     \
            return HB_EINVAL;                                                                       \
        return HB_DISPATCH(hb_batch_norm_backward_##SFX, (grad_y, x, mean, invstd, weight, n, c, s, \
                                                          grad_x, grad_w, grad_b, training));       \
    }                                                                                               \
    enum hb_status hb_group_norm_forward_##SFX(const T *x, T *y, int64_t n, int64_t groups,         \
                                               int64_t cg, int64_t s, const T *weight,              \
                                               const T *bias, double eps, T *mean, T *rstd) {       \
        if (bad_sizes(n, groups, cg) || s < 0 || (n * groups > 0 && cg * s == 0))                   \
            return HB_EINVAL;                                                                       \
        return HB_DISPATCH(hb_group_norm_forward_##SFX,                                             \
                           (x, y, n, groups, cg, s, weight, bias, eps, mean, rstd));                \
    }                                                                                               \
    enum hb_status hb_group_norm_backward_##SFX(                                                    \
        const T *grad_y, const T *x, const T *mean, const T *rstd, const T *weight, int64_t n,      \
        int64_t groups, int64_t cg, int64_t s, T *grad_x, T *grad_w, T *grad_b) {                   \
        if (bad_sizes(n, groups, cg) || s < 0)                                                      \
            return HB_EINVAL;                                                                       \
        return HB_DISPATCH(hb_group_norm_backward_##SFX, (grad_y, x, mean, rstd, weight, n, groups, \
                                                          cg, s, grad_x, grad_w, grad_b));          \
    }
HB_NORM_ENTRY_POINTS(float, f32)
HB_NORM_ENTRY_POINTS(double, f64)
