"""Activation modules: each calls its functional form (fused C kernels underneath)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...ops import activation as _act
from .. import functional as F
from .module import Module

if TYPE_CHECKING:
    from ..._tensor import Tensor


class ReLU(Module):
    """Applies the rectified linear unit ``max(x, 0)`` elementwise.

    Args:
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.ReLU()(torch.tensor([-2., 0., 2.]))
        tensor([0., 0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return input.relu_() if self.inplace else _act.relu(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """Applies the logistic sigmoid ``1 / (1 + exp(-x))`` elementwise.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.Sigmoid()(torch.tensor([-2., 0., 2.]))
        tensor([0.1192, 0.5000, 0.8808])
    """

    def forward(self, input: Tensor) -> Tensor:
        return _act.sigmoid(input)


class Tanh(Module):
    """Applies the hyperbolic tangent elementwise.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.Tanh()(torch.tensor([-2., 0., 2.]))
        tensor([-0.9640,  0.0000,  0.9640])
    """

    def forward(self, input: Tensor) -> Tensor:
        return _act.tanh(input)


class SiLU(Module):
    """Applies the sigmoid linear unit (swish) ``x * sigmoid(x)`` elementwise.

    Args:
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.SiLU()(torch.tensor([-2., 0., 2.]))
        tensor([-0.2384,  0.0000,  1.7616])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """Applies ``x`` where ``x > 0``, else ``negative_slope * x``, elementwise.

    Args:
        negative_slope (float, optional): the slope below 0. Default: ``0.01``.
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.LeakyReLU(0.1)(torch.tensor([-2., 0., 2.]))
        tensor([-0.2000,  0.0000,  2.0000])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """Applies the Gaussian error linear unit ``x * Phi(x)`` (:func:`~hayabusa.nn.functional.gelu`).

    Args:
        approximate (str, optional): ``'none'`` (the exact CDF) or ``'tanh'`` (its tanh
            approximation). Default: ``'none'``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.GELU()(torch.tensor([-2., 0., 2.]))
        tensor([-0.0455,  0.0000,  1.9545])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class ELU(Module):
    """Applies the exponential linear unit: ``x`` where ``x > 0``, else ``alpha * (exp(x) - 1)``.

    Args:
        alpha (float, optional): the negated limit at -inf. Default: ``1.0``.
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.ELU()(torch.tensor([-2., 0., 2.]))
        tensor([-0.8647,  0.0000,  2.0000])
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Softplus(Module):
    """Applies ``log(1 + exp(beta * x)) / beta`` elementwise (linear above ``threshold / beta``).

    Args:
        beta (float, optional): the sharpness. Default: ``1.0``.
        threshold (float, optional): where ``beta * x`` exceeds it, the output is ``x``.
            Default: ``20.0``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.Softplus()(torch.tensor([-2., 0., 2.]))
        tensor([0.1269, 0.6931, 2.1269])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Hardtanh(Module):
    """Clamps the input into ``[min_val, max_val]`` elementwise.

    Args:
        min_val (float, optional): the lower bound. Default: ``-1.0``.
        max_val (float, optional): the upper bound, above ``min_val``. Default: ``1.0``.
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.Hardtanh()(torch.tensor([-2., 0., 2.]))
        tensor([-1.,  0.,  1.])
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace
        if self.max_val <= self.min_val:
            raise AssertionError(
                f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    """Applies ``min(max(x, 0), 6)`` elementwise.

    Args:
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.ReLU6()(torch.tensor([-2., 3., 8.]))
        tensor([0., 3., 6.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class Softmax(Module):
    """Applies softmax over dimension ``dim``: each slice along it becomes positive and sums to 1.

    Args:
        dim (int): the dimension to normalize. ``None`` (the default) takes PyTorch's
            deprecated implicit choice and warns; give it.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.Softmax(dim=1)(torch.tensor([[1., 2., 3.]]))
        tensor([[0.0900, 0.2447, 0.6652]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """Applies ``log(softmax(x, dim))``, computed directly (stable for large inputs).

    Pair it with :class:`NLLLoss`, or use :class:`CrossEntropyLoss` on the raw scores.

    Args:
        dim (int): the dimension to normalize (``None`` warns, as :class:`Softmax`).

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> nn.LogSoftmax(dim=1)(torch.tensor([[1., 2., 3.]]))
        tensor([[-2.4076, -1.4076, -0.4076]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Dropout(Module):
    """During training, zeroes each element with probability ``p`` and scales the rest by
    ``1 / (1 - p)``; in eval mode, passes the input through.

    The mask comes from the global generator (seeded by :func:`hayabusa.manual_seed`).

    Args:
        p (float, optional): the probability of zeroing an element, in [0, 1]. Default: ``0.5``.
        inplace (bool, optional): write the result into the input. Default: ``False``.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, the input's shape.

    Example::

        >>> drop = nn.Dropout(p=0.25)
        >>> sorted(set(drop(torch.ones(1000)).tolist()))
        [0.0, 1.3333333730697632]
        >>> drop.eval()(torch.ones(3))
        tensor([1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return _act.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
