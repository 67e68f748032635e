/* Elementwise arithmetic, compiled once per instruction set: one vectorized
 * loop per op and operand layout (both arrays, or one of them a repeated
 * value), split across threads above HB_OMP_MIN_ELEMENTS. */
#include <omp.h>

#include "binary.h"

/* Threads get chunks of a multiple of this many elements, so each starts on a
 * cache-line boundary relative to the arrays. */
#define HB_BINARY_CHUNK_ALIGN 64

#define LOOPS(T, EXPR)                                                    \
    do {                                                                  \
        if (a_stride && b_stride) {                                       \
            _Pragma("omp simd") for (int64_t i = 0; i < n; i++) {         \
                const T x = a[i], y = b[i];                               \
                out[i] = EXPR;                                            \
            }                                                             \
        } else if (b_stride) {                                            \
            const T x = a[0];                                             \
            _Pragma("omp simd") for (int64_t i = 0; i < n; i++) {         \
                const T y = b[i];                                         \
                out[i] = EXPR;                                            \
            }                                                             \
        } else if (a_stride) {                                            \
            const T y = b[0];                                             \
            _Pragma("omp simd") for (int64_t i = 0; i < n; i++) {         \
                const T x = a[i];                                         \
                out[i] = EXPR;                                            \
            }                                                             \
        } else {                                                          \
            const T x = a[0], y = b[0];                                   \
            for (int64_t i = 0; i < n; i++)                               \
                out[i] = EXPR;                                            \
        }                                                                 \
    } while (0)

#define DEFINE_BINARY(T, SUF)                                                                  \
    static void binary_chunk_##SUF(int op, const T *a, int64_t a_stride, const T *b,           \
                                   int64_t b_stride, T *out, int64_t n) {                      \
        switch (op) {                                                                          \
        case HB_BINARY_ADD: LOOPS(T, x + y); break;                                            \
        case HB_BINARY_SUB: LOOPS(T, x - y); break;                                            \
        case HB_BINARY_MUL: LOOPS(T, x * y); break;                                            \
        default: LOOPS(T, x / y); break;                                                       \
        }                                                                                      \
    }                                                                                          \
                                                                                               \
    enum hb_status HB_ISA_FN(hb_binary_##SUF)(int op, const T *a, int64_t a_stride,           \
                                              const T *b, int64_t b_stride, T *out,            \
                                              int64_t n) {                                     \
        HB_OMP_REGION(n >= HB_OMP_MIN_ELEMENTS,                                                \
            const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();           \
            int64_t per = (n + threads - 1) / threads;                                         \
            per = (per + HB_BINARY_CHUNK_ALIGN - 1) / HB_BINARY_CHUNK_ALIGN * HB_BINARY_CHUNK_ALIGN; \
            const int64_t lo = t * per < n ? t * per : n;                                      \
            const int64_t hi = lo + per < n ? lo + per : n;                                    \
            binary_chunk_##SUF(op, a + lo * a_stride, a_stride, b + lo * b_stride, b_stride,  \
                               out + lo, hi - lo););                                           \
        return HB_OK;                                                                          \
    }

DEFINE_BINARY(float, f32)
DEFINE_BINARY(double, f64)
