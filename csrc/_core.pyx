# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""hayabusa._core: the Tensor/graph core in C — tensor fields, grad mode,
Function.apply, and the backward engine.

This is the part of the Python layer that every op and every backward step
goes through, so it is compiled: measured on the tutorial classifier's step,
the same code in Python spent more time recording and walking the graph than
the kernels spent computing. The logic is that of micrograd's engine: a node
keeps edges to its inputs' nodes and a backward function; backward counts
each node's consumers, seeds the roots and walks the graph in reverse, summing
the gradients that meet at a node; leaves accumulate into ``.grad``.

What the Python side sees: ``TensorBase`` (hayabusa.Tensor's fields),
``FunctionBase`` (hayabusa.autograd.Function's), ``AccumulateGrad``,
``wrap``, ``edge``, ``run_backward`` and the grad-mode switch.
"""
cimport cython
cimport numpy as cnp
from cpython.object cimport PyTypeObject, Py_TYPE
from cpython.ref cimport PyObject, Py_INCREF, Py_REFCNT
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM
from cpython.dict cimport PyDict_GetItem

cnp.import_array()

import warnings
import weakref


# ------------------------------------------------------------------ grad mode
# Per thread, as in PyTorch: a thread serving inference under no_grad must not
# switch off the graph of a thread that is training. A C thread-local is as
# cheap to read as a global; it starts at 0 (enabled) in every new thread.
cdef extern from *:
    """
    #if defined(_MSC_VER)
    static __declspec(thread) int hb_grad_disabled = 0;
    #else
    static __thread int hb_grad_disabled = 0;
    #endif
    """
    int hb_grad_disabled


def is_grad_enabled():
    """Whether ops record a graph in this thread (hayabusa.is_grad_enabled)."""
    return not hb_grad_disabled


def set_grad_mode(bint mode):
    """Sets whether ops record a graph in this thread; returns the previous mode."""
    global hb_grad_disabled
    cdef bint prev = not hb_grad_disabled
    hb_grad_disabled = not mode
    return prev


# --------------------------------------------------------------- anomaly mode
cdef bint _anomaly = False
cdef bint _anomaly_check_nan = True


def is_anomaly_enabled():
    return _anomaly


def is_anomaly_check_nan_enabled():
    return _anomaly_check_nan


def set_anomaly_mode(bint enabled, bint check_nan=True):
    """Anomaly mode: nodes remember the forward stack that made them, and backward
    raises at the first node whose gradients hold NaN (hayabusa.autograd.detect_anomaly)."""
    global _anomaly, _anomaly_check_nan
    _anomaly = enabled
    _anomaly_check_nan = check_nan


cdef int _check_anomaly(object node, tuple in_grads) except -1:
    cdef Py_ssize_t i
    for i in range(len(in_grads)):
        g = in_grads[i]
        if g is not None and bool((g != g).any()):
            trace = getattr(node, "_anomaly_trace", None)
            if trace:
                warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                              f"caused the error:\n{''.join(trace)}", stacklevel=3)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
    return 0


# -------------------------------------------------------------------- tensors
cdef class TensorBase:
    """A tensor's fields: its array, autograd state and version counter.

    ``_version`` is a one-element list shared by a tensor and its views, so
    an in-place change through any of them is seen by every graph that saved
    one. ``_accumulator`` is the leaf's AccumulateGrad once a graph used it.
    """
    cdef public object _data
    cdef public bint _requires_grad
    cdef public object _grad
    cdef public object grad_fn
    cdef public list _version
    cdef public AccumulateGrad _accumulator


cdef type _tensor_class = TensorBase


def register_tensor_class(type cls):
    """The class `wrap` makes (hayabusa.Tensor, registered once at import)."""
    global _tensor_class
    if not issubclass(cls, TensorBase):
        raise TypeError(f"{cls.__name__} is not a TensorBase subclass")
    _tensor_class = cls


cdef tuple _NO_ARGS = ()


cpdef TensorBase wrap(object data, bint requires_grad=False, object grad_fn=None):
    """A Tensor around an array, with no copy and no checks (the ops' constructor)."""
    # the class's tp_new directly: Tensor.__new__ through Python costs a lookup and a call
    cdef TensorBase t = (<PyTypeObject *>_tensor_class).tp_new(_tensor_class, <PyObject *>_NO_ARGS, NULL)
    t._data = data
    t._requires_grad = requires_grad
    t._grad = None
    t.grad_fn = grad_fn
    t._version = [0]
    return t


# ---------------------------------------------------------------- graph nodes
cdef class AccumulateGrad:
    """The edge into a leaf tensor: backward adds the incoming gradient to ``leaf.grad``.

    The leaf holds its accumulator, the accumulator holds the leaf weakly: no
    reference cycle, one accumulator per leaf for all the graphs through it.
    """
    cdef object _variable
    cdef public object _hooks   # an OrderedDict: hook id -> hook(grad), as Tensor.register_hook adds them
    cdef object __weakref__

    def __init__(self, TensorBase variable):
        self._variable = weakref.ref(variable)
        self._hooks = None

    @property
    def variable(self):
        return self._variable()

    def name(self):
        return "AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


cpdef object edge(TensorBase t):
    """The node a gradient for tensor t flows into: its grad_fn, or its leaf accumulator."""
    if t.grad_fn is not None:
        return t.grad_fn
    if t._accumulator is None:
        t._accumulator = AccumulateGrad(t)
    return t._accumulator


cdef class FunctionBase:
    """A graph node's fields and ``apply`` (hayabusa.autograd.Function adds the rest).

    A subclass defines ``forward(*arrays, **params) -> array`` computed on
    ``self.be`` (the inputs' backend) and ``backward(grad)`` returning one
    gradient (or None) per input. ``saved_inputs`` names the inputs whose data
    backward reads and ``saves_output`` whether it reads the output (class
    attributes, or set on the node by forward): they are guarded by version
    counters, so modifying them in place before backward raises instead of
    giving a wrong gradient.
    """
    cdef public object be
    cdef public tuple next_functions
    cdef public tuple needs_input_grad
    cdef public list _checks
    cdef public bint _released
    cdef public object _retained
    cdef public object _hooks   # an OrderedDict: hook id -> hook(grad), as Tensor.register_hook adds them
    # What forward keeps for backward, for nodes that keep it here rather than in
    # attributes of their own: a node class with __slots__ = () then has no
    # instance dict to make and free on every call (the hottest ops do this).
    cdef public object saved
    cdef public object _anomaly_trace
    # The engine's bookkeeping while a backward runs through this node: which run
    # holds it (0: none), how many gradients it still waits for, and the sum of
    # those that arrived. Fields rather than dicts keyed by node: the dicts' hashing
    # and lookups were most of the engine's cost on a small model's step.
    cdef Py_ssize_t _run
    cdef Py_ssize_t _pending
    cdef object _buffer
    cdef object __weakref__

    @classmethod
    def apply(cls, *inputs, **params):
        """Run forward on the inputs' arrays; record the node if any input requires grad."""
        cdef FunctionBase node = (<PyTypeObject *>cls).tp_new(cls, <PyObject *>_NO_ARGS, NULL)
        cdef Py_ssize_t n = len(inputs), i
        # tuples filled in place: forward's argument tuple needs no list -> tuple copy
        cdef tuple arrays = PyTuple_New(n)
        cdef tuple needs = PyTuple_New(n)
        cdef bint any_needs = False
        cdef TensorBase t
        cdef object item, need
        be = None
        for i in range(n):
            x = inputs[i]
            need = False
            if isinstance(x, TensorBase):
                t = <TensorBase>x
                if be is None:
                    be = x._backend
                item = t._data
                if t._requires_grad:
                    need = True
                    any_needs = True
            else:
                item = x
            Py_INCREF(item)
            PyTuple_SET_ITEM(arrays, i, item)
            Py_INCREF(need)
            PyTuple_SET_ITEM(needs, i, need)
        node.be = be
        node.needs_input_grad = needs
        forward = node.forward
        out = forward(*arrays, **params) if params else forward(*arrays)
        if hb_grad_disabled or not any_needs:
            return wrap(out)
        cdef tuple nexts = PyTuple_New(n)
        for i in range(n):
            item = edge(<TensorBase>inputs[i]) if needs[i] is True else None
            Py_INCREF(item)
            PyTuple_SET_ITEM(nexts, i, item)
        node.next_functions = nexts
        result = wrap(out, True, node)
        if _anomaly:
            import traceback    # anomaly mode only: traceback costs 2-5 ms of import
            # without apply's own frame (an explicit end: this file has wraparound off)
            stack = traceback.format_stack()
            node._anomaly_trace = stack[:len(stack) - 1]
        cdef list checks = []
        for i in node.saved_inputs:
            x = inputs[i]
            if isinstance(x, TensorBase):
                t = <TensorBase>x
                checks.append((t._version, t._version[0], i))
        if node.saves_output:
            checks.append((result._version, 0, "output"))
        node._checks = checks
        return result

    cdef int check_saved(self) except -1:
        if self._released:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward.")
        for box, version, which in self._checks:
            if (<list>box)[0] != version:
                what = "its output" if which == "output" else f"input {which}"
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: {self.name()} needs {what} at version {version}, "
                    f"but it is now at version {box[0]}. Hint: avoid modifying a tensor in place "
                    "while a graph that uses it is alive, or .clone() it first.")
        return 0

    def _check_saved(self):
        self.check_saved()

    cdef inline void release(self):
        """Drop what forward saved: the graph is done with unless retain_graph."""
        # the saved arrays live in `saved` or in the instance dict (a Python
        # subclass's attributes), which a class with __slots__ = () does not have
        self.saved = None
        if Py_TYPE(self).tp_dictoffset != 0:
            (<dict>(<object>self).__dict__).clear()
        self._released = True



# ---------------------------------------------------------------------- engine
cdef Py_ssize_t _last_run = 0


cdef int _release_claims(list nodes) except -1:
    cdef FunctionBase fn
    for node in nodes:
        fn = <FunctionBase>node
        fn._run = 0
        fn._pending = 0
        fn._buffer = None
    return 0


cdef list _claim_graph(list roots, Py_ssize_t run):
    """The function nodes reachable from the roots, each marked as held by this run,
    with _pending set to the number of edges into it from reachable nodes. The leaves'
    accumulators are not counted: the engine hands them their gradients at the end.
    A node another backward holds (from another thread, or from a hook of this one)
    raises RuntimeError before anything is changed."""
    cdef list nodes = []
    cdef list stack = []
    cdef FunctionBase fn, nf
    for root in roots:
        if isinstance(root, FunctionBase):
            fn = <FunctionBase>root
            if fn._run == 0:
                fn._run = run
                fn._pending = 0
                nodes.append(fn)
                stack.append(fn)
            elif fn._run != run:
                _release_claims(nodes)
                raise _concurrent_backward()
    while stack:
        fn = <FunctionBase>stack.pop()
        for nxt in fn.next_functions:
            if not isinstance(nxt, FunctionBase):
                continue
            nf = <FunctionBase>nxt
            if nf._run != run:
                if nf._run != 0:
                    _release_claims(nodes)
                    raise _concurrent_backward()
                nf._run = run
                nf._pending = 0
                nodes.append(nf)
                stack.append(nf)
            nf._pending += 1
    return nodes


cdef object _concurrent_backward():
    return RuntimeError(
        "backward reached graph nodes that another backward is running through (from another "
        "thread, or from a hook of this one); run the two one after the other")


cdef object _apply_hooks(object hooks, object grad):
    for hook in list(hooks.values()):
        result = hook(wrap(grad))
        if result is not None:
            grad = (<TensorBase?>result)._data
    return grad


# References to a gradient array while the engine hands it to a leaf: the
# engine's local variable only (a gradient still waiting in the buffers for
# another input, or kept by a hook or a retained tensor, adds one).
cdef Py_ssize_t _ENGINE_REFS = 1


cdef bint _exclusively_ours(object grad, object data):
    """Whether grad is a C-contiguous, writable array of data's dtype that owns
    its memory and that nothing but the engine's one reference can reach, so
    that a leaf can keep it as its .grad instead of a copy. A backward may hand
    one array to several inputs, or a view of one: those have more references
    or a base, and are copied."""
    if Py_REFCNT(grad) > _ENGINE_REFS:
        return False
    if cnp.PyArray_CheckExact(grad) and cnp.PyArray_CheckExact(data):
        # numpy's C API: .base, .dtype and .flags from Python cost 0.4 us a leaf
        if (cnp.PyArray_BASE(<cnp.ndarray>grad) != NULL
                or not cnp.PyArray_IS_C_CONTIGUOUS(<cnp.ndarray>grad)
                or not cnp.PyArray_ISWRITEABLE(<cnp.ndarray>grad)):
            return False
        if (cnp.PyArray_TYPE(<cnp.ndarray>grad) == cnp.PyArray_TYPE(<cnp.ndarray>data)
                and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>grad)
                and cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>data)):
            return True
        return grad.dtype == data.dtype
    return (type(grad) is type(data) and grad.base is None and grad.dtype == data.dtype
            and grad.flags.c_contiguous and grad.flags.writeable)


