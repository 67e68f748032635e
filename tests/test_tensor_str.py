"""Tensor reprs: the same text as PyTorch's (recorded strings here; torch itself when installed)."""
import numpy as np
import pytest

import hayabusa as hb
from hayabusa._tensor_str import format_tensor, get_printoptions, set_printoptions

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


def _cases():
    rng = np.random.default_rng(0)
    yield np.array(2.5, np.float32)
    yield np.array(-7)
    yield np.arange(12, dtype=np.float32).reshape(3, 4)
    yield rng.standard_normal((2, 3, 4)).astype(np.float32)
    yield rng.standard_normal((2, 2, 2, 3))
    yield rng.standard_normal(2000).astype(np.float32)
    yield rng.standard_normal((40, 50)).astype(np.float32)
    yield rng.standard_normal((12, 12, 12)).astype(np.float32)
    yield rng.standard_normal(30).astype(np.float32) * 1e5
    yield np.array([1e9, 1.0], np.float32)
    yield np.array([-0.0, 0.0, 1.5], np.float32)
    yield np.array([0.0, 0.0], np.float32)
    yield np.array([np.inf, np.nan], np.float32)
    yield rng.integers(-1000, 1000, (5, 7))
    yield rng.integers(0, 100, (3, 4)).astype(np.int32)
    yield rng.standard_normal(200).astype(np.float32)
    yield rng.standard_normal((3, 4)).astype(np.float16)
    yield np.zeros((2, 0, 4), np.float32)
    yield np.zeros(0, np.bool_)
    yield rng.integers(0, 2, (3, 3)).astype(np.bool_)
    yield rng.integers(0, 255, (2, 3)).astype(np.uint8)


@pytest.mark.parametrize("array", list(_cases()), ids=lambda a: f"{a.dtype}{a.shape}")
def test_matches_torch(array):
    torch = pytest.importorskip("torch")
    want = repr(torch.from_numpy(array.copy())).replace("torch.", "hayabusa.")
    assert repr(hb.tensor(array)) == want


@pytest.mark.parametrize("opts", [dict(precision=2), dict(sci_mode=True), dict(sci_mode=False),
                                  dict(threshold=10, edgeitems=2), dict(linewidth=40),
                                  dict(profile="full"), dict(profile="short")], ids=str)
def test_printoptions_match_torch(opts):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((6, 7)).astype(np.float32) * 10, np.array([1e-6, 3.0], np.float32),
              rng.standard_normal(1500).astype(np.float32)]
    try:
        torch.set_printoptions(**opts)
        set_printoptions(**opts)
        for a in arrays:
            assert repr(hb.tensor(a)) == repr(torch.from_numpy(a)).replace("torch.", "hayabusa.")
    finally:
        torch.set_printoptions(profile="default")
        set_printoptions(profile="default")


def test_grad_fn_suffix_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.array([[1.5, -2.0], [0.25, 4.0]], np.float32)
    t = torch.tensor(a, requires_grad=True)
    h = hb.tensor(a, requires_grad=True)
    assert repr(h) == repr(t).replace("torch.", "hayabusa.")
    assert repr(h * 2) == repr(t * 2)
    assert repr(h.sum()) == repr(t.sum())
    assert repr(h @ h) == repr(t @ t)


def test_format_tensor_leaves_input_alone():
    a = np.arange(5000, dtype=np.float32)
    before = a.copy()
    format_tensor(a, "float32")
    np.testing.assert_array_equal(a, before)
