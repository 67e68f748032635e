/* One dtype's GEMM: included by gemm_kernel.c with T (element type), SFX
 * (f32/f64), NV, MC, KC, NC defined, and HB_VB (vector bytes), HB_MR set for
 * the instruction set being compiled. Not a standalone header. */

#define NAME(x) HB_CAT2(x, SFX)
#define VW (HB_VB / (int)sizeof(T))
#define MR HB_MR
#define NR (NV * VW)
#define V NAME(vec)
#define UV NAME(uvec)

typedef T V __attribute__((vector_size(HB_VB)));
/* The same vector at element alignment, for loads and stores into C and into
 * unpacked operands. */
typedef T UV __attribute__((vector_size(HB_VB), aligned(sizeof(T))));

/* x in every lane: a broadcast (x - 0 is x exactly, and the compiler knows it). */
static inline V NAME(splat)(T x) { return x - (V){0}; }

static inline int64_t NAME(min64)(int64_t x, int64_t y) { return x < y ? x : y; }

/* The first `valid` lanes of x stored to / loaded from p (1 <= valid <= VW). */
static inline void NAME(store_part)(T *p, V x, int valid) {
#ifdef HB_MASKED_EDGES
    HB_CAT2(hb_store_part, SFX)(p, (HB_CAT2(HB_NATIVE, SFX))x, valid);
#else
    for (int j = 0; j < valid; j++)
        p[j] = x[j];
#endif
}

static inline V NAME(load_part)(const T *p, int valid) {
#ifdef HB_MASKED_EDGES
    return (V)HB_CAT2(hb_load_part, SFX)(p, valid);
#else
    V x = {0};
    for (int j = 0; j < valid; j++)
        x[j] = p[j];
    return x;
#endif
}

/* The micro-kernel: c[0:mr, 0:nr] = alpha * A[0:MR, 0:kc] * B[0:kc, 0:NR] + beta * c.
 * A(r, p) is a[r * rs_a + p * cs_a]; rows at or past a_rows re-read row 0 (they
 * are computed, never stored), so an unpacked A is never read past its end.
 * B(p, j) is b[p * ldb + j], NR readable columns. beta == 0 does not read c. */
static inline __attribute__((always_inline)) void NAME(micro_tile)(
    int64_t kc, const T *a, int64_t rs_a, int64_t cs_a, int a_rows, const T *b, int64_t ldb,
    int mr, int nr, T alpha, T beta, T *c, int64_t ldc) {
    const T *arow[MR];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
        arow[r] = a + (r < a_rows ? r : 0) * rs_a;
    V acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            acc[r][v] = (V){0};
    /* the C tile is read (or written) after the loop: start fetching it now */
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
        if (r < mr) {
            __builtin_prefetch(c + r * ldc, 1);
            __builtin_prefetch(c + r * ldc + nr - 1, 1);
        }
    for (int64_t p = 0; p < kc; p++) {
        if (cs_a == MR)   /* packed A streams from L2: fetch a few steps ahead */
            __builtin_prefetch(arow[0] + (p + 16) * MR);
        V bv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            bv[v] = *(const UV *)(b + p * ldb + v * VW);
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            V av = NAME(splat)(arow[r][p * cs_a]);
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++)
                acc[r][v] += av * bv[v];
        }
    }
    if (mr == MR && nr == NR) {
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++) {
                UV *cp = (UV *)(c + r * ldc + v * VW);
                V x = alpha * acc[r][v];
                if (beta != 0)
                    x += beta * *cp;
                *cp = x;
            }
        return;
    }
    /* Edge tile: the rows that exist, each vector stored whole or masked to
     * the columns that exist (rows past mr were computed, never stored). */
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) {
            const int valid = nr - v * VW < VW ? nr - v * VW : VW;
            if (valid <= 0)
                break;
            T *cp = c + r * ldc + v * VW;
            V x = alpha * acc[r][v];
            if (valid == VW) {
                if (beta != 0)
                    x += beta * *(UV *)cp;
                *(UV *)cp = x;
            } else {
                if (beta != 0)
                    x += beta * NAME(load_part)(cp, valid);
                NAME(store_part)(cp, x, valid);
            }
        }
}

