"""Tensor reprs through hayabusa tensors, against strings recorded from PyTorch (runs without torch).

The formatter is compared with torch itself on many more values in test_tensor_str_vs_torch.py.
"""
import numpy as np
import pytest

import hayabusa as hb
from hayabusa._tensor_str import get_printoptions, set_printoptions

RECORDED = [  # PyTorch 2.13's repr of the same values
    (hb.tensor([1.0, 2.5]), "tensor([1.0000, 2.5000])"),
    (hb.tensor(3), "tensor(3)"),
    (hb.tensor(1.5), "tensor(1.5000)"),
    (hb.tensor([1.0, 2.0]), "tensor([1., 2.])"),
    (hb.tensor([True, False]), "tensor([ True, False])"),
    (hb.tensor([1.0, 2.0], dtype=hb.float64), "tensor([1., 2.], dtype=hayabusa.float64)"),
    (hb.tensor([], dtype=hb.int64), "tensor([], dtype=hayabusa.int64)"),
    (hb.zeros(0, 3), "tensor([], size=(0, 3))"),
    (hb.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
    (hb.tensor([[1, 2], [30, 4]]), "tensor([[ 1,  2],\n        [30,  4]])"),
    (hb.tensor([float("nan"), 1.0, float("-inf")]), "tensor([nan, 1., -inf])"),
]


@pytest.mark.parametrize("t, text", RECORDED, ids=[r[1][:30] for r in RECORDED])
def test_recorded_reprs(t, text):
    assert repr(t) == text


def test_autograd_suffixes():
    x = hb.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert repr(hb.nn.Parameter(hb.tensor([1.0]))) == "Parameter containing:\ntensor([1.], requires_grad=True)"


def test_printoptions_round_trip():
    before = get_printoptions()
    try:
        set_printoptions(precision=2)
        assert repr(hb.tensor([1.12345])) == "tensor([1.12])"
        set_printoptions(threshold=5)
        assert repr(hb.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
        with pytest.raises(ValueError):
            set_printoptions(profile="tiny")
    finally:
        set_printoptions(profile="default")
    assert get_printoptions() == before


def test_grad_fn_suffix_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.array([[1.5, -2.0], [0.25, 4.0]], np.float32)
    t = torch.tensor(a, requires_grad=True)
    h = hb.tensor(a, requires_grad=True)
    assert repr(h) == repr(t).replace("torch.", "hayabusa.")
    assert repr(h * 2) == repr(t * 2)
    assert repr(h.sum()) == repr(t.sum())
    assert repr(h @ h) == repr(t @ t)
