/* Cross-entropy and NLL loss kernels, compiled per instruction set so that the
 * exp of the log-sum-exp and of the softmax in backward vectorize; loss_impl.h
 * is the template, instantiated here for float and double. */
#include <math.h>
#include <stddef.h>

#include "loss.h"
#include "vmath.h"

static int valid_call(const int64_t *target, int64_t N, int64_t C, int64_t ignore_index,
                      double label_smoothing, int reduction) {
    return N >= 0 && C >= 0 && label_smoothing >= 0.0 && label_smoothing <= 1.0 &&
           (reduction == HB_REDUCTION_NONE || reduction == HB_REDUCTION_MEAN ||
            reduction == HB_REDUCTION_SUM) &&
           hb_loss_first_bad_target(target, N, C, ignore_index) < 0;
}

#define T float
#define SUF f32
#define EXP hb_expf
#include "loss_impl.h"
#undef T
#undef SUF
#undef EXP

#define T double
#define SUF f64
#define EXP exp
#include "loss_impl.h"
