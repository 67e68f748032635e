"""Finite-difference checking of gradients (hayabusa.autograd.gradcheck)."""
from .._grad_mode import no_grad
from .._tensor import Tensor


def _outputs(func, inputs):
    out = func(*inputs)
    return [o for o in (out if isinstance(out, (tuple, list)) else (out,)) if isinstance(o, Tensor)]


def check_gradients(func, inputs, eps, atol, rtol, raise_exception):
    from . import GradcheckError, grad
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    outputs = _outputs(func, inputs)
    for t in diff_inputs:
        if t.dtype.name != "float64":
            import warnings
            warnings.warn(f"gradcheck: input of dtype {t.dtype} is not float64; the check may fail "
                          "from rounding alone", stacklevel=3)
    for oi, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        n_out = out.numel()
        for ti, t in enumerate(diff_inputs):
            data = t._data
            n_in = data.size
            analytical = t._backend.zeros((n_out, n_in), "float64")
            numerical = t._backend.zeros((n_out, n_in), "float64")
            # analytical: one backward per output element
            for j in range(n_out):
                seed = t._backend.zeros(out.shape, out._data.dtype)
                seed.reshape(-1)[j] = 1
                fresh = _outputs(func, inputs)[oi]
                (g,) = grad(fresh, t, grad_outputs=Tensor._from_data(seed), allow_unused=True)
                if g is not None:
                    analytical[j] = g._data.reshape(-1)
            # numerical: central differences, perturbing the input in place
            flat = data.reshape(-1) if data.flags.c_contiguous else None
            if flat is None:
                raise ValueError("gradcheck needs contiguous inputs to perturb")
            with no_grad():
                for i in range(n_in):
                    orig = flat[i]
                    flat[i] = orig + eps
                    plus = _outputs(func, inputs)[oi]._data.astype("float64").reshape(-1)
                    flat[i] = orig - eps
                    minus = _outputs(func, inputs)[oi]._data.astype("float64").reshape(-1)
                    flat[i] = orig
                    numerical[:, i] = (plus - minus) / (2 * eps)
            bad = abs(analytical - numerical) > atol + rtol * abs(numerical)
            if bad.any():
                if not raise_exception:
                    return False
                raise GradcheckError(
                    f"Jacobian mismatch for output {oi} with respect to input {ti},\n"
                    f"numerical:{numerical}\nanalytical:{analytical}\n")
    return True
