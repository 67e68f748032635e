"""nn.Parameter: a leaf tensor that a Module registers as one of its parameters."""
from .._tensor import Tensor


class Parameter(Tensor):
    """A tensor that requires grad and is registered by the Module it is assigned to."""

    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        from .._factories import empty
        if data is None:
            data = empty(0)
        p = Tensor.__new__(cls)
        p._data = data._data
        p._requires_grad = False
        p._grad = None
        p.grad_fn = None
        p._version = data._version
        p._accumulator = None
        if requires_grad:
            p.requires_grad_(True)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
