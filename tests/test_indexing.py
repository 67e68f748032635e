"""index_select, masked_fill/masked_select, scatter/scatter_add, index_add/index_fill, nonzero:
values against numpy, gradients by finite differences, in-place forms, PyTorch's errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn


def _scatter_ref(x, dim, index, src, add=False):
    out = x.copy()
    for pos in np.ndindex(*index.shape):
        target = list(pos)
        target[dim] = index[pos]
        if add:
            out[tuple(target)] += src[pos]
        else:
            out[tuple(target)] = src[pos]
    return out


# ---------------------------------------------------------------- index_select
@pytest.mark.parametrize("shape,dim,index", [
    ((5,), 0, [4, 0, 0, 2]), ((3, 4), 1, [3, 1]), ((2, 3, 4), -2, [2, 2, 0]),
    ((3, 4), 0, []), ((0, 3), 1, [2, 0]),
])
def test_index_select(shape, dim, index, rng):
    x = randn(shape, rng)
    idx = hb.tensor(index, dtype=hb.int64)
    check_forward(lambda t: hb.index_select(t, dim, idx), lambda a: np.take(a, index, axis=dim),
                  [x], rtol=0, atol=0, dtype=hb.float64)
    if x.size and index:
        check_backward(lambda t: t.index_select(dim, idx), [x])


def test_index_select_scalar_index_noncontiguous_and_errors(rng):
    x = randn((4, 3), rng)
    assert hb.tensor(x).index_select(0, hb.tensor(2)).shape == (1, 3)
    assert hb.tensor(x).index_select(1, hb.tensor([1], dtype=hb.int32)).shape == (4, 1)
    assert hb.tensor(2.5).index_select(0, hb.tensor([0])).item() == 2.5
    check_noncontiguous(lambda t: t.index_select(1, hb.tensor([2, 0, 2])), [x])
    t = hb.tensor(x)
    with pytest.raises(RuntimeError, match="Expected dtype int32 or int64 for index"):
        t.index_select(0, hb.tensor([0.0]))
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        t.index_select(0, hb.tensor([[0]]))
    with pytest.raises(IndexError, match="index out of range in self"):
        t.index_select(0, hb.tensor([4]))
    with pytest.raises(IndexError, match="index out of range in self"):
        t.index_select(0, hb.tensor([-1]))
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.index_select(2, hb.tensor([0]))


# ---------------------------------------------------------------- masks
@pytest.mark.parametrize("shape,mask_shape", [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (2, 4)),
                                              ((), ()), ((0, 3), (3,)), ((2, 3, 1), (1, 5))])
def test_masked_fill_and_select(shape, mask_shape, rng):
    x = randn(shape, rng)
    m = rng.random(mask_shape) < 0.5
    mask = hb.tensor(m)
    check_forward(lambda t: t.masked_fill(mask, -2.5), lambda a: np.where(m, -2.5, a), [x],
                  rtol=0, atol=0, dtype=hb.float64)
    full = np.broadcast_shapes(shape, mask_shape)
    check_forward(lambda t: hb.masked_select(t, mask),
                  lambda a: np.broadcast_to(a, full)[np.broadcast_to(m, full)], [x],
                  rtol=0, atol=0, dtype=hb.float64)
    if x.size:
        check_backward(lambda t: hb.masked_fill(t, mask, 3.0), [x])
        check_backward(lambda t: t.masked_select(mask), [x])
        # a 0-d value tensor gets the sum of the gradient where it was written
        check_backward(lambda t, v: t.masked_fill(mask, v), [x, np.array(0.7)])


def test_masked_fill_dtypes_noncontiguous_and_errors(rng):
    x = randn((3, 4), rng)
    mask = hb.tensor(rng.random((3, 4)) < 0.5)
    check_noncontiguous(lambda t: t.masked_fill(mask, 1.0), [x])
    check_noncontiguous(lambda t: t.masked_select(mask), [x])
    ints = hb.zeros(3, dtype=hb.int64).masked_fill(hb.tensor([True, False, True]), 1.5)
    assert ints.dtype is hb.int64 and ints.tolist() == [1, 0, 1]
    with pytest.raises(RuntimeError, match="only supports boolean masks, but got mask with dtype float"):
        hb.zeros(3).masked_fill(hb.ones(3), 1)
    with pytest.raises(RuntimeError, match="0-dimensional value tensor, but got tensor with 1"):
        hb.zeros(3).masked_fill(hb.ones(3, dtype=hb.bool), hb.tensor([1.0]))
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(4\) must match"):
        hb.zeros(3).masked_fill(hb.ones(4, dtype=hb.bool), 1)
    with pytest.raises(RuntimeError, match="masked_select: expected BoolTensor for mask"):
        hb.zeros(3).masked_select(hb.ones(3))


def test_masked_fill_in_place(rng):
    t = hb.ones(2, 3)
    assert t.masked_fill_(hb.tensor([True, False, True]), 2.0) is t
    assert t.tolist() == [[2, 1, 2], [2, 1, 2]]
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast "
                                           r"shape \[2, 3\]"):
        hb.zeros(3).masked_fill_(hb.ones(2, 3, dtype=hb.bool), 1)
    # in a graph: the filled entries get no gradient
    w = hb.tensor(randn((2, 3), rng), dtype=hb.float64, requires_grad=True)
    y = w * 2
    y.masked_fill_(hb.tensor([[True, False, False], [False, False, True]]), 0.0)
    y.sum().backward()
    assert w.grad.tolist() == [[0, 2, 2], [2, 2, 0]]


# ---------------------------------------------------------------- scatter
SCATTER_CASES = [
    ((3, 5), 1, [[0, 4], [2, 2], [1, 3]], (3, 3)),
    ((4, 3), 0, [[3, 0, 1], [0, 2, 2]], (2, 3)),
    ((2, 3, 4), -1, [[[0, 3], [1, 2], [3, 0]], [[2, 1], [0, 0], [1, 3]]], (2, 3, 2)),
    ((3,), 0, [2, 0], (4,)),
]


@pytest.mark.parametrize("shape,dim,index,src_shape", SCATTER_CASES)
def test_scatter_and_scatter_add(shape, dim, index, src_shape, rng):
    x, src = randn(shape, rng), randn(src_shape, rng)
    idx = np.array(index)
    index_t = hb.tensor(idx)
    d = dim % len(shape)
    check_forward(lambda t, s: hb.scatter_add(t, dim, index_t, s),
                  lambda a, s: _scatter_ref(a, d, idx, s, add=True), [x, src],
                  rtol=1e-12, atol=1e-12, dtype=hb.float64)
    check_backward(lambda t, s: t.scatter_add(dim, index_t, s), [x, src])
    # scatter without repeated targets: the written value is well defined
    if len({(tuple(p[:d]) + (idx[p],) + tuple(p[d + 1:])) for p in np.ndindex(*idx.shape)}) == idx.size:
        check_forward(lambda t, s: hb.scatter(t, dim, index_t, s),
                      lambda a, s: _scatter_ref(a, d, idx, s), [x, src],
                      rtol=0, atol=0, dtype=hb.float64)
        check_backward(lambda t, s: t.scatter(dim, index_t, s), [x, src])
        check_forward(lambda t: t.scatter(dim, index_t, 1.25),
                      lambda a: _scatter_ref(a, d, idx, np.full(idx.shape, 1.25)), [x],
                      rtol=0, atol=0, dtype=hb.float64)
        check_backward(lambda t: hb.scatter(t, dim, index_t, value=-3.0), [x])


def test_scatter_reduce_in_place_and_errors():
    t = hb.ones(2, 3)
    with pytest.warns(UserWarning, match="reduce argument of torch.scatter with Tensor src"):
        assert t.scatter_(1, hb.tensor([[0], [1]]), hb.ones(2, 1), reduce="add") is t
    assert t.tolist() == [[2, 1, 1], [1, 2, 1]]
    r = hb.full((2, 3), 3.0).scatter(1, hb.tensor([[0, 0], [1, 2]]), 2.0, reduce="multiply")
    assert r.tolist() == [[12, 3, 3], [3, 6, 6]]
    s = hb.zeros(3).scatter_add_(0, hb.tensor([0, 0, 2]), hb.tensor([1.0, 2.0, 3.0]))
    assert s.tolist() == [3, 0, 3]
    w = hb.zeros(3, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        w.scatter(1, hb.tensor([[0, 1]]), 2.0, reduce="add").sum().backward()
    x = hb.zeros(3, 4)
    with pytest.raises(RuntimeError, match="reduce argument must be either add or multiply"):
        x.scatter(1, hb.tensor([[0]]), 1.0, reduce="mean")
    with pytest.raises(RuntimeError, match="index 9 is out of bounds for dimension 1 with size 4"):
        x.scatter(1, hb.tensor([[0, 9]]), hb.ones(1, 2))
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 1"):
        x.scatter(1, hb.tensor([[0, -1]]), hb.ones(1, 2))
    with pytest.raises(RuntimeError, match="Expected dtype int32/int64 for index"):
        x.scatter(1, hb.tensor([[0.0]]), hb.ones(1, 1))
    with pytest.raises(RuntimeError, match="same number of dimensions as self tensor"):
        x.scatter(1, hb.tensor([0, 1]), hb.ones(1, 2))
    with pytest.raises(RuntimeError, match="same number of dimensions as src tensor"):
        x.scatter(1, hb.tensor([[0], [1]]), hb.tensor(2.0))
    with pytest.raises(RuntimeError, match=r"Expected index \[1, 5\] to be no larger than self "
                                           r"\[3, 4\] apart from dimension 1 and to be no larger "
                                           r"size than src \[1, 2\]"):
        x.scatter(1, hb.tensor([[0, 1, 2, 3, 0]]), hb.ones(1, 2))
    with pytest.raises(RuntimeError, match="Expected self.dtype to be equal to src.dtype"):
        x.scatter_add(1, hb.tensor([[0]]), hb.ones(1, 1, dtype=hb.float64))


def test_scatter_noncontiguous(rng):
    index = hb.tensor([[0, 2], [1, 1], [3, 0]])
    check_noncontiguous(lambda t, s: t.scatter_add(1, index, s), [randn((3, 4), rng),
                                                                  randn((3, 2), rng)])


# ---------------------------------------------------------------- index_add / index_fill
@pytest.mark.parametrize("shape,dim,index", [((3, 4), 0, [0, 2, 0]), ((2, 5), 1, [4, 4]),
                                             ((2, 3, 2), -2, [1, 0, 2, 1]), ((4,), 0, [])])
def test_index_add(shape, dim, index, rng):
    d = dim % len(shape)
    src_shape = list(shape)
    src_shape[d] = len(index)
    x, src = randn(shape, rng), randn(tuple(src_shape), rng)
    idx = hb.tensor(index, dtype=hb.int64)

    def ref(a, s, alpha=1.0):
        out = a.copy()
        for k, i in enumerate(index):
            out[(slice(None),) * d + (i,)] += alpha * s[(slice(None),) * d + (k,)]
        return out
    check_forward(lambda t, s: hb.index_add(t, dim, idx, s), ref, [x, src],
                  rtol=1e-12, atol=1e-12, dtype=hb.float64)
    check_forward(lambda t, s: t.index_add(dim, idx, s, alpha=-0.5),
                  lambda a, s: ref(a, s, -0.5), [x, src], rtol=1e-12, atol=1e-12, dtype=hb.float64)
    check_backward(lambda t, s: t.index_add(dim, idx, s, alpha=2.0), [x, src])


@pytest.mark.parametrize("shape,dim,index", [((3, 4), 1, [0, 2, 2]), ((3, 4), 0, [-1]),
                                             ((2, 3, 2), 2, [1]), ((), 0, [0])])
def test_index_fill(shape, dim, index, rng):
    x = randn(shape, rng)
    idx = hb.tensor(index, dtype=hb.int64)

    def ref(a):
        out = a.copy()
        if a.ndim == 0:
            return np.array(-1.5)
        out[(slice(None),) * (dim % a.ndim) + (index,)] = -1.5
        return out
    check_forward(lambda t: t.index_fill(dim, idx, -1.5), ref, [x], rtol=0, atol=0,
                  dtype=hb.float64)
    check_backward(lambda t: hb.index_fill(t, dim, idx, 2.0), [x])
    check_backward(lambda t, v: t.index_fill(dim, idx, v), [x, np.array(0.3)])


def test_index_add_fill_in_place_and_errors():
    t = hb.ones(2, 3)
    assert t.index_add_(1, hb.tensor([0, 0]), hb.ones(2, 2)) is t
    assert t.tolist() == [[3, 1, 1], [3, 1, 1]]
    assert t.index_fill_(1, hb.tensor([2]), 0.0).tolist() == [[3, 1, 0], [3, 1, 0]]
    x = hb.zeros(3, 4)
    with pytest.raises(RuntimeError, match="source tensor shape must match self tensor shape"):
        x.index_add(0, hb.tensor([0, 0]), hb.ones(2, 3))
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x.index_add(0, hb.tensor([0, 5]), hb.ones(2, 4))
    with pytest.raises(RuntimeError, match=r"self \(Float\) and source \(Double\) must have the same"):
        x.index_add(0, hb.tensor([0]), hb.ones(1, 4, dtype=hb.float64))
    with pytest.raises(IndexError, match="index 7 is out of bounds for dimension 1 with size 4"):
        x.index_fill(1, hb.tensor([0, 7]), 1)
    with pytest.raises(RuntimeError, match="Index has to be a vector/scalar"):
        x.index_fill(1, hb.tensor([[0]]), 1)
    with pytest.raises(RuntimeError, match="0-dimensional value tensor, but got tensor with 1"):
        x.index_fill(1, hb.tensor([0]), hb.tensor([5.0]))


# ---------------------------------------------------------------- nonzero
@pytest.mark.parametrize("values", [[[1, 0, 2], [0, 0, 3]], [0.0, 1.5, -2.0, 0.0], [],
                                    [[True, False], [True, True]]])
def test_nonzero(values):
    a = np.array(values)
    t = hb.tensor(values)
    got = hb.nonzero(t)
    assert got.dtype is hb.int64
    np.testing.assert_array_equal(got.numpy(), np.argwhere(a))
    for g, w in zip(t.nonzero(as_tuple=True), np.nonzero(a)):
        assert g.dtype is hb.int64
        np.testing.assert_array_equal(g.numpy(), w)


def test_nonzero_of_0d():
    assert hb.nonzero(hb.tensor(3.0)).shape == (1, 0)
    assert hb.nonzero(hb.tensor(0.0)).shape == (0, 0)
    (only,) = hb.nonzero(hb.tensor(3.0), as_tuple=True)
    assert only.tolist() == [0]
    assert hb.nonzero(hb.tensor(0.0), as_tuple=True)[0].shape == (0,)


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    x = randn((4, 5), rng)
    m = rng.random((4, 5)) < 0.4
    idx = rng.integers(0, 4, (3, 5))
    src = randn((3, 5), rng)
    for ours, theirs in [
        (hb.tensor(x).masked_fill(hb.tensor(m), 2.0), torch.tensor(x).masked_fill(torch.tensor(m), 2.0)),
        (hb.tensor(x).masked_select(hb.tensor(m)), torch.tensor(x).masked_select(torch.tensor(m))),
        (hb.tensor(x).index_select(1, hb.tensor([4, 0, 4])),
         torch.tensor(x).index_select(1, torch.tensor([4, 0, 4]))),
        (hb.tensor(x).scatter_add(0, hb.tensor(idx), hb.tensor(src)),
         torch.tensor(x).scatter_add(0, torch.tensor(idx), torch.tensor(src))),
        (hb.tensor(x).index_add(0, hb.tensor([3, 1, 3]), hb.tensor(src), alpha=2),
         torch.tensor(x).index_add(0, torch.tensor([3, 1, 3]), torch.tensor(src), alpha=2)),
        (hb.tensor(x).index_fill(1, hb.tensor([-1, 2]), 7.0),
         torch.tensor(x).index_fill(1, torch.tensor([-1, 2]), 7.0)),
        (hb.tensor(m).nonzero(), torch.tensor(m).nonzero()),
    ]:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


@pytest.mark.parametrize("op", ["index_select", "index_add"])
def test_changing_the_index_before_backward_raises(op):
    src = hb.arange(4.0).reshape(2, 2).requires_grad_()
    idx = hb.tensor([0, 1])
    out = hb.index_select(src, 0, idx) if op == "index_select" else \
        hb.index_add(hb.zeros(3, 2), 0, idx, src)
    idx[0] = 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (out * hb.arange(out.numel(), dtype=hb.float32).reshape(out.shape)).sum().backward()
