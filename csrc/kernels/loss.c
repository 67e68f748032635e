/* Cross-entropy and NLL loss kernels; loss_impl.h is the template,
 * instantiated here for float and double. */
#include <math.h>
#include <stddef.h>

#include "loss.h"

int64_t hb_loss_first_bad_target(const int64_t *restrict target, int64_t N, int64_t C,
                                 int64_t ignore_index) {
    for (int64_t i = 0; i < N; i++) {
        const int64_t t = target[i];
        if (t != ignore_index && (t < 0 || t >= C))
            return i;
    }
    return -1;
}

static int valid_call(const int64_t *target, int64_t N, int64_t C, int64_t ignore_index,
                      double label_smoothing, int reduction) {
    return N >= 0 && C >= 0 && label_smoothing >= 0.0 && label_smoothing <= 1.0 &&
           (reduction == HB_REDUCTION_NONE || reduction == HB_REDUCTION_MEAN ||
            reduction == HB_REDUCTION_SUM) &&
           hb_loss_first_bad_target(target, N, C, ignore_index) < 0;
}

#define T float
#define SUF f32
#define EXP expf
#include "loss_impl.h"
#undef T
#undef SUF
#undef EXP

#define T double
#define SUF f64
#define EXP exp
#include "loss_impl.h"
