/* Template for isa/conv_direct.c: expects T and SFX (f32/f64). */

#define NAME(x) HB_CAT2(x, SFX)
#define VW (HB_VB / (int)sizeof(T))
#define MR HB_CONV_MR
#define NV HB_CONV_NV
#define NR (NV * VW)
#define V NAME(conv_vec)
#define UV NAME(conv_uvec)

typedef T V __attribute__((vector_size(HB_VB)));
/* The same vector at element alignment, for loads from the padded rows. */
typedef T UV __attribute__((vector_size(HB_VB), aligned(sizeof(T))));

static inline V NAME(conv_splat)(T x) { return x - (V){0}; }

/* tile[r * NR + j] = sum over k < kc of A(r, k) * B(k, j) for r < MR, j < NR,
 * where A(r, k) = arow[r][k * a_step] and B(k, j) = b[boff[k] + j]. */
static inline __attribute__((always_inline)) void NAME(tile_kernel)(
    int64_t kc, const T *const *arow, int64_t a_step, const T *b, const int64_t *boff,
    T *restrict tile) {
    const T *a[MR];
    V acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
        a[r] = arow[r];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            acc[r][v] = (V){0};
    }
    for (int64_t k = 0; k < kc; k++) {
        const T *bk = b + boff[k];
        V bv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            bv[v] = *(const UV *)(bk + v * VW);
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            const V av = NAME(conv_splat)(a[r][k * a_step]);
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++)
                acc[r][v] += av * bv[v];
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            *(V *)(tile + r * NR + v * VW) = acc[r][v];
}

/* A from a packed panel [kc][MR] (the weights). */
static __attribute__((noinline)) void NAME(tile_packed)(int64_t kc, const T *panel, const T *b,
                                                        const int64_t *boff, T *tile) {
    const T *arow[MR];
    for (int r = 0; r < MR; r++)
        arow[r] = panel + r;
    NAME(tile_kernel)(kc, arow, MR, b, boff, tile);
}

/* A from MR contiguous rows anywhere (rows of the padded image). */
static __attribute__((noinline)) void NAME(tile_rows)(int64_t kc, const T *const *arow,
                                                      const T *b, const int64_t *boff, T *tile) {
    NAME(tile_kernel)(kc, arow, 1, b, boff, tile);
}

/* One stride-1 convolution without padding, from a padded source
 * (groups * cin_g planes of hp x wp) to out (groups * cout_g planes of oh x ow). */
struct NAME(direct_plan) {
    int64_t groups, cin_g, cout_g, hp, wp, oh, ow, kh, kw, dh, dw;
    int64_t k;      /* cin_g * kh * kw: the reduction */
    int64_t otiles; /* MR-row panels of output channels per group */
    int64_t cols;   /* wide output columns: (oh - 1) * wp + ow */
    int64_t *boff;  /* k offsets of B's rows in a group's padded source */
    T *apack;       /* [groups][otiles][k][MR] weights, zero past cout_g */
};

static void NAME(plan_offsets)(struct NAME(direct_plan) *p) {
    for (int64_t c = 0; c < p->cin_g; c++)
        for (int64_t ki = 0; ki < p->kh; ki++)
            for (int64_t kj = 0; kj < p->kw; kj++)
                p->boff[(c * p->kh + ki) * p->kw + kj] =
                    c * p->hp * p->wp + ki * p->dh * p->wp + kj * p->dw;
}

/* dst = src (planes of h x w) with ph rows and pw columns of zeros around each
 * plane, then `slack` zeros (the last tile of a row reads up to NR past the
 * last needed element). */
