"""embedding: rows of a weight matrix picked by integer indices.

Backward adds every picked row's gradient back into its row (repeated indices
accumulate), leaves the padding row's gradient zero and can scale each row by
1 / (how often its index occurs).
"""
from .. import _dtype
from .._grad_mode import no_grad
from .._tensor import Tensor
from ..autograd.function import Function


class Embedding(Function):
    saved_inputs = ()

    def forward(self, weight, indices, padding_idx, scale_grad_by_freq):
        self.num_weights, self.indices = weight.shape[0], indices
        self.padding_idx, self.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return weight[indices]

    def backward(self, grad):
        return self.be.embedding_backward(grad, self.indices, self.num_weights, self.padding_idx,
                                          self.scale_grad_by_freq)


def normalize_padding_idx(padding_idx, num_embeddings):
    """padding_idx in [0, num_embeddings) (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    if padding_idx >= 0:
        assert padding_idx < num_embeddings, "Padding_idx must be within num_embeddings"
        return padding_idx
    assert padding_idx >= -num_embeddings, "Padding_idx must be within num_embeddings"
    return num_embeddings + padding_idx


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
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
    return Embedding.apply(weight, indices=indices, padding_idx=padding_idx,
                           scale_grad_by_freq=bool(scale_grad_by_freq))
