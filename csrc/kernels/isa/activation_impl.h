/* Template for isa/activation.c: expects T, SUF (f32/f64) and the libm
 * functions EXP, EXPM1, LOG1P, TANH, ERF for T. */

#define L(name) HB_CAT2(name, SUF)

/* 1/sqrt(2), 1/sqrt(2*pi) and sqrt(2/pi), as PyTorch's GELU kernels spell them. */
#define GELU_SQRT1_2 ((T)0.70710678118654752440)
#define GELU_PDF_SCALE ((T)(M_2_SQRTPI * M_SQRT1_2 * 0.5))
#define GELU_TANH_BETA ((T)(M_SQRT2 * M_2_SQRTPI * 0.5))
#define GELU_TANH_KAPPA ((T)0.044715)

typedef void (*L(unary_fwd_fn))(const T *restrict x, T *restrict y, int64_t n, T p1, T p2);
typedef void (*L(unary_bwd_fn))(const T *restrict g, const T *restrict s, T *restrict gi, int64_t n,
                                 T p1, T p2);

/* y[i] = expr, with v = x[i]. */
#define DEFINE_FORWARD(name, expr)                                                              \
    static void L(name##_forward)(const T *restrict x, T *restrict y, int64_t n, T p1, T p2) { \
        (void)p1;                                                                              \
        (void)p2;                                                                              \
        _Pragma("omp simd") for (int64_t i = 0; i < n; i++) {                                  \
            const T v = x[i];                                                                  \
            y[i] = (expr);                                                                     \
        }                                                                                      \
    }

/* gi[i] = expr, with g = grad_out[i] and s = saved[i] (the input or the output). */
#define DEFINE_BACKWARD(name, expr)                                                             \
    static void L(name##_backward)(const T *restrict go, const T *restrict sv, T *restrict gi, \
                                   int64_t n, T p1, T p2) {                                    \
        (void)p1;                                                                              \
        (void)p2;                                                                              \
        _Pragma("omp simd") for (int64_t i = 0; i < n; i++) {                                  \
            const T g = go[i];                                                                 \
            const T s = sv[i];                                                                 \
            gi[i] = (expr);                                                                    \
        }                                                                                      \
    }

static inline T L(gelu_backward_one)(T g, T x) {
    const T cdf = (T)0.5 * ((T)1 + ERF(x * GELU_SQRT1_2));
    const T pdf = EXP((T)-0.5 * x * x) * GELU_PDF_SCALE;
    return g * (cdf + x * pdf);
}

static inline T L(gelu_tanh_backward_one)(T g, T x) {
    const T x_sq = x * x;
    const T inner = GELU_TANH_BETA * (x + GELU_TANH_KAPPA * x_sq * x);
    const T tanh_inner = TANH(inner);
    const T left = (T)0.5 * x;
    const T right = (T)1 + tanh_inner;
    const T left_derivative = (T)0.5 * right;
    const T tanh_derivative = (T)1 - tanh_inner * tanh_inner;
    const T inner_derivative = GELU_TANH_BETA * ((T)1 + (T)3 * GELU_TANH_KAPPA * x_sq);
    return g * (left_derivative + left * tanh_derivative * inner_derivative);
}

static inline T L(silu_backward_one)(T g, T x) {
    const T sig = (T)1 / ((T)1 + EXP(-x));
    return g * sig * ((T)1 + x * ((T)1 - sig));
}

static inline T L(softplus_backward_one)(T g, T x, T beta, T threshold) {
    const T z = EXP(x * beta);
    return x * beta > threshold ? g : g * z / (z + (T)1);
}

/* `v < 0` rather than `v > 0` so that NaN passes through, as in PyTorch. */
DEFINE_FORWARD(relu, v < (T)0 ? (T)0 : v)
DEFINE_BACKWARD(relu, s <= (T)0 ? (T)0 : g)
DEFINE_FORWARD(leaky_relu, v > (T)0 ? v : v * p1)
DEFINE_BACKWARD(leaky_relu, s > (T)0 ? g : g * p1)
DEFINE_FORWARD(sigmoid, (T)1 / ((T)1 + EXP(-v)))
DEFINE_BACKWARD(sigmoid, g * ((T)1 - s) * s)
DEFINE_FORWARD(tanh, TANH(v))
DEFINE_BACKWARD(tanh, g * ((T)1 - s * s))
DEFINE_FORWARD(gelu, (T)0.5 * v * ((T)1 + ERF(v * GELU_SQRT1_2)))
DEFINE_BACKWARD(gelu, L(gelu_backward_one)(g, s))
DEFINE_FORWARD(gelu_tanh,
               (T)0.5 * v * ((T)1 + TANH(GELU_TANH_BETA * (v + GELU_TANH_KAPPA * v * v * v))))
