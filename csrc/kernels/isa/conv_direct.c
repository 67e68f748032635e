/* Direct convolution for stride 1, compiled once per instruction set.
 *
 * With stride 1, the column matrix of im2col never needs to exist. Pad each
 * image once into a buffer whose rows are wp = width + 2 * pad_w long; then
 * output (oh, ow) and output (oh, ow + 1) read neighbouring elements, and so
 * do the last output of a row and the first of the next one if the output is
 * computed "wide", wp columns per row, the extra columns discarded. Row k =
 * (c, ki, kj) of the column matrix is then the padded image read from offset
 * c * hp * wp + ki * dilation_h * wp + kj * dilation_w on, contiguously: a
 * GEMM whose B rows are picked through an offset table. The micro-kernel is
 * the GEMM's (an MR x NR register tile, NR a few vectors wide), with the
 * weights packed once per call into MR-row panels.
 *
 * Backward: the input gradient of a stride-1 convolution is a stride-1
 * convolution of the output gradient, padded by dilation * (kernel - 1) - pad,
 * with the kernel flipped and its two channel dims swapped, so it runs
 * through the same code. The weight gradient is the product of the padded
 * image rows (A, read through the offset table) and the wide output gradient,
 * transposed so that output channels are contiguous (B).
 * conv_direct_impl.h holds the template; it is included for float and double.
 */
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"

#if defined(__AVX512F__)
#define HB_VB 64
#define HB_CONV_MR 8
#elif defined(__AVX2__)
#define HB_VB 32
#define HB_CONV_MR 6
#else
#define HB_VB 16
#define HB_CONV_MR 6
#endif
#define HB_CONV_NV 2

/* Thread t of nt gets items [part(total, t, nt), part(total, t + 1, nt)). */
static int64_t direct_part(int64_t total, int t, int nt) {
    return (total / nt) * t + (t < total % nt ? t : total % nt);
}

#define T float
#define SFX f32
#include "conv_direct_impl.h"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "conv_direct_impl.h"
#undef T
#undef SFX
