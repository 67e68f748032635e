"""sort, argsort, topk: values carry gradients (scattered back by index), indices do not."""
from .. import _dtype
from .._tensor import _wrap
from ..autograd.function import Function
from ._util import normalize_dim
from .reduce import _ReturnTypes


class TakeAlong(Function):
    """x's values picked at precomputed int64 positions along one dim."""

    torch_name = "SortBackward0"

    def forward(self, x, index, dim):
        self.in_shape, self.dtype, self.index, self.dim = x.shape, x.dtype, index, dim
        return self.be.take_along_axis(x, index, axis=dim)

    def backward(self, grad):
        g = self.be.zeros(self.in_shape, self.dtype)
        self.be.put_along_axis(g, self.index, grad, self.dim)
        return g


def _order(x, d, descending, stable=True):
    be = x._backend
    data = x._data
    if x.ndim == 0:
        return be.zeros((), "int64")
    if descending:
        # a stable descending order: sort the reversed axis ascending by negated rank
        key = -data if x.dtype.is_floating_point or x.dtype.is_signed else -(data.astype("int64"))
        if x.dtype is _dtype.bool_:
            key = ~data
        idx = be.argsort(key, axis=d, kind="stable")
        if x.dtype.is_floating_point:
            # NaN sorts first when descending (it is the largest, as PyTorch)
            nan = be.isnan(be.take_along_axis(data, idx, axis=d))
            if nan.any():
                idx = be.argsort(be.where(be.isnan(data), -float("inf"), key), axis=d, kind="stable")
        return idx
    return be.argsort(data, axis=d, kind="stable")


def sort(x, dim=-1, descending=False, stable=False):
    d = normalize_dim(dim, x.ndim)
    idx = _order(x, d, descending)
    if x.ndim == 0:
        return _ReturnTypes(x.clone(), _wrap(idx), "sort")
    return _ReturnTypes(TakeAlong.apply(x, index=idx, dim=d), _wrap(idx), "sort")


def argsort(x, dim=-1, descending=False, stable=False):
    return _wrap(_order(x, normalize_dim(dim, x.ndim), descending))


def topk(x, k, dim=-1, largest=True, sorted=True):
    d = normalize_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if x.ndim == 0:
        return _ReturnTypes(x.clone(), _wrap(x._backend.zeros((), "int64")), "topk")
    idx = _order(x, d, largest)
    sl = [slice(None)] * x.ndim
    sl[d] = slice(0, k)
    idx = x._backend.ascontiguousarray(idx[tuple(sl)])
    return _ReturnTypes(TakeAlong.apply(x, index=idx, dim=d), _wrap(idx), "topk")
