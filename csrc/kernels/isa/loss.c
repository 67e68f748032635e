/* Cross-entropy and NLL loss kernels, compiled per instruction set so that the
 * exp of the log-sum-exp and of the softmax in backward vectorize; loss_impl.h
 * is the template, instantiated here for float and double. */
#include <math.h>
#include <stddef.h>

#include "loss.h"
#include "vmath.h"

static inline int bad_target(int64_t t, int64_t C, int64_t ignore_index) {
    /* one unsigned compare covers t < 0 and t >= C */
    return (t != ignore_index) & ((uint64_t)t >= (uint64_t)C);
}

/* Every call checks all targets and almost every call finds none bad: a
 * branch-free pass that vectorizes (64-bit compares need more than the
 * baseline x86-64 has, hence a copy per instruction set), then the search
 * only when it fails. */
int64_t HB_ISA_FN(hb_loss_first_bad_target)(const int64_t *restrict target, int64_t N, int64_t C,
                                            int64_t ignore_index) {
    int any_bad = 0;
    for (int64_t i = 0; i < N; i++)
        any_bad |= bad_target(target[i], C, ignore_index);
    if (!any_bad)
        return -1;
    for (int64_t i = 0; i < N; i++)
        if (bad_target(target[i], C, ignore_index))
            return i;
    return -1;
}

static int valid_call(const int64_t *target, int64_t N, int64_t C, int64_t ignore_index,
                      double label_smoothing, int reduction) {
    return N >= 0 && C >= 0 && label_smoothing >= 0.0 && label_smoothing <= 1.0 &&
           (reduction == HB_REDUCTION_NONE || reduction == HB_REDUCTION_MEAN ||
            reduction == HB_REDUCTION_SUM) &&
           HB_ISA_FN(hb_loss_first_bad_target)(target, N, C, ignore_index) < 0;
}

/* Rows with fewer classes than this are processed in flat blocks of at most
 * CE_BLOCK elements (see short_rows_logsumexp). */
#define CE_SHORT_ROW 16
#define CE_BLOCK 1024

#define T float
#define SUF f32
#define EXP hb_expf
#define LOG hb_logf
#include "loss_impl.h"
#undef T
#undef SUF
#undef EXP
#undef LOG

#define T double
#define SUF f64
#define EXP exp
#define LOG log
#include "loss_impl.h"
