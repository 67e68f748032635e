"""Hypothesis strategies for fuzzing the kernel bindings (tests/test_fuzz_bindings.py).

An input array is drawn with its values *and* its memory layout: axes permuted,
steps of 1, 2, 3 or negative, padding around it in a larger buffer, a buffer
one byte off its natural alignment, axes broadcast with stride 0, read-only.
The padding is filled with NaN, so a kernel that reads past the view puts NaN
into its result. An output is a C-contiguous array (perhaps misaligned, or
inside a larger buffer) between two guard regions that must come back
unchanged: a kernel that writes out of bounds changes them.

HB_FUZZ_EXAMPLES sets the examples per test (default 100): a long run is
``HB_FUZZ_EXAMPLES=2000 python -m pytest -q tests/test_fuzz_bindings.py``.
"""
import contextlib
import math
import os

import numpy as np
from hypothesis import HealthCheck, settings, strategies as st

from hayabusa import _C

FUZZ_EXAMPLES = int(os.environ.get("HB_FUZZ_EXAMPLES", "100"))
fuzz_settings = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FLOAT_DTYPES = (np.float32, np.float64)
GUARD = 16  # elements of guard on each side of an output


def _runs_here(name):
    try:
        _C.set_isa(name)
        return True
    except RuntimeError:
        return False
    finally:
        _C.set_isa(_C.detect_isa())


RUNNABLE_ISAS = tuple(name for name in _C.compiled_isas() if _runs_here(name))
isas = st.sampled_from(RUNNABLE_ISAS)


@contextlib.contextmanager
def forced_isa(name):
    _C.set_isa(name)
    try:
        yield
    finally:
        _C.set_isa(_C.detect_isa())


def sides(max_side):
    """A dimension: 0 and 1 often, otherwise up to max_side."""
    return st.sampled_from([0, 1]) | st.integers(0, max_side)


def shapes(min_rank=0, max_rank=4, max_side=6):
    return st.lists(sides(max_side), min_size=min_rank, max_size=max_rank).map(tuple)


# Values: mostly N(0, scale); sometimes with the non-finite and extreme entries
# the kernels must carry through as PyTorch does.
SPECIALS = (0.0, -0.0, np.inf, -np.inf, np.nan, 1e4, -1e4, 1e-30)


def fill(rng, shape, dtype, scale=3.0, specials=0.0):
    a = np.asarray(rng.standard_normal(shape) * scale)
    if specials and a.size:
        mask = rng.random(shape) < specials
        a[mask] = rng.choice(SPECIALS, size=int(mask.sum()))
    return np.asarray(a, dtype)


@st.composite
def layouts(draw, ndim, broadcast=False):
    """How an array of rank ndim lies in memory (see place())."""
    return dict(
        perm=draw(st.permutations(range(ndim))),
        steps=draw(st.lists(st.sampled_from([1, 1, 1, 2, 3, -1, -2]), min_size=ndim, max_size=ndim)),
        before=draw(st.lists(st.integers(0, 2), min_size=ndim, max_size=ndim)),
        after=draw(st.lists(st.integers(0, 2), min_size=ndim, max_size=ndim)),
        misaligned=draw(st.integers(0, 7)) == 0,
        broadcast=draw(st.lists(st.booleans(), min_size=ndim, max_size=ndim)) if broadcast else [False] * ndim,
        readonly=draw(st.booleans()),
    )


