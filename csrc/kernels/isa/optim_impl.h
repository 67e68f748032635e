/* Template: included by isa/optim.c with HB_T, HB_SUF, HB_SQRT and HB_FABS defined.
 * No include guard on purpose.
 *
 * Each line mirrors one PyTorch op, with its scalar rounded to HB_T first
 * (PyTorch converts a Python float to the tensor's dtype before the op).
 *
 * Rounding follows PyTorch's vectorized CPU kernels: where they use a fused
 * multiply-add (add with alpha, lerp, and addcmul, whose `self + v * t1 * t2`
 * PyTorch's GCC build contracts) so does HB_FMA when the instruction set
 * has one, and everything else is rounded op by op, which is why contraction
 * is switched off for these functions (HB_EXACT): otherwise the compiler
 * would fuse other products and sums at will, a few ulps off PyTorch per step.
 *
 * Where the results still differ from PyTorch's, by an ulp here and there,
 * it is sqrt: PyTorch computes it with MKL's vector math, within an ulp but
 * not correctly rounded (about 1 float32 result in 6, 1 float64 result in
 * 100 differs from the exact root), where HB_SQRT is exact.
 *
 * The loops are specialized on the options that change which memory is
 * touched or whether a term exists (weight decay, momentum, amsgrad): a
 * loop with branches in it does not vectorize. The rest are exact selects or
 * multiplications by 1 and -1. */
#define HB_FN(name) HB_ISA_FN(HB_CAT2(name, HB_SUF))
#define HB_LOCAL(name) HB_CAT2(name, HB_SUF)
#ifndef HB_EXACT
#ifdef __clang__
/* clang (macOS builds) ignores the optimize attribute; its pragma switches
 * contraction off for the rest of the file, which holds only these loops. */
#pragma clang fp contract(off)
#define HB_EXACT
#else
#define HB_EXACT __attribute__((optimize("fp-contract=off")))
#endif
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
        v = HB_FMA(one_minus_beta2 * g, g, v);              /*   .addcmul_(g, g, value=1 - beta2) */
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

/* torch.lerp(start, end, w) with a scalar weight, in the form PyTorch picks
 * for that weight (see adam_loop). */
#define HB_LERP(start, end, coeff, small_weight) HB_FMA(coeff, (end) - (start), (small_weight) ? (start) : (end))

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(adagrad_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict state_sum, int64_t n,
                       const struct hb_adagrad_options *opt, const struct hb_step_factors *f, const int decay) {
    const HB_T sign = opt->maximize ? (HB_T)-1 : (HB_T)1;
    const HB_T weight_decay = (HB_T)opt->weight_decay, eps = (HB_T)opt->eps;
    const HB_T neg_clr = (HB_T)f->neg_step_size;
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        if (decay)
            g = HB_FMA(param[i], weight_decay, g);          /* grad.add(param, alpha=wd) */
        const HB_T s = HB_FMA(g, g, state_sum[i]);          /* state_sum.addcmul_(g, g, value=1) */
        state_sum[i] = s;
        const HB_T std = HB_SQRT(s) + eps;                  /* state_sum.sqrt().add_(eps) */
        param[i] = param[i] + neg_clr * g / std;            /* param.addcdiv_(g, std, value=-clr) */
    }
}

HB_EXACT void HB_FN(hb_adagrad_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict state_sum,
                                       int64_t n, const struct hb_adagrad_options *opt,
                                       const struct hb_step_factors *f) {
    if (opt->weight_decay != 0)
        HB_LOCAL(adagrad_loop)(param, grad, state_sum, n, opt, f, 1);
    else
        HB_LOCAL(adagrad_loop)(param, grad, state_sum, n, opt, f, 0);
}

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(adadelta_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict square_avg,
                        HB_T *restrict acc_delta, int64_t n, const struct hb_adadelta_options *opt, const int decay) {
    const HB_T sign = opt->maximize ? (HB_T)-1 : (HB_T)1;
    const HB_T weight_decay = (HB_T)opt->weight_decay, eps = (HB_T)opt->eps;
    const HB_T rho = (HB_T)opt->rho, one_minus_rho = (HB_T)(1.0 - opt->rho), neg_lr = (HB_T)(-opt->lr);
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        if (decay)
            g = HB_FMA(param[i], weight_decay, g);          /* grad.add(param, alpha=wd) */
        HB_T v = square_avg[i] * rho;                       /* square_avg.mul_(rho) */
        v = HB_FMA(one_minus_rho * g, g, v);                /*   .addcmul_(g, g, value=1 - rho) */
        square_avg[i] = v;
        const HB_T std = HB_SQRT(v + eps);                  /* square_avg.add(eps).sqrt_() */
        HB_T delta = HB_SQRT(acc_delta[i] + eps);           /* acc_delta.add(eps).sqrt_() */
        delta = delta / std;                                /* delta.div_(std) */
        delta = delta * g;                                  /*   .mul_(g) */
        HB_T a = acc_delta[i] * rho;                        /* acc_delta.mul_(rho) */
        acc_delta[i] = HB_FMA(one_minus_rho * delta, delta, a); /* .addcmul_(delta, delta, value=1 - rho) */
        param[i] = HB_FMA(delta, neg_lr, param[i]);         /* param.add_(delta, alpha=-lr) */
    }
}