/* On packed panels: A as [kc][MR] (rows past the edge zero), B as [kc][NR]. */
static __attribute__((noinline)) void NAME(micro_packed)(int64_t kc, const T *a, const T *b,
                                                         int mr, int nr, T alpha, T beta, T *c,
                                                         int64_t ldc) {
    NAME(micro_tile)(kc, a, 1, MR, MR, b, NR, mr, nr, alpha, beta, c, ldc);
}

/* On unpacked operands: any A strides, B with NR readable columns per row. */
static __attribute__((noinline)) void NAME(micro_direct)(int64_t kc, const T *a, int64_t rs_a,
                                                         int64_t cs_a, int mr, const T *b,
                                                         int64_t ldb, int nr, T alpha, T beta,
                                                         T *c, int64_t ldc) {
    NAME(micro_tile)(kc, a, rs_a, cs_a, mr, b, ldb, mr, nr, alpha, beta, c, ldc);
}

/* Small products: micro-kernels straight on A (any strides) and on B's rows
 * (B not transposed). The columns past the last full NR block are copied into
 * a zero-padded k x NR strip `pad` first, so the kernel never reads past B. */
static void NAME(gemm_direct)(int64_t m, int64_t n, int64_t k, T alpha, const T *a,
                              int64_t rs_a, int64_t cs_a, const T *b, int64_t ldb, T beta,
                              T *c, int64_t ldc, T *pad) {
    int64_t n_full = n - n % NR;
    for (int64_t j0 = 0; j0 < n_full; j0 += NR)
        for (int64_t i0 = 0; i0 < m; i0 += MR)
            NAME(micro_direct)(k, a + i0 * rs_a, rs_a, cs_a, (int)NAME(min64)(MR, m - i0),
                               b + j0, ldb, NR, alpha, beta, c + i0 * ldc + j0, ldc);
    int nt = (int)(n - n_full);
    if (nt == 0)
        return;
    for (int64_t p = 0; p < k; p++)
        for (int j = 0; j < NR; j++)
            pad[p * NR + j] = j < nt ? b[p * ldb + n_full + j] : 0;
    for (int64_t i0 = 0; i0 < m; i0 += MR)
        NAME(micro_direct)(k, a + i0 * rs_a, rs_a, cs_a, (int)NAME(min64)(MR, m - i0), pad, NR,
                           nt, alpha, beta, c + i0 * ldc + n_full, ldc);
}

/* Packs op(A)[0:mc, 0:kc] into MR-row panels, each [kc][MR], zero past the edge. */
static void NAME(pack_a_panel)(int mr, int64_t kc, const T *a, int64_t rs_a, int64_t cs_a,
                               T *dst) {
    if (mr < MR)
        memset(dst, 0, sizeof(T) * MR * kc);
    if (cs_a == 1) {
        for (int r = 0; r < mr; r++)
            for (int64_t p = 0; p < kc; p++)
                dst[p * MR + r] = a[r * rs_a + p];
    } else {
        for (int64_t p = 0; p < kc; p++)
            for (int r = 0; r < mr; r++)
                dst[p * MR + r] = a[r * rs_a + p * cs_a];
    }
}

/* Packs op(B)[0:kc, 0:nr] into one [kc][NR] panel, zero past the edge. */
static void NAME(pack_b_panel)(int nr, int64_t kc, const T *b, int64_t rs_b, int64_t cs_b,
                               T *dst) {
    if (cs_b == 1 && nr == NR) {
        for (int64_t p = 0; p < kc; p++)
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++)
                *(V *)(dst + p * NR + v * VW) = *(const UV *)(b + p * rs_b + v * VW);
        return;
    }
    if (nr < NR)
        memset(dst, 0, sizeof(T) * NR * kc);
    if (cs_b == 1) {
        for (int64_t p = 0; p < kc; p++)
            for (int j = 0; j < nr; j++)
                dst[p * NR + j] = b[p * rs_b + j];
    } else {
        for (int j = 0; j < nr; j++)
            for (int64_t p = 0; p < kc; p++)
                dst[p * NR + j] = b[p * rs_b + j * cs_b];
    }
}

/* The block size that splits `size` into the fewest blocks of at most `max`,
 * as even as a multiple of `unit` allows (max is itself a multiple of unit). */