cdef bint _same_shape(object a, object b):
    cdef int d
    if cnp.PyArray_CheckExact(a) and cnp.PyArray_CheckExact(b):
        if cnp.PyArray_NDIM(<cnp.ndarray>a) != cnp.PyArray_NDIM(<cnp.ndarray>b):
            return False
        for d in range(cnp.PyArray_NDIM(<cnp.ndarray>a)):
            if cnp.PyArray_DIM(<cnp.ndarray>a, d) != cnp.PyArray_DIM(<cnp.ndarray>b, d):
                return False
        return True
    return a.shape == b.shape


cdef _accumulate(TensorBase target, object grad, bint check_shape):
    """target.grad += grad (grad itself when target has none and grad is
    exclusively the engine's, else a copy of it)."""
    if check_shape and not _same_shape(grad, target._data):
        raise RuntimeError(
            f"gradient of shape {list(grad.shape)} does not match the shape "
            f"{list(target._data.shape)} of the leaf it flows into")
    if target._grad is None:
        if _exclusively_ours(grad, target._data):
            target._grad = wrap(grad)
        else:
            target._grad = wrap(grad.astype(target._data.dtype, copy=True))
    else:
        g = <TensorBase>target._grad
        g._data += grad
        g._version[0] += 1


cdef inline void _add_to_node(FunctionBase node, object grad):
    """A gradient arriving at a function node: summed into its buffer."""
    node._buffer = grad if node._buffer is None else node._buffer + grad


