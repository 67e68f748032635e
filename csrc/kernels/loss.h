/* Fused cross-entropy (log-softmax + NLL) and NLL loss over (N, C) rows with
 * class-index targets, with PyTorch's semantics:
 *
 * - rows whose target is ignore_index contribute 0 (also 0 in 'none');
 * - weight (NULL for none) scales row i by weight[target[i]]; 'mean' divides
 *   the sum by the sum of weight[target[i]] over non-ignored rows (their count
 *   without weight), so zero such rows give 0/0 = NaN;
 * - label smoothing eps (cross-entropy only) makes a non-ignored row's loss
 *     (1 - eps) * w[t] * -logp[t] + eps / C * sum_c w[c] * -logp[c]
 *   (every class's weight in the smoothing term; 'mean' divides both terms by
 *   the same sum of target weights).
 *
 * Targets must be in [0, C) or equal ignore_index (hb_loss_first_bad_target
 * finds one that is not); a kernel given one returns HB_EINVAL having written
 * nothing. Reductions accumulate in double.
 */
#ifndef HB_LOSS_H
#define HB_LOSS_H

#include <stdint.h>
#include "isa.h"

enum hb_reduction { HB_REDUCTION_NONE = 0, HB_REDUCTION_MEAN = 1, HB_REDUCTION_SUM = 2 };

/* Index of the first target outside [0, C) that is not ignore_index, or -1. */
int64_t hb_loss_first_bad_target(const int64_t *restrict target, int64_t N, int64_t C,
                                 int64_t ignore_index);

/* loss: one element for 'mean'/'sum', N for 'none'. lse (2 x N) receives what
 * backward needs of each row besides the logits, its log-sum-exp, in two parts:
 * lse[i] the row's max and lse[N + i] log(sum(exp(x - max))), in double for
 * float logits too, so that log-probabilities are (x - max) - log_sum as in
 * PyTorch. As one number, rounded to float at a max of 1e4, it was 5e-4 off
 * (and every loss and gradient with it); in double, past 1e16 the log-sum
 * vanished from it. */
enum hb_status hb_cross_entropy_forward_f32(const float *restrict logits,
                                            const int64_t *restrict target,
                                            const float *restrict weight, int64_t N, int64_t C,
                                            int64_t ignore_index, double label_smoothing,
                                            int reduction, float *restrict loss,
                                            double *restrict lse);
enum hb_status hb_cross_entropy_forward_f64(const double *restrict logits,
                                            const int64_t *restrict target,
                                            const double *restrict weight, int64_t N, int64_t C,
                                            int64_t ignore_index, double label_smoothing,
                                            int reduction, double *restrict loss,
                                            double *restrict lse);

/* grad_logits (N, C) = dL/dlogits in one pass: scale * (w-mixed softmax -
 * smoothed weighted one-hot). grad_loss: one element ('mean'/'sum') or N. */
enum hb_status hb_cross_entropy_backward_f32(const float *restrict grad_loss,
                                             const float *restrict logits,
                                             const int64_t *restrict target,
                                             const float *restrict weight,
                                             const double *restrict lse, int64_t N, int64_t C,
                                             int64_t ignore_index, double label_smoothing,
                                             int reduction, float *restrict grad_logits);
enum hb_status hb_cross_entropy_backward_f64(const double *restrict grad_loss,
                                             const double *restrict logits,
                                             const int64_t *restrict target,
                                             const double *restrict weight,
                                             const double *restrict lse, int64_t N, int64_t C,
                                             int64_t ignore_index, double label_smoothing,
                                             int reduction, double *restrict grad_logits);

/* NLL on log-probabilities logp (N, C); same conventions, no smoothing. */
enum hb_status hb_nll_loss_forward_f32(const float *restrict logp, const int64_t *restrict target,
                                       const float *restrict weight, int64_t N, int64_t C,
                                       int64_t ignore_index, int reduction, float *restrict loss);
enum hb_status hb_nll_loss_forward_f64(const double *restrict logp,
                                       const int64_t *restrict target,
                                       const double *restrict weight, int64_t N, int64_t C,
                                       int64_t ignore_index, int reduction, double *restrict loss);
enum hb_status hb_nll_loss_backward_f32(const float *restrict grad_loss,
                                        const int64_t *restrict target,
                                        const float *restrict weight, int64_t N, int64_t C,
                                        int64_t ignore_index, int reduction,
                                        float *restrict grad_logp);
enum hb_status hb_nll_loss_backward_f64(const double *restrict grad_loss,
                                        const int64_t *restrict target,
                                        const double *restrict weight, int64_t N, int64_t C,
                                        int64_t ignore_index, int reduction,
                                        double *restrict grad_logp);

#endif