static int64_t NAME(even_block)(int64_t size, int64_t max, int64_t unit) {
    int64_t blocks = (size + max - 1) / max;
    int64_t block = (size + blocks - 1) / blocks;
    return (block + unit - 1) / unit * unit;
}

static int NAME(gemm_packed)(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, T alpha,
                             const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
                             int64_t ldc, int nthreads) {
    int64_t rs_a = trans_a ? 1 : lda, cs_a = trans_a ? lda : 1;
    int64_t rs_b = trans_b ? 1 : ldb, cs_b = trans_b ? ldb : 1;
    /* Blocks of equal size rather than full ones and a remainder: k = 784
     * runs as 4 x 196, not 3 x 256 + 16 (a thin last block costs a full pass
     * over C for little work). */
    int64_t kc_max = NAME(even_block)(k, KC, 1);
    int64_t mc_max = NAME(even_block)(m, MC, MR);
    int64_t nc_max = NAME(even_block)(n, NC, NR);
    size_t bytes_a = ((size_t)(mc_max * kc_max) * sizeof(T) + 63) / 64 * 64;
    size_t bytes_b = ((size_t)(nc_max * kc_max) * sizeof(T) + 63) / 64 * 64;
    void *pa_mem = NULL, *pb_mem = NULL;
    if (posix_memalign(&pa_mem, 64, bytes_a) != 0)
        pa_mem = NULL;
    if (posix_memalign(&pb_mem, 64, bytes_b) != 0)
        pb_mem = NULL;
    T *pa = pa_mem, *pb = pb_mem;
    if (!pa || !pb) {
        free(pa);
        free(pb);
        return HB_ENOMEM;
    }
    /* One parallel region: the threads pack each block of B and of A together,
     * then share out the micro-tiles, column panels outermost so that a thread
     * keeps its B micro-panel in L1 across consecutive tiles. */
#pragma omp parallel num_threads(nthreads) if (nthreads > 1)
    for (int64_t jc = 0; jc < n; jc += nc_max) {
        int64_t nc = NAME(min64)(nc_max, n - jc);
        int64_t panels_b = (nc + NR - 1) / NR;
        for (int64_t pc = 0; pc < k; pc += kc_max) {
            int64_t kc = NAME(min64)(kc_max, k - pc);
            T beta_block = pc == 0 ? beta : (T)1;
#pragma omp for schedule(static)
            for (int64_t jp = 0; jp < panels_b; jp++)
                NAME(pack_b_panel)((int)NAME(min64)(NR, nc - jp * NR), kc,
                                   b + pc * rs_b + (jc + jp * NR) * cs_b, rs_b, cs_b,
                                   pb + jp * NR * kc);
            for (int64_t ic = 0; ic < m; ic += mc_max) {
                int64_t mc = NAME(min64)(mc_max, m - ic);
                int64_t panels_a = (mc + MR - 1) / MR;
#pragma omp for schedule(static)
                for (int64_t ip = 0; ip < panels_a; ip++)
                    NAME(pack_a_panel)((int)NAME(min64)(MR, mc - ip * MR), kc,
                                       a + (ic + ip * MR) * rs_a + pc * cs_a, rs_a, cs_a,
                                       pa + ip * MR * kc);
#pragma omp for collapse(2) schedule(static)
                for (int64_t jp = 0; jp < panels_b; jp++)
                    for (int64_t ip = 0; ip < panels_a; ip++)
                        NAME(micro_packed)(kc, pa + ip * MR * kc, pb + jp * NR * kc,
                                           (int)NAME(min64)(MR, mc - ip * MR),
                                           (int)NAME(min64)(NR, nc - jp * NR), alpha, beta_block,
                                           c + (ic + ip * MR) * ldc + jc + jp * NR, ldc);
            }
        }
    }
    free(pa);
    free(pb);
    return HB_OK;
}

