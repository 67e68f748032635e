"""Matrix products: matmul/mm/bmm/dot and the fused Linear layer."""
from ..autograd.function import Function
from . import shape as S
from ._util import broadcast_shapes as _broadcast_shapes


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

    torch_name = "AddmmBackward0"

    saved_inputs = (0, 1)

    def forward(self, x, weight, bias):
        self.x, self.weight = x, weight
        return self.be.linear_forward(x, weight, bias)

    def backward(self, grad):
        need_x, need_w, need_b = self.needs_input_grad
        return self.be.linear_backward(grad, self.x, self.weight, need_x, need_w, need_b)


def _mm_shapes_error(a_shape, b_shape):
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({a_shape[0]}x{a_shape[1]} and "
        f"{b_shape[0]}x{b_shape[1]})")


def mm(a, b):
    if a.ndim != 2:
        raise RuntimeError(f"self must be a matrix, got {a.ndim}-D tensor")
    if b.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix, got {b.ndim}-D tensor")
    if a.shape[1] != b.shape[0]:
        raise _mm_shapes_error(a.shape, b.shape)
    _check_dtypes(a, b, "mm")
    return Mm.apply(a, b)


def bmm(a, b):
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


def matmul(a, b):
    """torch.matmul: dot, matrix-vector, matrix-matrix, and broadcast batched products."""
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


def dot(a, b):
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    return matmul(a, b)


def linear(x, weight, bias=None):
    """y = x @ weight.T + bias over x's last dim, with the fused kernel for float inputs."""
    xd, wd = x._data, weight._data
    if (xd.ndim == 2 and wd.ndim == 2 and xd.shape[1] == wd.shape[1] and xd.dtype == wd.dtype
            and xd.dtype.char in "fd" and (bias is None or bias._data.dtype == xd.dtype)):
        # the layer's usual call, (batch, in) float rows: nothing to reshape or check here
        # that the kernel's binding does not check
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