static void NAME(pad_planes)(const T *src, int64_t planes, int64_t h, int64_t w, int64_t ph,
                             int64_t pw, T *dst, int64_t slack) {
    const int64_t hp = h + 2 * ph, wp = w + 2 * pw;
    for (int64_t c = 0; c < planes; c++) {
        T *d = dst + c * hp * wp;
        const T *s = src + c * h * w;
        memset(d, 0, sizeof(T) * ph * wp);
        for (int64_t i = 0; i < h; i++) {
            T *row = d + (ph + i) * wp;
            memset(row, 0, sizeof(T) * pw);
            memcpy(row + pw, s + i * w, sizeof(T) * w);
            memset(row + pw + w, 0, sizeof(T) * pw);
        }
        memset(d + (ph + h) * wp, 0, sizeof(T) * ph * wp);
    }
    memset(dst + planes * hp * wp, 0, sizeof(T) * slack);
}

/* Stores the valid part of a tile: rows past cout_g and wide columns past ow are dropped. */
static void NAME(store_tile)(const struct NAME(direct_plan) *p, const T *tile, int64_t gr,
                             int64_t ot, int64_t j0, const T *bias, T *out) {
    const int64_t rows = p->cout_g - ot * MR < MR ? p->cout_g - ot * MR : MR;
    const int64_t j1 = j0 + NR < p->cols ? j0 + NR : p->cols;
    for (int64_t r = 0; r < rows; r++) {
        const int64_t o = gr * p->cout_g + ot * MR + r;
        const T b = bias ? bias[o] : 0;
        T *plane = out + o * p->oh * p->ow;
        const T *t = tile + r * NR - j0;
        int64_t row = j0 / p->wp, col = j0 % p->wp;
        for (int64_t j = j0; j < j1; row++, col = 0) {
            /* the rest of this wide row: the first ow - col entries are outputs */
            const int64_t end = j + (p->wp - col) < j1 ? j + (p->wp - col) : j1;
            const int64_t keep = col < p->ow ? (p->ow - col < end - j ? p->ow - col : end - j) : 0;
            for (int64_t i = 0; i < keep; i++)
                plane[row * p->ow + col + i] = t[j + i] + b;
            j = end;
        }
    }
}

/* out = the plan's convolution of one padded source (and bias). */
static void NAME(direct_image)(const struct NAME(direct_plan) *p, const T *src, const T *bias,
                               T *out) {
    T tile[MR * NR] __attribute__((aligned(64)));
    for (int64_t gr = 0; gr < p->groups; gr++) {
        const T *xs = src + gr * p->cin_g * p->hp * p->wp;
        for (int64_t ot = 0; ot < p->otiles; ot++) {
            const T *panel = p->apack + (gr * p->otiles + ot) * p->k * MR;
            for (int64_t j0 = 0; j0 < p->cols; j0 += NR) {
                NAME(tile_packed)(p->k, panel, xs + j0, p->boff, tile);
                NAME(store_tile)(p, tile, gr, ot, j0, bias, out);
            }
        }
    }
}

/* Packs weights stored as w[((gr * cout_g + o) * cin_g + c) * kh * kw + tap]
 * (transposed: w[((gr * cin_g + c) * cout_g + o) * ...]; flipped: the taps in
 * reverse order) into the plan's MR-row panels. */
static void NAME(pack_weights)(const struct NAME(direct_plan) *p, const T *w, int transposed) {
    const int64_t taps = p->kh * p->kw;
    for (int64_t gr = 0; gr < p->groups; gr++)
        for (int64_t ot = 0; ot < p->otiles; ot++) {
            T *panel = p->apack + (gr * p->otiles + ot) * p->k * MR;
            for (int64_t r = 0; r < MR; r++) {
                const int64_t o = ot * MR + r;
                for (int64_t c = 0; c < p->cin_g; c++)
                    for (int64_t tap = 0; tap < taps; tap++) {
                        T v = 0;
                        if (o < p->cout_g)
                            v = transposed
                                    ? w[((gr * p->cin_g + c) * p->cout_g + o) * taps + taps - 1 - tap]
                                    : w[((gr * p->cout_g + o) * p->cin_g + c) * taps + tap];
                        panel[(c * taps + tap) * MR + r] = v;
                    }
            }
        }
}

