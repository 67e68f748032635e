"""Matrix products: matmul/mm/bmm/dot and the fused Linear layer."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..autograd.function import Function
from . import shape as S
from ._util import broadcast_shapes as _broadcast_shapes

if TYPE_CHECKING:
    from .._tensor import Tensor


def _check_dtypes(a, b, name):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_tname(a.dtype)} != {_tname(b.dtype)}")


def _tname(d):
    return {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
            "bool": "bool", "float16": "c10::Half"}.get(d.name, d.name)


class Mm(Function):
    saved_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return self.be.mm(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        be = self.be
        # transposed views go to the GEMM without copies
        ga = be.mm(grad, self.b.T) if need_a else None
        gb = be.mm(self.a.T, grad) if need_b else None
        return ga, gb


class Bmm(Function):
    """(..., M, K) @ (..., K, N) with the batch dims already broadcast and flattened."""

    saved_inputs = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return self.be.bmm(a, b)

    def backward(self, grad):
        need_a, need_b = self.needs_input_grad
        be = self.be
        ga = be.bmm(grad, self.b.transpose(0, 2, 1)) if need_a else None
        gb = be.bmm(self.a.transpose(0, 2, 1), grad) if need_b else None
        return ga, gb


class Linear(Function):
    """y = x W^T + b: one GEMM-with-bias forward, one call for all three gradients backward."""

    __slots__ = ()
    torch_name = "AddmmBackward0"

    saved_inputs = (0, 1)

    def forward(self, x, weight, bias):
        self.saved = (x, weight)
        return self.be.linear_forward(x, weight, bias)

    def backward(self, grad):
        x, weight = self.saved
        need_x, need_w, need_b = self.needs_input_grad
        return self.be.linear_backward(grad, x, weight, need_x, need_w, need_b)


def _mm_shapes_error(a_shape, b_shape):
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({a_shape[0]}x{a_shape[1]} and "
        f"{b_shape[0]}x{b_shape[1]})")


def mm(a: Tensor, b: Tensor) -> Tensor:
    """The matrix product of two 2-D tensors of one dtype, by hayabusa's GEMM.

    Args:
        a (Tensor): an ``(n, m)`` matrix.
        b (Tensor): an ``(m, p)`` matrix of ``a``'s dtype.

    Returns:
        Tensor: the ``(n, p)`` product.

    Example::

        >>> a = torch.tensor([[1., 2.], [3., 4.]])
        >>> torch.mm(a, torch.tensor([[1., 0.], [0., 2.]]))
        tensor([[1., 4.],
                [3., 8.]])
    """
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix, got {a.ndim}-D tensor")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {b.ndim}-D tensor")
    if a.shape[1] != b.shape[0]:
        raise _mm_shapes_error(a.shape, b.shape)
    _check_dtypes(a, b, "mm")
    return Mm.apply(a, b)


def bmm(a: Tensor, b: Tensor) -> Tensor:
    """Batched matrix product of two 3-D tensors: ``out[i] = a[i] @ b[i]``.

    Args:
        a (Tensor): a ``(batch, n, m)`` tensor.
        b (Tensor): a ``(batch, m, p)`` tensor of ``a``'s dtype.

    Returns:
        Tensor: the ``(batch, n, p)`` products.

    Example::

        >>> torch.bmm(torch.ones(10, 3, 4), torch.ones(10, 4, 5)).shape
        hayabusa.Size([10, 3, 5])
    """
    if a.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor, got {a.ndim}-D")
    if b.ndim != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor, got {b.ndim}-D")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, "
            f"{a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    _check_dtypes(a, b, "bmm")
    return Bmm.apply(a, b)


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """The matrix product of two tensors, by their number of dimensions, as ``torch.matmul``.

    - both 1-D: the dot product (a 0-d tensor);
    - both 2-D: the matrix product;
    - 1-D and 2-D: the vector is taken as a row (first) or a column (second), and that
      dimension is removed from the result;
    - otherwise a batched product over the leading dimensions, which broadcast: ``(j, 1, n, m)
      @ (k, m, p)`` gives ``(j, k, n, p)``. A batch times a matrix is one GEMM over all rows.

    Both operands must have one dtype (hayabusa, like PyTorch, does not promote here).
    ``a @ b`` calls this function.

    Args:
        a (Tensor): the first operand, at least 1-D.
        b (Tensor): the second operand, at least 1-D.

    Example::

        >>> a = torch.tensor([[1., 2.], [3., 4.]])
        >>> torch.matmul(a, torch.tensor([1., 1.]))
        tensor([3., 7.])
        >>> (torch.ones(10, 3, 4) @ torch.ones(4, 5)).shape
        hayabusa.Size([10, 3, 5])
    """
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    _check_dtypes(a, b, "matmul")
    if a.ndim == 1 and b.ndim == 1:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] "
                "to have the same number of elements, but got "
                f"{a.shape[0]} and {b.shape[0]} elements respectively")
        return S.reshape(mm(S.reshape(a, 1, -1), S.reshape(b, -1, 1)), ())
    if a.ndim <= 2 and b.ndim <= 2:
        a2 = S.unsqueeze(a, 0) if a.ndim == 1 else a
        b2 = S.unsqueeze(b, 1) if b.ndim == 1 else b
        if a2.shape[1] != b2.shape[0]:
            raise _mm_shapes_error(a2.shape, b2.shape)
        out = mm(a2, b2)
        if a.ndim == 1:
            out = S.squeeze(out, 0)
        if b.ndim == 1:
            out = S.squeeze(out, -1)
        return out
    # batched: promote vectors to matrices, broadcast the batch dims, flatten them
    a2 = S.unsqueeze(a, 0) if a.ndim == 1 else a
    b2 = S.unsqueeze(b, 1) if b.ndim == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{_batch_numel(b2)}, {a2.shape[-1]}] but got: [{_batch_numel(b2)}, {b2.shape[-2]}].")
    batch = _broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    m, k, n = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    if len(batch) and b2.ndim == 2 and a2.ndim > 2:
        # (..., M, K) @ (K, N): one big GEMM over all rows
        out = S.reshape(mm(S.reshape(a2, -1, k), b2), batch + (m, n))
    else:
        a3 = S.reshape(S.expand(a2, batch + (m, k)), -1, m, k)
        b3 = S.reshape(S.expand(b2, batch + (k, n)), -1, k, n)
        out = S.reshape(Bmm.apply(a3, b3), batch + (m, n))
    if a.ndim == 1:
        out = S.squeeze(out, -2)
    if b.ndim == 1:
        out = S.squeeze(out, -1)
    return out


def _batch_numel(t):
    n = 1
    for s in t.shape[:-2]:
        n *= s
    return n


def dot(a: Tensor, b: Tensor) -> Tensor:
    """The dot product of two 1-D tensors of one size and dtype (a 0-d tensor).

    Args:
        a (Tensor): a 1-D tensor.
        b (Tensor): a 1-D tensor.

    Example::

        >>> torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.]))
        tensor(11.)
    """
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    return matmul(a, b)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Applies the affine map ``y = x @ weight.T + bias`` over the last dimension of ``x``.

    For float32 and float64 rows this is one fused GEMM-with-bias call forward and one call
    for all three gradients backward.

    Args:
        x (Tensor): the input, ``(*, in_features)``.
        weight (Tensor): ``(out_features, in_features)``.
        bias (Tensor, optional): ``(out_features,)``. Default: ``None``.

    Returns:
        Tensor: ``(*, out_features)``.

    Example::

        >>> w = torch.tensor([[1., 1.], [0., 1.], [2., 0.]])
        >>> F.linear(torch.tensor([[1., 2.]]), w, torch.tensor([0., 0., 10.]))
        tensor([[ 3.,  2., 12.]])
    """
    xd, wd = x._data, weight._data
    dt = xd.dtype
    if (xd.ndim == 2 and wd.ndim == 2 and wd.dtype is dt and dt.char in "fd"
            and (bias is None or bias._data.dtype is dt)):
        # the layer's usual call, (batch, in) float rows of one dtype (the same dtype object:
        # an equal one from elsewhere takes the path below): nothing to reshape, and the
        # binding checks the shapes, raising PyTorch's "mat1 and mat2 shapes cannot be
        # multiplied" itself
        return Linear.apply(x, weight, bias)
    if x.shape[-1:] != weight.shape[-1:] if x.ndim else True:
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({_rows(x)}x{x.shape[-1] if x.ndim else 1} "
            f"and {weight.shape[-1]}x{weight.shape[0]})")
    _check_dtypes(x, weight, "linear")
    if bias is not None:
        _check_dtypes(x, bias, "linear")
    if not x.dtype.is_floating_point or weight.ndim != 2:
        out = matmul(x, S.t(weight))
        return out + bias if bias is not None else out
    lead = x.shape[:-1]
    x2 = x if x.ndim == 2 else S.reshape(x, -1, x.shape[-1])
    out = Linear.apply(x2, weight, bias)
    return out if x.ndim == 2 else S.reshape(out, lead + (weight.shape[0],))


def _rows(x):
    n = 1
    for s in x.shape[:-1]:
        n *= s
    return n