cdef inline void _add_to(dict buffers, object node, object grad):
    cdef PyObject *have = PyDict_GetItem(buffers, node)
    if have is NULL:
        buffers[node] = grad
    else:
        buffers[node] = <object>have + grad


def run_backward(roots, root_grads, bint retain_graph=False, dict capture=None):
    """Propagate root_grads (arrays) from the root tensors to the leaves.

    The function nodes run in an order where each runs once every gradient into it
    has arrived; then each leaf gets the sum of the gradients that reached it.
    With ``capture`` (a dict mapping nodes to None), the gradient arriving at
    each of those nodes is stored there instead of being accumulated into any
    leaf: this is ``autograd.grad``.
    """
    global _last_run
    _last_run += 1
    cdef Py_ssize_t run = _last_run
    cdef list root_nodes = [edge(t) for t in roots]
    cdef list nodes = _claim_graph(root_nodes, run)
    # accumulator -> the sum of the gradients for its leaf, in order of first arrival
    cdef dict leaf_grads = {}
    cdef list ready = []
    cdef FunctionBase fn, nf
    cdef AccumulateGrad acc
    cdef Py_ssize_t i
    cdef tuple in_grads, nexts
    try:
        for node, g in zip(root_nodes, root_grads):
            if isinstance(node, FunctionBase):
                _add_to_node(<FunctionBase>node, g)
            else:
                _add_to(leaf_grads, node, g)
        for node in root_nodes:
            if isinstance(node, FunctionBase) and (<FunctionBase>node)._pending == 0 \
                    and node not in ready:
                ready.append(node)
        g = None
        while ready:
            fn = <FunctionBase>ready.pop()
            grad = fn._buffer
            fn._buffer = None
            in_grads = None
            if grad is not None:
                fn.check_saved()
                if fn._hooks:
                    grad = _apply_hooks(fn._hooks, grad)
                if capture is not None and fn in capture:
                    capture[fn] = grad
                if fn._retained is not None and capture is None:
                    retained = fn._retained()
                    if retained is not None:
                        _accumulate(<TensorBase>retained, grad, False)
                result = fn.backward(grad)
                in_grads = result if type(result) is tuple else (result,)
                if len(in_grads) != len(fn.next_functions):
                    raise RuntimeError(
                        f"function {fn.name()} returned an incorrect number of gradients "
                        f"(expected {len(fn.next_functions)}, got {len(in_grads)})")
                if _anomaly and _anomaly_check_nan:
                    _check_anomaly(fn, in_grads)
                if not retain_graph:
                    fn.release()
            nexts = fn.next_functions
            for i in range(len(nexts)):
                nxt = nexts[i]
                if nxt is None:
                    continue
                g = in_grads[i] if in_grads is not None else None
                if isinstance(nxt, FunctionBase):
                    nf = <FunctionBase>nxt
                    if g is not None:
                        _add_to_node(nf, g)
                    nf._pending -= 1
                    if nf._pending == 0:
                        ready.append(nf)
                elif g is not None:
                    _add_to(leaf_grads, nxt, g)
            # the buffers now hold the gradients: no other reference may keep one
            # alive, or a leaf could not adopt it (see _exclusively_ours)
            result = in_grads = g = grad = None
        for node in list(leaf_grads):
            grad = leaf_grads.pop(node)
            acc = <AccumulateGrad?>node
            if acc._hooks:
                grad = _apply_hooks(acc._hooks, grad)
            if capture is not None:
                if acc in capture:
                    capture[acc] = grad
            else:
                leaf = acc._variable()
                if leaf is not None:
                    _accumulate(<TensorBase>leaf, grad, True)
            grad = None
    finally:
        _release_claims(nodes)