/* C = alpha * T^T + beta * C for the n x m product T (row-major, ld m). */
static void NAME(store_transposed)(int64_t m, int64_t n, T alpha, const T *t, T beta, T *c,
                                   int64_t ldc) {
    /* j outermost: n is the short side here, so the inner loops are long */
    if (beta == 0) {
        for (int64_t j = 0; j < n; j++)
            for (int64_t i = 0; i < m; i++)
                c[i * ldc + j] = alpha * t[j * m + i];
    } else {
        for (int64_t j = 0; j < n; j++)
            for (int64_t i = 0; i < m; i++)
                c[i * ldc + j] = alpha * t[j * m + i] + beta * c[i * ldc + j];
    }
}

/* Outputs of a few entries (m * n <= HB_GEMM_TINY_MN): any vector tile would
 * be mostly padding, so each entry is a dot product along k, read in place
 * through the strides, with four partial sums to keep the adds independent. */
#define HB_GEMM_TINY_MN 64
static void NAME(gemm_tiny)(int64_t m, int64_t n, int64_t k, T alpha, const T *a, int64_t rs_a,
                            int64_t cs_a, const T *b, int64_t rs_b, int64_t cs_b, T beta, T *c,
                            int64_t ldc) {
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) {
            const T *ap = a + i * rs_a, *bp = b + j * cs_b;
            T s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int64_t p = 0;
            for (; p + 4 <= k; p += 4) {
                s0 += ap[p * cs_a] * bp[p * rs_b];
                s1 += ap[(p + 1) * cs_a] * bp[(p + 1) * rs_b];
                s2 += ap[(p + 2) * cs_a] * bp[(p + 2) * rs_b];
                s3 += ap[(p + 3) * cs_a] * bp[(p + 3) * rs_b];
            }
            for (; p < k; p++)
                s0 += ap[p * cs_a] * bp[p * rs_b];
            T x = alpha * ((s0 + s1) + (s2 + s3));
            c[i * ldc + j] = beta != 0 ? x + beta * c[i * ldc + j] : x;
        }
}

/* Products with at most 4 columns and a depth of at most 4 (a tutorial's
 * Linear(2, 3) and its input gradient): any vector tile would be mostly
 * padding, and the transposed product below costs two copies. Each row is
 * computed straight from A's row and a copy of op(B) (at most 16 values), with
 * n and k constants in each instantiation so that the loops unroll into
 * registers. Same order of operations as gemm_tiny for these depths. */
#define HB_GEMM_NARROW 4
/* X(a, b) for every a, b in 1..HB_GEMM_NARROW: the cases of the switches below */
#define HB_EACH_UP_TO_4X4(X)                                                                    \
    X(1, 1) X(1, 2) X(1, 3) X(1, 4) X(2, 1) X(2, 2) X(2, 3) X(2, 4)                             \
    X(3, 1) X(3, 2) X(3, 3) X(3, 4) X(4, 1) X(4, 2) X(4, 3) X(4, 4)
static inline __attribute__((always_inline)) void NAME(gemm_narrow_nk)(
    int64_t m, const int64_t n, const int64_t k, T alpha, const T *a, int64_t rs_a, int64_t cs_a,
    const T *restrict bt, T beta, T *c, int64_t ldc) {
    for (int64_t i = 0; i < m; i++) {
        const T *ap = a + i * rs_a;
        T *cp = c + i * ldc;
        T av[HB_GEMM_NARROW];
#pragma GCC unroll 4
        for (int64_t p = 0; p < k; p++)
            av[p] = ap[p * cs_a];
#pragma GCC unroll 4
        for (int64_t j = 0; j < n; j++) {
            T s = 0;
#pragma GCC unroll 4
            for (int64_t p = 0; p < k; p++)
                s += av[p] * bt[j * HB_GEMM_NARROW + p];
            const T x = alpha * s;
            cp[j] = beta != 0 ? x + beta * cp[j] : x;
        }
    }
}

