"""Gradient clipping, as torch.nn.utils.clip_grad. The norm is accumulated over all gradients
in one pass and every gradient scaled in place, so ``foreach`` is accepted and ignored."""
from __future__ import annotations

import math
import types
import warnings
from typing import TYPE_CHECKING

from ... import _dtype
from ..._factories import tensor as _tensor
from ..._tensor import Tensor, _wrap

if TYPE_CHECKING:
    from typing import Iterable


def _as_list(tensors):
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _modified_in_place(tensors):
    for t in tensors:
        t._version[0] += 1


def get_total_norm(tensors: Tensor | Iterable[Tensor], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of all of ``tensors`` taken together, as one vector.

    Args:
        tensors (Tensor or iterable of Tensors): e.g. the gradients.
        norm_type (float, optional): the order (``inf`` for the max norm). Default: ``2.0``.
        error_if_nonfinite (bool, optional): raise RuntimeError if the norm is NaN or
            infinite. Default: ``False``.
        foreach (bool, optional): accepted; the norm is always one pass in C.

    Returns:
        Tensor: a 0-d tensor, in the tensors' promoted dtype.

    Example::

        >>> nn.utils.get_total_norm([torch.tensor([3., 4.]), torch.tensor([12.])])
        tensor(13.)
    """
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


def clip_grads_with_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float,
                          total_norm: Tensor, foreach: bool | None = None) -> None:
    """Scales the gradients by ``min(1, max_norm / (total_norm + 1e-6))``, in place.

    Args:
        parameters (Tensor or iterable of Tensors): the parameters (their ``.grad`` is used).
        max_norm (float): the largest norm allowed.
        total_norm (Tensor): their total norm (from :func:`get_total_norm`).
        foreach (bool, optional): accepted; every gradient is scaled in one C call.
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    # the coefficient in the norm's dtype, as PyTorch computes it
    norm = total_norm._data
    coef = min(norm.dtype.type(max_norm) / (norm + norm.dtype.type(1e-6)), 1.0)
    grads[0]._backend.scale_([g._data for g in grads], coef)
    _modified_in_place(grads)


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Rescales the gradients in place so that their total norm is at most ``max_norm``.

    The norm is taken over all the gradients together, as if concatenated into one vector;
    if it exceeds ``max_norm`` every gradient is multiplied by ``max_norm / (norm + 1e-6)``.
    Call it between ``loss.backward()`` and ``optimizer.step()``.

    Args:
        parameters (Tensor or iterable of Tensors): the parameters (their ``.grad`` is used).
        max_norm (float): the largest total norm allowed.
        norm_type (float, optional): the order of the norm (``inf`` for the max norm).
            Default: ``2.0``.
        error_if_nonfinite (bool, optional): raise RuntimeError if the total norm is NaN or
            infinite. Default: ``False``.
        foreach (bool, optional): accepted; the work is one pass in C either way.

    Returns:
        Tensor: the total norm of the gradients before clipping (a 0-d tensor).

    Example::

        >>> w = torch.tensor([3., 4.], requires_grad=True)
        >>> (w * w).sum().backward()
        >>> nn.utils.clip_grad_norm_([w], max_norm=1.0)
        tensor(10.)
        >>> w.grad
        tensor([0.6000, 0.8000])
    """
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


def clip_grad_norm(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Deprecated alias of :func:`clip_grad_norm_` (warns with a FutureWarning, as PyTorch)."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clamps every gradient element into ``[-clip_value, clip_value]``, in place.

    Args:
        parameters (Tensor or iterable of Tensors): the parameters (their ``.grad`` is used).
        clip_value (float): the largest absolute value allowed.
        foreach (bool, optional): accepted; every gradient is clamped in one C call.

    Example::

        >>> w = torch.tensor([3., -4.], requires_grad=True)
        >>> (w * w).sum().backward()
        >>> nn.utils.clip_grad_value_([w], 1.0)
        >>> w.grad
        tensor([ 1., -1.])
    """
    clip_value = float(clip_value)
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if grads:
        grads[0]._backend.clip_([g._data for g in grads], -clip_value, clip_value)
        _modified_in_place(grads)
