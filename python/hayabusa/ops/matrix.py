"""Matrix-shaped ops: tril, triu, diag, diagonal, trace, outer, addmm, fill_diagonal_."""
from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

from .._tensor import Tensor, _TYPE_NAMES
from ..autograd.function import Function
from ._util import normalize_dim

if TYPE_CHECKING:
    from .._typing import Number


class Triangle(Function):
    """The lower (tril) or upper (triu) triangle of the last two dims; zeros elsewhere."""

    def forward(self, x, diagonal, upper):
        self.diagonal, self.upper = diagonal, upper
        return (self.be.triu if upper else self.be.tril)(x, diagonal)

    def backward(self, grad):
        return (self.be.triu if self.upper else self.be.tril)(grad, self.diagonal)


def _triangle(name, input, diagonal, upper):
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return Triangle.apply(input, diagonal=int(diagonal), upper=upper)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the matrices in ``input``'s last two dims: the entries on and below
    diagonal ``diagonal``, zeros above.

    Args:
        input (Tensor): at least 2-D.
        diagonal (int, optional): 0 the main diagonal, positive above it, negative below.
            Default: ``0``.

    Example::

        >>> torch.tril(torch.arange(9.).reshape(3, 3))
        tensor([[0., 0., 0.],
                [3., 4., 0.],
                [6., 7., 8.]])
    """
    return _triangle("tril", input, diagonal, False)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the matrices in ``input``'s last two dims: the entries on and above
    diagonal ``diagonal``, zeros below.

    Args:
        input (Tensor): at least 2-D.
        diagonal (int, optional): 0 the main diagonal, positive above it, negative below.
            Default: ``0``.

    Example::

        >>> torch.triu(torch.arange(9.).reshape(3, 3), diagonal=1)
        tensor([[0., 1., 2.],
                [0., 0., 5.],
                [0., 0., 0.]])
    """
    return _triangle("triu", input, diagonal, True)


class Diagonal(Function):
    """A view of the diagonal (offset) over dim1, dim2, appended as the last dim."""

    def forward(self, x, offset, dim1, dim2):
        self.in_shape, self.args = x.shape, (offset, dim1, dim2)
        return self.be.diagonal_view(x, offset, dim1, dim2)

    def backward(self, grad):
        g = self.be.zeros(self.in_shape, grad.dtype)
        self.be.diagonal_view(g, *self.args)[...] = grad
        return g


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """A view of the diagonal ``offset`` of the 2-D slices over ``dim1`` and ``dim2``, as the
    last dim (the two dims removed).

    The view shares ``input``'s memory and version counter. Differentiable.

    Args:
        input (Tensor): at least 2-D.
        offset (int, optional): 0 the main diagonal, positive above it, negative below.
            Default: ``0``.
        dim1 (int, optional): the first dim of the matrices. Default: ``0``.
        dim2 (int, optional): the second dim of the matrices. Default: ``1``.

    Example::

        >>> x = torch.arange(9.).reshape(3, 3)
        >>> torch.diagonal(x), torch.diagonal(x, offset=1), x.diagonal(-1)
        (tensor([0., 4., 8.]), tensor([1., 5.]), tensor([3., 7.]))
        >>> torch.diagonal(torch.arange(8.).reshape(2, 2, 2), dim1=1, dim2=2)
        tensor([[0., 3.],
                [4., 7.]])
    """
    d1, d2 = normalize_dim(dim1, input.ndim), normalize_dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    out = Diagonal.apply(input, offset=int(offset), dim1=d1, dim2=d2)
    out._version = input._version
    return out


