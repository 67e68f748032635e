/* Template: included by isa/optim.c with HB_T, HB_SUF and HB_SQRT defined.
 * No include guard on purpose.
 *
 * Each line mirrors one PyTorch op, with its scalar rounded to HB_T first
 * (PyTorch converts a Python float to the tensor's dtype before the op).
 *
 * Rounding follows PyTorch's vectorized CPU kernels: where they use a fused
 * multiply-add (add with alpha, lerp) so does HB_FMA when the instruction set
 * has one, and everything else is rounded op by op, which is why contraction
 * is switched off for these functions (HB_EXACT): otherwise the compiler
 * would fuse other products and sums at will, a few ulps off PyTorch per step.
 *
 * The loops are specialized on the options that change which memory is
 * touched or whether a term exists (weight decay, momentum, amsgrad): a
 * loop with branches in it does not vectorize. The rest are exact selects or
 * multiplications by 1 and -1. */
#define HB_FN(name) HB_ISA_FN(HB_CAT2(name, HB_SUF))
#define HB_LOCAL(name) HB_CAT2(name, HB_SUF)
#ifndef HB_EXACT
#define HB_EXACT __attribute__((optimize("fp-contract=off")))
#endif
#ifdef __FMA__
#define HB_FMA(a, b, c) HB_FMA_FN(a, b, c)
#else
#define HB_FMA(a, b, c) ((a) * (b) + (c))
#endif

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(sgd_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict buf, int64_t n,
                   const struct hb_sgd_options *opt, const int decay, const int momentum_on) {
    const HB_T sign = opt->maximize ? (HB_T)-1 : (HB_T)1;
    const HB_T neg_lr = (HB_T)(-opt->lr);
    const HB_T weight_decay = (HB_T)opt->weight_decay;
    const HB_T momentum = (HB_T)opt->momentum;
    const HB_T one_minus_dampening = (HB_T)(1.0 - opt->dampening);
    const int first = opt->first_step, nesterov = opt->nesterov;
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        if (decay)
            g = HB_FMA(param[i], weight_decay, g);          /* grad.add(param, alpha=wd) */
        if (momentum_on) {
            const HB_T old = buf[i];
            const HB_T b = first ? g : HB_FMA(g, one_minus_dampening, old * momentum); /* mul_(m).add_(g, alpha=1-d) */
            buf[i] = b;
            g = nesterov ? HB_FMA(b, momentum, g) : b;      /* grad.add(buf, alpha=momentum) */
        }
        param[i] = HB_FMA(g, neg_lr, param[i]);             /* param.add_(grad, alpha=-lr) */
    }
}

HB_EXACT void HB_FN(hb_sgd_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict buf, int64_t n,
                          const struct hb_sgd_options *opt) {
    const int decay = opt->weight_decay != 0;
    if (buf) {
        if (decay)
            HB_LOCAL(sgd_loop)(param, grad, buf, n, opt, 1, 1);
        else
            HB_LOCAL(sgd_loop)(param, grad, buf, n, opt, 0, 1);
    } else {
        if (decay)
            HB_LOCAL(sgd_loop)(param, grad, 0, n, opt, 1, 0);
        else
            HB_LOCAL(sgd_loop)(param, grad, 0, n, opt, 0, 0);
    }
}

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(adam_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict exp_avg,
                    HB_T *restrict exp_avg_sq, HB_T *restrict max_exp_avg_sq, int64_t n,
                    const struct hb_adam_factors *f, const int coupled_decay, const int amsgrad) {
    const HB_T sign = f->maximize ? (HB_T)-1 : (HB_T)1;
    /* decoupled weight decay multiplies by 1 - lr * wd; without it by exactly 1 */
    const HB_T decay = f->decoupled_weight_decay && f->weight_decay != 0 ? (HB_T)f->decay : (HB_T)1;
    const HB_T weight_decay = (HB_T)f->weight_decay;
    const HB_T beta2 = (HB_T)f->beta2, one_minus_beta2 = (HB_T)f->one_minus_beta2;
    const HB_T bias_correction2_sqrt = (HB_T)f->bias_correction2_sqrt;
    const HB_T neg_step_size = (HB_T)f->neg_step_size, eps = (HB_T)f->eps;
    /* torch.lerp(start, end, w) is start + w * (end - start) for |w| < 0.5 and
     * end + (w - 1) * (end - start) otherwise (the form is picked per call). */
    const HB_T w = (HB_T)f->lerp_weight;
    const int small_weight = fabs((double)w) < 0.5;
    const HB_T coeff = small_weight ? w : w - (HB_T)1;
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        const HB_T p = param[i] * decay;                    /* param.mul_(1 - lr * wd) */
        if (coupled_decay)
            g = HB_FMA(p, weight_decay, g);                 /* grad.add(param, alpha=wd) */
        const HB_T m0 = exp_avg[i];
        const HB_T m = HB_FMA(coeff, g - m0, small_weight ? m0 : g); /* exp_avg.lerp_(g, 1 - beta1) */
        exp_avg[i] = m;
        HB_T v = exp_avg_sq[i] * beta2;                     /* exp_avg_sq.mul_(beta2) */
        v = v + one_minus_beta2 * g * g;                    /*   .addcmul_(g, g, value=1 - beta2) */
        exp_avg_sq[i] = v;
        if (amsgrad) {
            const HB_T old = max_exp_avg_sq[i];
            v = (old != old || old > v) ? old : v;          /* torch.maximum: NaN wins */
            max_exp_avg_sq[i] = v;
        }
        const HB_T denom = HB_SQRT(v) / bias_correction2_sqrt + eps;
        param[i] = p + neg_step_size * m / denom;           /* param.addcdiv_(m, denom, value=-step_size) */
    }
}

HB_EXACT void HB_FN(hb_adam_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict exp_avg,
                           HB_T *restrict exp_avg_sq, HB_T *restrict max_exp_avg_sq, int64_t n,
                           const struct hb_adam_factors *f) {
    const int coupled = f->weight_decay != 0 && !f->decoupled_weight_decay;
    if (max_exp_avg_sq) {
        if (coupled)
            HB_LOCAL(adam_loop)(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, n, f, 1, 1);
        else
            HB_LOCAL(adam_loop)(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, n, f, 0, 1);
    } else {
        if (coupled)
            HB_LOCAL(adam_loop)(param, grad, exp_avg, exp_avg_sq, 0, n, f, 1, 0);
        else
            HB_LOCAL(adam_loop)(param, grad, exp_avg, exp_avg_sq, 0, n, f, 0, 0);
    }
}

#undef HB_FN
#undef HB_LOCAL
#undef HB_FMA