# ------------------------------------------------------- optimizer bookkeeping
def params_with_grads(params):
    """([params with a gradient], [their gradients' arrays], whether they mix dtypes):
    what an optimizer's step gathers before its one fused kernel call."""
    cdef list ps = [], gs = []
    cdef TensorBase p
    cdef bint mixed = False
    dtype = None
    for x in params:
        p = <TensorBase?>x
        if p._grad is None:
            continue
        ps.append(p)
        gs.append((<TensorBase>p._grad)._data)
        d = p._data.dtype
        if dtype is None:
            dtype = d
        elif d is not dtype and d != dtype:
            mixed = True
    return ps, gs, mixed


def arrays_of(list tensors):
    """[t._data for t in tensors]."""
    cdef list out = []
    for t in tensors:
        out.append((<TensorBase?>t)._data)
    return out


def bump_versions(list tensors):
    """Marks each tensor as changed in place (an optimizer wrote into its array), so that a
    graph that saved it raises at backward instead of using the new values."""
    for t in tensors:
        (<list>(<TensorBase?>t)._version)[0] += 1


# ------------------------------------------------------------- module call
def module_call(self, *args, **kwargs):
    """nn.Module.__call__: forward, through the module's hooks when it has any. In
    Cython: every layer of every model goes through it on each step."""
    if self._forward_pre_hooks or self._forward_hooks:
        return self._call_with_hooks(args, kwargs)
    forward = self.forward
    return forward(*args, **kwargs) if kwargs else forward(*args)


def backward_scalar(TensorBase t, bint retain_graph):
    """loss.backward() for a float32/float64 numpy scalar requiring grad: the graph run
    from t with a seed of 1. Returns False, having done nothing, for anything else (the
    caller takes the general path, with its checks and messages)."""
    if not t._requires_grad or not cnp.PyArray_CheckExact(t._data):
        return False
    cdef cnp.ndarray d = <cnp.ndarray>t._data
    cdef int typenum = cnp.PyArray_TYPE(d)
    if cnp.PyArray_SIZE(d) != 1 or not cnp.PyArray_ISNOTSWAPPED(d) or \
            (typenum != cnp.NPY_FLOAT and typenum != cnp.NPY_DOUBLE):
        return False
    cdef cnp.ndarray seed = cnp.PyArray_EMPTY(cnp.PyArray_NDIM(d), cnp.PyArray_DIMS(d), typenum, 0)
    if typenum == cnp.NPY_FLOAT:
        (<float *>cnp.PyArray_DATA(seed))[0] = 1
    else:
        (<double *>cnp.PyArray_DATA(seed))[0] = 1
    run_backward((t,), (seed,), retain_graph)
    return True