def _raw(nbytes, dtype, misaligned):
    """A buffer of nbytes for dtype, on its natural alignment or one byte off it."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.empty(nbytes + 2 * itemsize, np.uint8)
    start = (-raw.ctypes.data) % itemsize + (1 if misaligned else 0)
    return raw[start:start + nbytes].view(dtype)


def place(values, layout):
    """An array equal to `values`, laid out as `layout` says. Broadcast axes
    hold values[..., 0, ...] repeated with stride 0."""
    ndim, shape = values.ndim, values.shape
    bcast = [layout["broadcast"][d] and values.shape[d] > 1 for d in range(ndim)]
    for d in range(ndim):
        if bcast[d]:
            values = values.take([0], axis=d)
    stored = values.shape
    perm, steps = layout["perm"], layout["steps"]
    base_shape = tuple(stored[p] * abs(steps[p]) + layout["before"][p] + layout["after"][p] for p in perm)
    base = _raw(math.prod(base_shape) * values.itemsize, values.dtype, layout["misaligned"]).reshape(base_shape)
    base.fill(np.nan if base.dtype.kind == "f" else np.iinfo(base.dtype).max)
    index = []
    for p in perm:
        n, s, b = stored[p], steps[p], layout["before"][p]
        if s > 0 or n == 0:
            index.append(slice(b, b + n * abs(s), abs(s)))
        else:
            start = b + (n - 1) * -s
            stop = start - n * -s
            index.append(slice(start, stop if stop >= 0 else None, s))
    view = base[tuple(index) + (Ellipsis,)].transpose([perm.index(d) for d in range(ndim)])
    view[...] = values
    assert view.shape == stored
    if any(bcast):
        view = np.broadcast_to(view, shape)
    if layout["readonly"]:
        view.flags.writeable = False
    return view


@st.composite
def arrays(draw, dtype, shape, scale=3.0, specials=0.0, broadcast=False, layout=True):
    """An input array of this dtype and shape in a random layout (contiguous when layout=False)."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    with_specials = specials and draw(st.booleans())
    values = fill(rng, shape, dtype, scale, specials if with_specials else 0.0)
    if not layout or not draw(st.integers(0, 3)):
        return values
    return place(values, draw(layouts(len(shape), broadcast)))


class Guarded:
    """A C-contiguous output between two guard regions of a sentinel value."""

    def __init__(self, shape, dtype, misaligned=False, fill_value=np.nan, sentinel=-7.25):
        n = math.prod(shape)
        self.buffer = _raw((n + 2 * GUARD) * np.dtype(dtype).itemsize, dtype, misaligned)
        self.sentinel = np.asarray(sentinel).astype(dtype)
        self.buffer.fill(self.sentinel)
        self.array = self.buffer[GUARD:GUARD + n].reshape(shape)
        self.array.fill(fill_value)

    def check(self):
        assert np.all(self.buffer[:GUARD] == self.sentinel), "a kernel wrote before its output"
        assert np.all(self.buffer[GUARD + self.array.size:] == self.sentinel), "a kernel wrote past its output"


@st.composite
def outputs(draw, dtype, shape, fill_value=np.nan):
    """None (the binding allocates) or a Guarded output, sometimes misaligned."""
    kind = draw(st.sampled_from(["none", "aligned", "aligned", "misaligned"]))
    if kind == "none":
        return None
    return Guarded(shape, dtype, misaligned=kind == "misaligned", fill_value=fill_value)


def is_misaligned(a):
    return a is not None and not a.flags.aligned


def tolerance(dtype, terms=1):
    """Relative/absolute tolerance for a result that sums `terms` products."""
    eps = np.finfo(dtype).eps
    return dict(rtol=8 * (terms + 2) * eps, atol=8 * (terms + 2) * eps)


def assert_close(got, want, dtype, terms=1, scale=None, rtol=None):
    """got (any float dtype) against a float64 reference; NaN where the reference has NaN,
    the same infinities; finite entries within tolerance (rtol, or one for `terms`
    products) of `scale` (|want| by default)."""
    got = np.asarray(got, np.float64)
    want = np.asarray(want, np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf])
    finite = np.isfinite(want)
    tol = tolerance(dtype, terms)
    if rtol is not None:
        tol = dict(rtol=rtol, atol=rtol)
    bound = tol["atol"] + tol["rtol"] * (np.abs(want) if scale is None else np.broadcast_to(scale, want.shape))
    err = np.abs(got - want)
    bad = finite & ~(err <= bound)
    assert not bad.any(), f"{bad.sum()} entries off: got {got[bad][:5]}, want {want[bad][:5]}"
