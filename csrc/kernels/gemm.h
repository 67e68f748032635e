/* Matrix multiply (GEMM), batched GEMM and the fused Linear layer.
 *
 * All matrices are row-major with a leading dimension (elements between the
 * starts of consecutive rows). C = alpha * op(A) * op(B) + beta * C, where
 * op(A) is m x k (A is stored k x m when trans_a) and op(B) is k x n (B is
 * stored n x k when trans_b). beta == 0 ignores C's old contents (NaN in C does
 * not propagate); k == 0 gives C = beta * C; m == 0 or n == 0 does nothing.
 * Returns HB_EINVAL for negative sizes or leading dimensions smaller than the
 * stored row width, HB_ENOMEM if the packing buffers cannot be allocated.
 */
#ifndef HB_GEMM_H
#define HB_GEMM_H

#include <stdint.h>

#include "isa.h"

int hb_gemm_f32(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                int64_t ldc);
int hb_gemm_f64(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                double *c, int64_t ldc);

/* batch products; matrix i of A starts at a + i * stride_a_batch (likewise B,
 * C). The A and B batch strides may be 0 (one matrix broadcast over the batch);
 * C's may not when batch > 1 (the products would overwrite each other). */
int hb_gemm_batched_f32(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n,
                        int64_t k, float alpha, const float *a, int64_t stride_a_batch,
                        int64_t lda, const float *b, int64_t stride_b_batch, int64_t ldb,
                        float beta, float *c, int64_t stride_c_batch, int64_t ldc);
int hb_gemm_batched_f64(int trans_a, int trans_b, int64_t batch, int64_t m, int64_t n,
                        int64_t k, double alpha, const double *a, int64_t stride_a_batch,
                        int64_t lda, const double *b, int64_t stride_b_batch, int64_t ldb,
                        double beta, double *c, int64_t stride_c_batch, int64_t ldc);

/* Linear forward: Y (m x n) = X (m x k) * W^T + bias, W stored n x k as
 * PyTorch stores Linear weights; bias (n) may be NULL. */
int hb_linear_forward_f32(int64_t m, int64_t n, int64_t k, const float *x, int64_t ldx,
                          const float *w, int64_t ldw, const float *bias, float *y, int64_t ldy);
int hb_linear_forward_f64(int64_t m, int64_t n, int64_t k, const double *x, int64_t ldx,
                          const double *w, int64_t ldw, const double *bias, double *y,
                          int64_t ldy);

/* Linear backward, all operands contiguous: grad_x (m x k) = grad_y * W,
 * grad_w (n x k) = grad_y^T * X, grad_b (n) = column sums of grad_y. Any
 * output may be NULL (not computed). accumulate != 0 adds into the outputs. */
int hb_linear_backward_f32(int64_t m, int64_t n, int64_t k, const float *grad_y, const float *x,
                           const float *w, float *grad_x, float *grad_w, float *grad_b,
                           int accumulate);
int hb_linear_backward_f64(int64_t m, int64_t n, int64_t k, const double *grad_y,
                           const double *x, const double *w, double *grad_x, double *grad_w,
                           double *grad_b, int accumulate);

#endif
