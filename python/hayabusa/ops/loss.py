"""Losses: fused cross-entropy and NLL (one C kernel each way); the other losses as one
graph node each, their elementwise loss and its derivatives side by side."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .. import _dtype
from .._tensor import _TYPE_NAMES
from ..autograd.function import Function
from . import shape as S
from ._util import broadcast_shapes, cast, prepare_operands, shape_of, unbroadcast

if TYPE_CHECKING:
    from .._tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")
_INT64 = _dtype.int64.numpy


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def legacy_reduction(size_average, reduce, reduction, stacklevel=3):
    """The reduction named by the deprecated size_average/reduce flags, warning as PyTorch."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn("size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", stacklevel=stacklevel)
    return reduction


class CrossEntropy(Function):
    """log_softmax + NLL in one pass; backward needs the logits and per-row log-sum-exp only.

    Called with its options positionally (apply passes keyword options through a dict,
    which costs more than the rest of the call's bookkeeping): six inputs, six gradients.
    """

    __slots__ = ()
    torch_name = "NllLossBackward0"

    saved_inputs = (0,)

    def forward(self, logits, target, weight, ignore_index, label_smoothing, reduction):
        loss, lse = self.be.cross_entropy_forward(logits, target, weight, ignore_index,
                                                  label_smoothing, reduction)
        self.saved = (logits, target, weight, ignore_index, label_smoothing, reduction, lse)
        return loss

    def backward(self, grad):
        logits, target, weight, ignore_index, smoothing, reduction, lse = self.saved
        g = self.be.cross_entropy_backward(grad, logits, target, weight, lse, ignore_index,
                                           smoothing, reduction)
        return g, None, None, None, None, None


class NllLoss(Function):
    torch_name = "NllLossBackward0"

    def forward(self, logp, target, weight, ignore_index, reduction):
        self.args = (logp, target, weight, ignore_index, reduction)
        return self.be.nll_loss_forward(logp, target, weight, ignore_index, reduction)

    def backward(self, grad):
        logp, target, weight, ignore_index, reduction = self.args
        return self.be.nll_loss_backward(grad, logp, target, weight, ignore_index, reduction), None, None


def _tname(d):
    """PyTorch's scalar type name (Float, Long, ...), as its messages spell dtypes."""
    return _TYPE_NAMES.get(d.name, d.name)


def _check_not_differentiable(fn_name, **tensors):
    for arg, t in tensors.items():
        if t is not None and t.requires_grad:
            raise RuntimeError(f"The function '{fn_name}' is not differentiable with respect to "
                               f"argument '{arg}'. This input cannot have requires_grad True.")


def _class_targets(input, target):
    """(N, C) scores and (N,) int64 class indices from PyTorch's layouts, and the 'none' shape."""
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if input.ndim == 1:
        if target.ndim != 0:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        rows, flat, none_shape = S.unsqueeze(input, 0), S.reshape(target, 1), ()
    elif target.ndim == 0 or input.shape[0] != target.shape[0]:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.ndim else 0}).")
    elif input.ndim == 2:
        if target.ndim != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        rows, flat, none_shape = input, target, (input.shape[0],)
    else:
        # (N, C, d1, ...) -> (N*d1*..., C)
        expected = input.shape[:1] + input.shape[2:]
        if target.shape != expected:
            raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")
        perm = (0,) + tuple(range(2, input.ndim)) + (1,)
        rows = S.reshape(S.permute(input, perm), -1, input.shape[1])
        flat, none_shape = S.reshape(target, -1), target.shape
    if flat.dtype is _dtype.uint8:
        flat = cast(flat, _dtype.int64)
    elif flat.dtype is not _dtype.int64:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_tname(flat.dtype)}")
    return rows, flat, none_shape


def _check_weight(weight, input, n_classes, prefix=""):
    if weight is None:
        return None
    if weight.ndim != 1 or weight.shape[0] != n_classes:
        raise RuntimeError(
            f"{prefix}weight tensor should be defined either for all {n_classes} classes or no "
            f"classes but got weight tensor of shape: {list(weight.shape)}")
    return cast(weight, input.dtype)


