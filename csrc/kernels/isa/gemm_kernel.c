/* GEMM drivers and register-blocked micro-kernels, one copy per instruction set.
 *
 * The vector width follows the set being compiled (64 bytes for AVX-512, 32
 * for AVX2, 16 for the portable build, which GCC lowers to whatever the target
 * has). The micro-kernel keeps an MR x NR tile of C in registers: NV vectors
 * per row, MR rows, so MR * NV accumulators plus NV loads of B and one
 * broadcast of A must fit the register file (32 registers with AVX-512, 16
 * otherwise). Cache blocks: an MC x KC block of A (packed) stays in L2, a
 * KC x NR micro-panel of packed B in L1, the KC x NC block of B in L3.
 * gemm_template.h holds the code; it is included once per dtype.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"

#if defined(__AVX512F__)
#define HB_VB 64
#define HB_MR 12
#elif defined(__AVX2__)
#define HB_VB 32
#define HB_MR 6
#else
#define HB_VB 16
#define HB_MR 6
#endif

/* The first `valid` lanes of a vector of C (1 <= valid <= lanes), for the
 * edge tiles: masked loads and stores where the instruction set has them, so
 * an edge tile is stored straight from its registers like a full one. */
#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif
#if defined(__AVX512F__)
static inline void hb_store_part_f32(float *p, __m512 x, int valid) {
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << valid) - 1u), x);
}
static inline __m512 hb_load_part_f32(const float *p, int valid) {
    return _mm512_maskz_loadu_ps((__mmask16)((1u << valid) - 1u), p);
}
static inline void hb_store_part_f64(double *p, __m512d x, int valid) {
    _mm512_mask_storeu_pd(p, (__mmask8)((1u << valid) - 1u), x);
}
static inline __m512d hb_load_part_f64(const double *p, int valid) {
    return _mm512_maskz_loadu_pd((__mmask8)((1u << valid) - 1u), p);
}
#define HB_MASKED_EDGES 1
#define HB_NATIVE_f32 __m512
#define HB_NATIVE_f64 __m512d
#elif defined(__AVX2__)
/* AVX2 masks are vectors whose lanes have their top bit set: a sliding window
 * over eight -1s followed by eight 0s gives the first `valid` lanes. */
static const int32_t hb_lane_window[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
static inline __m256i hb_mask32(int valid) {
    return _mm256_loadu_si256((const __m256i *)(hb_lane_window + 8 - valid));
}
static inline __m256i hb_mask64(int valid) {
    /* each 64-bit lane takes two 32-bit entries of the window */
    return _mm256_cvtepi32_epi64(_mm_loadu_si128((const __m128i *)(hb_lane_window + 8 - valid)));
}
static inline void hb_store_part_f32(float *p, __m256 x, int valid) {
    _mm256_maskstore_ps(p, hb_mask32(valid), x);
}
static inline __m256 hb_load_part_f32(const float *p, int valid) {
    return _mm256_maskload_ps(p, hb_mask32(valid));
}
static inline void hb_store_part_f64(double *p, __m256d x, int valid) {
    _mm256_maskstore_pd(p, hb_mask64(valid), x);
}
static inline __m256d hb_load_part_f64(const double *p, int valid) {
    return _mm256_maskload_pd(p, hb_mask64(valid));
}
#define HB_MASKED_EDGES 1
#define HB_NATIVE_f32 __m256
#define HB_NATIVE_f64 __m256d
#endif

#define T float
#define SFX f32
#define NV 2
#define MC 144
#define KC 256
#define NC 4096
#include "gemm_template.h"
#undef T
#undef SFX
#undef NV
#undef MC
#undef KC
#undef NC

#define T double
#define SFX f64
#define NV 2
#define MC 72
#define KC 256
#define NC 2048
#include "gemm_template.h"
