/* Fused optimizer steps: argument checks, per-tensor factors, and the split
 * of all tensors' elements across threads. The element loops are per
 * instruction set (isa/optim_impl.h).
 *
 * The tensors are treated as one concatenated range of elements: each thread
 * takes an equal slice of it (cut at multiples of 16 elements, so threads do
 * not share cache lines) and walks the tensors that overlap its slice. Below
 * HB_OMP_MIN_ELEMENTS in total the whole step runs on the calling thread,
 * which is what keeps a small model's step cheap. */
#include <math.h>
#include <omp.h>
#include "optim.h"

#define HB_DECLARE_OPTIM_ISA(T, suffix)                                                                      \
    HB_DECLARE_ISA(void, hb_sgd_update_##suffix,                                                            \
                   (T *restrict param, const T *restrict grad, T *restrict buf, int64_t n,                  \
                    const struct hb_sgd_options *opt))                                                      \
    HB_DECLARE_ISA(void, hb_adam_update_##suffix,                                                           \
                   (T *restrict param, const T *restrict grad, T *restrict exp_avg, T *restrict exp_avg_sq, \
                    T *restrict max_exp_avg_sq, int64_t n, const struct hb_adam_factors *f))
HB_DECLARE_OPTIM_ISA(float, f32)
HB_DECLARE_OPTIM_ISA(double, f64)

#define HB_SPLIT_ALIGN 16

/* Where thread t of nt starts in [0, total). */
static inline int64_t hb_cut(int64_t total, int t, int nt) {
    if (t >= nt)
        return total;
    const int64_t at = (total / nt) * t + (t < total % nt ? t : total % nt);
    return at - at % HB_SPLIT_ALIGN;
}

static int64_t hb_total(const int64_t *sizes, int64_t count) {
    int64_t total = 0;
    for (int64_t i = 0; i < count; i++) {
        if (sizes[i] < 0)
            return -1;
        total += sizes[i];
    }
    return total;
}

/* Runs `update` (which sees i, the tensor; lo, the first element; len) over
 * this thread's share of every tensor. */
#define HB_FOR_EACH_SEGMENT(sizes, count, total, update)                                             \
    HB_OMP_REGION(total >= HB_OMP_MIN_ELEMENTS,                                                      \
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();                              \
        const int64_t begin = hb_cut(total, t, nt), end = hb_cut(total, t + 1, nt);                  \
        int64_t offset = 0;                                                                          \
        for (int64_t i = 0; i < (count) && offset < end; offset += (sizes)[i], i++) {                \
            const int64_t from = begin > offset ? begin : offset;                                    \
            const int64_t to = end < offset + (sizes)[i] ? end : offset + (sizes)[i];                \
            if (from < to) {                                                                         \
                const int64_t lo = from - offset, len = to - from;                                   \
                update;                                                                              \
            }                                                                                        \
        })

#define HB_DEFINE_SGD(T, suffix)                                                                                \
    enum hb_status hb_sgd_step_##suffix(T *const *params, const T *const *grads, T *const *momentum_buffers,    \
                                        const int64_t *sizes, int64_t count, const struct hb_sgd_options *opt) { \
        if (count <= 0)                                                                                         \
            return count == 0 ? HB_OK : HB_EINVAL;                                                              \
        const int64_t total = hb_total(sizes, count);                                                           \
        if (total < 0 || !params || !grads || !opt || (opt->momentum != 0) != (momentum_buffers != 0))          \
            return HB_EINVAL;                                                                                   \
        HB_FOR_EACH_SEGMENT(sizes, count, total,                                                                \
                            HB_DISPATCH(hb_sgd_update_##suffix,                                                 \
                                        (params[i] + lo, grads[i] + lo,                                         \
                                         momentum_buffers ? momentum_buffers[i] + lo : 0, len, opt)));          \
        return HB_OK;                                                                                           \
    }

static struct hb_adam_factors hb_adam_factors_for(const struct hb_adam_options *opt, int64_t step) {
    struct hb_adam_factors f;
    const double bias_correction1 = 1.0 - pow(opt->beta1, (double)step);
    const double bias_correction2 = 1.0 - pow(opt->beta2, (double)step);
    f.lerp_weight = 1.0 - opt->beta1;
    f.beta2 = opt->beta2;
    f.one_minus_beta2 = 1.0 - opt->beta2;
    f.weight_decay = opt->weight_decay;
    f.decay = 1.0 - opt->lr * opt->weight_decay;
    f.bias_correction2_sqrt = sqrt(bias_correction2);
    f.neg_step_size = -(opt->lr / bias_correction1);
    f.eps = opt->eps;
    f.amsgrad = opt->amsgrad;
    f.maximize = opt->maximize;
    f.decoupled_weight_decay = opt->decoupled_weight_decay;
    return f;
}

#define HB_DEFINE_ADAM(T, suffix)                                                                              \
    enum hb_status hb_adam_step_##suffix(T *const *params, const T *const *grads, T *const *exp_avgs,          \
                                         T *const *exp_avg_sqs, T *const *max_exp_avg_sqs, const int64_t *sizes, \
                                         const int64_t *steps, int64_t count, const struct hb_adam_options *opt) { \
        if (count <= 0)                                                                                        \
            return count == 0 ? HB_OK : HB_EINVAL;                                                             \
        const int64_t total = hb_total(sizes, count);                                                          \
        if (total < 0 || !params || !grads || !exp_avgs || !exp_avg_sqs || !steps || !opt ||                  \
            (opt->amsgrad != 0) != (max_exp_avg_sqs != 0))                                                     \
            return HB_EINVAL;                                                                                  \
        for (int64_t i = 0; i < count; i++)                                                                    \
            if (steps[i] < 1)                                                                                  \
                return HB_EINVAL;                                                                              \
        HB_FOR_EACH_SEGMENT(sizes, count, total, {                                                             \
            const struct hb_adam_factors f = hb_adam_factors_for(opt, steps[i]);                               \
            HB_DISPATCH(hb_adam_update_##suffix,                                                               \
                        (params[i] + lo, grads[i] + lo, exp_avgs[i] + lo, exp_avg_sqs[i] + lo,                 \
                         max_exp_avg_sqs ? max_exp_avg_sqs[i] + lo : 0, len, &f));                             \
        });                                                                                                    \
        return HB_OK;                                                                                          \
    }

HB_DEFINE_SGD(float, f32)
HB_DEFINE_SGD(double, f64)
HB_DEFINE_ADAM(float, f32)
HB_DEFINE_ADAM(double, f64)
