"""nn.init: in-place initializers drawing from hayabusa's global generator (or ``generator``)."""
from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

from .._grad_mode import no_grad
from .._random import default_generator

if TYPE_CHECKING:
    from .._random import Generator
    from .._tensor import Tensor

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "zeros_", "ones_",
           "eye_", "orthogonal_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_"]


def _fill_from(tensor, data):
    with no_grad():
        tensor._data[...] = data
        tensor._version[0] += 1
    return tensor


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as ``torch.nn.init.calculate_gain``.

    1 for linear, convolution and sigmoid; 5/3 for tanh; sqrt(2) for relu;
    ``sqrt(2 / (1 + slope ** 2))`` for leaky_relu (slope ``param``, default 0.01); 3/4 for selu.

    Args:
        nonlinearity (str): the function's name in ``torch.nn.functional``.
        param (float, optional): the negative slope of leaky_relu.

    Example::

        >>> nn.init.calculate_gain("relu")
        1.4142135623730951
        >>> nn.init.calculate_gain("leaky_relu", 0.2)
        1.3867504905630728
    """
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _gen(generator):
    return (generator or default_generator)._impl


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0,
             generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with samples from the uniform distribution on ``[a, b)``.

    Args:
        tensor (Tensor): the tensor to fill.
        a (float, optional): the lower bound. Default: ``0.0``.
        b (float, optional): the upper bound. Default: ``1.0``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> w = nn.init.uniform_(torch.empty(3, 5), -1, 1)
        >>> bool(((w >= -1) & (w < 1)).all())
        True
    """
    return _fill_from(tensor, _gen(generator).uniform(tensor.shape, tensor._data.dtype, a, b))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with samples from the normal distribution ``N(mean, std ** 2)``.

    Args:
        tensor (Tensor): the tensor to fill.
        mean (float, optional): the mean. Default: ``0.0``.
        std (float, optional): the standard deviation. Default: ``1.0``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> nn.init.normal_(torch.empty(3, 5), std=0.02).shape
        hayabusa.Size([3, 5])
    """
    return _fill_from(tensor, _gen(generator).normal(tensor.shape, tensor._data.dtype, mean, std))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with samples from ``N(mean, std ** 2)`` truncated to ``[a, b]``.

    Values outside ``[a, b]`` are redrawn, so the result follows the truncated distribution.
    Warns when ``mean`` is more than 2 ``std`` away from ``[a, b]``, as PyTorch.

    Args:
        tensor (Tensor): the tensor to fill.
        mean (float, optional): the mean of the normal distribution. Default: ``0.0``.
        std (float, optional): its standard deviation. Default: ``1.0``.
        a (float, optional): the lower cutoff. Default: ``-2.0``.
        b (float, optional): the upper cutoff. Default: ``2.0``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> w = nn.init.trunc_normal_(torch.empty(1000), std=1.0, a=-2.0, b=2.0)
        >>> bool(((w >= -2) & (w <= 2)).all())
        True
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
                      "The distribution of values may be incorrect.", stacklevel=2)

    def cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    mass = cdf((b - mean) / std) - cdf((a - mean) / std)
    values = tensor._backend.truncated_normal(_gen(generator), tensor.shape, tensor._data.dtype,
                                              mean, std, a, b, mass)
    return _fill_from(tensor, values)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills ``tensor`` with the value ``val``.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> nn.init.constant_(torch.empty(3), 0.3)
        tensor([0.3000, 0.3000, 0.3000])
    """
    return _fill_from(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with zeros.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).
    """
    return _fill_from(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fills ``tensor`` with ones.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).
    """
    return _fill_from(tensor, 1)


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D ``tensor`` with the identity matrix (ones on the diagonal, zeros elsewhere).

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> nn.init.eye_(torch.empty(2, 3))
        tensor([[1., 0., 0.],
                [0., 1., 0.]])
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill_from(tensor, tensor._backend.eye(*tensor.shape, dtype=tensor._data.dtype))


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with a random (semi-)orthogonal matrix, scaled by ``gain``.

    The tensor is viewed as ``(rows, numel // rows)``; its rows (or columns, whichever are
    fewer) are orthonormal, drawn as PyTorch draws them (the QR decomposition of a normal
    matrix, with the signs fixed).

    Args:
        tensor (Tensor): at least 2-D.
        gain (float, optional): the scale. Default: ``1``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> q = nn.init.orthogonal_(torch.empty(3, 5, dtype=torch.float64))
        >>> bool(((q @ q.T - torch.eye(3, dtype=torch.float64)).abs() < 1e-12).all())
        True
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    q = tensor._backend.orthonormal(_gen(generator), rows, tensor.numel() // rows,
                                    tensor._data.dtype)
    return _fill_from(tensor, (q * gain).reshape(tensor.shape))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with Glorot's uniform initialization: ``U(-a, a)`` with
    ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Args:
        tensor (Tensor): at least 2-D (``fan_in``, ``fan_out`` from dims 1 and 0 times the
            receptive field).
        gain (float, optional): the scale (see :func:`calculate_gain`). Default: ``1.0``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> w = nn.init.xavier_uniform_(torch.empty(100, 200))
        >>> float(w.abs().max()) <= (6 / 300) ** 0.5
        True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with Glorot's normal initialization: ``N(0, std ** 2)`` with
    ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Args:
        tensor (Tensor): at least 2-D.
        gain (float, optional): the scale. Default: ``1.0``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    return calculate_gain(nonlinearity, a) / math.sqrt(_calculate_correct_fan(tensor, mode))


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with He's uniform initialization: ``U(-bound, bound)`` with
    ``bound = gain * sqrt(3 / fan)``, ``gain = calculate_gain(nonlinearity, a)``.

    ``nn.Linear`` initializes its weight with ``a=sqrt(5)``. A tensor with no elements is left
    as it is (with a warning).

    Args:
        tensor (Tensor): at least 2-D.
        a (float, optional): the negative slope of the leaky_relu that follows. Default: ``0``.
        mode (str, optional): ``'fan_in'`` (preserves the forward variance) or ``'fan_out'``
            (the backward one). Default: ``'fan_in'``.
        nonlinearity (str, optional): ``'relu'`` or ``'leaky_relu'`` (the recommended ones).
            Default: ``'leaky_relu'``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).

    Example::

        >>> w = nn.init.kaiming_uniform_(torch.empty(64, 32), nonlinearity="relu")
        >>> float(w.abs().max()) <= (6 / 32) ** 0.5
        True
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator: Generator | None = None) -> Tensor:
    """Fills ``tensor`` with He's normal initialization: ``N(0, std ** 2)`` with
    ``std = gain / sqrt(fan)``, ``gain = calculate_gain(nonlinearity, a)``.

    Args:
        tensor (Tensor): at least 2-D.
        a (float, optional): the negative slope of the leaky_relu that follows. Default: ``0``.
        mode (str, optional): ``'fan_in'`` or ``'fan_out'``. Default: ``'fan_in'``.
        nonlinearity (str, optional): ``'relu'`` or ``'leaky_relu'``. Default: ``'leaky_relu'``.
        generator (hayabusa.Generator, optional): the generator to draw from. Default: the
            global one.

    Returns:
        Tensor: ``tensor`` itself, filled in place (without recording a graph).
    """
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)
