"""F.pad: constant padding (negative pads crop) and reflect/replicate/circular, against numpy's
np.pad; gradients by finite differences; PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn.functional as F
from hayabusa.autograd import gradcheck
from opcheck import check_noncontiguous


def np_pad_constant(x, pad, value=0.0):
    pairs = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        pairs[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    crop = tuple(slice(max(-lo, 0), x.shape[d] - max(-hi, 0)) for d, (lo, hi) in enumerate(pairs))
    return np.pad(x[crop], [(max(lo, 0), max(hi, 0)) for lo, hi in pairs], constant_values=value)


@pytest.mark.parametrize("pad", [(1, 2), (1, 0, 0, 1), (-1, 1), (0, 0, 2, 0), (0, 0, 0, 0, 1, 1),
                                 (-2, -1), (0, 0, -2, 1), (), (2, -3, 1, 1, 0, 2)], ids=str)
def test_constant_pad(pad, rng):
    x = rng.standard_normal((2, 3, 4))
    got = F.pad(hb.tensor(x, dtype=hb.float64), pad, value=1.5)
    np.testing.assert_array_equal(got.numpy(), np_pad_constant(x, pad, 1.5))
    if got.numel():
        assert gradcheck(lambda a: F.pad(a, pad), (hb.tensor(x, dtype=hb.float64, requires_grad=True),))


def test_constant_pad_dtypes_noncontiguous_and_scalars(rng):
    x = hb.arange(6).reshape(2, 3)
    out = F.pad(x, (1, 1), value=2.5)
    assert out.dtype is hb.int64 and out.tolist() == [[2, 0, 1, 2, 2], [2, 3, 4, 5, 2]]
    assert F.pad(x.bool(), (1, 0), value=1).tolist()[0] == [True, False, True, True]
    assert F.pad(hb.tensor(3.0), ()).item() == 3.0
    assert F.pad(hb.zeros(2, 0), (1, 0)).shape == (2, 1)
    check_noncontiguous(lambda a: F.pad(a, (1, 2, 0, 1)), [rng.standard_normal((3, 4))])
    y = hb.ones(2, 2, requires_grad=True)
    assert F.pad(y, (1, 1)).grad_fn.name() == "ConstantPadNdBackward0"


def test_constant_pad_errors():
    x = hb.zeros(2, 3)
    with pytest.raises(RuntimeError, match="Padding length must be divisible by 2"):
        F.pad(x, (1,))
    with pytest.raises(RuntimeError, match="Padding length should be less than or equal to two times the input dimension but got padding length 6 and input of dimension 2"):
        F.pad(x, (0, 0, 0, 0, 1, 1))
    with pytest.raises(RuntimeError, match="narrow\\(\\): length must be non-negative."):
        F.pad(x, (-2, -2))
    with pytest.raises(TypeError, match="must be tuple of ints, but found element of type float at pos 0"):
        F.pad(x, (1.5, 1))
    with pytest.raises(NotImplementedError, match="Unrecognised padding mode bogus"):
        F.pad(x, (1, 1), mode="bogus")


NP_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


@pytest.mark.parametrize("mode", list(NP_MODES))
@pytest.mark.parametrize("shape,pad", [((2, 5), (2, 1)), ((1, 2, 4), (1, 3)), ((1, 3, 4), (1, 2, 2, 1)),
                                       ((2, 2, 3, 4), (1, 1, 2, 0)), ((1, 1, 3, 3, 4), (1, 2, 1, 0, 2, 1))],
                         ids=str)
def test_non_constant_pad(mode, shape, pad, rng):
    x = rng.standard_normal(shape)
    k = len(pad) // 2
    widths = [(0, 0)] * (x.ndim - k) + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(k))]
    got = F.pad(hb.tensor(x, dtype=hb.float64), pad, mode=mode)
    np.testing.assert_array_equal(got.numpy(), np.pad(x, widths, mode=NP_MODES[mode]))
    if x.size <= 24:
        assert gradcheck(lambda a: F.pad(a, pad, mode=mode),
                         (hb.tensor(x, dtype=hb.float64, requires_grad=True),))


def test_non_constant_pad_crops_and_errors():
    x = hb.arange(6.0).reshape(2, 3)
    for mode in ("reflect", "replicate", "circular"):
        assert F.pad(x, (-1, 0), mode=mode).tolist() == [[1.0, 2.0], [4.0, 5.0]]
    with pytest.raises(RuntimeError, match="Padding mode \"reflect\" doesn't take in value argument"):
        F.pad(x, (1, 1), mode="reflect", value=3.0)
    with pytest.raises(RuntimeError, match=r"Padding size should be less than the corresponding input dimension, but got: padding \(3, 1\) at dimension 1 of input \[2, 3\]"):
        F.pad(x, (3, 1), mode="reflect")
    with pytest.raises(NotImplementedError, match="Padding size 4 is not supported for 2D input tensor"):
        F.pad(x, (1, 1, 1, 1), mode="replicate")
    with pytest.raises(NotImplementedError, match="Padding size 2 is not supported for 1D input tensor"):
        F.pad(hb.arange(3.0), (1, 0), mode="replicate")
    with pytest.raises(RuntimeError, match="Padding value causes wrapping around more than once."):
        F.pad(x, (4, 0), mode="circular")
    with pytest.raises(RuntimeError, match=r"Expected 2D or 3D \(batch mode\) tensor with possibly 0 batch size"):
        F.pad(hb.zeros(0, 3), (1, 0), mode="reflect")
    assert F.pad(hb.zeros(0, 2, 3), (1, 0), mode="reflect").shape == (0, 2, 4)


def test_pad_matches_torch(rng):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 3, 5))
    for mode, pad in [("constant", (2, -1, 1, 0)), ("reflect", (2, 3)), ("replicate", (1, 4)),
                      ("circular", (3, -1))]:
        a = hb.tensor(x, dtype=hb.float64, requires_grad=True)
        b = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ya, yb = F.pad(a, pad, mode=mode), torch.nn.functional.pad(b, pad, mode=mode)
        np.testing.assert_array_equal(ya.detach().numpy(), yb.detach().numpy())
        w = rng.standard_normal(tuple(ya.shape))
        (ya * hb.tensor(w, dtype=hb.float64)).sum().backward()
        (yb * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)
