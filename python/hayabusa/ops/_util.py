"""Helpers shared by the op families."""
import numbers

from .. import _dtype
from .._tensor import Tensor, _wrap


def unbroadcast(be, grad, shape):
    """Sum grad down to `shape`: the backward of numpy-style broadcasting."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and grad.shape[i + lead] != 1)
    if axes:
        grad = be.sum(grad, axis=axes, keepdims=False) if len(axes) > 1 else \
            be.sum(grad, axis=axes[0], keepdims=False)
    if lead:
        return grad.reshape(shape)
    # the non-leading axes were reduced without keepdims: put the ones back
    return grad.reshape(shape)


def shape_of(x):
    return getattr(x, "shape", ())


def normalize_dim(dim, ndim, name="dim"):
    """A dim in [0, ndim), from PyTorch's allowed [-ndim, ndim) (0-d tensors take -1 and 0)."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def cast(t, dt):
    """t converted to dtype dt, differentiably (a no-op when it already is)."""
    if t.dtype is dt:
        return t
    from .arith import ToDtype
    return ToDtype.apply(t, dtype=dt)


def broadcast_shapes(s1, s2):
    """The broadcast of two shapes, or PyTorch's RuntimeError naming the clashing sizes."""
    out = []
    n = max(len(s1), len(s2))
    for i in range(n):
        x = s1[len(s1) - 1 - i] if i < len(s1) else 1
        y = s2[len(s2) - 1 - i] if i < len(s2) else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {n - 1 - i}")
        out.append(max(x, y) if x and y else 0)
    return tuple(reversed(out))


def prepare_operands(a, b, result_dtype=None):
    """Both operands of an elementwise op in their common dtype (PyTorch's promotion rules).

    Python numbers stay Python numbers where the array library keeps the tensor's
    dtype for them; tensors of another dtype are cast (differentiably).
    """
    if result_dtype is None:
        same = _same_dtype_operands(a, b)
        if same is not None:
            return same
    a, b = _as_operand(a, b), _as_operand(b, a)
    dt = result_dtype or _dtype.result_type(a, b)
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.shape != b.shape:
        broadcast_shapes(a.shape, b.shape)
    a = cast(a, dt) if isinstance(a, Tensor) else _scalar_for(a, dt)
    b = cast(b, dt) if isinstance(b, Tensor) else _scalar_for(b, dt)
    return a, b, dt


def _same_dtype_operands(a, b):
    """prepare_operands' result for the common cases that need no promotion: two
    tensors of one dtype, or a float tensor and a Python float or int. None otherwise."""
    if isinstance(a, Tensor):
        ad = a._data
        if isinstance(b, Tensor):
            bd = b._data
            if ad.dtype != bd.dtype:
                return None
            if ad.shape != bd.shape:
                broadcast_shapes(ad.shape, bd.shape)
            return a, b, _dtype.of_array(ad)
        if (type(b) is float or type(b) is int) and ad.dtype.kind == "f":
            return a, float(b), _dtype.of_array(ad)
    elif (type(a) is float or type(a) is int) and isinstance(b, Tensor) and b._data.dtype.kind == "f":
        return float(a), b, _dtype.of_array(b._data)
    return None


def _as_operand(value, other):
    """An array (numpy or the like) taking part in an op with a tensor becomes a tensor."""
    if isinstance(value, Tensor) or not hasattr(value, "__array__") or not isinstance(other, Tensor):
        return value
    return _wrap(other._backend.asarray(value))


def _scalar_for(value, dt):
    # a plain Python number: the array library keeps the tensor's dtype for it
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return float(value) if dt.is_floating_point else int(value)
    if isinstance(value, numbers.Real):
        return float(value) if dt.is_floating_point else value
    return bool(value)
