/* Element loops of the fused optimizer updates, one copy per instruction set;
 * optim.c splits the work and calls these on contiguous segments. Written once
 * in optim_impl.h and instantiated for float32 and float64. */
#include <math.h>
#include "optim.h"

#define HB_T float
#define HB_SUF f32
#define HB_SQRT sqrtf
#define HB_FABS fabsf
#define HB_FMA_FN __builtin_fmaf
#include "optim_impl.h"
#undef HB_T
#undef HB_SUF
#undef HB_SQRT
#undef HB_FABS
#undef HB_FMA_FN

#define HB_T double
#define HB_SUF f64
#define HB_SQRT sqrt
#define HB_FABS fabs
#define HB_FMA_FN __builtin_fma
#include "optim_impl.h"
#undef HB_T
#undef HB_SUF
#undef HB_SQRT
#undef HB_FABS
#undef HB_FMA_FN
