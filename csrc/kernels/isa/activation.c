/* Activation kernels, compiled once per instruction set.
 *
 * Each op is a plain loop over contiguous memory that the compiler vectorizes
 * where it can (the ones calling libm, e.g. expf, stay scalar). The formulas,
 * comparisons included, follow PyTorch's CPU kernels so that boundary values
 * (x == 0 for relu, x == min_val for hardtanh) and NaN behave the same.
 * activation_impl.h holds the template; it is instantiated for float and double.
 */
#include <math.h>
#include <omp.h>

#include "activation.h"
#include "vmath.h"

#define T float
#define SUF f32
#define EXP hb_expf
#define EXPM1 expm1f
#define LOG1P log1pf
#define TANH tanhf
#define ERF erff
#include "activation_impl.h"
#undef T
#undef SUF
#undef EXP
#undef EXPM1
#undef LOG1P
#undef TANH
#undef ERF

#define T double
#define SUF f64
#define EXP exp
#define EXPM1 expm1
#define LOG1P log1p
#define TANH tanh
#define ERF erf
#include "activation_impl.h"