static int NAME(plan_init)(struct NAME(direct_plan) *p, int64_t groups, int64_t cin_g,
                           int64_t cout_g, int64_t hp, int64_t wp, const struct hb_conv2d_geom *g) {
    p->groups = groups;
    p->cin_g = cin_g;
    p->cout_g = cout_g;
    p->hp = hp;
    p->wp = wp;
    p->kh = g->kernel_h;
    p->kw = g->kernel_w;
    p->dh = g->dilation_h;
    p->dw = g->dilation_w;
    p->oh = hp - g->dilation_h * (g->kernel_h - 1);
    p->ow = wp - g->dilation_w * (g->kernel_w - 1);
    p->k = cin_g * p->kh * p->kw;
    p->otiles = (cout_g + MR - 1) / MR;
    p->cols = (p->oh - 1) * wp + p->ow;
    p->boff = malloc(sizeof(int64_t) * (size_t)(p->k > 0 ? p->k : 1));
    p->apack = malloc(sizeof(T) * (size_t)(groups * p->otiles * p->k * MR + 1));
    if (!p->boff || !p->apack) {
        free(p->boff);
        free(p->apack);
        return HB_ENOMEM;
    }
    NAME(plan_offsets)(p);
    return HB_OK;
}

static void NAME(plan_free)(struct NAME(direct_plan) *p) {
    free(p->boff);
    free(p->apack);
}

int HB_ISA_FN(NAME(hb_conv2d_direct_forward))(const struct hb_conv2d_geom *g, const T *x,
                                              const T *w, const T *bias, T *y, int threads) {
    const int64_t groups = g->groups;
    struct NAME(direct_plan) p;
    int status = NAME(plan_init)(&p, groups, g->channels / groups, g->out_channels / groups,
                                 g->height + 2 * g->pad_h, g->width + 2 * g->pad_w, g);
    if (status != HB_OK)
        return status;
    NAME(pack_weights)(&p, w, 0);
    const int64_t padded = g->channels * p.hp * p.wp + NR;
    T *scratch = malloc(sizeof(T) * (size_t)(padded * threads));
    if (!scratch) {
        NAME(plan_free)(&p);
        return HB_ENOMEM;
    }
    const int64_t image = g->channels * g->height * g->width;
    const int64_t out_image = g->out_channels * g->out_height * g->out_width;
    /* Images are handed out one at a time: every image's output is computed
     * the same way whichever thread takes it, and a thread slowed down by
     * another process does not hold the others back. */
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        T *xpad = scratch + omp_get_thread_num() * padded;
#pragma omp for schedule(dynamic, 1)
        for (int64_t n = 0; n < g->batch; n++) {
            NAME(pad_planes)(x + n * image, g->channels, g->height, g->width, g->pad_h, g->pad_w,
                             xpad, NR);
            NAME(direct_image)(&p, xpad, bias, y + n * out_image);
        }
    }
    free(scratch);
    NAME(plan_free)(&p);
    return HB_OK;
}

/* acc[o * k + kk] += the weight gradient of one image and group:
 * sum over wide columns j of xs[boff[kk] + j] * dyt[j * ldt + o]. The columns
 * go in blocks of HB_CONV_WGRAD_COLS, output channels next: a block of dyt's
 * rows (one register tile wide) then stays in L1 while every tile of kernel
 * taps is multiplied into it. */
