"""embedding and nn.Embedding: lookups, gradients that accumulate repeated indices and skip
padding_idx, scale_grad_by_freq, max_norm, initialization, errors, and torch where installed."""
import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn
import hayabusa.nn.functional as F
from hayabusa.autograd import gradcheck


def test_lookup_and_gradient(rng):
    w = rng.standard_normal((7, 3))
    idx = np.array([[1, 4, 1], [0, 6, 1]])
    wt = hb.tensor(w, requires_grad=True)
    out = F.embedding(hb.tensor(idx), wt)
    np.testing.assert_array_equal(out.detach().numpy(), w[idx])
    gy = rng.standard_normal((2, 3, 3))
    out.backward(hb.tensor(gy))
    want = np.zeros_like(w)
    for i, g in zip(idx.ravel(), gy.reshape(-1, 3)):
        want[i] += g  # repeated indices add up
    np.testing.assert_allclose(wt.grad.numpy(), want, rtol=1e-12)
    assert gradcheck(lambda w: F.embedding(hb.tensor(idx), w), [hb.tensor(w, requires_grad=True)])
    # int32 indices, a 0-d index, an empty index tensor
    assert np.array_equal(F.embedding(hb.tensor(idx, dtype=hb.int32), wt).detach().numpy(), w[idx])
    assert tuple(F.embedding(hb.tensor(3), wt).shape) == (3,)
    assert tuple(F.embedding(hb.zeros(0, 2, dtype=hb.int64), wt).shape) == (0, 2, 3)


def test_padding_idx_and_scale_grad_by_freq(rng):
    w = rng.standard_normal((5, 2))
    idx = hb.tensor([0, 2, 2, 2, 4, 0])
    wt = hb.tensor(w, requires_grad=True)
    F.embedding(idx, wt, padding_idx=2).sum().backward()
    np.testing.assert_allclose(wt.grad.numpy(), [[2, 2], [0, 0], [0, 0], [0, 0], [1, 1]])
    wt.grad = None
    F.embedding(idx, wt, padding_idx=-1, scale_grad_by_freq=True).sum().backward()
    # each row's summed gradient divided by how often its index occurs; row 4 (= -1) is padding
    np.testing.assert_allclose(wt.grad.numpy(), [[1, 1], [0, 0], [1, 1], [0, 0], [0, 0]])


def test_max_norm_renormalizes_looked_up_rows(rng):
    w = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    wt = hb.tensor(w)
    out = F.embedding(hb.tensor([0, 1]), wt, max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    np.testing.assert_allclose(wt.numpy(), [[0.6, 0.8], [0.3, 0.4], [6.0, 8.0]], rtol=1e-6)
    w1 = hb.tensor([[3.0, 4.0]])
    F.embedding(hb.tensor([0]), w1, max_norm=2.0, norm_type=1.0)
    np.testing.assert_allclose(w1.numpy(), [[6 / 7, 8 / 7]], rtol=1e-6)


def test_module(rng):
    hb.manual_seed(0)
    emb = nn.Embedding(10, 3, padding_idx=0)
    assert repr(emb) == "Embedding(10, 3, padding_idx=0)"
    assert repr(nn.Embedding(10, 3, max_norm=2, norm_type=1.0)) == "Embedding(10, 3, max_norm=2, norm_type=1.0)"
    assert repr(nn.Embedding(10, 3, scale_grad_by_freq=True)) == "Embedding(10, 3, scale_grad_by_freq=True)"
    assert nn.Embedding(10, 3, padding_idx=-1).padding_idx == 9
    w = emb.weight.detach().numpy()
    assert np.all(w[0] == 0) and 0.5 < w[1:].std() < 1.5  # N(0, 1) with the padding row zeroed
    out = emb(hb.tensor([[0, 3], [3, 9]]))
    assert tuple(out.shape) == (2, 2, 3)
    out.sum().backward()
    assert np.all(emb.weight.grad.numpy()[0] == 0) and np.all(emb.weight.grad.numpy()[3] == 2)
    pre = nn.Embedding.from_pretrained(hb.tensor(rng.standard_normal((4, 2))))
    assert not pre.weight.requires_grad and repr(pre) == "Embedding(4, 2)"
    assert nn.Embedding.from_pretrained(hb.randn(4, 2), freeze=False).weight.requires_grad
    assert nn.Embedding(3, 2, dtype=hb.float64).weight.dtype is hb.float64


def test_errors():
    w = hb.randn(10, 3)
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(hb.tensor([10]), w)
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding(hb.tensor([-1]), w)
    with pytest.raises(RuntimeError, match="Expected tensor for argument #1 'indices' to have one of the "
                                           "following scalar types: Long, Int"):
        F.embedding(hb.tensor([1.0]), w)
    with pytest.raises(RuntimeError, match="'weight' must be 2-D"):
        F.embedding(hb.tensor([1]), hb.randn(3))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(10, 3, padding_idx=10)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(10, 3, padding_idx=-11)
    with pytest.raises(NotImplementedError, match="sparse"):
        F.embedding(hb.tensor([1]), w, sparse=True)


def test_matches_torch(rng):
    torch = pytest.importorskip("torch")
    w = rng.standard_normal((8, 4))
    idx = rng.integers(0, 8, (5, 6))
    gy = rng.standard_normal((5, 6, 4))
    grads = []
    for lib in (torch, hb):
        wt = lib.tensor(w.copy(), requires_grad=True)
        out = lib.nn.functional.embedding(lib.tensor(idx), wt, padding_idx=3, scale_grad_by_freq=True)
        out.backward(lib.tensor(gy))
        grads.append((out.detach().numpy(), wt.grad.numpy()))
    for a, b in zip(*grads):
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-12)
    wt, wh = torch.tensor(w * 3), hb.tensor(w * 3)
    torch.nn.functional.embedding(torch.tensor(idx), wt, max_norm=1.5)
    F.embedding(hb.tensor(idx), wh, max_norm=1.5)
    np.testing.assert_allclose(wh.numpy(), wt.numpy(), rtol=1e-7)


def test_changing_the_indices_before_backward_raises():
    emb = hb.nn.Embedding(4, 2)
    idx = hb.tensor([0, 1])
    out = emb(idx)
    idx[0] = 3
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