HB_EXACT void HB_FN(hb_adadelta_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict square_avg,
                                        HB_T *restrict acc_delta, int64_t n, const struct hb_adadelta_options *opt) {
    if (opt->weight_decay != 0)
        HB_LOCAL(adadelta_loop)(param, grad, square_avg, acc_delta, n, opt, 1);
    else
        HB_LOCAL(adadelta_loop)(param, grad, square_avg, acc_delta, n, opt, 0);
}

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(rmsprop_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict square_avg,
                       HB_T *restrict grad_avg, HB_T *restrict momentum_buffer, int64_t n,
                       const struct hb_rmsprop_options *opt, const int decay, const int centered,
                       const int momentum_on) {
    const HB_T sign = opt->maximize ? (HB_T)-1 : (HB_T)1;
    const HB_T weight_decay = (HB_T)opt->weight_decay, eps = (HB_T)opt->eps;
    const HB_T alpha = (HB_T)opt->alpha, one_minus_alpha = (HB_T)(1.0 - opt->alpha);
    const HB_T momentum = (HB_T)opt->momentum, neg_lr = (HB_T)(-opt->lr);
    const HB_T w = one_minus_alpha;                         /* grad_avg.lerp_(g, 1 - alpha) */
    const int small_weight = fabs((double)w) < 0.5;
    const HB_T coeff = small_weight ? w : w - (HB_T)1;
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        if (decay)
            g = HB_FMA(param[i], weight_decay, g);          /* grad.add(param, alpha=wd) */
        HB_T v = square_avg[i] * alpha;                     /* square_avg.mul_(alpha) */
        v = HB_FMA(one_minus_alpha * g, g, v);              /*   .addcmul_(g, g, value=1 - alpha) */
        square_avg[i] = v;
        HB_T avg;
        if (centered) {
            const HB_T ga = HB_LERP(grad_avg[i], g, coeff, small_weight);
            grad_avg[i] = ga;
            avg = HB_SQRT(HB_FMA(-ga, ga, v));              /* square_avg.addcmul(ga, ga, value=-1).sqrt_() */
        } else {
            avg = HB_SQRT(v);                               /* square_avg.sqrt() */
        }
        avg = avg + eps;                                    /* avg.add_(eps) */
        if (momentum_on) {
            const HB_T b = momentum_buffer[i] * momentum + g / avg; /* buf.mul_(m).addcdiv_(g, avg) */
            momentum_buffer[i] = b;
            param[i] = HB_FMA(b, neg_lr, param[i]);         /* param.add_(buf, alpha=-lr) */
        } else {
            param[i] = param[i] + neg_lr * g / avg;         /* param.addcdiv_(g, avg, value=-lr) */
        }
    }
}

HB_EXACT void HB_FN(hb_rmsprop_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict square_avg,
                                       HB_T *restrict grad_avg, HB_T *restrict momentum_buffer, int64_t n,
                                       const struct hb_rmsprop_options *opt) {
    const int decay = opt->weight_decay != 0;
#define HB_RMSPROP_CASE(d, c, m) \
    HB_LOCAL(rmsprop_loop)(param, grad, square_avg, c ? grad_avg : 0, m ? momentum_buffer : 0, n, opt, d, c, m)
    if (decay) {
        if (grad_avg) {
            if (momentum_buffer) HB_RMSPROP_CASE(1, 1, 1); else HB_RMSPROP_CASE(1, 1, 0);
        } else {
            if (momentum_buffer) HB_RMSPROP_CASE(1, 0, 1); else HB_RMSPROP_CASE(1, 0, 0);
        }
    } else {
        if (grad_avg) {
            if (momentum_buffer) HB_RMSPROP_CASE(0, 1, 1); else HB_RMSPROP_CASE(0, 1, 0);
        } else {
            if (momentum_buffer) HB_RMSPROP_CASE(0, 0, 1); else HB_RMSPROP_CASE(0, 0, 0);
        }
    }
#undef HB_RMSPROP_CASE
}

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(adamax_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict exp_avg,
                      HB_T *restrict exp_inf, int64_t n, const struct hb_adamax_options *opt,
                      const struct hb_step_factors *f, const int decay) {
    const HB_T sign = opt->maximize ? (HB_T)-1 : (HB_T)1;
    const HB_T weight_decay = (HB_T)opt->weight_decay, eps = (HB_T)opt->eps;
    const HB_T beta2 = (HB_T)opt->beta2, neg_clr = (HB_T)f->neg_step_size;
    const HB_T w = (HB_T)(1.0 - opt->beta1);                /* exp_avg.lerp_(g, 1 - beta1) */
    const int small_weight = fabs((double)w) < 0.5;
    const HB_T coeff = small_weight ? w : w - (HB_T)1;
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        if (decay)
            g = HB_FMA(param[i], weight_decay, g);          /* grad.add(param, alpha=wd) */
        const HB_T m = HB_LERP(exp_avg[i], g, coeff, small_weight);
        exp_avg[i] = m;
        const HB_T a = exp_inf[i] * beta2;                  /* exp_inf.mul_(beta2) */
        const HB_T b = HB_FABS(g) + eps;                    /* grad.abs().add_(eps) */
        const HB_T u = (a != a || a > b) ? a : b;           /* torch.maximum: NaN wins */
        exp_inf[i] = u;
        param[i] = param[i] + neg_clr * m / u;              /* param.addcdiv_(exp_avg, exp_inf, value=-clr) */
    }
}