#define HB_CONV_WGRAD_COLS 256
static void NAME(weight_grad_group)(const struct NAME(direct_plan) *p, const T *xs,
                                    const T *dyt, int64_t ldt, const int64_t *boff_t, T *acc) {
    T tile[MR * NR] __attribute__((aligned(64)));
    const T *arow[MR];
    for (int64_t j0 = 0; j0 < p->cols; j0 += HB_CONV_WGRAD_COLS) {
        const int64_t jn = p->cols - j0 < HB_CONV_WGRAD_COLS ? p->cols - j0 : HB_CONV_WGRAD_COLS;
        for (int64_t o0 = 0; o0 < p->cout_g; o0 += NR) {
            const int64_t cols = p->cout_g - o0 < NR ? p->cout_g - o0 : NR;
            for (int64_t k0 = 0; k0 < p->k; k0 += MR) {
                const int64_t rows = p->k - k0 < MR ? p->k - k0 : MR;
                for (int r = 0; r < MR; r++)
                    arow[r] = xs + p->boff[k0 + (r < rows ? r : 0)] + j0;
                NAME(tile_rows)(jn, arow, dyt + o0, boff_t + j0, tile);
                for (int64_t c = 0; c < cols; c++)
                    for (int64_t r = 0; r < rows; r++)
                        acc[(o0 + c) * p->k + k0 + r] += tile[r * NR + c];
            }
        }
    }
}
#undef HB_CONV_WGRAD_COLS

/* dyt[j * ldt + o] = the output gradient of one group laid out wide (zero in
 * the discarded columns) and transposed, output channels contiguous. Blocks of
 * HB_CONV_TRANSPOSE_BLOCK columns: their rows of dyt stay in cache while every
 * channel is written into them. */
#define HB_CONV_TRANSPOSE_BLOCK 16
static void NAME(wide_transpose)(const struct NAME(direct_plan) *p, const T *dy, T *dyt,
                                 int64_t ldt) {
    for (int64_t i = 0; i < p->oh; i++) {
        T *rows = dyt + i * p->wp * ldt;
        const int64_t width = i == p->oh - 1 ? p->ow : p->wp;
        memset(rows, 0, sizeof(T) * width * ldt);
        for (int64_t j0 = 0; j0 < p->ow; j0 += HB_CONV_TRANSPOSE_BLOCK) {
            const int64_t j1 = j0 + HB_CONV_TRANSPOSE_BLOCK < p->ow ? j0 + HB_CONV_TRANSPOSE_BLOCK : p->ow;
            for (int64_t o = 0; o < p->cout_g; o++) {
                const T *src = dy + (o * p->oh + i) * p->ow;
                for (int64_t j = j0; j < j1; j++)
                    rows[j * ldt + o] = src[j];
            }
        }
    }
}
#undef HB_CONV_TRANSPOSE_BLOCK

