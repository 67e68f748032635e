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
#define HB_DECLARE_OPTIM_ISA_MORE(T, suffix)                                                                 \
    HB_DECLARE_ISA(void, hb_adagrad_update_##suffix,                                                        \
                   (T *restrict param, const T *restrict grad, T *restrict state_sum, int64_t n,            \
                    const struct hb_adagrad_options *opt, const struct hb_step_factors *f))                 \
    HB_DECLARE_ISA(void, hb_adadelta_update_##suffix,                                                       \
                   (T *restrict param, const T *restrict grad, T *restrict square_avg, T *restrict acc_delta, \
                    int64_t n, const struct hb_adadelta_options *opt))                                      \
    HB_DECLARE_ISA(void, hb_rmsprop_update_##suffix,                                                        \
                   (T *restrict param, const T *restrict grad, T *restrict square_avg, T *restrict grad_avg, \
                    T *restrict momentum_buffer, int64_t n, const struct hb_rmsprop_options *opt))          \
    HB_DECLARE_ISA(void, hb_adamax_update_##suffix,                                                         \
                   (T *restrict param, const T *restrict grad, T *restrict exp_avg, T *restrict exp_inf,    \
                    int64_t n, const struct hb_adamax_options *opt, const struct hb_step_factors *f))       \
    HB_DECLARE_ISA(void, hb_nadam_update_##suffix,                                                          \
                   (T *restrict param, const T *restrict grad, T *restrict exp_avg, T *restrict exp_avg_sq, \
                    int64_t n, const struct hb_nadam_options *opt, const struct hb_step_factors *f))
HB_DECLARE_OPTIM_ISA(float, f32)
HB_DECLARE_OPTIM_ISA(double, f64)
HB_DECLARE_OPTIM_ISA_MORE(float, f32)
HB_DECLARE_OPTIM_ISA_MORE(double, f64)

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


static int hb_steps_valid(const int64_t *steps, int64_t count) {
    if (!steps)
        return 0;
    for (int64_t i = 0; i < count; i++)
        if (steps[i] < 1)
            return 0;
    return 1;
}

#define HB_DEFINE_ADAGRAD(T, suffix)                                                                            \
    enum hb_status hb_adagrad_step_##suffix(T *const *params, const T *const *grads, T *const *state_sums,      \
                                            const int64_t *sizes, const int64_t *steps, int64_t count,          \
                                            const struct hb_adagrad_options *opt) {                             \
        if (count <= 0)                                                                                         \
            return count == 0 ? HB_OK : HB_EINVAL;                                                              \
        const int64_t total = hb_total(sizes, count);                                                           \
        if (total < 0 || !params || !grads || !state_sums || !opt || !hb_steps_valid(steps, count))             \
            return HB_EINVAL;                                                                                   \
        HB_FOR_EACH_SEGMENT(sizes, count, total, {                                                              \
            struct hb_step_factors f = {0};                                                                     \
            f.neg_step_size = -(opt->lr / (1.0 + (double)(steps[i] - 1) * opt->lr_decay));                      \
            HB_DISPATCH(hb_adagrad_update_##suffix,                                                             \
                        (params[i] + lo, grads[i] + lo, state_sums[i] + lo, len, opt, &f));                     \
        });                                                                                                     \
        return HB_OK;                                                                                           \
    }

#define HB_DEFINE_ADADELTA(T, suffix)                                                                           \
    enum hb_status hb_adadelta_step_##suffix(T *const *params, const T *const *grads, T *const *square_avgs,    \
                                             T *const *acc_deltas, const int64_t *sizes, int64_t count,         \
                                             const struct hb_adadelta_options *opt) {                           \
        if (count <= 0)                                                                                         \
            return count == 0 ? HB_OK : HB_EINVAL;                                                              \
        const int64_t total = hb_total(sizes, count);                                                           \
        if (total < 0 || !params || !grads || !square_avgs || !acc_deltas || !opt)                              \
            return HB_EINVAL;                                                                                   \
        HB_FOR_EACH_SEGMENT(sizes, count, total,                                                                \
                            HB_DISPATCH(hb_adadelta_update_##suffix,                                            \
                                        (params[i] + lo, grads[i] + lo, square_avgs[i] + lo,                    \
                                         acc_deltas[i] + lo, len, opt)));                                       \
        return HB_OK;                                                                                           \
    }

