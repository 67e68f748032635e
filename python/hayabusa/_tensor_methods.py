"""Tensor methods that forward to the op families (attached at import, one table).

Each method is the op function itself, so one docstring documents ``hayabusa.sum(x)`` and
``x.sum()``.
"""
from __future__ import annotations

from ._tensor import Tensor
from .ops import activation, arith, linalg, reduce, shape, softmax, sort


# methods that are not their function as it is: the argument order or the shape differs
def where(self: Tensor, condition: Tensor, other: Tensor | int | float | bool) -> Tensor:
    """``hayabusa.where(condition, self, other)``: this tensor where ``condition``, else ``other``.

    Example::

        >>> torch.tensor([-1., 1.]).where(torch.tensor([True, False]), torch.tensor(0.))
        tensor([-1.,  0.])
    """
    return arith.where(condition, self, other)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.view(other.shape)``: a view of this tensor with ``other``'s shape."""
    return shape.view(self, other.shape)


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    """``self.reshape(other.shape)``: this tensor with ``other``'s shape (a view if possible)."""
    return shape.reshape(self, other.shape)


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
    "where": where,
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
    "view_as": view_as,
    "reshape_as": reshape_as,
    # sorting
    "sort": sort.sort, "argsort": sort.argsort, "topk": sort.topk,
}

for _name, _fn in _METHODS.items():
    setattr(Tensor, _name, _fn)

# (type checkers see these declared in the class, under TYPE_CHECKING)
Tensor.T = property(shape.T)  # type: ignore[method-assign,assignment]
Tensor.mT = property(shape.mT)  # type: ignore[method-assign,assignment]

# vector norms (ops/norm.py)
from .ops import norm as _norm  # noqa: E402

Tensor.norm = _norm.norm

# indexing, scans, matrices, repeats, comparisons, counting, random fills (ops/*.py of
# those families) and the non-op methods (_tensor_extras.py)
from . import _tensor_extras as _extras  # noqa: E402
from .ops import (  # noqa: E402
    compare as _compare, cumulative as _cumulative, indexing as _indexing, matrix as _matrix,
    median as _median, pointwise as _pointwise, random_fill as _random_fill, repeat as _repeat,
    unique as _unique,
)

_MORE_METHODS = {
    # indexing (ops/indexing.py)
    "index_select": _indexing.index_select, "masked_fill": _indexing.masked_fill,
    "masked_fill_": _indexing.masked_fill_, "masked_select": _indexing.masked_select,
    "scatter": _indexing.scatter, "scatter_": _indexing.scatter_,
    "scatter_add": _indexing.scatter_add, "scatter_add_": _indexing.scatter_add_,
    "index_add": _indexing.index_add, "index_add_": _indexing.index_add_,
    "index_fill": _indexing.index_fill, "index_fill_": _indexing.index_fill_,
    "nonzero": _indexing.nonzero,
    # scans (ops/cumulative.py)
    "cumsum": _cumulative.cumsum, "cumprod": _cumulative.cumprod, "diff": _cumulative.diff,
    # matrices (ops/matrix.py)
    "tril": _matrix.tril, "triu": _matrix.triu, "diag": _matrix.diag,
    "diagonal": _matrix.diagonal, "trace": _matrix.trace, "outer": _matrix.outer,
    "addmm": _matrix.addmm, "fill_diagonal_": _matrix.fill_diagonal_,
    # repeats and rearrangements (ops/repeat.py)
    "repeat": _repeat.repeat, "tile": _repeat._tensor_tile,
    "repeat_interleave": _repeat.repeat_interleave, "roll": _repeat.roll,
    "flip": _repeat._tensor_flip,
    # comparisons (ops/compare.py)
    "isclose": _compare.isclose, "allclose": _compare.allclose, "equal": _compare.equal,
    "count_nonzero": _compare.count_nonzero, "nan_to_num": _compare.nan_to_num,
    "nan_to_num_": _compare.nan_to_num_,
    # elementwise (ops/pointwise.py)
    "reciprocal": _pointwise.reciprocal, "reciprocal_": _pointwise.reciprocal_,
    "fmod": _pointwise.fmod, "fmod_": _pointwise.fmod_,
    "clamp_min": _pointwise.clamp_min, "clamp_max": _pointwise.clamp_max,
    "clamp_min_": _pointwise.clamp_min_, "clamp_max_": _pointwise.clamp_max_,
    "floor_": _pointwise.floor_, "ceil_": _pointwise.ceil_, "round_": _pointwise.round_,
    "sign_": _pointwise.sign_,
    # counting and order statistics (ops/unique.py, ops/median.py)
    "unique": _unique.unique, "bincount": _unique.bincount, "median": _median.median,
    # random fills (ops/random_fill.py)
    "uniform_": _random_fill.uniform_, "normal_": _random_fill.normal_,
    "random_": _random_fill.random_, "bernoulli_": _random_fill.bernoulli_,
    "exponential_": _random_fill.exponential_, "multinomial": _random_fill.multinomial,
    # not ops (_tensor_extras.py)
    "new_empty": _extras.new_empty, "new_zeros": _extras.new_zeros,
    "new_ones": _extras.new_ones, "new_full": _extras.new_full,
    "new_tensor": _extras.new_tensor, "byte": _extras.byte, "data_ptr": _extras.data_ptr,
    "storage_offset": _extras.storage_offset, "squeeze_": _extras.squeeze_,
    "unsqueeze_": _extras.unsqueeze_, "t_": _extras.t_, "apply_": _extras.apply_,
    "map_": _extras.map_,
}

for _name, _fn in _MORE_METHODS.items():
    setattr(Tensor, _name, _fn)

Tensor.H = property(_extras.H)
