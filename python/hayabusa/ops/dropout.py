"""dropout2d: whole channels zeroed (the mask is one value per (sample, channel))."""
from __future__ import annotations

import warnings

from .._random import default_generator
from .._tensor import Tensor
from .activation import Dropout


def _channel_dropout(input, p, training, inplace, generator=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if inplace:
        return input._inplace(lambda x: _channel_dropout(x, p, True, False, generator))
    if p == 1.0:
        return input * 0.0
    mask_shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
    mask = (generator or default_generator)._impl.bernoulli(1.0 - p, mask_shape, input._data.dtype)
    return Dropout.apply(input, mask=mask, scale=1.0 / (1.0 - p))


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True,
              inplace: bool = False) -> Tensor:
    """Zeroes whole channels of ``input``, each with probability ``p``, and scales the others by
    ``1 / (1 - p)``.

    The mask has one value per (sample, channel), drawn from the global generator (seeded by
    :func:`hayabusa.manual_seed`; the values differ from PyTorch's). With ``training=False`` or
    ``p=0`` the input is returned as it is. As in PyTorch, a 3-D input is read as ``(N, C, L)``
    (with a warning), and inputs that are not 3-D or 4-D warn.

    Args:
        input (Tensor): ``(N, C, H, W)`` or ``(N, C, L)``.
        p (float, optional): the probability of zeroing a channel, in [0, 1]. Default: ``0.5``.
        training (bool, optional): apply dropout (True) or return ``input``. Default: ``True``.
        inplace (bool, optional): write the result into ``input``. Default: ``False``.

    Example::

        >>> out = F.dropout2d(torch.ones(1, 1000, 2, 2), p=0.25)
        >>> sorted(set(out.flatten().tolist()))
        [0.0, 1.3333333730697632]
        >>> bool((out.amin(dim=(2, 3)) == out.amax(dim=(2, 3))).all())  # whole channels
        True
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout2d(): argument 'input' must be Tensor, not {type(input).__name__}")
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide channel-wise "
            "dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch "
            "dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
            "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel "
            "dim. This behavior will change in a future release to interpret the input as one "
            "without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise "
            "dropout behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _channel_dropout(input, p, training, inplace)