#define HB_DEFINE_RMSPROP(T, suffix)                                                                            \
    enum hb_status hb_rmsprop_step_##suffix(T *const *params, const T *const *grads, T *const *square_avgs,     \
                                            T *const *grad_avgs, T *const *momentum_buffers,                    \
                                            const int64_t *sizes, int64_t count,                                \
                                            const struct hb_rmsprop_options *opt) {                             \
        if (count <= 0)                                                                                         \
            return count == 0 ? HB_OK : HB_EINVAL;                                                              \
        const int64_t total = hb_total(sizes, count);                                                           \
        if (total < 0 || !params || !grads || !square_avgs || !opt || (opt->centered != 0) != (grad_avgs != 0) || \
            (opt->momentum > 0) != (momentum_buffers != 0))                                                     \
            return HB_EINVAL;                                                                                   \
        HB_FOR_EACH_SEGMENT(sizes, count, total,                                                                \
                            HB_DISPATCH(hb_rmsprop_update_##suffix,                                             \
                                        (params[i] + lo, grads[i] + lo, square_avgs[i] + lo,                    \
                                         grad_avgs ? grad_avgs[i] + lo : 0,                                     \
                                         momentum_buffers ? momentum_buffers[i] + lo : 0, len, opt)));          \
        return HB_OK;                                                                                           \
    }

#define HB_DEFINE_ADAMAX(T, suffix)                                                                             \
    enum hb_status hb_adamax_step_##suffix(T *const *params, const T *const *grads, T *const *exp_avgs,         \
                                           T *const *exp_infs, const int64_t *sizes, const int64_t *steps,      \
                                           int64_t count, const struct hb_adamax_options *opt) {                \
        if (count <= 0)                                                                                         \
            return count == 0 ? HB_OK : HB_EINVAL;                                                              \
        const int64_t total = hb_total(sizes, count);                                                           \
        if (total < 0 || !params || !grads || !exp_avgs || !exp_infs || !opt || !hb_steps_valid(steps, count))  \
            return HB_EINVAL;                                                                                   \
        HB_FOR_EACH_SEGMENT(sizes, count, total, {                                                              \
            struct hb_step_factors f = {0};                                                                     \
            f.neg_step_size = -(opt->lr / (1.0 - pow(opt->beta1, (double)steps[i])));                           \
            HB_DISPATCH(hb_adamax_update_##suffix,                                                              \
                        (params[i] + lo, grads[i] + lo, exp_avgs[i] + lo, exp_infs[i] + lo, len, opt, &f));     \
        });                                                                                                     \
        return HB_OK;                                                                                           \
    }

/* NAdam's momentum schedule: mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)). */
static double hb_nadam_mu(const struct hb_nadam_options *opt, double step) {
    return opt->beta1 * (1.0 - 0.5 * pow(0.96, step * opt->momentum_decay));
}

static struct hb_step_factors hb_nadam_factors_for(const struct hb_nadam_options *opt, int64_t step,
                                                   double mu_product) {
    struct hb_step_factors f = {0};
    const double mu = hb_nadam_mu(opt, (double)step), mu_next = hb_nadam_mu(opt, (double)step + 1.0);
    f.bias_correction2 = 1.0 - pow(opt->beta2, (double)step);
    f.grad_coeff = -opt->lr * (1.0 - mu) / (1.0 - mu_product);
    f.exp_avg_coeff = (-opt->lr * mu_next) / (1.0 - mu_product * mu_next);
    return f;
}

#define HB_DEFINE_NADAM(T, suffix)                                                                              \
    enum hb_status hb_nadam_step_##suffix(T *const *params, const T *const *grads, T *const *exp_avgs,          \
                                          T *const *exp_avg_sqs, const int64_t *sizes, const int64_t *steps,    \
                                          const double *mu_products, int64_t count,                             \
                                          const struct hb_nadam_options *opt) {                                 \
        if (count <= 0)                                                                                         \
            return count == 0 ? HB_OK : HB_EINVAL;                                                              \
        const int64_t total = hb_total(sizes, count);                                                           \
        if (total < 0 || !params || !grads || !exp_avgs || !exp_avg_sqs || !mu_products || !opt ||              \
            !hb_steps_valid(steps, count))                                                                      \
            return HB_EINVAL;                                                                                   \
        HB_FOR_EACH_SEGMENT(sizes, count, total, {                                                              \
            const struct hb_step_factors f = hb_nadam_factors_for(opt, steps[i], mu_products[i]);               \
            HB_DISPATCH(hb_nadam_update_##suffix,                                                               \
                        (params[i] + lo, grads[i] + lo, exp_avgs[i] + lo, exp_avg_sqs[i] + lo, len, opt, &f));  \
        });                                                                                                     \
        return HB_OK;                                                                                           \
    }

HB_DEFINE_ADAGRAD(float, f32)
HB_DEFINE_ADAGRAD(double, f64)
HB_DEFINE_ADADELTA(float, f32)
HB_DEFINE_ADADELTA(double, f64)
HB_DEFINE_RMSPROP(float, f32)
HB_DEFINE_RMSPROP(double, f64)
HB_DEFINE_ADAMAX(float, f32)
HB_DEFINE_ADAMAX(double, f64)
HB_DEFINE_NADAM(float, f32)
HB_DEFINE_NADAM(double, f64)
