/* Instruction-set dispatch.
 *
 * Every file in csrc/kernels/isa/ is compiled once per instruction set with
 * HB_ISA_NAME set to generic, avx2 or avx512 (and that set's compiler flags).
 * Inside such a file, HB_ISA_FN(hb_relu_forward_f32) names the copy for the
 * set being compiled (hb_relu_forward_f32_avx512, ...). The public entry point
 * in csrc/kernels/<family>.c picks a copy with HB_DISPATCH, reading hb_active_isa,
 * which is set once at import (and may be forced by tests).
 */
#ifndef HB_ISA_H
#define HB_ISA_H

#include <stdint.h>

enum hb_isa { HB_ISA_GENERIC = 0, HB_ISA_AVX2 = 1, HB_ISA_AVX512 = 2 };

enum hb_status { HB_OK = 0, HB_EINVAL = 1, HB_ENOMEM = 2, HB_EUNSUPPORTED = 3 };

#define HB_CAT2_(a, b) a##_##b
#define HB_CAT2(a, b) HB_CAT2_(a, b)
#ifdef HB_ISA_NAME
#define HB_ISA_FN(name) HB_CAT2(name, HB_ISA_NAME)
#endif

/* Declares the per-ISA copies of a kernel: HB_DECLARE_ISA(int, name, (int64_t n, ...)). */
#ifdef HB_X86_ISAS
#define HB_DECLARE_ISA(ret, name, params) \
    ret name##_generic params;             \
    ret name##_avx2 params;                \
    ret name##_avx512 params;
#define HB_DISPATCH(name, args)                                    \
    (hb_active_isa == HB_ISA_AVX512 ? name##_avx512 args           \
     : hb_active_isa == HB_ISA_AVX2 ? name##_avx2 args : name##_generic args)
#else
#define HB_DECLARE_ISA(ret, name, params) ret name##_generic params;
#define HB_DISPATCH(name, args) name##_generic args
#endif

extern int hb_active_isa;

/* The best instruction set this CPU supports among those compiled in. */
int hb_detect_isa(void);
/* Forces an instruction set; HB_EUNSUPPORTED if the CPU or the build lacks it. */
int hb_set_isa(int isa);
/* Whether this build holds objects compiled for `isa` (the CPU may still lack it). */
int hb_isa_compiled(int isa);
/* The name each object reports for itself, to check the link in tests. */
HB_DECLARE_ISA(const char *, hb_isa_object_name, (void))

/* Below this many elements a kernel stays on one thread: starting an OpenMP
 * parallel region costs a few microseconds, more than a small op. */
#define HB_OMP_MIN_ELEMENTS 32768

/* HB_OMP_FOR(cond, "omp parallel for ...", i, n, body): the loop
 * `for (int64_t i = 0; i < n; i++) { body }` under that pragma when cond
 * holds, and as plain C otherwise. An OpenMP region costs about 0.3 us even
 * when an if() clause turns it off, more than a small kernel's whole work, so
 * small calls must not enter one at all. */
#define HB_OMP_FOR(cond, pragma, i, n, ...)                  \
    do {                                                     \
        if (cond) {                                          \
            _Pragma(pragma) for (int64_t i = 0; i < (n); i++) { \
                __VA_ARGS__                                  \
            }                                                \
        } else {                                             \
            for (int64_t i = 0; i < (n); i++) {              \
                __VA_ARGS__                                  \
            }                                                \
        }                                                    \
    } while (0)

/* HB_OMP_REGION(cond, body): body on every thread of a team when cond holds,
 * once on this thread otherwise (where omp_get_thread_num() is 0 and
 * omp_get_num_threads() 1, so the body needs no second form). */
#define HB_OMP_REGION(cond, ...)        \
    do {                                \
        if (cond) {                     \
            _Pragma("omp parallel") {   \
                __VA_ARGS__             \
            }                           \
        } else {                        \
            __VA_ARGS__                 \
        }                               \
    } while (0)

#endif
