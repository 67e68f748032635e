/* Softmax kernels, compiled once per instruction set.
 *
 * inner == 1 (softmax over the last dimension) walks each contiguous row;
 * otherwise a block of up to HB_SOFTMAX_BLOCK adjacent columns is processed
 * together, so every pass reads contiguous memory and the per-column max and
 * sum live in small arrays on the stack. Sums accumulate in double.
 * softmax_impl.h holds the template; it is instantiated for float and double.
 */
#include <math.h>

#include "softmax.h"
#include "vmath.h"

#define HB_SOFTMAX_BLOCK 64

#define T float
#define SUF f32
#define EXP hb_expf
#include "softmax_impl.h"
#undef T
#undef SUF
#undef EXP

#define T double
#define SUF f64
#define EXP exp
#include "softmax_impl.h"
