"""Loss modules: each holds its options and calls the functional form, as PyTorch's."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...ops import loss as L
from .module import Module

if TYPE_CHECKING:
    from ..._tensor import Tensor


class _Loss(Module):
    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        self.reduction = L.legacy_reduction(size_average, reduce, reduction, stacklevel=4)


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """The mean squared error ``(input - target) ** 2``, reduced.

    The module form of :func:`~hayabusa.nn.functional.mse_loss`.

    Args:
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.

    Shape:
        - Input and target: the same shape (they broadcast, with a warning).
        - Output: a 0-d tensor, or the input's shape for ``'none'``.

    Example::

        >>> nn.MSELoss()(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]))
        tensor(2.6667)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """The mean absolute error ``|input - target|``, reduced.

    The module form of :func:`~hayabusa.nn.functional.l1_loss`.

    Args:
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.

    Example::

        >>> nn.L1Loss()(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]))
        tensor(1.3333)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """The smooth L1 loss: quadratic below ``beta``, linear above.

    The module form of :func:`~hayabusa.nn.functional.smooth_l1_loss`.

    Args:
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        beta (float, optional): where the loss turns linear. Default: ``1.0``.

    Example::

        >>> nn.SmoothL1Loss()(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]))
        tensor(1.)
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """The Huber loss: quadratic below ``delta``, linear above.

    The module form of :func:`~hayabusa.nn.functional.huber_loss`.

    Args:
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        delta (float, optional): where the loss turns linear; positive. Default: ``1.0``.

    Example::

        >>> nn.HuberLoss(delta=0.5)(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]))
        tensor(0.5833)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        if not isinstance(delta, (float, int)):
            raise TypeError(f"delta must be a float or int, got: {type(delta)}")
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class CrossEntropyLoss(_WeightedLoss):
    """The cross-entropy of unnormalized scores and class targets.

    The module form of :func:`~hayabusa.nn.functional.cross_entropy`.

    It combines :class:`LogSoftmax` and :class:`NLLLoss` in one fused C kernel each way for
    ``(N, C)`` float scores and ``(N,)`` class indices. Targets may also be class probabilities
    of the input's shape.

    Args:
        weight (Tensor, optional): a weight per class, ``(C,)`` (kept as a buffer). Default:
            ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        ignore_index (int, optional): a target value that contributes nothing. Default: ``-100``.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        label_smoothing (float, optional): in [0, 1]; mixes the target with the uniform
            distribution. Default: ``0.0``.

    Shape:
        - Input: ``(C,)``, ``(N, C)`` or ``(N, C, d1, ...)``.
        - Target: int64 indices ``()``, ``(N,)`` or ``(N, d1, ...)``; or probabilities of the
          input's shape.
        - Output: a 0-d tensor, or one loss per sample for ``'none'``.

    Example::

        >>> loss = nn.CrossEntropyLoss()
        >>> loss(torch.tensor([[2., 0., -1.], [0., 1., 0.]]), torch.tensor([0, 1]))
        tensor(0.3606)
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        # positional, and the weight buffer read from its store rather than through
        # Module.__getattr__: this call is in every classifier's step
        return L.cross_entropy(input, target, self._buffers["weight"], None, self.ignore_index,
                               None, self.reduction, self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """The negative log-likelihood of log-probabilities at the target classes.

    The module form of :func:`~hayabusa.nn.functional.nll_loss`.

    Args:
        weight (Tensor, optional): a weight per class, ``(C,)``. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        ignore_index (int, optional): a target value that contributes nothing. Default: ``-100``.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.

    Shape:
        - Input: ``(C,)``, ``(N, C)`` or ``(N, C, d1, ...)`` log-probabilities.
        - Target: int64 indices ``()``, ``(N,)`` or ``(N, d1, ...)``.

    Example::

        >>> logp = nn.LogSoftmax(dim=1)(torch.tensor([[2., 0., -1.], [0., 1., 0.]]))
        >>> nn.NLLLoss()(logp, torch.tensor([0, 1]))
        tensor(0.3606)
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """The binary cross-entropy of probabilities and targets in [0, 1].

    The module form of :func:`~hayabusa.nn.functional.binary_cross_entropy`.

    Args:
        weight (Tensor, optional): broadcastable to the input. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.

    Example::

        >>> nn.BCELoss()(torch.tensor([0.9, 0.2]), torch.tensor([1., 0.]))
        tensor(0.1643)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """The binary cross-entropy of ``sigmoid(input)`` and ``target``, computed stably from scores.

    The module form of :func:`~hayabusa.nn.functional.binary_cross_entropy_with_logits`.

    Args:
        weight (Tensor, optional): broadcastable to the input. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        pos_weight (Tensor, optional): a weight of the positive examples per class. Default:
            ``None``.

    Example::

        >>> nn.BCEWithLogitsLoss()(torch.tensor([2.2, -1.4]), torch.tensor([1., 0.]))
        tensor(0.1628)
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class KLDivLoss(_Loss):
    """The Kullback-Leibler divergence of a target distribution from log-probabilities.

    The module form of :func:`~hayabusa.nn.functional.kl_div`.

    Args:
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` with a warning.
        reduction (str, optional): ``'none'``, ``'batchmean'`` (the mathematical KL divergence),
            ``'sum'`` or ``'mean'`` (per element; warns). Default: ``'mean'``.
        log_target (bool, optional): the target is given as log-probabilities. Default: ``False``.

    Example::

        >>> logp = torch.tensor([[1., 2., 3.]]).log_softmax(dim=1)
        >>> nn.KLDivLoss(reduction="batchmean")(logp, torch.tensor([[0.2, 0.3, 0.5]]))
        tensor(0.0780)
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
