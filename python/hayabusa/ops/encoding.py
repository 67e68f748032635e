"""one_hot: class indices to int64 indicator vectors (not differentiable, as PyTorch)."""
from .. import _dtype
from .._tensor import _wrap


def one_hot(tensor, num_classes=-1):
    if tensor.dtype is not _dtype.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    be, idx = tensor._backend, tensor._data
    if idx.size == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return _wrap(be.zeros(idx.shape + (num_classes,), _dtype.int64.numpy))
    if idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(idx.max()) + 1
    elif num_classes <= idx.max():
        raise RuntimeError("Class values must be smaller than num_classes.")
    classes = be.arange(num_classes)
    return _wrap(be.astype(be.equal(idx[..., None], classes), _dtype.int64.numpy))
