/* Vectorizable math: branch-free float32 functions that GCC can inline into
 * `omp simd` loops, where libm's expf stays a scalar call per element.
 *
 * hb_expf: exp(x) = 2^n * exp(r), n = round(x / ln 2), |r| <= ln(2)/2, with
 * Cephes' degree-5 polynomial for exp(r) (about 1 ulp) and 2^n built in the
 * exponent bits. Results below exp(-87) (smaller than FLT_MIN * 2^1.5) flush to
 * zero instead of going subnormal; overflow gives +inf, NaN stays NaN.
 *
 * hb_logf: log(x) = e ln 2 + log(m), x = m * 2^e with m in [sqrt(1/2), sqrt(2)),
 * and Cephes' degree-9 polynomial for log(m) (about 1 ulp). Subnormal x is
 * scaled by 2^23 first; log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN
 * stays NaN.
 */
#ifndef HB_VMATH_H
#define HB_VMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float hb_expf(float x) {
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
    /* written so that NaN clamps to -87 too: converting NaN to int32_t, and
     * shifting the negative result, are undefined (UBSan stops at both); the
     * result for NaN is x itself, set at the end */
    float xc = x > -87.0f ? x : -87.0f;
    xc = xc < 88.5f ? xc : 88.5f;
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

static inline float hb_logf(float x) {
    const int subnormal = x < 1.17549435e-38f;
    const float xs = subnormal ? x * 8388608.0f : x;
    uint32_t bits;
    memcpy(&bits, &xs, sizeof bits);
    /* moves [sqrt(1/2), 1) up into the exponent of [1, 2), so that e counts
     * from sqrt(1/2) and the mantissa lands in [sqrt(1/2), sqrt(2)) */
    bits += 0x3f800000u - 0x3f3504f3u;
    const float e = (float)((int32_t)(bits >> 23) - 127) - (subnormal ? 23.0f : 0.0f);
    bits = (bits & 0x007fffffu) + 0x3f3504f3u;
    float m;
    memcpy(&m, &bits, sizeof m);
    const float f = m - 1.0f, z = f * f;
    float p = 7.0376836292e-2f;
    p = p * f - 1.1514610310e-1f;
    p = p * f + 1.1676998740e-1f;
    p = p * f - 1.2420140846e-1f;
    p = p * f + 1.4249322787e-1f;
    p = p * f - 1.6668057665e-1f;
    p = p * f + 2.0000714765e-1f;
    p = p * f - 2.4999993993e-1f;
    p = p * f + 3.3333331174e-1f;
    float y = f * z * p - 2.12194440e-4f * e - 0.5f * z;
    y = f + y + 0.693359375f * e;
    y = x == 0.0f ? -INFINITY : y;
    y = x < 0.0f ? NAN : y;
    y = x == INFINITY ? INFINITY : y;
    return x != x ? x : y;
}

#endif
