"""nn.Embedding: a lookup table of num_embeddings vectors, initialized N(0, 1) with the
padding row zeroed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import _dtype
from ..._factories import empty
from ..._grad_mode import no_grad
from ...ops import embedding as E
from .. import init
from ..parameter import Parameter
from .module import Module

if TYPE_CHECKING:
    from ..._tensor import Tensor
    from ..._typing import DeviceLike, DTypeLike


class Embedding(Module):
    """A lookup table of ``num_embeddings`` vectors of size ``embedding_dim``, indexed by
    integer tensors (:func:`~hayabusa.nn.functional.embedding`).

    The weight is initialized from ``N(0, 1)`` (hayabusa's generator), with the ``padding_idx``
    row zeroed. Backward adds each looked-up row's gradient into its row (repeated indices add
    up) and leaves the padding row's gradient zero.

    Args:
        num_embeddings (int): the number of rows.
        embedding_dim (int): the size of each row.
        padding_idx (int, optional): a row initialized to zeros whose gradient is always zero
            (negative counts from the end). Default: ``None``.
        max_norm (float, optional): renormalize the looked-up rows to at most this norm, in
            place in the weight, at each lookup. Default: ``None``.
        norm_type (float, optional): the p of the p-norm for ``max_norm``. Default: ``2.0``.
        scale_grad_by_freq (bool, optional): divide each row's gradient by how often its index
            occurs in the batch. Default: ``False``.
        sparse (bool, optional): sparse gradients are not supported: with ``True`` the forward
            pass raises NotImplementedError. Default: ``False``.
        device (optional): only the CPU exists. Default: ``None``.
        dtype (hayabusa.dtype, optional): the weight's dtype. Default: the default dtype.

    Shape:
        - Input: int64 or int32 indices, any shape ``(*)``.
        - Output: ``(*, embedding_dim)``.

    Attributes:
        weight (Parameter): ``(num_embeddings, embedding_dim)``.

    Example::

        >>> emb = nn.Embedding(10, 3, padding_idx=0)
        >>> emb
        Embedding(10, 3, padding_idx=0)
        >>> emb(torch.tensor([[0, 2], [4, 9]])).shape
        hayabusa.Size([2, 2, 3])
        >>> emb(torch.tensor(0))
        tensor([0., 0., 0.], grad_fn=<EmbeddingBackward0>)
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False,
                 _weight: Tensor | None = None, _freeze: bool = False,
                 device: DeviceLike | None = None, dtype: DTypeLike | None = None) -> None:
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = E.normalize_padding_idx(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            dt = _dtype.to_dtype(dtype) if dtype is not None else None
            self.weight = Parameter(empty((num_embeddings, embedding_dim), dtype=dt, device=device),
                                    requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Re-draws the weight from ``N(0, 1)`` and zeroes the ``padding_idx`` row."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self):
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:
        return E.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        if self.sparse is not False:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True,
                        padding_idx: int | None = None, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose weight is the given 2-D tensor (sharing its memory; the padding
        row is not zeroed).

        Args:
            embeddings (Tensor): the table, ``(num_embeddings, embedding_dim)``.
            freeze (bool, optional): the weight does not require grad (is not trained).
                Default: ``True``.
            padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse: as for the class.

        Example::

            >>> emb = nn.Embedding.from_pretrained(torch.tensor([[1., 2.], [3., 4.]]))
            >>> emb(torch.tensor([1, 0]))
            tensor([[3., 4.],
                    [1., 2.]])
            >>> emb.weight.requires_grad
            False
        """
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(rows, cols, _weight=embeddings, _freeze=freeze, padding_idx=padding_idx,
                   max_norm=max_norm, norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq,
                   sparse=sparse)