class DiagEmbed(Function):
    """A square matrix with the vector on its diagonal (offset), zeros elsewhere."""

    def forward(self, v, offset):
        self.offset = offset
        return self.be.diag(v, offset)

    def backward(self, grad):
        return self.be.ascontiguousarray(self.be.diagonal_view(grad, self.offset, 0, 1))


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A vector on a diagonal of a square matrix, or a matrix's diagonal as a vector.

    For a 1-D ``input`` of length ``n``, the ``(n + |diagonal|)``-square matrix with ``input`` on
    diagonal ``diagonal`` and zeros elsewhere; for a 2-D ``input``, a copy of its diagonal
    ``diagonal`` (see :func:`diagonal` for a view). Differentiable.

    Args:
        input (Tensor): 1-D or 2-D.
        diagonal (int, optional): 0 the main diagonal, positive above it, negative below.
            Default: ``0``.

    Example::

        >>> torch.diag(torch.tensor([1., 2.]), 1)
        tensor([[0., 1., 0.],
                [0., 0., 2.],
                [0., 0., 0.]])
        >>> torch.diag(torch.arange(9.).reshape(3, 3))
        tensor([0., 4., 8.])
    """
    if input.ndim == 1:
        return DiagEmbed.apply(input, offset=int(diagonal))
    if input.ndim == 2:
        from .shape import clone
        return clone(Diagonal.apply(input, offset=int(diagonal), dim1=0, dim2=1))
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


def trace(input: Tensor) -> Tensor:
    """The sum of a matrix's main diagonal, as a 0-d tensor.

    Integer and bool matrices give an int64 sum, as :func:`hayabusa.sum`. Differentiable.

    Args:
        input (Tensor): a matrix (2-D).

    Example::

        >>> torch.trace(torch.arange(9.).reshape(3, 3))
        tensor(12.)
    """
    from .reduce import sum
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    if input.dtype.name == "bool":
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return sum(Diagonal.apply(input, offset=0, dim1=0, dim2=1))


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product of two vectors: ``out[i, j] = input[i] * vec2[j]``.

    The dtypes promote as :func:`hayabusa.mul`'s. Differentiable.

    Args:
        input (Tensor): a vector of length ``n``.
        vec2 (Tensor): a vector of length ``m``.

    Returns:
        Tensor: ``(n, m)``.

    Example::

        >>> torch.outer(torch.tensor([1., 2.]), torch.tensor([1., 10., 100.]))
        tensor([[  1.,  10., 100.],
                [  2.,  20., 200.]])
    """
    from .arith import mul
    from .shape import reshape
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return mul(reshape(input, -1, 1), reshape(vec2, 1, -1))


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Number = 1,
          alpha: Number = 1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``.

    ``input`` broadcasts to the product's shape; with ``beta=0`` it is not read (NaN in it does
    not propagate), as PyTorch. With ``beta = alpha = 1`` and a bias vector this is one fused
    GEMM-with-bias call, as :class:`~hayabusa.nn.Linear`'s. Differentiable.

    Args:
        input (Tensor): the addend, broadcastable to ``(n, p)``, of ``mat2``'s dtype.
        mat1 (Tensor): ``(n, m)``.
        mat2 (Tensor): ``(m, p)``.
        beta (Number, optional, keyword-only): the factor of ``input``. Default: ``1``.
        alpha (Number, optional, keyword-only): the factor of the product. Default: ``1``.

    Returns:
        Tensor: ``(n, p)``.

    Example::

        >>> mat1 = torch.tensor([[1., 1.], [0., 1.]])
        >>> torch.addmm(torch.tensor([1., 2.]), mat1, torch.eye(2))
        tensor([[2., 3.],
                [1., 3.]])
        >>> torch.addmm(torch.ones(2, 2), torch.eye(2), torch.eye(2), beta=0.5, alpha=2)
        tensor([[2.5000, 0.5000],
                [0.5000, 2.5000]])
    """
    from . import linalg
    from .arith import add, mul
    from .shape import expand, t
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.ndim}-D tensor")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{_TYPE_NAMES[input.dtype.name]} and {_TYPE_NAMES[mat2.dtype.name]}")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x"
                           f"{mat1.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})")
    target = (mat1.shape[0], mat2.shape[1])
    bias = expand(input, target)
    if (beta == 1 and alpha == 1 and input.ndim == 1 and input.shape[0] == target[1]
            and mat1.dtype is mat2.dtype and mat1.dtype.is_floating_point):
        # x @ W + b: the fused linear kernel (one GEMM with the bias added)
        return linalg.linear(mat1, t(mat2), input)
    product = linalg.mm(mat1, mat2)
    if alpha != 1:
        product = mul(product, alpha)
    if beta == 0:
        return product
    return add(product, bias if beta == 1 else mul(bias, beta))


class FillDiagonal(Function):
    def forward(self, x, fill_value, wrap):
        self.wrap = wrap
        out = self.be.copy(x)
        self.be.fill_diagonal(out, fill_value, wrap)
        return out

    def backward(self, grad):
        g = self.be.copy(grad)
        self.be.fill_diagonal(g, 0, self.wrap)
        return g


def fill_diagonal(input: Tensor, fill_value: Number | Tensor, wrap: bool = False) -> Tensor:
    """input with fill_value on its main diagonal (every dim of equal length above 2-D; a tall
    matrix's diagonal restarts after N+1 rows with wrap=True)."""
    if input.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if input.ndim > 2 and len(set(input.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if not isinstance(fill_value, numbers.Number):
        raise TypeError(f"fill_diagonal_(): argument 'fill_value' must be Number, not "
                        f"{type(fill_value).__name__}")
    return FillDiagonal.apply(input, fill_value=fill_value, wrap=bool(wrap))


# ---------------------------------------------------------------- in place
def fill_diagonal_(self: Tensor, fill_value: Number | Tensor, wrap: bool = False) -> Tensor:
    """Fills the main diagonal of this tensor with ``fill_value``, in place; returns this tensor.

    The diagonal is the entries ``self[i, i, ..., i]``: a matrix may be tall or wide; a tensor of
    more than 2 dims must have every dim of the same length. In a tall matrix, ``wrap=True``
    starts the diagonal again after every ``N + 1`` rows (``N`` the number of columns), as
    numpy's ``fill_diagonal``. The gradient is zero on the diagonal. In-place: the tensor's
    version counter is bumped (so a graph that saved it refuses to run backward), and a leaf
    that requires grad raises RuntimeError unless grad mode is off.

    Args:
        fill_value (Number): the value (a one-element tensor is read as its number).
        wrap (bool, optional): restart the diagonal below a tall matrix's first ``N + 1`` rows.
            Default: ``False``.

    Example::

        >>> torch.zeros(3, 3).fill_diagonal_(2.)
        tensor([[2., 0., 0.],
                [0., 2., 0.],
                [0., 0., 2.]])
        >>> torch.zeros(5, 2).fill_diagonal_(1., wrap=True)
        tensor([[1., 0.],
                [0., 1.],
                [0., 0.],
                [1., 0.],
                [0., 1.]])
    """
    return self._inplace(lambda s: fill_diagonal(s, fill_value, wrap))
