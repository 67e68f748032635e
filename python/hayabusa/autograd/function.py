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
from __future__ import annotations

from typing import TYPE_CHECKING

from .._core import AccumulateGrad, FunctionBase, edge as _edge  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from typing import Any


class Function(FunctionBase):
    """Base class of autograd graph nodes: every differentiable hayabusa op is a subclass.

    This is hayabusa's own protocol, not PyTorch's ``ctx``-based one: a subclass defines
    ``forward(self, *arrays, **params) -> array``, computed on the inputs' arrays (numpy on the
    CPU) with the backend ``self.be``, storing on ``self`` what backward needs; and
    ``backward(self, grad) -> gradient(s)``, one array (or ``None``) per input, given the
    gradient of the output. ``Op.apply(*tensors, **params)`` runs forward and, when an input
    requires grad, records the node as the output's ``grad_fn``.

    ``self.needs_input_grad`` tells backward which gradients are wanted. Class attributes
    ``saved_inputs`` (the indices of the inputs whose data backward reads) and
    ``saves_output`` let autograd detect in-place changes to them before backward, which then
    raises instead of computing a wrong gradient.

    Example::

        >>> class Cube(torch.autograd.Function):
        ...     saved_inputs = (0,)
        ...
        ...     def forward(self, x):
        ...         self.x = x
        ...         return x ** 3
        ...
        ...     def backward(self, grad):
        ...         return 3 * self.x ** 2 * grad
        >>> x = torch.tensor([1., 2.], requires_grad=True)
        >>> y = Cube.apply(x)
        >>> y
        tensor([1., 8.], grad_fn=<CubeBackward0>)
        >>> y.sum().backward()
        >>> x.grad
        tensor([ 3., 12.])
    """

    # no instance dict here: a subclass gets one unless it declares __slots__ = () and keeps
    # what backward needs in `self.saved` (the hottest ops do: one dict less per call)
    __slots__ = ()

    saved_inputs = ()
    saves_output = False

    def forward(self, *arrays: Any, **params: Any) -> Any:
        """Computes the output array from the input arrays (tensors arrive as their arrays; other
        arguments as they are); subclasses define it.
        """
        raise NotImplementedError(f"{type(self).__name__} defines no forward")

    def backward(self, grad: Any) -> Any:
        """Returns the gradient with respect to each input (one array or ``None`` each; a single
        value for a single input), given ``grad``, the gradient of the output; subclasses define it.
        """
        raise NotImplementedError(f"{type(self).__name__} defines no backward")

    def name(self) -> str:
        """PyTorch's name for this node's backward (``AddBackward0``), shown in reprs."""
        return getattr(self, "torch_name", None) or type(self).__name__ + "Backward0"

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"
