"""Graph nodes: every differentiable op is a Function subclass.

A subclass computes ``forward(*arrays, **params) -> array`` on its backend and
``backward(grad) -> one gradient (or None) per input``. Calling ``Op.apply``
makes the node the output's ``grad_fn`` when any input requires grad. A node
keeps only what its backward needs: the arrays it stored on itself in forward,
and edges to its inputs' nodes (never the input tensors themselves).

Saved tensors are guarded by version counters: ``saved_inputs`` names the
inputs whose data backward reads, ``saves_output`` says whether it reads the
output (class attributes, or set on the node by forward); if either was modified in place before backward, backward raises
RuntimeError instead of computing a wrong gradient.
"""
import weakref

from .. import _grad_mode as grad_mode
from .._tensor import Tensor, _wrap


class AccumulateGrad:
    """The edge into a leaf tensor: backward adds the incoming gradient to ``leaf.grad``."""

    __slots__ = ("variable", "_hooks", "__weakref__")

    def __init__(self, variable):
        self.variable = variable
        self._hooks = None

    def name(self):
        return "AccumulateGrad"

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


class Function:
    """Base class of graph nodes (see the module docstring)."""

    saved_inputs = ()
    saves_output = False

    __slots__ = ("be", "next_functions", "needs_input_grad", "_checks", "_released",
                 "_retained", "_hooks", "__dict__", "__weakref__")

    @classmethod
    def apply(cls, *inputs, **params):
        """Run forward on the inputs' arrays; record the node if any input requires grad."""
        node = cls()
        arrays = []
        needs = []
        be = None
        for t in inputs:
            if isinstance(t, Tensor):
                be = be or t._backend
                arrays.append(t._data)
                needs.append(t._requires_grad)
            else:
                arrays.append(t)
                needs.append(False)
        node.be = be
        out = node.forward(*arrays, **params)
        if not (grad_mode._enabled and True in needs):
            return _wrap(out)
        needs = tuple(needs)
        node.needs_input_grad = needs
        node.next_functions = tuple(_edge(t) if need else None for t, need in zip(inputs, needs))
        node._released = False
        node._retained = None
        node._hooks = None
        result = _wrap(out, requires_grad=True, grad_fn=node)
        # instance attributes when forward decides what it saved, else the class's
        checks = [(inputs[i]._version, inputs[i]._version[0], i) for i in node.saved_inputs
                  if isinstance(inputs[i], Tensor)]
        if node.saves_output:
            checks.append((result._version, result._version[0], "output"))
        node._checks = checks
        return result

    def forward(self, *arrays, **params):
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def backward(self, grad):
        raise NotImplementedError(f"{type(self).__name__} defines no backward")

    def name(self):
        """PyTorch's name for this node's backward (``AddBackward0``), shown in reprs."""
        return getattr(self, "torch_name", None) or type(self).__name__ + "Backward0"

    def _check_saved(self):
        if self._released:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access saved "
                "tensors after they have already been freed). Saved intermediate values of the "
                "graph are freed when you call .backward() or autograd.grad(). Specify "
                "retain_graph=True if you need to backward through the graph a second time or "
                "if you need to access saved tensors after calling backward.")
        for box, version, which in self._checks:
            if box[0] != version:
                what = "its output" if which == "output" else f"input {which}"
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: {self.name()} needs {what} at version {version}, "
                    f"but it is now at version {box[0]}. Hint: avoid modifying a tensor in place "
                    "while a graph that uses it is alive, or .clone() it first.")

    def _release(self):
        """Drop what forward saved: the graph is done with unless retain_graph."""
        self.__dict__.clear()
        self._released = True

    def register_hook(self, hook):
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"


def _edge(t):
    """The node a gradient for tensor t flows into: its grad_fn, or its leaf accumulator."""
    if t.grad_fn is not None:
        return t.grad_fn
    # the leaf holds its accumulator weakly and the accumulator holds the leaf:
    # no reference cycle, and all graphs through one leaf share one accumulator
    acc = t._accumulator() if t._accumulator is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._accumulator = weakref.ref(acc)
    return acc