DEFINE_BACKWARD(gelu_tanh, L(gelu_tanh_backward_one)(g, s))
DEFINE_FORWARD(elu, v <= (T)0 ? EXPM1(v) * p1 : v)
DEFINE_BACKWARD(elu, s <= (T)0 ? g * p1 * EXP(s) : g)
DEFINE_FORWARD(silu, v / ((T)1 + EXP(-v)))
DEFINE_BACKWARD(silu, L(silu_backward_one)(g, s))
DEFINE_FORWARD(softplus, v * p1 > p2 ? v : LOG1P(EXP(v * p1)) / p1)
DEFINE_BACKWARD(softplus, L(softplus_backward_one)(g, s, p1, p2))
/* Clamp as min(max(v, lo), hi): lo > hi gives hi everywhere, like torch.clamp. */
DEFINE_FORWARD(hardtanh, (v < p1 ? p1 : v) > p2 ? p2 : (v < p1 ? p1 : v))
DEFINE_BACKWARD(hardtanh, (s <= p1 || s >= p2) ? (T)0 : g)

static const L(unary_fwd_fn) L(forward_table)[HB_UNARY_COUNT] = {
    [HB_UNARY_RELU] = L(relu_forward),         [HB_UNARY_LEAKY_RELU] = L(leaky_relu_forward),
    [HB_UNARY_SIGMOID] = L(sigmoid_forward),   [HB_UNARY_TANH] = L(tanh_forward),
    [HB_UNARY_GELU] = L(gelu_forward),         [HB_UNARY_GELU_TANH] = L(gelu_tanh_forward),
    [HB_UNARY_ELU] = L(elu_forward),           [HB_UNARY_SILU] = L(silu_forward),
    [HB_UNARY_SOFTPLUS] = L(softplus_forward), [HB_UNARY_HARDTANH] = L(hardtanh_forward),
};

static const L(unary_bwd_fn) L(backward_table)[HB_UNARY_COUNT] = {
    [HB_UNARY_RELU] = L(relu_backward),         [HB_UNARY_LEAKY_RELU] = L(leaky_relu_backward),
    [HB_UNARY_SIGMOID] = L(sigmoid_backward),   [HB_UNARY_TANH] = L(tanh_backward),
    [HB_UNARY_GELU] = L(gelu_backward),         [HB_UNARY_GELU_TANH] = L(gelu_tanh_backward),
    [HB_UNARY_ELU] = L(elu_backward),           [HB_UNARY_SILU] = L(silu_backward),
    [HB_UNARY_SOFTPLUS] = L(softplus_backward), [HB_UNARY_HARDTANH] = L(hardtanh_backward),
};

/* Chunks handed to threads are multiples of this many elements, so each
 * starts on a cache-line (and vector) boundary relative to the array. */
#define HB_UNARY_CHUNK_ALIGN 64

/* This thread's share [lo, hi) of n elements, inside a parallel region. */
static inline void L(thread_slice)(int64_t n, int64_t *lo, int64_t *hi) {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    int64_t per = (n + threads - 1) / threads;
    per = (per + HB_UNARY_CHUNK_ALIGN - 1) / HB_UNARY_CHUNK_ALIGN * HB_UNARY_CHUNK_ALIGN;
    *lo = t * per < n ? t * per : n;
    *hi = *lo + per < n ? *lo + per : n;
}

enum hb_status HB_ISA_FN(L(hb_unary_forward))(int op, const T *restrict x, T *restrict y,
                                               int64_t n, double p1, double p2) {
    const L(unary_fwd_fn) f = L(forward_table)[op];
    if (n < HB_OMP_MIN_ELEMENTS) {
        f(x, y, n, (T)p1, (T)p2);
        return HB_OK;
    }
#pragma omp parallel
    {
        int64_t lo, hi;
        L(thread_slice)(n, &lo, &hi);
        f(x + lo, y + lo, hi - lo, (T)p1, (T)p2);
    }
    return HB_OK;
}

enum hb_status HB_ISA_FN(L(hb_unary_backward))(int op, const T *restrict grad_out,
                                                const T *restrict saved, T *restrict grad_in,
                                                int64_t n, double p1, double p2) {
    const L(unary_bwd_fn) f = L(backward_table)[op];
    if (n < HB_OMP_MIN_ELEMENTS) {
        f(grad_out, saved, grad_in, n, (T)p1, (T)p2);
        return HB_OK;
    }
#pragma omp parallel
    {
        int64_t lo, hi;
        L(thread_slice)(n, &lo, &hi);
        f(grad_out + lo, saved + lo, grad_in + lo, hi - lo, (T)p1, (T)p2);
    }
    return HB_OK;
}

#undef L
#undef GELU_SQRT1_2
#undef GELU_PDF_SCALE
#undef GELU_TANH_BETA
#undef GELU_TANH_KAPPA
#undef DEFINE_FORWARD
#undef DEFINE_BACKWARD
#undef HB_UNARY_CHUNK_ALIGN