static void NAME(gemm_narrow)(int64_t m, int64_t n, int64_t k, T alpha, const T *a, int64_t rs_a,
                              int64_t cs_a, const T *b, int64_t rs_b, int64_t cs_b, T beta, T *c,
                              int64_t ldc) {
    T bt[HB_GEMM_NARROW * HB_GEMM_NARROW];
    for (int64_t j = 0; j < n; j++)
        for (int64_t p = 0; p < k; p++)
            bt[j * HB_GEMM_NARROW + p] = b[p * rs_b + j * cs_b];
    switch ((n - 1) * HB_GEMM_NARROW + (k - 1)) {
#define HB_NARROW_CASE(nn, kk)                                                                  \
    case (nn - 1) * HB_GEMM_NARROW + (kk - 1):                                                  \
        NAME(gemm_narrow_nk)(m, nn, kk, alpha, a, rs_a, cs_a, bt, beta, c, ldc);                \
        break;
        HB_EACH_UP_TO_4X4(HB_NARROW_CASE)
#undef HB_NARROW_CASE
    }
}

/* gemm_tiny for outputs of at most 4 x 4 (a Linear(2, 3)'s weight gradient,
 * summed over a batch of 400): the same sums in the same order, each entry's
 * four running sums by p mod 4, but with the loop over p outermost, so that
 * each step reads a row of op(A)^T and of op(B) once for all the entries
 * instead of once per entry, and m and n are constants that unroll into
 * registers. */
static inline __attribute__((always_inline)) void NAME(gemm_tiny_outer_mn)(
    const int64_t m, const int64_t n, int64_t k, T alpha, const T *a, int64_t rs_a, int64_t cs_a,
    const T *b, int64_t rs_b, int64_t cs_b, T beta, T *c, int64_t ldc) {
    T s[4][HB_GEMM_NARROW][HB_GEMM_NARROW];
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++)
#pragma GCC unroll 4
        for (int64_t i = 0; i < m; i++)
#pragma GCC unroll 4
            for (int64_t j = 0; j < n; j++)
                s[q][i][j] = 0;
    int64_t p = 0;
    for (; p + 4 <= k; p += 4)
#pragma GCC unroll 4
        for (int q = 0; q < 4; q++) {
            const T *ap = a + (p + q) * cs_a, *bp = b + (p + q) * rs_b;
#pragma GCC unroll 4
            for (int64_t i = 0; i < m; i++)
#pragma GCC unroll 4
                for (int64_t j = 0; j < n; j++)
                    s[q][i][j] += ap[i * rs_a] * bp[j * cs_b];
        }
    for (; p < k; p++) {
        const T *ap = a + p * cs_a, *bp = b + p * rs_b;
#pragma GCC unroll 4
        for (int64_t i = 0; i < m; i++)
#pragma GCC unroll 4
            for (int64_t j = 0; j < n; j++)
                s[0][i][j] += ap[i * rs_a] * bp[j * cs_b];
    }
#pragma GCC unroll 4
    for (int64_t i = 0; i < m; i++)
#pragma GCC unroll 4
        for (int64_t j = 0; j < n; j++) {
            T x = alpha * ((s[0][i][j] + s[1][i][j]) + (s[2][i][j] + s[3][i][j]));
            c[i * ldc + j] = beta != 0 ? x + beta * c[i * ldc + j] : x;
        }
}

static void NAME(gemm_tiny_outer)(int64_t m, int64_t n, int64_t k, T alpha, const T *a,
                                  int64_t rs_a, int64_t cs_a, const T *b, int64_t rs_b,
                                  int64_t cs_b, T beta, T *c, int64_t ldc) {
    switch ((m - 1) * HB_GEMM_NARROW + (n - 1)) {
#define HB_OUTER_CASE(mm, nn)                                                                   \
    case (mm - 1) * HB_GEMM_NARROW + (nn - 1):                                                  \
        NAME(gemm_tiny_outer_mn)(mm, nn, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, ldc); \
        break;
        HB_EACH_UP_TO_4X4(HB_OUTER_CASE)
#undef HB_OUTER_CASE
    }
}

/* Below this m * n * k the packing costs more than it saves; the direct path
 * does not block k, so it also needs k small enough for L1/L2. */
#define HB_GEMM_DIRECT_MAX (80 * 80 * 80)
/* Scratch up to this size comes from the stack (see hb_gemm_driver). */
#ifndef HB_GEMM_STACK_BYTES
#define HB_GEMM_STACK_BYTES 16384
#endif
#define HB_GEMM_DIRECT_MAX_K 2048

