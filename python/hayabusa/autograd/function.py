"""Graph nodes: every differentiable op is a Function subclass.

A subclass computes ``forward(*arrays, **params) -> array`` on its backend
(``self.be``) and ``backward(grad) -> one gradient (or None) per input``.
Calling ``Op.apply`` makes the node the output's ``grad_fn`` when any input
requires grad. A node keeps only what its backward needs: the arrays it stored
on itself in forward, and edges to its inputs' nodes (never the input tensors
themselves).

Saved tensors are guarded by version counters: ``saved_inputs`` names the
inputs whose data backward reads, ``saves_output`` says whether it reads the
output (class attributes, or set on the node by forward); if either was
modified in place before backward, backward raises RuntimeError instead of
computing a wrong gradient.

``apply``, the node's fields and the engine that walks the graph are compiled
(csrc/_core.pyx); this class adds what is not on the hot path.
"""
from .._core import AccumulateGrad, FunctionBase, edge as _edge  # noqa: F401  (re-exported)


class Function(FunctionBase):
    """Base class of graph nodes (see the module docstring)."""

    saved_inputs = ()
    saves_output = False

    def forward(self, *arrays, **params):
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def backward(self, grad):
        raise NotImplementedError(f"{type(self).__name__} defines no backward")

    def name(self):
        """PyTorch's name for this node's backward (``AddBackward0``), shown in reprs."""
        return getattr(self, "torch_name", None) or type(self).__name__ + "Backward0"

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"
