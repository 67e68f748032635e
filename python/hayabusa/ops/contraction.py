"""Tensor contractions: einsum and tensordot.

einsum is parsed into one letter per dim (ellipses become fresh letters), repeated letters
within an operand are taken as diagonals and size-1 dims are broadcast, both with the
differentiable view ops; what remains, every letter once per operand, is one Function
whose backward is again an einsum per operand.
"""
from __future__ import annotations

import math

from typing import TYPE_CHECKING, Any

from .._tensor import Tensor
from ..autograd.function import Function
from . import shape as S
from .matrix import diagonal

if TYPE_CHECKING:
    from typing import Sequence

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"    # einsum subscripts


class Einsum(Function):
    """The contraction of operands whose subscripts name each dim once, with sizes agreeing."""

    def forward(self, *arrays, terms, output):
        self.terms, self.output = terms, output
        self.arrays = arrays
        self.saved_inputs = tuple(range(len(arrays)))
        return self.be.asarray(self.be.einsum(self._equation(terms, output), *arrays,
                                              optimize=len(arrays) > 1))

    @staticmethod
    def _equation(terms, output):
        return ",".join(terms) + "->" + output

    def backward(self, grad):
        be = self.be
        grads = []
        for i, need in enumerate(self.needs_input_grad):
            if not need:
                grads.append(None)
                continue
            others = [t for j, t in enumerate(self.terms) if j != i]
            term = self.terms[i]
            # letters summed away in operand i alone get the gradient broadcast along them
            kept = "".join(c for c in term if c in self.output or any(c in o for o in others))
            g = be.einsum(self._equation([self.output] + others, kept), grad,
                          *[a for j, a in enumerate(self.arrays) if j != i],
                          optimize=len(self.arrays) > 1)
            g = be.asarray(g).reshape([self.arrays[i].shape[k] if c in kept else 1
                                       for k, c in enumerate(term)]) if kept != term else g
            grads.append(be.ascontiguousarray(be.broadcast_to(g, self.arrays[i].shape),
                                              dtype=grad.dtype))
        return tuple(grads)


