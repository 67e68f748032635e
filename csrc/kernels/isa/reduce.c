/* Inner loops of the axis reductions, one copy per instruction set; the
 * threading lives in ../reduce.c. The loops are written once in
 * reduce_impl.h and instantiated here for float32 and float64. */
#include "reduce.h"

#define HB_T float
#define HB_SUF f32
#include "reduce_impl.h"
#undef HB_T
#undef HB_SUF

#define HB_T double
#define HB_SUF f64
#include "reduce_impl.h"
#undef HB_T
#undef HB_SUF