int HB_ISA_FN(NAME(hb_conv2d_direct_backward))(const struct hb_conv2d_geom *g, const T *x,
                                               const T *w, const T *grad_y, T *grad_x,
                                               T *grad_w, T *grad_b, int threads) {
    const int64_t groups = g->groups, cg = g->channels / groups, og = g->out_channels / groups;
    const int64_t qh = g->dilation_h * (g->kernel_h - 1) - g->pad_h;
    const int64_t qw = g->dilation_w * (g->kernel_w - 1) - g->pad_w;
    struct NAME(direct_plan) fw = {0}, bd = {0};
    /* fw: the forward geometry, for the weight gradient; bd: the input gradient
     * as a convolution of the output gradient padded by (qh, qw). */
    int fw_ok = 0, bd_ok = 0;
    int status = HB_OK;
    if (grad_w) {
        status = NAME(plan_init)(&fw, groups, cg, og, g->height + 2 * g->pad_h,
                                 g->width + 2 * g->pad_w, g);
        fw_ok = status == HB_OK;
    }
    if (status == HB_OK && grad_x) {
        status = NAME(plan_init)(&bd, groups, og, cg, g->out_height + 2 * qh,
                                 g->out_width + 2 * qw, g);
        bd_ok = status == HB_OK;
        if (bd_ok)
            NAME(pack_weights)(&bd, w, 1);
    }
    const int64_t ldt = (og + NR - 1) / NR * NR;
    const int64_t xpad_size = fw_ok ? g->channels * fw.hp * fw.wp + NR : 0;
    const int64_t dyt_size = fw_ok ? fw.cols * ldt : 0;
    const int64_t dypad_size = bd_ok ? g->out_channels * bd.hp * bd.wp + NR : 0;
    const int64_t wsize = fw_ok ? groups * fw.k * og : 0, bsize = grad_b ? g->out_channels : 0;
    const int64_t per_thread = xpad_size + dyt_size + dypad_size + wsize + bsize;
    int64_t *boff_t = fw_ok ? malloc(sizeof(int64_t) * (size_t)fw.cols) : NULL;
    T *scratch = status == HB_OK ? malloc(sizeof(T) * (size_t)(per_thread * threads + 1)) : NULL;
    if (!scratch || (fw_ok && !boff_t)) {
        free(scratch);
        free(boff_t);
        if (fw_ok)
            NAME(plan_free)(&fw);
        if (bd_ok)
            NAME(plan_free)(&bd);
        return status != HB_OK ? status : HB_ENOMEM;
    }
    for (int64_t j = 0; grad_w && j < fw.cols; j++)
        boff_t[j] = j * ldt;
    const int64_t image = g->channels * g->height * g->width;
    const int64_t out_image = g->out_channels * g->out_height * g->out_width;
    const int64_t plane = g->out_height * g->out_width;
    int team = 1;
#pragma omp parallel num_threads(threads) if (threads > 1)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        if (t == 0)
            team = nt;
        T *xpad = scratch + t * per_thread;
        T *dyt = xpad + xpad_size;
        T *dypad = dyt + dyt_size;
        /* thread 0 sums straight into the outputs, the others into their own */
        T *wacc = t == 0 ? grad_w : dypad + dypad_size;
        T *bacc = t == 0 ? grad_b : dypad + dypad_size + wsize;
        if (wacc)
            memset(wacc, 0, sizeof(T) * wsize);
        if (bacc)
            memset(bacc, 0, sizeof(T) * bsize);
        const int64_t n1 = direct_part(g->batch, t + 1, nt);
        for (int64_t n = direct_part(g->batch, t, nt); n < n1; n++) {
            const T *dy = grad_y + n * out_image;
            if (grad_w) {
                NAME(pad_planes)(x + n * image, g->channels, g->height, g->width, g->pad_h,
                                 g->pad_w, xpad, NR);
                for (int64_t gr = 0; gr < groups; gr++) {
                    NAME(wide_transpose)(&fw, dy + gr * og * plane, dyt, ldt);
                    NAME(weight_grad_group)(&fw, xpad + gr * cg * fw.hp * fw.wp, dyt, ldt, boff_t,
                                            wacc + gr * og * fw.k);
                }
            }
            if (grad_b)
                for (int64_t o = 0; o < g->out_channels; o++) {
                    double s = 0;
#pragma omp simd reduction(+ : s)
                    for (int64_t i = 0; i < plane; i++)
                        s += dy[o * plane + i];
                    bacc[o] += (T)s;
                }
            if (grad_x) {
                NAME(pad_planes)(dy, g->out_channels, g->out_height, g->out_width, qh, qw, dypad,
                                 NR);
                NAME(direct_image)(&bd, dypad, NULL, grad_x + n * image);
            }
        }
    }
    /* the other threads' sums, in thread order */
    for (int t = 1; t < team; t++) {
        const T *wacc = scratch + t * per_thread + xpad_size + dyt_size + dypad_size;
        for (int64_t i = 0; i < wsize; i++)
            grad_w[i] += wacc[i];
        for (int64_t i = 0; i < bsize; i++)
            grad_b[i] += wacc[wsize + i];
    }
    free(scratch);
    free(boff_t);
    NAME(plan_free)(&fw);
    NAME(plan_free)(&bd);
    return HB_OK;
}

#undef NAME
#undef VW
#undef MR
#undef NV
#undef NR
#undef V
#undef UV
