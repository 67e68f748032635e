/* Cross-entropy and NLL loss: the dispatch to the per-ISA copies in isa/loss.c. */
#include "loss.h"

#define FIRST_BAD_PARAMS (const int64_t *restrict target, int64_t N, int64_t C, int64_t ignore_index)
#define FIRST_BAD_ARGS (target, N, C, ignore_index)
HB_DECLARE_ISA(int64_t, hb_loss_first_bad_target, FIRST_BAD_PARAMS)
int64_t hb_loss_first_bad_target FIRST_BAD_PARAMS {
    return HB_DISPATCH(hb_loss_first_bad_target, FIRST_BAD_ARGS);
}

#define CE_FORWARD_PARAMS(T)                                                                    \
    (const T *restrict logits, const int64_t *restrict target, const T *restrict weight,       \
     int64_t N, int64_t C, int64_t ignore_index, double label_smoothing, int reduction,          \
     T *restrict loss, double *restrict lse)
#define CE_FORWARD_ARGS (logits, target, weight, N, C, ignore_index, label_smoothing, reduction, loss, lse)
#define CE_BACKWARD_PARAMS(T)                                                                   \
    (const T *restrict grad_loss, const T *restrict logits, const int64_t *restrict target,     \
     const T *restrict weight, const double *restrict lse, int64_t N, int64_t C,                \
     int64_t ignore_index, double label_smoothing, int reduction, T *restrict grad_logits)
#define CE_BACKWARD_ARGS                                                                         \
    (grad_loss, logits, target, weight, lse, N, C, ignore_index, label_smoothing, reduction,     \
     grad_logits)
#define NLL_FORWARD_PARAMS(T)                                                                   \
    (const T *restrict logp, const int64_t *restrict target, const T *restrict weight,         \
     int64_t N, int64_t C, int64_t ignore_index, int reduction, T *restrict loss)
#define NLL_FORWARD_ARGS (logp, target, weight, N, C, ignore_index, reduction, loss)
#define NLL_BACKWARD_PARAMS(T)                                                                  \
    (const T *restrict grad_loss, const int64_t *restrict target, const T *restrict weight,    \
     int64_t N, int64_t C, int64_t ignore_index, int reduction, T *restrict grad_logp)
#define NLL_BACKWARD_ARGS (grad_loss, target, weight, N, C, ignore_index, reduction, grad_logp)

#define DISPATCHED(name, params, args)                  \
    HB_DECLARE_ISA(enum hb_status, name, params)        \
    enum hb_status name params { return HB_DISPATCH(name, args); }

DISPATCHED(hb_cross_entropy_forward_f32, CE_FORWARD_PARAMS(float), CE_FORWARD_ARGS)
DISPATCHED(hb_cross_entropy_forward_f64, CE_FORWARD_PARAMS(double), CE_FORWARD_ARGS)
DISPATCHED(hb_cross_entropy_backward_f32, CE_BACKWARD_PARAMS(float), CE_BACKWARD_ARGS)
DISPATCHED(hb_cross_entropy_backward_f64, CE_BACKWARD_PARAMS(double), CE_BACKWARD_ARGS)
DISPATCHED(hb_nll_loss_forward_f32, NLL_FORWARD_PARAMS(float), NLL_FORWARD_ARGS)
DISPATCHED(hb_nll_loss_forward_f64, NLL_FORWARD_PARAMS(double), NLL_FORWARD_ARGS)
DISPATCHED(hb_nll_loss_backward_f32, NLL_BACKWARD_PARAMS(float), NLL_BACKWARD_ARGS)
DISPATCHED(hb_nll_loss_backward_f64, NLL_BACKWARD_PARAMS(double), NLL_BACKWARD_ARGS)
