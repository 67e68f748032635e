/* Public GEMM entry points: argument checks, the degenerate sizes, the choice
 * of thread count, batching and the fused Linear layer. The packing and the
 * micro-kernels live in isa/gemm_kernel.c, one copy per instruction set. */
#include "gemm.h"

#include <omp.h>
#include <stdint.h>
#include <string.h>

HB_DECLARE_ISA(int, hb_gemm_driver_f32,
               (int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                int64_t ldc, int nthreads))
HB_DECLARE_ISA(int, hb_gemm_driver_f64,
               (int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, double alpha,
                const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                double *c, int64_t ldc, int nthreads))

/* m * n * k below which a product stays on one thread (about 2 * 2^20 flops,
 * a few tens of microseconds: well above the cost of a parallel region), and
 * the work each further thread must have. */
#define HB_GEMM_OMP_MIN_WORK ((double)(1 << 20))

/* Below this many outputs a product stays on one thread whatever its depth:
 * a few register tiles cannot be shared out, and each block of k would cost
 * the threads three barriers for little work each (a Linear layer with ten
 * outputs over a long input ran 2-threaded far slower than on one). */
#define HB_GEMM_OMP_MIN_OUTPUTS 4096

static int gemm_threads(int64_t m, int64_t n, int64_t k) {
    double work = (double)m * (double)n * (double)k;
    if (work < HB_GEMM_OMP_MIN_WORK || (double)m * (double)n < HB_GEMM_OMP_MIN_OUTPUTS ||
        omp_in_parallel())
        return 1;
    int threads = omp_get_max_threads();
    double useful = work / (HB_GEMM_OMP_MIN_WORK / 2);
    return useful < threads ? (int)useful : threads;
}

static int gemm_shapes_valid(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                             int64_t lda, int64_t ldb, int64_t ldc) {
    if (m < 0 || n < 0 || k < 0)
        return 0;
    if (m == 0 || n == 0)
        return 1;
    if (ldc < n)
        return 0;
    if (k == 0)
        return 1;
    return lda >= (trans_a ? m : k) && ldb >= (trans_b ? k : n);
}

#define T float
#define SFX f32
#include "gemm_typed.h"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "gemm_typed.h"
