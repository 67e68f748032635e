"""nn.Dropout2d: whole channels zeroed in training."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...ops.dropout import dropout2d
from .module import Module

if TYPE_CHECKING:
    from ..._tensor import Tensor


class Dropout2d(Module):
    """During training, zeroes whole channels, each with probability ``p``, and scales the
    others by ``1 / (1 - p)``; in eval mode, passes the input through
    (:func:`~hayabusa.nn.functional.dropout2d`).

    The mask has one value per (sample, channel), from the global generator (seeded by
    :func:`hayabusa.manual_seed`). As in PyTorch, a 3-D input is read as ``(N, C, L)``, with a
    warning.

    Args:
        p (float, optional): the probability of zeroing a channel, in [0, 1]. Default: ``0.5``.
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(N, C, H, W)`` or ``(N, C, L)``.
        - Output: the input's shape.

    Example::

        >>> drop = nn.Dropout2d(p=0.25)
        >>> out = drop(torch.ones(1, 1000, 2, 2))
        >>> sorted(set(out.flatten().tolist()))
        [0.0, 1.3333333730697632]
        >>> drop.eval()(torch.ones(1, 2, 1, 1)).flatten()
        tensor([1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return dropout2d(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
