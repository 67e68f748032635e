# The OpenMP thread count the kernels split their work across.

cdef extern from "omp.h":
    int omp_get_max_threads() nogil
    void omp_set_num_threads(int n) nogil


def get_num_threads():
    """The number of threads a kernel's parallel region uses (hayabusa.get_num_threads)."""
    return omp_get_max_threads()


def set_num_threads(int n):
    """Sets the threads later parallel regions use; n must be positive."""
    if n <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, but got {n}")
    omp_set_num_threads(n)
