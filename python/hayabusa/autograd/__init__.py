"""hayabusa.autograd: backward, grad, gradcheck, grad-mode switches."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .._tensor import Tensor, _wrap
from .._core import backward_scalar, run_backward
from .function import Function, _edge
from .. import _grad_mode as grad_mode
from .._grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .anomaly_mode import (  # noqa: F401
    detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly,
)

if TYPE_CHECKING:
    from typing import Any, Callable, Sequence

__all__ = ["Function", "backward", "grad", "gradcheck", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled", "inference_mode", "detect_anomaly",
           "set_detect_anomaly"]


def _seed_gradients(tensors, grad_tensors, caller):
    grads = []
    for t, g in zip(tensors, grad_tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"{caller}: expected a Tensor, got {type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if t._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if t._data.dtype.kind != "f":
                raise RuntimeError(
                    f"grad can be implicitly created only for real scalar outputs but got {t.dtype}")
            g = t._backend.ones(t._data.shape, t._data.dtype)
        else:
            if not isinstance(g, Tensor):
                raise TypeError(f"{caller}: gradient must be a Tensor or None, got {type(g).__name__}")
            if g.shape != t.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[0] has a shape of {g.shape} and output[0] has "
                    f"a shape of {t.shape}.")
            g = g._data.astype(t._data.dtype, copy=False)
        grads.append(g)
    return grads


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def backward(tensors: Tensor | Sequence[Tensor],
             grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             inputs: Sequence[Tensor] | None = None) -> None:
    """Accumulates the gradients of ``tensors`` into the ``.grad`` of the graph's leaves.

    ``loss.backward()`` calls this. The gradients add to what ``.grad`` holds; the graph is
    freed afterwards unless ``retain_graph=True`` (a second backward through it raises).
    Higher-order gradients (``create_graph=True``) and ``inputs=`` raise NotImplementedError.

    Args:
        tensors (Tensor or sequence of Tensors): the outputs to differentiate.
        grad_tensors (Tensor or sequence, optional): the gradient with respect to each output,
            of its shape; ``None`` for a single-element output (then 1).
        retain_graph (bool, optional): keep the graph for another backward. Default: ``False``.
        create_graph (bool, optional): not supported (True raises NotImplementedError).
        inputs (sequence of Tensors, optional): not supported (use :func:`grad`).

    Example::

        >>> x = torch.tensor([1., 2.], requires_grad=True)
        >>> y = x * 2
        >>> torch.autograd.backward([y], [torch.ones(2)])
        >>> x.grad
        tensor([2., 2.])
    """
    if (grad_tensors is None and not create_graph and inputs is None
            and isinstance(tensors, Tensor) and backward_scalar(tensors, bool(retain_graph))):
        return   # one float32/float64 scalar, seeded with 1 (what loss.backward() calls too)
    if create_graph:
        raise NotImplementedError("create_graph=True (higher-order gradients) is not supported")
    if inputs is not None:
        raise NotImplementedError("backward(inputs=...) is not supported; use autograd.grad")
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(tensors)
    grads = _seed_gradients(tensors, grad_tensors, "backward")
    run_backward(tensors, grads, retain_graph=bool(retain_graph))


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
         retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """Computes and returns the gradients of ``outputs`` with respect to ``inputs``.

    Unlike :func:`backward`, nothing is accumulated into ``.grad``. Higher-order gradients
    (``create_graph=True``) raise NotImplementedError.

    Args:
        outputs (Tensor or sequence of Tensors): the outputs to differentiate.
        inputs (Tensor or sequence of Tensors): the tensors to differentiate with respect to
            (they require grad).
        grad_outputs (Tensor or sequence, optional): the gradient with respect to each output;
            ``None`` for a single-element output.
        retain_graph (bool, optional): keep the graph for another backward. Default: ``False``.
        create_graph (bool, optional): not supported.
        allow_unused (bool, optional): return ``None`` for an input the outputs do not depend
            on, instead of raising RuntimeError. Default: ``False``.
        materialize_grads (bool, optional): return zeros instead of ``None`` for unused inputs.
            Default: ``False``.

    Returns:
        tuple of Tensors: one gradient per input.

    Example::

        >>> w = torch.tensor([1., 2.], requires_grad=True)
        >>> torch.autograd.grad((w ** 2).sum(), w)
        (tensor([2., 4.]),)
        >>> w.grad is None
        True
    """
    if create_graph:
        raise NotImplementedError("create_graph=True (higher-order gradients) is not supported")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _seed_gradients(outputs, grad_outputs, "grad")
    nodes = [_edge(t) for t in inputs]
    capture = dict.fromkeys(nodes)
    run_backward(outputs, grads, retain_graph=bool(retain_graph), capture=capture)
    result = []
    for t, node in zip(inputs, nodes):
        g = capture[node]
        if g is None:
            if materialize_grads:
                g = t._backend.zeros(t.shape, t._data.dtype)
            elif not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior.")
        result.append(None if g is None else _wrap(g.astype(t._data.dtype, copy=True)))
    return tuple(result)


def gradcheck(func: Callable[..., Tensor | Sequence[Tensor]], inputs: Tensor | Sequence[Any],
              eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, fast_mode: bool = False) -> bool:
    """Checks the gradients autograd computes for ``func`` at ``inputs`` against finite differences.

    Every output element is differentiated with respect to every element of the inputs that
    require grad (the full Jacobian, one backward per output element), and compared with
    central differences ``(f(x + eps) - f(x - eps)) / (2 * eps)``: they must agree within
    ``atol + rtol * |numerical|``. Use float64 inputs (others warn) and small sizes.
    ``nondet_tol``, ``check_undefined_grad`` and ``fast_mode`` are accepted and unused.

    Args:
        func (callable): takes the inputs, returns a tensor or a tuple of tensors.
        inputs (Tensor or tuple): the arguments; those that require grad are checked (they
            must be contiguous).
        eps (float, optional): the finite-difference step. Default: ``1e-6``.
        atol (float, optional): the absolute tolerance. Default: ``1e-5``.
        rtol (float, optional): the relative tolerance. Default: ``1e-3``.
        raise_exception (bool, optional): raise :class:`GradcheckError` on a mismatch (else
            return False). Default: ``True``.

    Returns:
        bool: True if every gradient agrees.

    Example (``x`` a float64 tensor that requires grad)::

        gradcheck(lambda t: (t * t).sum(), (x,))   # True
    """
    from ._gradcheck import check_gradients
    return check_gradients(func, _as_tuple(inputs), eps, atol, rtol, raise_exception)


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` when the analytical and numerical Jacobians differ."""
