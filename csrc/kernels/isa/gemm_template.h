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
    for (int64_t p = 0; p < kc; p++) {
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
    /* Edge tile: through a local tile, storing only the valid part. */
    T tile[MR * NR] __attribute__((aligned(64)));
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            *(V *)(tile + r * NR + v * VW) = acc[r][v];
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < nr; j++) {
            T x = alpha * tile[r * NR + j];
            c[r * ldc + j] = beta != 0 ? x + beta * c[r * ldc + j] : x;
        }
}

/* On packed panels: A as [kc][MR] (rows past the edge zero), B as [kc][NR]. */
static __attribute__((noinline)) void NAME(micro_packed)(int64_t kc, const T *a, const T *b,
                                                         int mr, int nr, T alpha, T beta, T *c,
                                                         int64_t ldc) {
    NAME(micro_tile)(kc, a, 1, MR, MR, b, NR, mr, nr, alpha, beta, c, ldc);
}

/* On unpacked operands: any A strides, B with contiguous rows, NR full columns. */
static __attribute__((noinline)) void NAME(micro_direct)(int64_t kc, const T *a, int64_t rs_a,
                                                         int64_t cs_a, int mr, const T *b,
                                                         int64_t ldb, T alpha, T beta, T *c,
                                                         int64_t ldc) {
    NAME(micro_tile)(kc, a, rs_a, cs_a, mr, b, ldb, mr, NR, alpha, beta, c, ldc);
}

/* Small products, B not transposed: micro-kernels straight on the operands;
 * the columns past the last full NR block go through a row accumulator the
 * compiler vectorizes. */
static void NAME(gemm_direct_nn)(int64_t m, int64_t n, int64_t k, T alpha, const T *a,
                                 int64_t rs_a, int64_t cs_a, const T *b, int64_t ldb, T beta,
                                 T *c, int64_t ldc) {
    int64_t n_full = n - n % NR;
    for (int64_t j0 = 0; j0 < n_full; j0 += NR)
        for (int64_t i0 = 0; i0 < m; i0 += MR)
            NAME(micro_direct)(k, a + i0 * rs_a, rs_a, cs_a, (int)NAME(min64)(MR, m - i0),
                               b + j0, ldb, alpha, beta, c + i0 * ldc + j0, ldc);
    int nt = (int)(n - n_full);
    if (nt == 0)
        return;
    for (int64_t i = 0; i < m; i++) {
        T acc[NR] = {0};
        for (int64_t p = 0; p < k; p++) {
            T av = a[i * rs_a + p * cs_a];
            const T *bp = b + p * ldb + n_full;
            for (int j = 0; j < nt; j++)
                acc[j] += av * bp[j];
        }
        T *cp = c + i * ldc + n_full;
        for (int j = 0; j < nt; j++)
            cp[j] = beta != 0 ? alpha * acc[j] + beta * cp[j] : alpha * acc[j];
    }
}

static inline T NAME(hsum)(V x) {
    T s = 0;
    for (int e = 0; e < VW; e++)
        s += x[e];
    return s;
}

/* Small products, A not transposed and B transposed: both run along k in
 * memory, so each entry of C is a dot product; a 2 x 4 block of them shares
 * its loads. Rows and columns past the edge re-read the last valid one. */
static void NAME(gemm_direct_nt)(int64_t m, int64_t n, int64_t k, T alpha, const T *a,
                                 int64_t lda, const T *b, int64_t ldb, T beta, T *c,
                                 int64_t ldc) {
    int64_t k_vec = k - k % VW;
    for (int64_t i0 = 0; i0 < m; i0 += 2) {
        const T *ar[2];
        for (int r = 0; r < 2; r++)
            ar[r] = a + NAME(min64)(i0 + r, m - 1) * lda;
        for (int64_t j0 = 0; j0 < n; j0 += 4) {
            const T *br[4];
            for (int q = 0; q < 4; q++)
                br[q] = b + NAME(min64)(j0 + q, n - 1) * ldb;
            V acc[2][4];
            for (int r = 0; r < 2; r++)
                for (int q = 0; q < 4; q++)
                    acc[r][q] = (V){0};
            for (int64_t p = 0; p < k_vec; p += VW) {
                V av0 = *(const UV *)(ar[0] + p), av1 = *(const UV *)(ar[1] + p);
                for (int q = 0; q < 4; q++) {
                    V bv = *(const UV *)(br[q] + p);
                    acc[0][q] += av0 * bv;
                    acc[1][q] += av1 * bv;
                }
            }
            int mr = (int)NAME(min64)(2, m - i0), nr = (int)NAME(min64)(4, n - j0);
            for (int r = 0; r < mr; r++)
                for (int q = 0; q < nr; q++) {
                    T s = NAME(hsum)(acc[r][q]);
                    for (int64_t p = k_vec; p < k; p++)
                        s += ar[r][p] * br[q][p];
                    T *cp = c + (i0 + r) * ldc + j0 + q;
                    *cp = beta != 0 ? alpha * s + beta * *cp : alpha * s;
                }
        }
    }
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

/* Below this m * n * k the packing costs more than it saves. */
#define HB_GEMM_DIRECT_MAX (64 * 64 * 64)

/* m, n, k > 0 and leading dimensions valid: checked by the caller (gemm.c). */
int HB_ISA_FN(NAME(hb_gemm_driver))(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k,
                                    T alpha, const T *a, int64_t lda, const T *b, int64_t ldb,
                                    T beta, T *c, int64_t ldc, int nthreads) {
    if ((double)m * (double)n * (double)k < HB_GEMM_DIRECT_MAX) {
        if (!trans_b) {
            NAME(gemm_direct_nn)(m, n, k, alpha, a, trans_a ? 1 : lda, trans_a ? lda : 1, b, ldb,
                                 beta, c, ldc);
            return HB_OK;
        }
        if (!trans_a) {
            NAME(gemm_direct_nt)(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return HB_OK;
        }
    }
    return NAME(gemm_packed)(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
                             nthreads);
}

#undef NAME
#undef VW
#undef MR
#undef NR
#undef V
#undef UV