HB_EXACT void HB_FN(hb_adamax_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict exp_avg,
                                      HB_T *restrict exp_inf, int64_t n, const struct hb_adamax_options *opt,
                                      const struct hb_step_factors *f) {
    if (opt->weight_decay != 0)
        HB_LOCAL(adamax_loop)(param, grad, exp_avg, exp_inf, n, opt, f, 1);
    else
        HB_LOCAL(adamax_loop)(param, grad, exp_avg, exp_inf, n, opt, f, 0);
}

static inline __attribute__((always_inline)) HB_EXACT void
HB_LOCAL(nadam_loop)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict exp_avg,
                     HB_T *restrict exp_avg_sq, int64_t n, const struct hb_nadam_options *opt,
                     const struct hb_step_factors *f, const int coupled_decay) {
    const HB_T sign = opt->maximize ? (HB_T)-1 : (HB_T)1;
    /* decoupled weight decay multiplies by 1 - lr * wd; without it by exactly 1 */
    const HB_T decay = opt->decoupled_weight_decay && opt->weight_decay != 0
                           ? (HB_T)(1.0 - opt->lr * opt->weight_decay) : (HB_T)1;
    const HB_T weight_decay = (HB_T)opt->weight_decay, eps = (HB_T)opt->eps;
    const HB_T beta2 = (HB_T)opt->beta2, one_minus_beta2 = (HB_T)(1.0 - opt->beta2);
    const HB_T bias_correction2 = (HB_T)f->bias_correction2;
    const HB_T grad_coeff = (HB_T)f->grad_coeff, exp_avg_coeff = (HB_T)f->exp_avg_coeff;
    const HB_T w = (HB_T)(1.0 - opt->beta1);                /* exp_avg.lerp_(g, 1 - beta1) */
    const int small_weight = fabs((double)w) < 0.5;
    const HB_T coeff = small_weight ? w : w - (HB_T)1;
    for (int64_t i = 0; i < n; i++) {
        HB_T g = sign * grad[i];
        HB_T p = param[i] * decay;                          /* param.mul_(1 - lr * wd) */
        if (coupled_decay)
            g = HB_FMA(p, weight_decay, g);                 /* grad.add(param, alpha=wd) */
        const HB_T m = HB_LERP(exp_avg[i], g, coeff, small_weight);
        exp_avg[i] = m;
        HB_T v = exp_avg_sq[i] * beta2;                     /* exp_avg_sq.mul_(beta2) */
        v = HB_FMA(one_minus_beta2 * g, g, v);              /*   .addcmul_(g, g, value=1 - beta2) */
        exp_avg_sq[i] = v;
        const HB_T denom = HB_SQRT(v / bias_correction2) + eps; /* exp_avg_sq.div(bc2).sqrt().add_(eps) */
        p = p + grad_coeff * g / denom;                     /* param.addcdiv_(g, denom, value=...) */
        param[i] = p + exp_avg_coeff * m / denom;           /* param.addcdiv_(exp_avg, denom, value=...) */
    }
}

HB_EXACT void HB_FN(hb_nadam_update)(HB_T *restrict param, const HB_T *restrict grad, HB_T *restrict exp_avg,
                                     HB_T *restrict exp_avg_sq, int64_t n, const struct hb_nadam_options *opt,
                                     const struct hb_step_factors *f) {
    if (opt->weight_decay != 0 && !opt->decoupled_weight_decay)
        HB_LOCAL(nadam_loop)(param, grad, exp_avg, exp_avg_sq, n, opt, f, 1);
    else
        HB_LOCAL(nadam_loop)(param, grad, exp_avg, exp_avg_sq, n, opt, f, 0);
}

#undef HB_LERP
#undef HB_FN
#undef HB_LOCAL
#undef HB_FMA
