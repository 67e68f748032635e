"""Parameters to and from one flat vector, as torch.nn.utils.convert_parameters."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..._tensor import Tensor
from ...ops.shape import cat

if TYPE_CHECKING:
    from typing import Iterable


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and concatenated into one 1-D tensor (differentiable).

    Example::

        >>> nn.utils.parameters_to_vector(nn.Linear(3, 2).parameters()).shape
        hayabusa.Size([8])
    """
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Sets each parameter's data to its slice of ``vec``, in order (the inverse of
    :func:`parameters_to_vector`).

    The parameters then share memory with ``vec``, as in PyTorch.

    Args:
        vec (Tensor): a 1-D tensor of as many elements as the parameters have together.
        parameters (iterable of Tensors): the parameters to set.

    Example::

        >>> m = nn.Linear(3, 2)
        >>> nn.utils.vector_to_parameters(torch.zeros(8), m.parameters())
        >>> m.bias
        Parameter containing:
        tensor([0., 0.], requires_grad=True)
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec[pointer:pointer + n].view_as(param).data
        pointer += n