def _check_float_scores(input):
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{_tname(input.dtype)}'")


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: bool | None = None, ignore_index: int = -100,
                  reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """The cross-entropy between the softmax of ``input`` (unnormalized scores) and ``target``.

    For class-index targets, the loss of row ``n`` is ``-w[y_n] * log_softmax(x_n)[y_n]``, and
    ``'mean'`` divides the sum by the total weight of the rows not ignored. A target of
    ``input``'s shape holds class probabilities instead: the loss of a row is
    ``-sum_c w_c q_c log_softmax(x)_c`` and ``'mean'`` divides by the number of rows. With
    ``label_smoothing`` ``e``, the target becomes ``(1 - e) * target + e / C``. For float32 and
    float64 ``(N, C)`` scores and ``(N,)`` indices this is one fused C kernel each way.

    Args:
        input (Tensor): scores, ``(C,)``, ``(N, C)`` or ``(N, C, d1, ...)``.
        target (Tensor): int64 class indices, ``()``, ``(N,)`` or ``(N, d1, ...)`` (values in
            ``[0, C)`` or ``ignore_index``); or probabilities of ``input``'s shape.
        weight (Tensor, optional): a weight per class, ``(C,)``. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        ignore_index (int, optional): a target value that contributes nothing (class-index
            targets only). Default: ``-100``.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        label_smoothing (float, optional): in ``[0, 1]``. Default: ``0.0``.

    Returns:
        Tensor: a 0-d loss, or one per sample (``target``'s shape) for ``'none'``.

    Example::

        >>> logits = torch.tensor([[2., 0., -1.], [0., 1., 0.]])
        >>> F.cross_entropy(logits, torch.tensor([0, 1]))
        tensor(0.3606)
        >>> F.cross_entropy(logits, torch.tensor([0, 1]), reduction="none")
        tensor([0.1698, 0.5514])
        >>> F.cross_entropy(logits, torch.tensor([[1., 0., 0.], [0.5, 0.5, 0.]]))
        tensor(0.6106)
    """
    xd, td = input._data, target._data
    if (weight is None and size_average is None and reduce is None and xd.ndim == 2
            and td.ndim == 1 and td.dtype is _INT64 and xd.dtype.char in "fd"
            and 0.0 <= label_smoothing <= 1.0):
        # (N, C) float scores and (N,) int64 class indices: the kernel's binding checks the
        # rest (the batch sizes, the reduction's name, the targets' range), with PyTorch's
        # exceptions and messages
        return CrossEntropy.apply(input, target, None, int(ignore_index), float(label_smoothing),
                                  reduction)
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if input.shape == target.shape and input.ndim:
        # PyTorch reads a target of the input's shape as class probabilities
        return _cross_entropy_probs(input, target, weight, ignore_index, reduction,
                                    label_smoothing)
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    rows, flat_target, none_shape = _class_targets(input, target)
    _check_float_scores(rows)
    _check_not_differentiable("nll_loss_forward", weight=weight)
    weight = _check_weight(weight, rows, rows.shape[1])
    loss = CrossEntropy.apply(rows, flat_target, weight, int(ignore_index),
                              max(float(label_smoothing), 0.0), reduction)
    if reduction == "none" and loss.shape != none_shape:
        loss = S.reshape(loss, none_shape)
    return loss


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
             size_average: bool | None = None, ignore_index: int = -100, reduce: bool | None = None,
             reduction: str = "mean") -> Tensor:
    """The negative log-likelihood loss of log-probabilities ``input`` at the classes ``target``.

    The loss of row ``n`` is ``-w[y_n] * input[n, y_n]``; ``'mean'`` divides the sum by the total
    weight of the rows not ignored. ``nll_loss(log_softmax(x, 1), y)`` is ``cross_entropy(x, y)``.

    Args:
        input (Tensor): log-probabilities, ``(C,)``, ``(N, C)`` or ``(N, C, d1, ...)``.
        target (Tensor): int64 class indices, ``()``, ``(N,)`` or ``(N, d1, ...)``.
        weight (Tensor, optional): a weight per class, ``(C,)``. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        ignore_index (int, optional): a target value that contributes nothing. Default: ``-100``.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.

    Example::

        >>> logits = torch.tensor([[2., 0., -1.], [0., 1., 0.]])
        >>> F.nll_loss(F.log_softmax(logits, dim=1), torch.tensor([0, 1]))
        tensor(0.3606)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    rows, flat_target, none_shape = _class_targets(input, target)
    _check_not_differentiable("nll_loss_forward", weight=weight)
    weight = _check_weight(weight, rows, rows.shape[1])
    loss = NllLoss.apply(rows, flat_target, weight, ignore_index=int(ignore_index),
                         reduction=reduction)
    if reduction == "none" and loss.shape != none_shape:
        loss = S.reshape(loss, none_shape)
    return loss


# ------------------------------------------------- cross-entropy with class probabilities
class CrossEntropyProbs(Function):
    """-sum_c q_c w_c log_softmax(x)_c over the class dim, q the (smoothed) target probabilities.

    'mean' divides by the number of rows (not by the weights), as PyTorch.
    """

    # backward reads the target and weight arrays as they were
    saved_inputs = (1, 2)
    # a slot, not __dict__: the name outlives what backward releases
    __slots__ = ("_torch_name", "__dict__")

    def forward(self, x, target, weight, class_dim, smoothing, reduction):
        be = self.be
        self._torch_name = "DivBackward1" if reduction == "mean" else "NegBackward0"
        n_classes = x.shape[class_dim]
        self.logp = be.softmax(x, class_dim, True)
        self.q = target * (1.0 - smoothing) + smoothing / n_classes if smoothing > 0 else target
        self.w = None
        if weight is not None:
            self.w = weight.reshape((1,) * class_dim + (n_classes,) + (1,) * (x.ndim - class_dim - 1))
        qw = self.q if self.w is None else self.q * self.w
        per_row = be.sum(be.multiply(self.logp, qw), axis=class_dim)
        self.class_dim, self.smoothing, self.reduction = class_dim, smoothing, reduction
        self.rows = per_row.size
        # negated after the reduction, as PyTorch (an empty 'sum' is -0.0)
        return be.negative(_reduce_array(be, per_row, reduction))

    def backward(self, grad):
        be, d = self.be, self.class_dim
        need_x, need_t, need_w = self.needs_input_grad
        if self.reduction == "none":
            g = grad.reshape(self.logp.shape[:d] + (1,) + self.logp.shape[d + 1:])
        else:
            g = _spread(be, grad, self.rows, self.reduction)
        qw = self.q if self.w is None else self.q * self.w
        gx = gt = gw = None
        if need_x:
            p = be.exp(self.logp)
            gx = (p * be.sum(qw, axis=d, keepdims=True) - qw) * g
        if need_t:
            gt = -(1.0 - self.smoothing) * self.logp * g
            if self.w is not None:
                gt = gt * self.w
        if need_w:
            axes = tuple(i for i in range(self.logp.ndim) if i != d)
            gw = be.negative(be.sum(self.logp * self.q * g, axis=axes))
        return gx, gt, gw

    def name(self):
        return self._torch_name


def _cross_entropy_probs(input, target, weight, ignore_index, reduction, label_smoothing):
    if not target.dtype.is_floating_point:
        raise RuntimeError("Expected floating point type for target with class probabilities, "
                           f"got {_tname(target.dtype)}")
    if ignore_index >= 0:
        raise RuntimeError("ignore_index is not supported for floating point target")
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    _check_float_scores(input)
    class_dim = 0 if input.ndim == 1 else 1
    x, t, _ = prepare_operands(input, target)
    weight = _check_weight(weight, x, x.shape[class_dim], prefix="cross_entropy: ")
    return CrossEntropyProbs.apply(x, t, weight, class_dim=class_dim,
                                   smoothing=max(float(label_smoothing), 0.0), reduction=reduction)


# ------------------------------------------------------------- elementwise losses
def _reduce_array(be, loss, reduction, count=None):
    """'none', 'sum', or 'mean' (the sum over count, by default the element count)."""
    if reduction == "none":
        return loss
    total = be.asarray(be.sum(loss), dtype=loss.dtype)
    if reduction == "sum":
        return total
    count = loss.size if count is None else count
    # a mean over nothing is NaN, as PyTorch, without numpy's warning
    return be.asarray(total / count if count else float("nan"), dtype=loss.dtype)


def _spread(be, grad, count, reduction):
    """The gradient reaching each element of the unreduced loss (a scalar for 'mean'/'sum')."""
    if reduction == "mean":
        return grad / count if count else grad * float("nan")
    return grad


class PointwiseLoss(Function):
    """An elementwise loss l(x, y), reduced. Subclasses define ``loss`` and its partial
    derivatives ``partials`` next to each other; this class does the reduction and broadcasting.

    Reductions: 'none', 'sum', 'mean', and 'batchmean' (the sum over x's first dim).
    """

    saved_inputs = (0, 1)
    torch_names = None
    # a slot, not __dict__: the name outlives what backward releases
    __slots__ = ("_torch_name", "__dict__")

    def forward(self, x, y, reduction, **params):
        names = self.torch_names
        self._torch_name = names[reduction] if isinstance(names, dict) else names
        self.x, self.y, self.reduction, self.params = x, y, reduction, params
        with self.be.errstate(divide="ignore", invalid="ignore", over="ignore"):
            loss = self.loss(self.be, x, y, **params)
        self.count = x.shape[0] if reduction == "batchmean" else loss.size
        self.loss_shape = loss.shape
        return _reduce_array(self.be, loss, "mean" if reduction == "batchmean" else reduction,
                             self.count)

    def backward(self, grad):
        be = self.be
        need_x, need_y = self.needs_input_grad
        g = _spread(be, grad, self.count, "mean" if self.reduction == "batchmean" else self.reduction)
        with be.errstate(divide="ignore", invalid="ignore", over="ignore"):
            dx, dy = self.partials(be, self.x, self.y, need_x, need_y, **self.params)
        gx = unbroadcast(be, be.broadcast_to(g * dx, self.loss_shape), shape_of(self.x)) if need_x else None
        gy = unbroadcast(be, be.broadcast_to(g * dy, self.loss_shape), shape_of(self.y)) if need_y else None
        return gx, gy

    def name(self):
        return self._torch_name


class MseLoss(PointwiseLoss):
    torch_names = "MseLossBackward0"

    def loss(self, be, x, y):
        d = x - y
        return d * d

    def partials(self, be, x, y, need_x, need_y):
        d = 2 * (x - y)
        return d, (be.negative(d) if need_y else None)


class L1Loss(PointwiseLoss):
    torch_names = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "AbsBackward0"}

    def loss(self, be, x, y):
        return be.abs(x - y)

    def partials(self, be, x, y, need_x, need_y):
        # sign() makes the gradient 0 where x == y, as PyTorch
        s = be.sign(x - y)
        return s, (be.negative(s) if need_y else None)


class SmoothL1Loss(PointwiseLoss):
    torch_names = "SmoothL1LossBackward0"

    def loss(self, be, x, y, beta):
        z = be.abs(x - y)
        return be.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta)

    def partials(self, be, x, y, need_x, need_y, beta):
        d = x - y
        g = be.where(be.abs(d) < beta, d / beta, be.sign(d))
        return g, (be.negative(g) if need_y else None)


class HuberLoss(PointwiseLoss):
    torch_names = "HuberLossBackward0"

    def loss(self, be, x, y, delta):
        z = be.abs(x - y)
        return be.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta))

    def partials(self, be, x, y, need_x, need_y, delta):
        d = x - y
        g = be.clip(d, -delta, delta)
        return g, (be.negative(g) if need_y else None)


class KlDiv(PointwiseLoss):
    torch_names = {"mean": "MeanBackward0", "sum": "SumBackward0", "none": "SubBackward0",
                   "batchmean": "DivBackward0"}

    def loss(self, be, x, y, log_target):
        if log_target:
            return be.exp(y) * (y - x)
        # xlogy(y, y): 0 where y == 0
        return be.where(y == 0, 0, y * be.log(y)) - y * x

    def partials(self, be, x, y, need_x, need_y, log_target):
        if log_target:
            ey = be.exp(y)
            return be.negative(ey), (ey * (y - x + 1) if need_y else None)
        dy = None
        if need_y:
            # xlogy's two partials, as PyTorch's autograd sums them: NaN where y == 0
            dy = be.where(y != 0, be.log(y), 0) + y / y - x
        return be.negative(y), dy


class BinaryCrossEntropy(PointwiseLoss):
    torch_names = "BinaryCrossEntropyBackward0"

    def loss(self, be, x, y, weight):
        # both logs clamped at -100, as PyTorch, so x of 0 or 1 gives a finite loss
        log_x = be.maximum(be.log(x), -100.0)
        log_1mx = be.maximum(be.log1p(-x), -100.0)
        loss = be.negative(y * log_x + (1 - y) * log_1mx)
        return loss if weight is None else loss * weight

    def partials(self, be, x, y, need_x, need_y, weight):
        dx = (x - y) / be.maximum((1 - x) * x, 1e-12)
        dy = None
        if need_y:
            dy = be.maximum(be.log1p(-x), -100.0) - be.maximum(be.log(x), -100.0)
        if weight is not None:
            dx = dx * weight
            dy = None if dy is None else dy * weight
        return dx, dy


def _softplus_neg(be, x):
    """log(1 + exp(-x)), without overflow for large |x|."""
    return be.maximum(be.negative(x), 0) + be.log1p(be.exp(be.negative(be.abs(x))))


class BinaryCrossEntropyWithLogits(PointwiseLoss):
    torch_names = "BinaryCrossEntropyWithLogitsBackward0"

    def loss(self, be, x, y, weight, pos_weight):
        sp = _softplus_neg(be, x)
        if pos_weight is None:
            loss = (1 - y) * x + sp
        else:
            loss = (1 - y) * x + ((pos_weight - 1) * y + 1) * sp
        return loss if weight is None else loss * weight

    def partials(self, be, x, y, need_x, need_y, weight, pos_weight):
        sp = _softplus_neg(be, x)
        sigmoid = be.exp(be.negative(sp))
        if pos_weight is None:
            dx = sigmoid - y
            dy = be.negative(x) if need_y else None
        else:
            py = pos_weight * y
            dx = (py + 1 - y) * sigmoid - py
            dy = (pos_weight - 1) * sp - x if need_y else None
        if weight is not None:
            dx = dx * weight
            dy = None if dy is None else dy * weight
        return dx, dy


def _warn_size_mismatch(input, target):
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.", stacklevel=3)


def _regression_operands(input, target, kernel_name):
    """input and target in their common dtype, broadcastable; integer pairs refused as PyTorch."""
    x, y, dt = prepare_operands(input, target)
    if not dt.is_floating_point:
        raise NotImplementedError(f"\"{kernel_name}\" not implemented for '{_tname(dt)}'")
    if x.shape != y.shape:
        broadcast_shapes(x.shape, y.shape)
    return x, y


def _weighted(unreduced, weight, input, reduction, mean_by_weight):
    """PyTorch's weighted regression losses: weight of the input's size, 'mean' over
    sum(weight) (mse, l1) or over the element count (huber)."""
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = unreduced * weight
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / weight.sum() if mean_by_weight else loss.mean()
    raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean",
             weight: Tensor | None = None) -> Tensor:
    """The mean squared error: ``(input - target) ** 2``, reduced.

    ``input`` and ``target`` broadcast (a warning, as in PyTorch, when their shapes differ).
    With ``weight`` (``input``'s shape), each squared error is multiplied by it and ``'mean'``
    divides by ``weight.sum()``.

    Args:
        input (Tensor): the prediction.
        target (Tensor): the target.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        weight (Tensor, optional): a weight per element. Default: ``None``.

    Example::

        >>> x, t = torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.])
        >>> F.mse_loss(x, t)
        tensor(2.6667)
        >>> F.mse_loss(x, t, reduction="none")
        tensor([0., 4., 4.])
    """
    _warn_size_mismatch(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y = _regression_operands(input, target, "mse_cpu")
    if weight is not None:
        return _weighted(MseLoss.apply(x, y, reduction="none"), weight, input, reduction, True)
    _check_reduction(reduction)
    return MseLoss.apply(x, y, reduction=reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean",
            weight: Tensor | None = None) -> Tensor:
    """The mean absolute error: ``|input - target|``, reduced (gradient 0 where they are equal).

    Args:
        input (Tensor): the prediction.
        target (Tensor): the target (broadcastable to ``input``).
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        weight (Tensor, optional): a weight per element; ``'mean'`` then divides by its sum.
            Default: ``None``.

    Example::

        >>> F.l1_loss(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]))
        tensor(1.3333)
    """
    _warn_size_mismatch(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y, dt = prepare_operands(input, target)
    if x.shape != y.shape:
        broadcast_shapes(x.shape, y.shape)
    if weight is not None:
        return _weighted(L1Loss.apply(x, y, reduction="none"), weight, input, reduction, True)
    _check_reduction(reduction)
    if reduction == "mean" and not dt.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {_tname(dt)}")
    return L1Loss.apply(x, y, reduction=reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Tensor:
    """The smooth L1 loss: ``0.5 * d ** 2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta``.

    ``d = input - target``; ``beta=0`` is :func:`l1_loss`.

    Args:
        input (Tensor): the prediction.
        target (Tensor): the target (broadcastable to ``input``).
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        beta (float, optional): where the loss turns from quadratic to linear. Default: ``1.0``.

    Example::

        >>> F.smooth_l1_loss(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]))
        tensor(1.)
    """
    _warn_size_mismatch(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if beta == 0.0:
        return l1_loss(input, target, reduction=reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    x, y = _regression_operands(input, target, "smooth_l1_cpu")
    return SmoothL1Loss.apply(x, y, reduction=reduction, beta=float(beta))


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """The Huber loss: ``0.5 * d ** 2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)``.

    ``d = input - target``. It is ``delta`` times :func:`smooth_l1_loss` with ``beta=delta``.

    Args:
        input (Tensor): the prediction.
        target (Tensor): the target (broadcastable to ``input``).
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        delta (float, optional): where the loss turns from quadratic to linear; positive.
            Default: ``1.0``.
        weight (Tensor, optional): a weight per element (``'mean'`` still divides by the
            element count, as PyTorch). Default: ``None``.

    Example::

        >>> F.huber_loss(torch.tensor([1., 2., 3.]), torch.tensor([1., 0., 5.]), delta=0.5)
        tensor(0.5833)
    """
    _warn_size_mismatch(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    x, y = _regression_operands(input, target, "huber_cpu")
    if weight is not None:
        return _weighted(HuberLoss.apply(x, y, reduction="none", delta=float(delta)), weight,
                         input, reduction, False)
    _check_reduction(reduction)
    return HuberLoss.apply(x, y, reduction=reduction, delta=float(delta))


def _same_float_dtype(input, other):
    if other.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {_tname(other.dtype)} but expected {_tname(input.dtype)}")


def _constant_array(t, shape, dtype):
    """A broadcastable constant (weight, pos_weight) as an array of the input's dtype."""
    if t is None:
        return None
    broadcast_shapes(t.shape, shape)
    return cast(t, dtype)._data


