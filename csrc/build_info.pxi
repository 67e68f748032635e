# How this module was built: what `python -m hayabusa` prints for bug reports.

cdef extern from *:
    """
    #ifndef HB_C_COMPILER_ID
    #define HB_C_COMPILER_ID "unknown"
    #define HB_C_COMPILER_VERSION ""
    #endif
    #ifdef _OPENMP
    #define HB_OPENMP_VERSION _OPENMP
    #else
    #define HB_OPENMP_VERSION 0
    #endif
    """
    const char *HB_C_COMPILER_ID
    const char *HB_C_COMPILER_VERSION
    int HB_OPENMP_VERSION


def build_info():
    """The C compiler (CMake's id and version) and the OpenMP version (the _OPENMP date, 0 without)."""
    return {
        "compiler": HB_C_COMPILER_ID.decode(),
        "compiler_version": HB_C_COMPILER_VERSION.decode(),
        "openmp": HB_OPENMP_VERSION,
    }
