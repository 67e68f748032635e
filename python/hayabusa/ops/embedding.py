"""embedding: rows of a weight matrix picked by integer indices.

Backward adds every picked row's gradient back into its row (repeated indices
accumulate), leaves the padding row's gradient zero and can scale each row by
1 / (how often its index occurs).
"""
from __future__ import annotations

from .. import _dtype
from .._grad_mode import no_grad
from .._tensor import Tensor
from ..autograd.function import Function


class Embedding(Function):
    # backward reads the indices: changing them in place before it raises
    saved_inputs = (1,)

    def forward(self, weight, indices, padding_idx, scale_grad_by_freq):
        self.num_weights, self.indices = weight.shape[0], indices
        self.padding_idx, self.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return weight[indices]

    def backward(self, grad):
        return self.be.embedding_backward(grad, self.indices, self.num_weights, self.padding_idx,
                                          self.scale_grad_by_freq), None


def normalize_padding_idx(padding_idx, num_embeddings):
    """padding_idx in [0, num_embeddings) (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    if padding_idx >= 0:
        assert padding_idx < num_embeddings, "Padding_idx must be within num_embeddings"
        return padding_idx
    assert padding_idx >= -num_embeddings, "Padding_idx must be within num_embeddings"
    return num_embeddings + padding_idx


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Looks up rows of ``weight`` by integer index: ``out[...] = weight[input[...]]``.

    The gradient of ``weight`` adds each picked row's gradient into its row (repeated indices
    add up); the gradient of row ``padding_idx`` stays zero. With ``max_norm``, the rows picked
    whose ``norm_type``-norm exceeds it are first rescaled to norm ``max_norm`` in place in
    ``weight`` (not recorded by autograd; the weight's version counter is bumped), as PyTorch.

    Args:
        input (Tensor): int64 or int32 indices in ``[0, num_embeddings)``, any shape.
        weight (Tensor): the table, ``(num_embeddings, embedding_dim)``.
        padding_idx (int, optional): a row whose gradient is always zero (negative counts from
            the end). Default: ``None``.
        max_norm (float, optional): renormalize the picked rows to at most this norm. Default:
            ``None``.
        norm_type (float, optional): the p of the p-norm for ``max_norm``. Default: ``2.0``.
        scale_grad_by_freq (bool, optional): divide each row's gradient by how often its index
            occurs in ``input``. Default: ``False``.
        sparse (bool, optional): sparse gradients are not supported: ``True`` raises
            NotImplementedError. Default: ``False``.

    Returns:
        Tensor: ``(*input.shape, embedding_dim)``, of ``weight``'s dtype.

    Example::

        >>> weight = torch.tensor([[0., 0.], [1., 2.], [3., 4.]])
        >>> F.embedding(torch.tensor([[1, 2], [2, 0]]), weight)
        tensor([[[1., 2.],
                 [3., 4.]],
        <BLANKLINE>
                [[3., 4.],
                 [0., 0.]]])
        >>> weight = torch.tensor([[3., 4.], [0.3, 0.4]])
        >>> F.embedding(torch.tensor([0]), weight, max_norm=1.0)
        tensor([[0.6000, 0.8000]])
        >>> weight
        tensor([[0.6000, 0.8000],
                [0.3000, 0.4000]])
    """
    for arg, what in ((input, "input"), (weight, "weight")):
        if not isinstance(arg, Tensor):
            raise TypeError(f"embedding(): argument '{what}' must be Tensor, not {type(arg).__name__}")
    if sparse:
        raise NotImplementedError("embedding with sparse=True (sparse gradients) is not supported")
    if input.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following "
                           f"scalar types: Long, Int; but got {input.type()} instead (while checking "
                           "arguments for embedding)")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    padding_idx = normalize_padding_idx(padding_idx, weight.shape[0])
    indices = input._data
    if indices.size and (indices.min() < 0 or indices.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        with no_grad():
            weight._backend.embedding_renorm_(weight._data, indices, float(max_norm), norm_type)
            weight._version[0] += 1
    return Embedding.apply(weight, input, padding_idx=padding_idx,
                           scale_grad_by_freq=bool(scale_grad_by_freq))