def _check_expandable(weight, shape):
    for i in range(1, weight.ndim + 1):
        w, n = weight.shape[-i], shape[-i] if i <= len(shape) else 1
        if w != n and w != 1 and n != 1:
            raise RuntimeError(
                f"Attempting to broadcast a dimension of length {w} at {-i}! Mismatching "
                f"argument at index 1 had {weight.shape}; but expected shape should be "
                f"broadcastable to {list(shape)}")


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """The binary cross-entropy of probabilities ``input`` and targets ``target`` (both in [0, 1]).

    ``-w * (y * log(x) + (1 - y) * log(1 - x))``, each log clamped at -100 as in PyTorch, so an
    input of exactly 0 or 1 gives a finite loss. For scores rather than probabilities use
    :func:`binary_cross_entropy_with_logits`, which is more accurate.

    Args:
        input (Tensor): probabilities.
        target (Tensor): targets of ``input``'s shape and dtype.
        weight (Tensor, optional): broadcastable to ``input``. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.

    Example::

        >>> F.binary_cross_entropy(torch.tensor([0.9, 0.2]), torch.tensor([1., 0.]))
        tensor(0.1643)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}) is deprecated. Please ensure they have the same size.")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(
            f"\"binary_cross_entropy\" not implemented for '{_tname(input.dtype)}'")
    _same_float_dtype(input, target)
    _check_not_differentiable("binary_cross_entropy", weight=weight)
    be, x, y = input._backend, input._data, target._data
    if not be.logical_and(x >= 0, x <= 1).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if not be.logical_and(y >= 0, y <= 1).all():
        raise RuntimeError("all elements of target should be between 0 and 1")
    if weight is not None:
        _check_expandable(weight, target.shape)
        shape = broadcast_shapes(target.shape, weight.shape)
        if shape != tuple(input.shape):
            raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the "
                               f"broadcast shape {list(shape)}")
    return BinaryCrossEntropy.apply(input, target, reduction=reduction,
                                    weight=_constant_array(weight, input.shape, input.dtype))


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """The binary cross-entropy of ``sigmoid(input)`` and ``target``, computed stably from scores.

    ``w * ((1 - y) * x + (1 + (p - 1) * y) * log(1 + exp(-x)))`` with ``p`` the ``pos_weight``
    (1 when not given), which weighs the positive examples of each class.

    Args:
        input (Tensor): scores (logits).
        target (Tensor): targets in [0, 1], of ``input``'s shape.
        weight (Tensor, optional): broadcastable to ``input``. Default: ``None``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        reduction (str, optional): ``'none'`` (a loss per element), ``'mean'`` or ``'sum'``.
            Default: ``'mean'``.
        pos_weight (Tensor, optional): a weight of the positive examples per class, broadcast
            over the last dimension. Default: ``None``.

    Example::

        >>> z, y = torch.tensor([2.2, -1.4]), torch.tensor([1., 0.])
        >>> F.binary_cross_entropy_with_logits(z, y)
        tensor(0.1628)
        >>> F.binary_cross_entropy_with_logits(z, y, pos_weight=torch.tensor([2.]))
        tensor(0.2153)
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    _check_not_differentiable("binary_cross_entropy_with_logits", weight=weight,
                              pos_weight=pos_weight)
    x, y, dt = prepare_operands(input, target)
    if not target.dtype.is_floating_point:
        # PyTorch computes into a tensor of the target's dtype
        result = dt if dt.is_floating_point else _dtype.get_default_dtype()
        raise RuntimeError(f"result type {_tname(result)} can't be cast to the desired output "
                           f"type {_tname(target.dtype)}")
    return BinaryCrossEntropyWithLogits.apply(
        x, y, reduction=reduction, weight=_constant_array(weight, x.shape, dt),
        pos_weight=_constant_array(pos_weight, y.shape, dt))


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """The Kullback-Leibler divergence of ``target`` from ``input`` (log-probabilities).

    Pointwise ``target * (log(target) - input)`` (0 where ``target`` is 0); with
    ``log_target=True`` the target is given as log-probabilities too. ``'batchmean'`` divides
    the sum by the batch size (the first dimension) and is the mathematical KL divergence;
    ``'mean'`` divides by the element count and warns, as PyTorch.

    Args:
        input (Tensor): log-probabilities.
        target (Tensor): probabilities (or log-probabilities), broadcastable to ``input``.
        size_average, reduce (bool, optional): deprecated; they set ``reduction`` (with a
            warning), as in PyTorch.
        reduction (str, optional): ``'none'``, ``'batchmean'``, ``'sum'`` or ``'mean'``.
            Default: ``'mean'``.
        log_target (bool, optional): whether ``target`` holds log-probabilities. Default: ``False``.

    Example::

        >>> logp = F.log_softmax(torch.tensor([[1., 2., 3.]]), dim=1)
        >>> q = torch.tensor([[0.2, 0.3, 0.5]])
        >>> F.kl_div(logp, q, reduction="batchmean")
        tensor(0.0780)
        >>> F.kl_div(logp, q.log(), reduction="batchmean", log_target=True)
        tensor(0.0780)
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.", stacklevel=2)
    if reduction != "batchmean":
        _check_reduction(reduction)
    if not (input.dtype.is_floating_point and target.dtype.is_floating_point):
        raise RuntimeError("kl_div: Integral inputs not supported.")
    x, y, _ = prepare_operands(input, target)
    if x.shape != y.shape:
        broadcast_shapes(x.shape, y.shape)
    if reduction == "batchmean" and input.ndim == 0:
        reduction = "sum"
    return KlDiv.apply(x, y, reduction=reduction, log_target=bool(log_target))
