"""softmax and log_softmax over one dim: one C kernel each way, backward from the output alone."""
from .. import _dtype
from ..autograd.function import Function
from ._util import cast, normalize_dim


class Softmax(Function):
    saves_output = True

    def forward(self, x, dim, log):
        self.dim, self.log = dim, log
        self.out = self.be.softmax(x, dim, log)
        return self.out

    def backward(self, grad):
        return self.be.softmax_backward(grad, self.out, self.dim, self.log)

    def name(self):
        return "LogSoftmaxBackward0" if self.log else "SoftmaxBackward0"


def _softmax(x, dim, dtype, log):
    if dtype is not None:
        x = cast(x, _dtype.to_dtype(dtype))
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"\"{'log_' if log else ''}softmax_lastdim_kernel_impl\" not implemented for "
                           f"'{x.dtype.name.capitalize()}'")
    if dim is None:
        # PyTorch's legacy implicit dim: 0 for 0-, 1- and 3-D input, else 1
        dim = 0 if x.ndim in (0, 1, 3) else 1
    d = normalize_dim(dim, x.ndim)
    return Softmax.apply(x, dim=d, log=log)


def softmax(x, dim=None, dtype=None):
    return _softmax(x, dim, dtype, False)


def log_softmax(x, dim=None, dtype=None):
    return _softmax(x, dim, dtype, True)
