"""Tensor methods that forward to the op families (attached at import, one table)."""
from ._tensor import Tensor
from .ops import activation, arith, linalg, reduce, shape, softmax, sort


_METHODS = {
    # arithmetic
    "add": arith.add, "sub": arith.sub, "mul": arith.mul, "div": arith.div,
    "true_divide": arith.div, "pow": arith.pow, "neg": arith.neg, "exp": arith.exp,
    "log": arith.log, "sqrt": arith.sqrt, "rsqrt": arith.rsqrt, "abs": arith.abs,
    "sin": arith.sin, "cos": arith.cos, "log1p": arith.log1p, "expm1": arith.expm1,
    "square": arith.square, "clamp": arith.clamp, "clip": arith.clamp,
    "maximum": arith.maximum, "minimum": arith.minimum, "sign": arith.sign,
    "floor": arith.floor, "ceil": arith.ceil, "round": arith.round, "isnan": arith.isnan,
    "isinf": arith.isinf, "isfinite": arith.isfinite, "remainder": arith.remainder,
    "eq": arith.eq, "ne": arith.ne, "lt": arith.lt, "le": arith.le, "gt": arith.gt,
    "ge": arith.ge, "logical_not": arith.logical_not, "logical_and": arith.logical_and,
    "logical_or": arith.logical_or, "logical_xor": arith.logical_xor,
    "where": lambda self, condition, other: arith.where(condition, self, other),
    # activations
    "relu": activation.relu, "sigmoid": activation.sigmoid, "tanh": activation.tanh,
    "softmax": softmax.softmax, "log_softmax": softmax.log_softmax,
    # reductions
    "sum": reduce.sum, "mean": reduce.mean, "var": reduce.var, "std": reduce.std,
    "prod": reduce.prod, "max": reduce.max, "min": reduce.min, "amax": reduce.amax,
    "amin": reduce.amin, "argmax": reduce.argmax, "argmin": reduce.argmin,
    "all": reduce.all, "any": reduce.any, "logsumexp": reduce.logsumexp,
    # linear algebra
    "matmul": linalg.matmul, "mm": linalg.mm, "bmm": linalg.bmm, "dot": linalg.dot,
    # shape
    "reshape": shape.reshape, "view": shape.view, "flatten": shape.flatten,
    "unflatten": shape.unflatten, "permute": shape.permute, "transpose": shape.transpose,
    "t": shape.t, "squeeze": shape.squeeze, "unsqueeze": shape.unsqueeze,
    "expand": shape.expand, "expand_as": shape.expand_as, "contiguous": shape.contiguous,
    "clone": shape.clone, "chunk": shape.chunk, "split": shape.split,
    "unbind": shape.unbind, "gather": shape.gather,
    "view_as": lambda self, other: shape.view(self, other.shape),
    "reshape_as": lambda self, other: shape.reshape(self, other.shape),
    # sorting
    "sort": sort.sort, "argsort": sort.argsort, "topk": sort.topk,
}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)

Tensor.T = property(shape.T)
Tensor.mT = property(shape.mT)

# vector norms (ops/norm.py)
from .ops import norm as _norm  # noqa: E402

Tensor.norm = _norm.norm
