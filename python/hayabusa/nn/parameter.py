"""nn.Parameter: a leaf tensor that a Module registers as one of its parameters."""
from __future__ import annotations

from .._tensor import Tensor


class Parameter(Tensor):
    """A tensor that is a module parameter: it requires grad, and assigning it to a
    :class:`Module` attribute registers it, so ``module.parameters()`` yields it.

    It shares ``data``'s memory (no copy). Its repr starts with ``Parameter containing:``.

    Args:
        data (Tensor, optional): the initial value. Default: an empty tensor.
        requires_grad (bool, optional): Default: ``True``.

    Example::

        >>> nn.Parameter(torch.zeros(2))
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
    """

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
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

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
