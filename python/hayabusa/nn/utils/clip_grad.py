"""Gradient clipping, as torch.nn.utils.clip_grad. The norm is accumulated over all gradients
in one pass and every gradient scaled in place, so ``foreach`` is accepted and ignored."""
import math
import types
import warnings

from ... import _dtype
from ..._factories import tensor as _tensor
from ..._tensor import Tensor, _wrap


def _as_list(tensors):
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _modified_in_place(tensors):
    for t in tensors:
        t._version[0] += 1


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of all of ``tensors`` taken together (a 0-d tensor of their promoted dtype)."""
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return _tensor(0.0)
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = _dtype.promote_types(dt, t.dtype)
    if (norm_type < 0 or norm_type == math.inf) and any(t.numel() == 0 for t in tensors):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {norm_type:g} norm on an empty "
                           "tensor because the operation does not have an identity")
    be = tensors[0]._backend
    total = be.total_norm([t._data for t in tensors], norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`")
    return _wrap(be.asarray(total, dtype=dt.numpy))


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale the gradients by min(1, max_norm / (total_norm + 1e-6)), in place."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    # the coefficient in the norm's dtype, as PyTorch computes it
    norm = total_norm._data
    coef = min(norm.dtype.type(max_norm) / (norm + norm.dtype.type(1e-6)), 1.0)
    grads[0]._backend.scale_([g._data for g in grads], coef)
    _modified_in_place(grads)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Clip the gradients' total norm to max_norm, in place; returns the norm before clipping."""
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        was_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if was_generator and not parameters:
            warnings.warn("`parameters` is an empty generator, no gradient clipping will occur.",
                          stacklevel=2)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient to [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if grads:
        grads[0]._backend.clip_([g._data for g in grads], -clip_value, clip_value)
        _modified_in_place(grads)
