"""dropout2d and nn.Dropout2d: whole channels zeroed, the rest scaled by 1 / (1 - p), the same
mask in backward, evaluation a no-op, PyTorch's warnings and errors."""
import warnings

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
import hayabusa.nn.functional as F


def test_channels_are_dropped_whole():
    x = hb.ones(8, 16, 5, 5, requires_grad=True)
    out = F.dropout2d(x, 0.25)
    y = out.detach().numpy()
    per_channel = y.reshape(8, 16, -1)
    # every channel is all zeros or all 1 / (1 - p)
    assert np.all((per_channel == 0).all(-1) | np.isclose(per_channel, 1 / 0.75).all(-1))
    kept = np.isclose(per_channel[:, :, 0], 1 / 0.75)
    assert 0.5 < kept.mean() < 0.95
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y)


def test_eval_and_edge_probabilities():
    x = hb.randn(2, 3, 4, 4)
    assert F.dropout2d(x, 0.5, training=False) is x
    assert F.dropout2d(x, 0.0) is x
    assert np.all(F.dropout2d(x, 1.0).numpy() == 0)
    m = nn.Dropout2d(0.3)
    assert repr(m) == "Dropout2d(p=0.3, inplace=False)"
    m.eval()
    assert m(x) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout2d(x, 1.5)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        nn.Dropout2d(-0.1)


def test_inplace_and_other_ranks():
    x = hb.ones(4, 6, 3, 3)
    out = F.dropout2d(x, 0.5, inplace=True)
    assert out is x and set(np.unique(x.numpy())) <= {0.0, 2.0}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        three = F.dropout2d(hb.ones(4, 6, 5), 0.5)
        two = F.dropout2d(hb.ones(4, 6), 0.5)
    assert "channel-wise 1D dropout" in str(caught[0].message)
    assert "Received a 2-D input to dropout2d" in str(caught[1].message)
    y = three.numpy()
    assert np.all((y == 0).all(-1) | (y == 2).all(-1))
    assert tuple(two.shape) == (4, 6)
