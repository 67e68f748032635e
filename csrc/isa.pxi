# Instruction-set selection: which per-ISA kernel objects the dispatch uses.

cdef extern from "isa.h":
    int HB_ISA_GENERIC
    int HB_ISA_AVX2
    int HB_ISA_AVX512
    int hb_active_isa
    int hb_detect_isa() nogil
    int hb_set_isa(int isa) nogil
    int hb_isa_compiled(int isa) nogil
    const char *hb_isa_object_name_generic() nogil

ISA_NAMES = ("generic", "avx2", "avx512")


def compiled_isas():
    """Instruction sets this build holds kernel objects for."""
    return tuple(name for i, name in enumerate(ISA_NAMES) if hb_isa_compiled(i))


def detect_isa():
    """The best instruction set both this CPU and this build support."""
    return ISA_NAMES[hb_detect_isa()]


def get_isa():
    """The instruction set the kernels dispatch to now."""
    return ISA_NAMES[hb_active_isa]


def set_isa(str name):
    """Force the kernels onto one instruction set ('generic', 'avx2', 'avx512')."""
    if name not in ISA_NAMES:
        raise ValueError(f"unknown instruction set {name!r}; expected one of {ISA_NAMES}")
    cdef int isa = ISA_NAMES.index(name)
    if hb_set_isa(isa) != HB_OK:
        if not hb_isa_compiled(isa):
            raise RuntimeError(f"this build of hayabusa has no {name} kernels")
        raise RuntimeError(f"this CPU does not support {name}")


def isa_object_name(str name):
    """The name the kernel object compiled for `name` reports (checks it is linked)."""
    if name not in ISA_NAMES or not hb_isa_compiled(ISA_NAMES.index(name)):
        raise ValueError(f"no kernel object for instruction set {name!r}")
    return _isa_object_name(ISA_NAMES.index(name)).decode()


cdef extern from *:
    """
    #include "isa.h"
    static const char *hb_isa_object_name_of(int isa) {
    #ifdef HB_X86_ISAS
        if (isa == HB_ISA_AVX512) return hb_isa_object_name_avx512();
        if (isa == HB_ISA_AVX2) return hb_isa_object_name_avx2();
    #endif
        return hb_isa_object_name_generic();
    }
    """
    const char *hb_isa_object_name_of(int isa) nogil


cdef bytes _isa_object_name(int isa):
    return hb_isa_object_name_of(isa)
