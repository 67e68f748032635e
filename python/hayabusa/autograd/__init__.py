"""hayabusa.autograd: backward, grad, gradcheck, grad-mode switches."""
from .._tensor import Tensor, _wrap
from .._core import run_backward
from .function import Function, _edge
from .. import _grad_mode as grad_mode
from .._grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .anomaly_mode import (  # noqa: F401
    detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly,
)

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


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of tensors into the leaves' ``.grad`` (Tensor.backward)."""
    if grad_tensors is None and not create_graph and inputs is None and isinstance(tensors, Tensor):
        d = tensors._data
        if tensors._requires_grad and d.size == 1 and d.dtype.kind == "f":
            # loss.backward(): one float scalar, seeded with 1
            run_backward((tensors,), (tensors._backend.ones(d.shape, d.dtype),), bool(retain_graph))
            return
    if create_graph:
        raise NotImplementedError("create_graph=True (higher-order gradients) is not supported")
    if inputs is not None:
        raise NotImplementedError("backward(inputs=...) is not supported; use autograd.grad")
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(tensors)
    grads = _seed_gradients(tensors, grad_tensors, "backward")
    run_backward(tensors, grads, retain_graph=bool(retain_graph))


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """The gradients of outputs with respect to inputs, returned (``.grad`` is left alone)."""
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


def gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, fast_mode=False):
    """Compare autograd's gradients of func at inputs with central finite differences.

    Inputs that require grad should be float64. Every output element is checked
    against every input element (the full Jacobian), so keep the sizes small.
    """
    from .gradcheck import check_gradients
    return check_gradients(func, _as_tuple(inputs), eps, atol, rtol, raise_exception)


class GradcheckError(RuntimeError):
    """Raised by gradcheck when the analytical and numerical Jacobians differ."""
