"""Numerical stability at extreme inputs, exactly where PyTorch has it: log-sum-exp,
softmax, log_softmax, sigmoid, BCE-with-logits and cross-entropy on logits of
+-1e4, +-3e38, -inf, +inf and NaN, in float32 and float64, outputs and gradients.

Compared with PyTorch when it is installed, and always with PyTorch's values
recorded in numerics_expected.py (record() writes that file). Anomaly mode must
stop a backward exactly when PyTorch's gradient holds a NaN.
"""
import warnings

import numpy as np
import pytest

import hayabusa as hb

inf, nan = float("inf"), float("nan")
# one row per case; each op works along the rows
ROWS = [
    [1e4, -1e4, 0.0], [1e4, 1e4, 1e4], [-1e4, -1e4, -1e4], [-inf, 0.0, 1.0], [-inf, -inf, -inf],
    [inf, 0.0, 1.0], [inf, -inf, 0.0], [nan, 0.0, 1.0], [88.0, 89.0, -104.0], [3e38, 3e38, 0.0],
    [-3e38, 0.0, 5.0], [30.0, -30.0, 0.5],
]
TARGET_PROBS = [[1.0, 0.0, 0.5]] * len(ROWS)
CLASSES = [0, 1, 2] * (len(ROWS) // 3)


def _bce(L, t, probs, **kw):
    return L.nn.functional.binary_cross_entropy_with_logits(t, L.tensor(probs, dtype=t.dtype), reduction="none",
                                                            **kw)


def _ce(L, t, classes, **kw):
    return L.nn.functional.cross_entropy(t, L.tensor(classes), reduction="none", **kw)


# name -> fn(library, logits, BCE target probabilities, CE target classes)
CASES = {
    "logsumexp": lambda L, t, p, c: L.logsumexp(t, 1),
    "softmax": lambda L, t, p, c: L.softmax(t, 1),
    "log_softmax": lambda L, t, p, c: L.log_softmax(t, 1),
    "sigmoid": lambda L, t, p, c: L.sigmoid(t),
    "bce_with_logits": lambda L, t, p, c: _bce(L, t, p),
    "bce_with_logits_pos_weight": lambda L, t, p, c: _bce(L, t, p, pos_weight=L.tensor([2.0, 0.5, 3.0], dtype=t.dtype)),
    "cross_entropy": lambda L, t, p, c: _ce(L, t, c),
    "cross_entropy_smoothed_weighted": lambda L, t, p, c: _ce(L, t, c, label_smoothing=0.1,
                                                              weight=L.tensor([1.0, 2.0, 0.5], dtype=t.dtype)),
    "cross_entropy_mean": lambda L, t, p, c: L.nn.functional.cross_entropy(t, L.tensor(c)),
}


def run(L, name, dtype):
    """The case's output and the gradient of a weighted sum of it (L: torch or hayabusa)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        x = L.tensor(ROWS, dtype=getattr(L, dtype), requires_grad=True)
        y = CASES[name](L, x, TARGET_PROBS, CLASSES)
        w = L.tensor(np.linspace(0.5, 1.5, max(y.numel(), 1)).reshape(tuple(y.shape)), dtype=x.dtype)
        (y * w).sum().backward()
    return y.detach().numpy().astype(np.float64), x.grad.numpy().astype(np.float64)


TOL = {"float32": dict(rtol=2e-6, atol=1e-6), "float64": dict(rtol=1e-12, atol=1e-12)}


def assert_same(got, want, dtype, what):
    want = np.asarray(want, np.float64).reshape(np.shape(got))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{what}: NaN where PyTorch's is not")
    np.testing.assert_array_equal(got[np.isinf(want)], want[np.isinf(want)], err_msg=f"{what}: infinities")
    np.testing.assert_allclose(got, want, equal_nan=True, err_msg=what, **TOL[dtype])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", CASES)
def test_matches_recorded_pytorch(name, dtype):
    from numerics_expected import EXPECTED
    y, g = run(hb, name, dtype)
    want_y, want_g = EXPECTED[name, dtype]
    assert_same(y, want_y, dtype, f"{name} {dtype} values")
    assert_same(g, want_g, dtype, f"{name} {dtype} gradients")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", CASES)
def test_matches_pytorch(name, dtype):
    torch = pytest.importorskip("torch")
    y, g = run(hb, name, dtype)
    want_y, want_g = run(torch, name, dtype)
    assert_same(y, want_y, dtype, f"{name} {dtype} values")
    assert_same(g, want_g, dtype, f"{name} {dtype} gradients")


@pytest.mark.parametrize("name", CASES)
def test_finite_extremes_give_finite_gradients(name):
    """Logits of +-1e4 and +-3e38, and -inf beside a finite one (no +inf, no NaN),
    never make a NaN gradient, here or in PyTorch."""
    from numerics_expected import EXPECTED
    rows = [i for i, r in enumerate(ROWS) if not any(v != v or v == inf for v in r) and max(r) > -inf]
    _, g = run(hb, name, "float32")
    want_g = np.asarray(EXPECTED[name, "float32"][1]).reshape(g.shape)
    assert not np.isnan(g[rows]).any() and not np.isnan(want_g[rows]).any()


@pytest.mark.parametrize("name", CASES)
def test_anomaly_mode_stops_exactly_where_pytorch_gradient_is_nan(name):
    from numerics_expected import EXPECTED
    _, want_g = EXPECTED[name, "float64"]
    want_g = np.asarray(want_g).reshape(len(ROWS), 3)
    for i, row in enumerate(ROWS):
        x = hb.tensor([row], dtype=hb.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with hb.autograd.detect_anomaly():
                y = CASES[name](hb, x, TARGET_PROBS[i:i + 1], CLASSES[i:i + 1])
                if np.isnan(want_g[i]).any():
                    with pytest.raises(RuntimeError, match="returned nan values"):
                        y.sum().backward()
                else:
                    y.sum().backward()
                    assert not np.isnan(x.grad.numpy()).any()


def test_set_detect_anomaly_off_lets_nan_through():
    x = hb.tensor([ROWS[7]], dtype=hb.float64, requires_grad=True)  # holds a NaN
    with hb.autograd.set_detect_anomaly(False):
        hb.log_softmax(x, 1).sum().backward()
    assert np.isnan(x.grad.numpy()).all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with hb.autograd.detect_anomaly(check_nan=False):
            x.grad = None
            hb.log_softmax(x, 1).sum().backward()
    assert np.isnan(x.grad.numpy()).all()


def record():
    """Writes numerics_expected.py from the installed PyTorch."""
    import os

    import torch

    def fmt(a):
        values = [repr(float(v)) for v in np.asarray(a).ravel()]
        lines = [", ".join(values[i:i + 4]) for i in range(0, len(values), 4)]
        return "[\n            " + ",\n            ".join(lines) + ",\n        ]"
    out = ['"""PyTorch\'s outputs and gradients for tests/test_numerics.py (CPU, float32 and',
           f'float64), recorded from torch {torch.__version__} by test_numerics.record(): what the',
           'tests check without torch."""', 'nan, inf = float("nan"), float("inf")', "", "EXPECTED = {"]
    for name in CASES:
        for dtype in ("float32", "float64"):
            y, g = run(torch, name, dtype)
            out.append(f"    ({name!r}, {dtype!r}): (\n        {fmt(y)},\n        {fmt(g)},\n    ),")
    out.append("}")
    with open(os.path.join(os.path.dirname(__file__), "numerics_expected.py"), "w") as f:
        f.write("\n".join(out) + "\n")
