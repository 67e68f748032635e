/* Vectorizable math: branch-free float32 functions that GCC can inline into
 * `omp simd` loops, where libm's expf stays a scalar call per element.
 *
 * hb_expf: exp(x) = 2^n * exp(r), n = round(x / ln 2), |r| <= ln(2)/2, with
 * Cephes' degree-5 polynomial for exp(r) (about 1 ulp) and 2^n built in the
 * exponent bits. Results below exp(-87) (smaller than FLT_MIN * 2^1.5) flush to
 * zero instead of going subnormal; overflow gives +inf, NaN stays NaN.
 */
#ifndef HB_VMATH_H
#define HB_VMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float hb_expf(float x) {
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
    float xc = x < -87.0f ? -87.0f : x;
    xc = xc > 88.5f ? 88.5f : xc;
    /* floorf rather than an int conversion and fix-up: GCC vectorizes it (vroundps) */
    const float fn = floorf(xc * log2e + 0.5f);
    const float r = (xc - fn * ln2_hi) - fn * ln2_lo;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * (r * r) + r + 1.0f;
    /* 2^(n-1) * 2: n reaches 128 at the top of the range, beyond the exponent field */
    const int32_t bits = ((int32_t)fn + 126) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    y = y * scale * 2.0f;
    y = x > 88.72283935546875f ? INFINITY : y;
    y = x < -87.0f ? 0.0f : y;
    return x != x ? x : y;
}

#endif
