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
