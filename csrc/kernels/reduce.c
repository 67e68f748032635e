/* Axis reductions: argument checks and the split across threads. The loops
 * are per instruction set (isa/reduce_impl.h). Work is split over the outputs
 * (outer * inner), and a single long sum into chunks whose size depends only
 * on its length, so every result is computed in the same order whatever the
 * thread count. */
#include <omp.h>
#include "reduce.h"

#define HB_DECLARE_REDUCE_ISA(T, suffix)                                                                        \
    HB_DECLARE_ISA(double, hb_pairwise_sum_##suffix, (const T *x, int64_t n))                                  \
    HB_DECLARE_ISA(void, hb_sum_rows_##suffix, (const T *x, T *out, int64_t rows, int64_t n, int mean))        \
    HB_DECLARE_ISA(void, hb_sum_columns_##suffix,                                                               \
                   (const T *x, T *out, int64_t n, int64_t inner, int64_t j0, int64_t j1, int mean))            \
    HB_DECLARE_ISA(void, hb_extreme_rows_##suffix,                                                              \
                   (const T *x, T *values, int64_t *indices, int64_t rows, int64_t n, int is_max))              \
    HB_DECLARE_ISA(void, hb_extreme_columns_##suffix, (const T *x, T *values, int64_t *indices, int64_t n,      \
                                                       int64_t inner, int64_t j0, int64_t j1, int is_max))
HB_DECLARE_REDUCE_ISA(float, f32)
HB_DECLARE_REDUCE_ISA(double, f64)

/* Thread t of nt gets items [hb_part(total, t, nt), hb_part(total, t + 1, nt)). */
static inline int64_t hb_part(int64_t total, int t, int nt) {
    return (total / nt) * t + (t < total % nt ? t : total % nt);
}

static int hb_bad_shape(int64_t outer, int64_t n, int64_t inner) {
    return outer < 0 || n < 0 || inner < 0;
}

/* One body for both dtypes and both kinds: the rows case (inner == 1) splits
 * rows between threads; otherwise the units are (outer index, block of
 * HB_REDUCE_COLUMNS columns). */
#define HB_REDUCE_BODY(rows_call, columns_call)                                                      \
    do {                                                                                            \
        const int64_t work = outer * n * inner;                                                     \
        if (inner == 1) {                                                                           \
            HB_OMP_REGION(work >= HB_OMP_MIN_ELEMENTS && outer > 1,                                 \
                const int t = omp_get_thread_num(), nt = omp_get_num_threads();                     \
                const int64_t r0 = hb_part(outer, t, nt), r1 = hb_part(outer, t + 1, nt);           \
                if (r1 > r0)                                                                        \
                    rows_call;);                                                                    \
        } else {                                                                                    \
            const int64_t blocks = (inner + HB_REDUCE_COLUMNS - 1) / HB_REDUCE_COLUMNS;             \
            const int64_t units = outer * blocks;                                                   \
            HB_OMP_REGION(work >= HB_OMP_MIN_ELEMENTS && units > 1,                                 \
                const int t = omp_get_thread_num(), nt = omp_get_num_threads();                     \
                const int64_t u1 = hb_part(units, t + 1, nt);                                       \
                for (int64_t u = hb_part(units, t, nt); u < u1; u++) {                              \
                    const int64_t o = u / blocks, j0 = (u % blocks) * HB_REDUCE_COLUMNS;            \
                    const int64_t j1 = j0 + HB_REDUCE_COLUMNS < inner ? j0 + HB_REDUCE_COLUMNS : inner; \
                    columns_call;                                                                   \
                });                                                                                 \
        }                                                                                           \
    } while (0)

/* A single sum of n elements (a full reduction) of at least twice
 * HB_SUM_MIN_CHUNK is cut into at most HB_SUM_CHUNKS chunks, summed in
 * parallel and added up in order: one output, yet all threads at work. */
#define HB_SUM_CHUNKS 256
#define HB_SUM_MIN_CHUNK 65536

static int64_t hb_sum_chunk(int64_t n) {
    int64_t chunk = (n + HB_SUM_CHUNKS - 1) / HB_SUM_CHUNKS;
    chunk = chunk < HB_SUM_MIN_CHUNK ? HB_SUM_MIN_CHUNK : chunk;
    return (chunk + 7) / 8 * 8;
}

#define HB_SUM_IN_CHUNKS(suffix, x, n, mean, out)                                                           \
    do {                                                                                                   \
        const int64_t chunk = hb_sum_chunk(n), chunks = ((n) + chunk - 1) / chunk;                         \
        double partial[HB_SUM_CHUNKS];                                                                     \
        HB_OMP_FOR(omp_get_max_threads() > 1 && !omp_in_parallel(), "omp parallel for schedule(static)",  \
                   c, chunks, const int64_t lo = c * chunk;                                                \
                   const int64_t len = (n) - lo < chunk ? (n) - lo : chunk;                                \
                   partial[c] = HB_DISPATCH(hb_pairwise_sum_##suffix, ((x) + lo, len)););                  \
        double s = 0.0;                                                                                    \
        for (int64_t c = 0; c < chunks; c++)                                                               \
            s += partial[c];                                                                               \
        (out)[0] = mean ? s / (double)(n) : s;                                                             \
    } while (0)

#define HB_DEFINE_SUM(T, suffix, name, mean)                                                               \
    enum hb_status name(const T *x, T *out, int64_t outer, int64_t n, int64_t inner) {                    \
        if (hb_bad_shape(outer, n, inner) || ((!x || !out) && outer * inner > 0))                          \
            return HB_EINVAL;                                                                              \
        if (outer == 1 && inner == 1 && n >= 2 * HB_SUM_MIN_CHUNK) {                                       \
            HB_SUM_IN_CHUNKS(suffix, x, n, mean, out);                                                     \
            return HB_OK;                                                                                  \
        }                                                                                                  \
        HB_REDUCE_BODY(HB_DISPATCH(hb_sum_rows_##suffix, (x + r0 * n, out + r0, r1 - r0, n, mean)),        \
                       HB_DISPATCH(hb_sum_columns_##suffix,                                                \
                                   (x + o * n * inner, out + o * inner, n, inner, j0, j1, mean)));         \
        return HB_OK;                                                                                      \
    }

#define HB_DEFINE_EXTREME(T, suffix, name, is_max)                                                          \
    enum hb_status name(const T *x, T *values, int64_t *indices, int64_t outer, int64_t n, int64_t inner) { \
        if (hb_bad_shape(outer, n, inner))                                                                  \
            return HB_EINVAL;                                                                               \
        if (outer * inner == 0)                                                                             \
            return HB_OK;                                                                                   \
        if (n == 0 || !x || !values)                                                                        \
            return HB_EINVAL;                                                                               \
        HB_REDUCE_BODY(HB_DISPATCH(hb_extreme_rows_##suffix,                                                \
                                   (x + r0 * n, values + r0, indices ? indices + r0 : 0, r1 - r0, n, is_max)), \
                       HB_DISPATCH(hb_extreme_columns_##suffix,                                             \
                                   (x + o * n * inner, values + o * inner, indices ? indices + o * inner : 0, \
                                    n, inner, j0, j1, is_max)));                                            \
        return HB_OK;                                                                                       \
    }

HB_DEFINE_SUM(float, f32, hb_reduce_sum_f32, 0)
HB_DEFINE_SUM(double, f64, hb_reduce_sum_f64, 0)
HB_DEFINE_SUM(float, f32, hb_reduce_mean_f32, 1)
HB_DEFINE_SUM(double, f64, hb_reduce_mean_f64, 1)
HB_DEFINE_EXTREME(float, f32, hb_reduce_max_f32, 1)
HB_DEFINE_EXTREME(double, f64, hb_reduce_max_f64, 1)
HB_DEFINE_EXTREME(float, f32, hb_reduce_min_f32, 0)
HB_DEFINE_EXTREME(double, f64, hb_reduce_min_f64, 0)
