# The OpenMP thread count the kernels split their work across.

cdef extern from "omp.h":
    int omp_get_max_threads() nogil
    void omp_set_num_threads(int n) nogil


def get_num_threads():
    """The number of threads a kernel's parallel region uses (hayabusa.get_num_threads)."""
    return omp_get_max_threads()


# libgomp cannot start 10**5 threads: it runs out of stack setting up the team
# and crashes the process. No CPU has use for more than this many.
MAX_THREADS = 4096


def set_num_threads(int n):
    """Sets the threads later parallel regions use; 1 <= n <= MAX_THREADS."""
    if n <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, but got {n}")
    if n > MAX_THREADS:
        raise RuntimeError(f"set_num_threads expects at most {MAX_THREADS} threads, but got {n}")
    omp_set_num_threads(n)