/* m, n, k > 0 and leading dimensions valid: checked by the caller (gemm.c). */
int HB_ISA_FN(NAME(hb_gemm_driver))(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                                    T alpha, const T *a, int64_t lda, const T *b, int64_t ldb,
                                    T beta, T *c, int64_t ldc, int nthreads) {
    if ((double)m * (double)n * (double)k >= HB_GEMM_DIRECT_MAX || k > HB_GEMM_DIRECT_MAX_K) {
        if (2 * n <= NR && m > n) {
            /* few columns, as in the direct path below: C^T = op(B)^T op(A)^T into
             * scratch, its vectors along m, then stored transposed */
            void *mem = NULL;
            if (posix_memalign(&mem, 64, sizeof(T) * (size_t)(m * n)) != 0)
                return HB_ENOMEM;
            int status = NAME(gemm_packed)(!trans_b, !trans_a, n, m, k, 1, b, ldb, a, lda, 0,
                                           (T *)mem, m, nthreads);
            if (status == HB_OK)
                NAME(store_transposed)(m, n, alpha, (const T *)mem, beta, c, ldc);
            free(mem);
            return status;
        }
        return NAME(gemm_packed)(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                                 nthreads);
    }
    int64_t rs_a = trans_a ? 1 : lda, cs_a = trans_a ? lda : 1;
    int64_t rs_b = trans_b ? 1 : ldb, cs_b = trans_b ? ldb : 1;
    if (m <= HB_GEMM_NARROW && n <= HB_GEMM_NARROW) {
        NAME(gemm_tiny_outer)(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, ldc);
        return HB_OK;
    }
    if (m * n <= HB_GEMM_TINY_MN) {
        NAME(gemm_tiny)(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, ldc);
        return HB_OK;
    }
    if (n <= HB_GEMM_NARROW && k <= HB_GEMM_NARROW) {
        NAME(gemm_narrow)(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, ldc);
        return HB_OK;
    }
    /* The kernel's vectors run along n. With few columns and many rows (a
     * Linear layer with a handful of outputs) they would be mostly padding, so
     * the transposed product C^T = op(B)^T op(A)^T runs instead, its vectors
     * along m, into a scratch n x m block that is then stored transposed. */
    int transposed = 2 * n <= NR && m > n;
    if (transposed) {
        const T *t = a;
        int64_t t_rs = rs_a, t_cs = cs_a;
        a = b, rs_a = cs_b, cs_a = rs_b;
        b = t, rs_b = t_cs, cs_b = t_rs;
        int64_t t_n = n;
        n = m, m = t_n;
    }
    /* B must run along n in memory, as the kernel reads it; otherwise it gets
     * one small transposed copy, far cheaper here than a dot product per
     * entry. The same allocation holds the strip for the last columns and,
     * for a transposed product, its result. */
    int copy_b = cs_b != 1;
    size_t elems = (size_t)(k * NR) + (copy_b ? (size_t)(n * k) : 0) +
                   (transposed ? (size_t)(m * n) : 0);
    /* Small products take their scratch from the stack: malloc and free of a few KB
     * cost as much as the product itself at these sizes (glibc consolidates its bins). */
    T stack_mem[HB_GEMM_STACK_BYTES / sizeof(T)] __attribute__((aligned(64)));
    void *mem = stack_mem;
    if (sizeof(T) * elems > sizeof(stack_mem) && posix_memalign(&mem, 64, sizeof(T) * elems) != 0)
        return HB_ENOMEM;
    T *pad = mem, *next = pad + k * NR;
    if (copy_b) {
        for (int64_t p = 0; p < k; p++)
            for (int64_t j = 0; j < n; j++)
                next[p * n + j] = b[p * rs_b + j * cs_b];
        b = next;
        rs_b = n;
        next += n * k;
    }
    if (transposed) {
        NAME(gemm_direct)(m, n, k, 1, a, rs_a, cs_a, b, rs_b, 0, next, n, pad);
        NAME(store_transposed)(n, m, alpha, next, beta, c, ldc);
    } else {
        NAME(gemm_direct)(m, n, k, alpha, a, rs_a, cs_a, b, rs_b, beta, c, ldc, pad);
    }
    if (mem != stack_mem)
        free(mem);
    return HB_OK;
}

#undef NAME
#undef VW
#undef MR
#undef NR
#undef V
#undef UV
