#include "isa.h"

int hb_active_isa = HB_ISA_GENERIC;

static int cpu_supports(int isa) {
#ifdef HB_X86_ISAS
    __builtin_cpu_init();
    switch (isa) {
    case HB_ISA_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma");
    case HB_ISA_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    default:
        return isa == HB_ISA_GENERIC;
    }
#else
    return isa == HB_ISA_GENERIC;
#endif
}

int hb_isa_compiled(int isa) {
#ifdef HB_X86_ISAS
    return isa >= HB_ISA_GENERIC && isa <= HB_ISA_AVX512;
#else
    return isa == HB_ISA_GENERIC;
#endif
}

int hb_detect_isa(void) {
    for (int isa = HB_ISA_AVX512; isa > HB_ISA_GENERIC; isa--)
        if (hb_isa_compiled(isa) && cpu_supports(isa))
            return isa;
    return HB_ISA_GENERIC;
}

int hb_set_isa(int isa) {
    if (!hb_isa_compiled(isa) || !cpu_supports(isa))
        return HB_EUNSUPPORTED;
    hb_active_isa = isa;
    return HB_OK;
}
