/* Fused optimizer steps: one call updates every parameter of a list, like
 * PyTorch's fused=True optimizers. The element math follows torch.optim's
 * single-tensor path operation by operation, in the parameter's dtype, so the
 * results agree with PyTorch's up to float rounding.
 *
 * Every array is contiguous with sizes[i] elements; params and states are
 * updated in place, grads are only read. Arrays must not overlap. */
#ifndef HB_OPTIM_H
#define HB_OPTIM_H

#include <stdint.h>
#include "isa.h"

struct hb_sgd_options {
    double lr, momentum, dampening, weight_decay;
    int nesterov, maximize;
    int first_step; /* the momentum buffers start as a copy of the gradient */
};

/* momentum_buffers is NULL when momentum == 0. */
enum hb_status hb_sgd_step_f32(float *const *params, const float *const *grads, float *const *momentum_buffers,
                               const int64_t *sizes, int64_t count, const struct hb_sgd_options *opt);
enum hb_status hb_sgd_step_f64(double *const *params, const double *const *grads, double *const *momentum_buffers,
                               const int64_t *sizes, int64_t count, const struct hb_sgd_options *opt);

struct hb_adam_options {
    double lr, beta1, beta2, eps, weight_decay;
    int amsgrad, maximize;
    int decoupled_weight_decay; /* AdamW */
};

/* steps[i] is parameter i's step count, already incremented (>= 1).
 * max_exp_avg_sqs is NULL unless amsgrad. */
enum hb_status hb_adam_step_f32(float *const *params, const float *const *grads, float *const *exp_avgs,
                                float *const *exp_avg_sqs, float *const *max_exp_avg_sqs, const int64_t *sizes,
                                const int64_t *steps, int64_t count, const struct hb_adam_options *opt);
enum hb_status hb_adam_step_f64(double *const *params, const double *const *grads, double *const *exp_avgs,
                                double *const *exp_avg_sqs, double *const *max_exp_avg_sqs, const int64_t *sizes,
                                const int64_t *steps, int64_t count, const struct hb_adam_options *opt);

/* The per-tensor factors of one Adam step, computed in double by optim.c and
 * rounded to the parameter dtype by the element loop, as PyTorch rounds its
 * Python-float scalars. */
struct hb_adam_factors {
    double lerp_weight;      /* 1 - beta1 */
    double beta2, one_minus_beta2;
    double weight_decay;     /* coupled: grad += weight_decay * param */
    double decay;            /* decoupled: param *= 1 - lr * weight_decay */
    double bias_correction2_sqrt;
    double neg_step_size;    /* -lr / (1 - beta1 ** step) */
    double eps;
    int amsgrad, maximize, decoupled_weight_decay;
};

/* steps[i] (Adagrad, Adamax, NAdam) is parameter i's step count, already
 * incremented (>= 1), as for Adam. */

struct hb_adagrad_options {
    double lr, lr_decay, weight_decay, eps;
    int maximize;
};

enum hb_status hb_adagrad_step_f32(float *const *params, const float *const *grads, float *const *state_sums,
                                   const int64_t *sizes, const int64_t *steps, int64_t count,
                                   const struct hb_adagrad_options *opt);
enum hb_status hb_adagrad_step_f64(double *const *params, const double *const *grads, double *const *state_sums,
                                   const int64_t *sizes, const int64_t *steps, int64_t count,
                                   const struct hb_adagrad_options *opt);

struct hb_adadelta_options {
    double lr, rho, eps, weight_decay;
    int maximize;
};

enum hb_status hb_adadelta_step_f32(float *const *params, const float *const *grads, float *const *square_avgs,
                                    float *const *acc_deltas, const int64_t *sizes, int64_t count,
                                    const struct hb_adadelta_options *opt);
enum hb_status hb_adadelta_step_f64(double *const *params, const double *const *grads, double *const *square_avgs,
                                    double *const *acc_deltas, const int64_t *sizes, int64_t count,
                                    const struct hb_adadelta_options *opt);

struct hb_rmsprop_options {
    double lr, alpha, eps, weight_decay, momentum;
    int centered, maximize;
};

/* grad_avgs is NULL unless centered; momentum_buffers is NULL unless momentum > 0. */
enum hb_status hb_rmsprop_step_f32(float *const *params, const float *const *grads, float *const *square_avgs,
                                   float *const *grad_avgs, float *const *momentum_buffers, const int64_t *sizes,
                                   int64_t count, const struct hb_rmsprop_options *opt);
enum hb_status hb_rmsprop_step_f64(double *const *params, const double *const *grads, double *const *square_avgs,
                                   double *const *grad_avgs, double *const *momentum_buffers, const int64_t *sizes,
                                   int64_t count, const struct hb_rmsprop_options *opt);

struct hb_adamax_options {
    double lr, beta1, beta2, eps, weight_decay;
    int maximize;
};

enum hb_status hb_adamax_step_f32(float *const *params, const float *const *grads, float *const *exp_avgs,
                                  float *const *exp_infs, const int64_t *sizes, const int64_t *steps, int64_t count,
                                  const struct hb_adamax_options *opt);
enum hb_status hb_adamax_step_f64(double *const *params, const double *const *grads, double *const *exp_avgs,
                                  double *const *exp_infs, const int64_t *sizes, const int64_t *steps, int64_t count,
                                  const struct hb_adamax_options *opt);

struct hb_nadam_options {
    double lr, beta1, beta2, eps, weight_decay, momentum_decay;
    int decoupled_weight_decay, maximize;
};

/* mu_products[i] is parameter i's running product of the momentum schedule
 * including this step's factor, as PyTorch holds it (a float32 or float64
 * scalar tensor) after updating it. */
enum hb_status hb_nadam_step_f32(float *const *params, const float *const *grads, float *const *exp_avgs,
                                 float *const *exp_avg_sqs, const int64_t *sizes, const int64_t *steps,
                                 const double *mu_products, int64_t count, const struct hb_nadam_options *opt);
enum hb_status hb_nadam_step_f64(double *const *params, const double *const *grads, double *const *exp_avgs,
                                 double *const *exp_avg_sqs, const int64_t *sizes, const int64_t *steps,
                                 const double *mu_products, int64_t count, const struct hb_nadam_options *opt);

/* The per-tensor factors of one step, computed in double by optim.c (as
 * PyTorch computes them from Python floats) and rounded to the parameter dtype
 * by the element loops. */
struct hb_step_factors {
    double neg_step_size; /* Adagrad: -lr / (1 + (step - 1) * lr_decay); Adamax: -lr / (1 - beta1 ** step) */
    double bias_correction2;           /* NAdam: 1 - beta2 ** step */
    double grad_coeff, exp_avg_coeff;  /* NAdam: the values of its two addcdiv_ calls */
};

#endif
