"""Activations with dedicated C kernels forward and backward (ReLU, GELU, ...), and dropout."""
from __future__ import annotations

from .. import _dtype
from .._random import default_generator
from .._tensor import Tensor
from ..autograd.function import Function
from ._util import cast


class UnaryKernel(Function):
    """An activation computed by the backend's fused kernel; backward saves x or y, as it
    needs. One subclass per op (below) holds the op's name and what it saves as class
    attributes, so a call sets nothing on the node but the saved array and the parameters."""

    op = None
    # the saved array goes in the node's `saved` field and the parameters in this slot: no
    # instance dict per call
    __slots__ = ("params",)

    def forward(self, x, p1=0.0, p2=0.0):
        y = self.be.unary_forward(self.op, x, None, p1, p2)
        self.saved = y if self.saves_output else x
        if p1 or p2:
            self.params = (p1, p2)
        return y

    def backward(self, grad):
        p1, p2 = getattr(self, "params", (0.0, 0.0))
        return self.be.unary_backward(self.op, grad, self.saved, None, p1, p2)


def _kernel_op(op, torch_name, saves):
    return type(torch_name, (UnaryKernel,), {
        "__slots__": (), "op": op, "torch_name": torch_name, "saves_output": saves == "output",
        "saved_inputs": () if saves == "output" else (0,)})


# op: (PyTorch's node name, what the backward kernels take: the activation's output where
# the derivative is a function of it, else its input; every backend's contract, checked
# against the CPU kernels' UNARY_SAVES by the tests)
ACTIVATIONS = {
    "relu": ("ReluBackward0", "output"), "leaky_relu": ("LeakyReluBackward0", "input"),
    "sigmoid": ("SigmoidBackward0", "output"), "tanh": ("TanhBackward0", "output"),
    "gelu": ("GeluBackward0", "input"), "gelu_tanh": ("GeluBackward0", "input"),
    "elu": ("EluBackward0", "input"), "silu": ("SiluBackward0", "input"),
    "softplus": ("SoftplusBackward0", "input"), "hardtanh": ("HardtanhBackward0", "input"),
}
_KERNELS = {op: _kernel_op(op, name, saves) for op, (name, saves) in ACTIVATIONS.items()}


def _kernel_activation(x, op, p1=0.0, p2=0.0):
    if isinstance(x, Tensor) and x._data.dtype.char in "fd":
        if p1 or p2:
            return _KERNELS[op].apply(x, p1=float(p1), p2=float(p2))
        return _KERNELS[op].apply(x)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    if not x.dtype.is_floating_point or x.dtype is _dtype.float16:
        if op == "relu" and not x.dtype.is_floating_point:
            from .arith import maximum
            return maximum(x, 0)
        x = cast(x, _dtype.get_default_dtype()) if not x.dtype.is_floating_point else x
        if x.dtype is _dtype.float16:
            raise NotImplementedError(f"{op} on float16 tensors is not supported yet")
    return _KERNELS[op].apply(x, p1=float(p1), p2=float(p2))


def relu(x: Tensor) -> Tensor:
    """Applies the rectified linear unit elementwise: ``max(x, 0)``.

    Float32 and float64 inputs run a dedicated C kernel each way; integer inputs keep their dtype.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.relu(torch.tensor([-2., 0., 2.]))
        tensor([0., 0., 2.])
    """
    return _kernel_activation(x, "relu")


def leaky_relu(x, negative_slope=0.01):
    return _kernel_activation(x, "leaky_relu", negative_slope)


def sigmoid(x: Tensor) -> Tensor:
    """Applies the logistic sigmoid ``1 / (1 + exp(-x))`` elementwise.

    Integer inputs give a result of the default float dtype; float16 raises NotImplementedError.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.sigmoid(torch.tensor([-2., 0., 2.]))
        tensor([0.1192, 0.5000, 0.8808])
    """
    return _kernel_activation(x, "sigmoid")


def tanh(x: Tensor) -> Tensor:
    """Applies the hyperbolic tangent elementwise.

    Integer inputs give a result of the default float dtype; float16 raises NotImplementedError.

    Args:
        x (Tensor): the input.

    Example::

        >>> torch.tanh(torch.tensor([-2., 0., 2.]))
        tensor([-0.9640,  0.0000,  0.9640])
    """
    return _kernel_activation(x, "tanh")


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """Applies the Gaussian error linear unit ``x * Phi(x)`` elementwise.

    ``Phi`` is the standard normal CDF; with ``approximate='tanh'`` it is computed with PyTorch's
    tanh approximation ``0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x ** 3)))``.

    Args:
        x (Tensor): the input.
        approximate (str, optional): ``'none'`` or ``'tanh'``. Default: ``'none'``.

    Example::

        >>> F.gelu(torch.tensor([-2., 0., 2.]))
        tensor([-0.0455,  0.0000,  1.9545])
        >>> F.gelu(torch.tensor([-2., 0., 2.]), approximate="tanh")
        tensor([-0.0454,  0.0000,  1.9546])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return _kernel_activation(x, "gelu" if approximate == "none" else "gelu_tanh")


def elu(x, alpha=1.0):
    return _kernel_activation(x, "elu", alpha)


def silu(x):
    return _kernel_activation(x, "silu")


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Applies ``log(1 + exp(beta * x)) / beta`` elementwise.

    Where ``beta * x > threshold`` the result is ``x`` itself (the two agree there to float
    precision), as PyTorch.

    Args:
        x (Tensor): the input.
        beta (float, optional): the sharpness. Default: ``1.0``.
        threshold (float, optional): above it the function is linear. Default: ``20.0``.

    Example::

        >>> F.softplus(torch.tensor([-2., 0., 2.]))
        tensor([0.1269, 0.6931, 2.1269])
    """
    return _kernel_activation(x, "softplus", beta, threshold)


def hardtanh(x, min_val=-1.0, max_val=1.0):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _kernel_activation(x, "hardtanh", min_val, max_val)


class Dropout(Function):
    """Inverted dropout: kept elements scaled by 1/(1-p); backward reuses the same mask."""

    def forward(self, x, mask, scale):
        self.mask, self.scale = mask, scale
        return x * mask * scale

    def backward(self, grad):
        return grad * self.mask * self.scale


def dropout(x, p=0.5, training=True, inplace=False):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return x
    if inplace:
        return x._inplace(dropout, p, training)
    if p == 1.0:
        return x * 0.0
    mask = default_generator._impl.bernoulli(1.0 - p, x.shape, x._data.dtype)
    return Dropout.apply(x, mask=mask, scale=1.0 / (1.0 - p))
