# The OpenMP thread count the kernels split their work across.
#
# omp_set_num_threads sets the calling thread's count only: a kernel called from
# another Python thread would still use OpenMP's default. set_num_threads is
# process-wide in PyTorch, so the count is kept here and each binding applies
# it to its calling thread before a kernel runs (_sync_threads, one comparison
# when nothing changed), as PyTorch's parallel_for does.

cdef extern from "omp.h":
    int omp_get_max_threads() nogil
    void omp_set_num_threads(int n) nogil

cdef extern from *:
    """
    #if defined(_MSC_VER)
    #define HB_THREAD_LOCAL __declspec(thread)
    #else
    #define HB_THREAD_LOCAL __thread
    #endif
    static int hb_threads_wanted = 0;              /* set_num_threads' n */
    static int hb_threads_version = 0;             /* bumped by each set_num_threads */
    static HB_THREAD_LOCAL int hb_threads_seen = 0;  /* the version this thread applied */
    """
    int hb_threads_wanted
    int hb_threads_version
    int hb_threads_seen

# libgomp cannot start 10**5 threads: it runs out of stack setting up the team
# and crashes the process. No CPU has use for more than this many.
MAX_THREADS = 4096


cdef inline void _sync_threads() noexcept:
    """Gives the calling thread the count set_num_threads asked for (called with the GIL held)."""
    global hb_threads_seen
    if hb_threads_seen != hb_threads_version:
        hb_threads_seen = hb_threads_version
        omp_set_num_threads(hb_threads_wanted)


def get_num_threads():
    """The number of threads a kernel's parallel region uses (hayabusa.get_num_threads)."""
    _sync_threads()
    return omp_get_max_threads()


def set_num_threads(n):
    """Sets the threads later parallel regions use, in every thread; 1 <= n <= MAX_THREADS."""
    global hb_threads_wanted, hb_threads_version
    if isinstance(n, bool) or not hasattr(n, "__index__"):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    n = n.__index__()
    if n <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, but got {n}")
    if n > MAX_THREADS:
        raise RuntimeError(f"set_num_threads expects at most {MAX_THREADS} threads, but got {n}")
    hb_threads_wanted = n
    hb_threads_version += 1
    _sync_threads()
