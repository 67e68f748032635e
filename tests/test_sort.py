"""sort, argsort, topk: values and indices as PyTorch, gradients scattered back by index."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, randn


def test_sort_values_indices_and_gradient(rng):
    x = randn((3, 5), rng)
    v, i = hb.tensor(x).sort(1)
    np.testing.assert_allclose(v.numpy(), np.sort(x.astype(np.float32), 1))
    np.testing.assert_array_equal(i.numpy(), np.argsort(x.astype(np.float32), 1, kind="stable"))
    vd, _ = hb.sort(hb.tensor(x), 0, descending=True)
    np.testing.assert_allclose(vd.numpy(), -np.sort(-x.astype(np.float32), 0))
    check_backward(lambda t: t.sort(1)[0], [x])
    check_backward(lambda t: t.sort(0, descending=True).values, [x])


def test_stable_order_for_ties():
    x = hb.tensor([2, 1, 2, 1])
    assert x.sort().indices.tolist() == [1, 3, 0, 2]
    assert x.sort(descending=True).indices.tolist() == [0, 2, 1, 3]
    assert x.argsort().tolist() == [1, 3, 0, 2]


def test_topk(rng):
    x = randn((4, 6), rng)
    v, i = hb.tensor(x).topk(3)
    np.testing.assert_allclose(v.numpy(), -np.sort(-x.astype(np.float32), 1)[:, :3])
    v2, _ = hb.topk(hb.tensor(x), 2, dim=0, largest=False)
    np.testing.assert_allclose(v2.numpy(), np.sort(x.astype(np.float32), 0)[:2])
    check_backward(lambda t: t.topk(2, 1)[0], [x])
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        hb.tensor(x).topk(7)