def _parse(equation, operands):
    """(one subscript string per operand, the output subscripts), ellipses made explicit."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    for pos, c in enumerate(eq):
        if not (c in _LETTERS or c in ".,-> "):
            raise RuntimeError(f"einsum(): invalid subscript given at index {pos} in the equation "
                               "string, subscripts must be in [a-zA-Z]")
    fresh = [c for c in _LETTERS if c not in eq]
    ellipsis_dims = 0
    for i, (term, x) in enumerate(zip(terms, operands)):
        if "." in term:
            if term.count("...") != 1 or term.count(".") != 3:
                raise RuntimeError(f"einsum(): found '.' for operand {i} for which an ellipsis "
                                   "was already found")
            ellipsis_dims = max(ellipsis_dims, x.ndim - (len(term) - 3))
    ell = "".join(fresh[:ellipsis_dims])
    explicit = []
    for i, (term, x) in enumerate(zip(terms, operands)):
        if "..." in term:
            n = x.ndim - (len(term) - 3)
            if n < 0:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                                   f"({len(term) - 3}) is more than the number of dimensions "
                                   f"({x.ndim}) for operand {i}")
            term = term.replace("...", ell[ellipsis_dims - n:])
        elif len(term) != x.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(term)}) "
                               f"does not match the number of dimensions ({x.ndim}) for operand "
                               f"{i} and no ellipsis was given")
        explicit.append(term)
    if arrow:
        output = rhs.replace("...", ell)
        for c in output:
            if output.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   "the output")
            if not any(c in t for t in explicit):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
    else:
        counts = "".join(explicit)
        output = ell + "".join(sorted(c for c in set(counts) if counts.count(c) == 1
                                      and c not in ell))
    return explicit, output


def _take_repeated_diagonals(x, term, index):
    """x and its subscripts with each letter repeated in term reduced to its diagonal."""
    while True:
        repeated = next((c for c in term if term.count(c) > 1), None)
        if repeated is None:
            return x, term
        d1 = term.index(repeated)
        d2 = term.index(repeated, d1 + 1)
        if x.shape[d1] != x.shape[d2]:
            raise RuntimeError(f"einsum(): subscript {repeated} is repeated for operand {index} "
                               f"but the sizes don't match, {x.shape[d2]} != {x.shape[d1]}")
        x = diagonal(x, 0, d1, d2)
        term = term[:d1] + term[d1 + 1:d2] + term[d2 + 1:] + repeated


def einsum(*args: Any) -> Tensor:
    """Sums of products of the operands' entries, the dims named by an equation in Einstein
    notation: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``.

    Each operand's dims get one letter; letters shared between operands are multiplied
    together, and letters missing from the output (after ``->``) are summed over. Without
    ``->`` the output has the letters that appear once, in alphabetical order. A letter
    repeated within an operand takes its diagonal (``"ii"`` is the trace); ``...`` stands for
    the remaining dims, which broadcast; size-1 dims broadcast too. The sublist form
    ``einsum(a, [0, 1], b, [1, 2], [0, 2])`` is accepted. Differentiable (backward is an einsum
    per operand); the operands must share a dtype.

    Args:
        equation (str): the subscripts, e.g. ``"bij,bjk->bik"``.
        *operands (Tensor): the tensors, one per comma-separated term (or one list of them).

    Example::

        >>> a, b = torch.arange(6.).reshape(2, 3), torch.arange(12.).reshape(3, 4)
        >>> torch.einsum("ij,jk->ik", a, b)
        tensor([[20., 23., 26., 29.],
                [56., 68., 80., 92.]])
        >>> torch.einsum("ii", torch.arange(4.).reshape(2, 2))
        tensor(3.)
        >>> torch.einsum("bij->bji", torch.ones(5, 2, 3)).shape
        hayabusa.Size([5, 3, 2])
    """
    if args and isinstance(args[0], Tensor):
        equation, operands = _from_sublists(args)
    else:
        if not args or not isinstance(args[0], str):
            raise TypeError("einsum(): argument 'equation' must be str")
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
    for x in operands:
        if not isinstance(x, Tensor):
            raise TypeError(f"einsum(): argument 'operands' must be tuple of Tensors, not "
                            f"{type(x).__name__}")
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    for x in operands[1:]:
        if x.dtype is not operands[0].dtype:
            raise RuntimeError(f"expected scalar type {_type(operands[0])} but found {_type(x)}")
    terms, output = _parse(equation, operands)
    reduced = [_take_repeated_diagonals(x, t, i) for i, (x, t) in enumerate(zip(operands, terms))]
    sizes = {}
    for i, (x, term) in enumerate(reduced):
        for c, n in zip(term, x.shape):
            seen = sizes.get(c)
            if seen is not None and n != seen and n != 1 and seen != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which "
                                   f"does not broadcast with previously seen size {seen}")
            sizes[c] = n if seen is None or seen == 1 else seen
    ready = []
    for x, term in reduced:
        full = tuple(sizes[c] for c in term)
        ready.append(S.expand(x, full) if full != tuple(x.shape) else x)
    return Einsum.apply(*ready, terms=tuple(t for _, t in reduced), output=output)


def _type(x):
    from .._tensor import _TYPE_NAMES
    return _TYPE_NAMES[x.dtype.name]


def _from_sublists(args):
    """einsum(op1, [0, 1], op2, [1, 2], [0, 2]) as an equation and its operands."""
    pairs = len(args) - len(args) % 2
    operands, terms = list(args[0:pairs:2]), list(args[1:pairs:2])
    output = args[-1] if len(args) % 2 else None
    if any(not isinstance(t, (list, tuple)) for t in terms) or isinstance(output, Tensor):
        raise TypeError("einsum(): the sublist format takes a sublist after each operand")

    def letters(sub):
        out = ""
        for s in sub:
            if s is Ellipsis:
                out += "..."
            elif isinstance(s, int) and 0 <= s < len(_LETTERS):
                out += _LETTERS[s]
            else:
                raise ValueError(f"einsum(): subscript in subscript list is not within the valid "
                                 f"range [0, 52), got {s}")
        return out
    equation = ",".join(letters(t) for t in terms)
    if output is not None:
        equation += "->" + letters(output)
    return equation, operands


def tensordot(a: Tensor, b: Tensor,
              dims: int | tuple[Sequence[int], Sequence[int]] | Tensor = 2,
              out: None = None) -> Tensor:
    """Contracts ``a`` and ``b`` over several dims: the sum of products over the last ``dims``
    dims of ``a`` and the first ``dims`` of ``b``, or over the dims listed in pairs.

    It runs as one matrix product of the two reshaped operands. The result has ``a``'s free
    dims followed by ``b``'s. Differentiable; the operands must share a dtype; ``out=`` raises
    NotImplementedError.

    Args:
        a (Tensor): the first operand.
        b (Tensor): the second operand.
        dims (int or pair of lists of ints, optional): how many trailing dims of ``a`` (and
            leading dims of ``b``) to contract, or the dims of ``a`` and of ``b`` to contract,
            matched in order (``([1, 0], [0, 1])``). Default: ``2``.

    Example::

        >>> a, b = torch.arange(6.).reshape(2, 3), torch.arange(12.).reshape(3, 4)
        >>> torch.tensordot(a, b, dims=1)
        tensor([[20., 23., 26., 29.],
                [56., 68., 80., 92.]])
        >>> torch.tensordot(torch.ones(3, 4, 5), torch.ones(4, 3, 2), dims=([1, 0], [0, 1])).shape
        hayabusa.Size([5, 2])
    """
    from .linalg import mm
    if out is not None:
        raise NotImplementedError("tensordot(out=...) is not supported")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    if isinstance(dims, Tensor):
        dims = dims.item() if dims.ndim == 0 else dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = dims
        if not isinstance(dims_a, (list, tuple)) or not isinstance(dims_b, (list, tuple)):
            raise TypeError("tensordot(): argument 'dims' must be an int or a pair of lists of "
                            "ints")
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
        from ._util import normalize_dim
        dims_a = [normalize_dim(d, a.ndim) for d in dims_a]
        dims_b = [normalize_dim(d, b.ndim) for d in dims_b]
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[da]} in dim {da} and second has size {b.shape[db]} in "
                               f"dim {db}")
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    k = math.prod(a.shape[d] for d in dims_a)
    lhs = S.reshape(S.permute(a, free_a + dims_a), math.prod(a.shape[d] for d in free_a), k)
    rhs = S.reshape(S.permute(b, dims_b + free_b), k, math.prod(b.shape[d] for d in free_b))
    return S.reshape(mm(lhs, rhs), [a.shape[d] for d in free_a] + [b.shape[d] for d in free_b])
