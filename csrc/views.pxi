# Views built in C: np.broadcast_to is written in Python and costs microseconds, and
# every sum's backward broadcasts its gradient back over the summed axes.
from cpython.ref cimport Py_INCREF

cdef extern from "numpy/arrayobject.h":
    ctypedef struct PyArrayObject
    object PyArray_NewFromDescr(void *subtype, cnp.dtype descr, int nd, cnp.npy_intp *dims,
                                cnp.npy_intp *strides, void *data, int flags, object obj)
    void *PyArray_Type_ptr "(&PyArray_Type)"


def broadcast_to(a, shape):
    """np.broadcast_to(a, shape): a read-only view that repeats a along the
    axes where it has size 1 (or is missing), without copying. numpy builds the
    view (and words the error) for anything that is not an ndarray, or whose
    shape does not broadcast."""
    if not isinstance(a, cnp.ndarray) or not isinstance(shape, tuple) or len(<tuple>shape) > 32:
        return np.broadcast_to(a, shape)
    cdef cnp.ndarray A = <cnp.ndarray>a
    cdef tuple target = <tuple>shape
    cdef int nd = len(target), na = cnp.PyArray_NDIM(A), i, j
    cdef cnp.npy_intp dims[32]
    cdef cnp.npy_intp strides[32]
    if na > nd:
        return np.broadcast_to(a, shape)
    for i in range(nd):
        dims[i] = target[i]
        if dims[i] < 0:
            return np.broadcast_to(a, shape)
        j = i - (nd - na)
        if j < 0 or (cnp.PyArray_DIM(A, j) == 1 and dims[i] != 1):
            strides[i] = 0
        elif cnp.PyArray_DIM(A, j) == dims[i]:
            strides[i] = cnp.PyArray_STRIDE(A, j)
        else:
            return np.broadcast_to(a, shape)
    cdef cnp.dtype descr = <cnp.dtype><object>cnp.PyArray_DESCR(A)
    Py_INCREF(descr)  # PyArray_NewFromDescr steals it
    view = PyArray_NewFromDescr(PyArray_Type_ptr, descr, nd, dims, strides, cnp.PyArray_DATA(A),
                                0, None)
    cnp.set_array_base(<cnp.ndarray>view, A)
    return view
