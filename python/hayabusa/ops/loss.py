"""Losses: fused cross-entropy and NLL (one C kernel each way), MSE."""
from .. import _dtype
from ..autograd.function import Function
from . import shape as S
from ._util import cast

_REDUCTIONS = ("mean", "sum", "none")
_INT64 = _dtype.int64.numpy


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


class CrossEntropy(Function):
    """log_softmax + NLL in one pass; backward needs the logits and per-row log-sum-exp only."""

    torch_name = "NllLossBackward0"

    saved_inputs = (0,)

    def forward(self, logits, target, weight, ignore_index, label_smoothing, reduction):
        self.args = (logits, target, weight, ignore_index, label_smoothing, reduction)
        loss, self.lse = self.be.cross_entropy_forward(logits, target, weight, ignore_index,
                                                       label_smoothing, reduction)
        return loss

    def backward(self, grad):
        logits, target, weight, ignore_index, smoothing, reduction = self.args
        g = self.be.cross_entropy_backward(grad, logits, target, weight, self.lse, ignore_index,
                                           smoothing, reduction)
        return g, None, None


class NllLoss(Function):
    torch_name = "NllLossBackward0"

    def forward(self, logp, target, weight, ignore_index, reduction):
        self.args = (logp, target, weight, ignore_index, reduction)
        return self.be.nll_loss_forward(logp, target, weight, ignore_index, reduction)

    def backward(self, grad):
        logp, target, weight, ignore_index, reduction = self.args
        return self.be.nll_loss_backward(grad, logp, target, weight, ignore_index, reduction), None, None


def _as_rows(input, target, name):
    """(N, C) scores and (N,) targets from PyTorch's accepted layouts, and the output shape for 'none'."""
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if target.dtype is not _dtype.int64:
        raise RuntimeError(
            f"expected scalar type Long but found {_tname(target.dtype)}"
            if not target.dtype.is_floating_point else
            f"{name}: class-probability targets (floating-point target) are not supported; "
            f"pass class indices as an int64 tensor")
    if input.ndim == 1:
        if target.ndim != 0:
            raise RuntimeError(
                f"1D target tensor expects 1D input tensors, but found inputs with sizes "
                f"{list(input.shape)} and {list(target.shape)}.")
        return S.unsqueeze(input, 0), S.reshape(target, 1), ()
    if input.shape[0] != target.shape[0] if target.ndim else True:
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.ndim else 0}).")
    if input.ndim == 2:
        if target.ndim != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        return input, target, (input.shape[0],)
    # (N, C, d1, ...) -> (N*d1*..., C)
    if target.shape != input.shape[:1] + input.shape[2:]:
        raise RuntimeError(
            f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}")
    perm = (0,) + tuple(range(2, input.ndim)) + (1,)
    rows = S.reshape(S.permute(input, perm), -1, input.shape[1])
    return rows, S.reshape(target, -1), target.shape


def _tname(d):
    return {"float32": "Float", "float64": "Double", "int32": "Int", "bool": "Bool",
            "float16": "Half"}.get(d.name, d.name)


def _check_weight(weight, input, n_classes):
    if weight is None:
        return None
    if weight.ndim != 1 or weight.shape[0] != n_classes:
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes "
            f"but got weight tensor of shape: {list(weight.shape)}")
    return cast(weight, input.dtype)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    xd, td = input._data, target._data
    if (weight is None and xd.ndim == 2 and td.ndim == 1 and xd.shape[0] == td.shape[0]
            and td.dtype == _INT64 and xd.dtype.char in "fd" and reduction in _REDUCTIONS
            and 0.0 <= label_smoothing <= 1.0):
        # (N, C) float scores and (N,) class indices: the kernel's binding checks the rest
        return CrossEntropy.apply(input, target, None, ignore_index=int(ignore_index),
                                  label_smoothing=float(label_smoothing), reduction=reduction)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    rows, flat_target, none_shape = _as_rows(input, target, "cross_entropy")
    if not rows.dtype.is_floating_point:
        raise RuntimeError(f"\"log_softmax_lastdim_kernel_impl\" not implemented for '{_tname(rows.dtype)}'")
    weight = _check_weight(weight, rows, rows.shape[1])
    loss = CrossEntropy.apply(rows, flat_target, weight, ignore_index=int(ignore_index),
                              label_smoothing=float(label_smoothing), reduction=reduction)
    if reduction == "none" and loss.shape != none_shape:
        loss = S.reshape(loss, none_shape)
    return loss


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    _check_reduction(reduction)
    rows, flat_target, none_shape = _as_rows(input, target, "nll_loss")
    weight = _check_weight(weight, rows, rows.shape[1])
    loss = NllLoss.apply(rows, flat_target, weight, ignore_index=int(ignore_index),
                         reduction=reduction)
    if reduction == "none" and loss.shape != none_shape:
        loss = S.reshape(loss, none_shape)
    return loss


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    _check_reduction(reduction)
    diff = input - target
    return _reduce(diff * diff, reduction)
