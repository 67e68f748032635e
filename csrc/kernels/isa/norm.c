/* Normalization kernels (batch norm, group/layer norm), compiled once per
 * instruction set. norm_impl.h holds the template; it is instantiated for
 * float and double. Sums run in double. */
#include <math.h>
#include <stddef.h>

#include "norm.h"

#define T float
#define SUF f32
#include "norm_impl.h"
#undef T
#undef SUF

#define T double
#define SUF f64
#include "norm_impl.h"
#undef T
#undef SUF
