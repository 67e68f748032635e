"""Shape ops and indexing: values against numpy, gradients by finite differences, views, errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn

CASES = {
    "reshape": ((2, 3, 4), lambda x: x.reshape(4, -1), lambda x: x.reshape(4, -1)),
    "view": ((2, 3, 4), lambda x: x.view(6, 4), lambda x: x.reshape(6, 4)),
    "flatten": ((2, 3, 4), lambda x: x.flatten(1), lambda x: x.reshape(2, 12)),
    "flatten_0d": ((), lambda x: x.flatten(), lambda x: x.reshape(1)),
    "permute": ((2, 3, 4), lambda x: x.permute(2, 0, 1), lambda x: x.transpose(2, 0, 1)),
    "transpose": ((2, 3, 4), lambda x: x.transpose(0, 2), lambda x: x.swapaxes(0, 2)),
    "t": ((3, 5), lambda x: x.t(), lambda x: x.T),
    "T": ((2, 3, 4), lambda x: x.T, lambda x: x.T),
    "squeeze": ((3, 1, 4, 1), lambda x: x.squeeze(), lambda x: x.squeeze()),
    "squeeze_dim": ((3, 1, 4, 1), lambda x: x.squeeze(1), lambda x: x.squeeze(1)),
    "unsqueeze": ((3, 4), lambda x: x.unsqueeze(-1), lambda x: x[..., None]),
    "expand": ((3, 1), lambda x: x.expand(2, 3, 4), lambda x: np.broadcast_to(x, (2, 3, 4))),
    "expand_keep": ((3, 1), lambda x: x.expand(-1, 5), lambda x: np.broadcast_to(x, (3, 5))),
    "slice": ((5, 6), lambda x: x[1:4, ::2], lambda x: x[1:4, ::2]),
    "int_index": ((5, 6), lambda x: x[2], lambda x: x[2]),
    "neg_index": ((5, 6), lambda x: x[-1, 1:], lambda x: x[-1, 1:]),
    "ellipsis_none": ((2, 3, 4), lambda x: x[..., None, 1], lambda x: x[..., None, 1]),
    "int_tensor_index": ((5, 3), lambda x: x[hb.tensor([0, 2, 2, 4])], lambda x: x[[0, 2, 2, 4]]),
    "bool_index": ((4, 3), lambda x: x[hb.tensor([True, False, True, True])],
                   lambda x: x[[True, False, True, True]]),
    "mixed_index": ((4, 5), lambda x: x[1:, hb.tensor([0, 0, 3])], lambda x: x[1:, [0, 0, 3]]),
    "contiguous": ((3, 4), lambda x: x.t().contiguous(), lambda x: np.ascontiguousarray(x.T)),
    "clone": ((3, 4), lambda x: x.clone(), lambda x: x.copy()),
    "chunk0": ((7, 2), lambda x: x.chunk(3)[2], lambda x: x[6:]),
    "split1": ((3, 7), lambda x: x.split([2, 5], dim=1)[1], lambda x: x[:, 2:]),
    "unbind": ((3, 4), lambda x: hb.unbind(x, 1)[3], lambda x: x[:, 3]),
}


@pytest.mark.parametrize("name", CASES)
def test_shape_op(name, rng):
    shape, fn, ref = CASES[name]
    x = randn(shape, rng)
    check_forward(fn, ref, [x], rtol=0, atol=0, dtype=hb.float64)
    check_backward(fn, [x])


@pytest.mark.parametrize("name", ["reshape", "permute", "slice", "int_tensor_index", "expand"])
def test_shape_op_noncontiguous(name, rng):
    shape, fn, _ = CASES[name]
    check_noncontiguous(fn, [randn(shape, rng)])


def test_cat_stack_and_gradients(rng):
    a, b, c = randn((2, 3), rng), randn((4, 3), rng), randn((2, 3), rng)
    check_forward(lambda x, y: hb.cat([x, y]), lambda x, y: np.concatenate([x, y]), [a, b])
    check_backward(lambda x, y: hb.cat([x, y], 0), [a, b])
    check_backward(lambda x, y: hb.cat((x, y), dim=-1), [a, c])
    check_forward(lambda x, y: hb.stack([x, y], 1), lambda x, y: np.stack([x, y], 1), [a, c])
    check_backward(lambda x, y: hb.stack([x, y], 2), [a, c])
    assert hb.cat([hb.ones(2, 2), hb.zeros(0)]).shape == (2, 2)  # legacy empty tensors skipped
    assert hb.cat([hb.ones(2), hb.ones(3, dtype=hb.float64)]).dtype is hb.float64


def test_cat_and_stack_errors():
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0"):
        hb.cat([hb.ones(2, 3), hb.ones(2, 4)])
    with pytest.raises(RuntimeError, match="Tensors must have same number of dimensions"):
        hb.cat([hb.ones(2, 3), hb.ones(3)])
    with pytest.raises(RuntimeError, match="zero-dimensional tensor"):
        hb.cat([hb.tensor(1.0), hb.tensor(2.0)])
    with pytest.raises(RuntimeError, match="expected a non-empty list"):
        hb.cat([])
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        hb.stack([hb.ones(2), hb.ones(3)])
    with pytest.raises(IndexError, match="Dimension out of range"):
        hb.cat([hb.ones(2)], dim=2)


def test_gather(rng):
    x = randn((3, 5), rng)
    idx = hb.tensor([[0, 4, 4], [1, 1, 1], [2, 3, 0]])
    check_forward(lambda t: hb.gather(t, 1, idx), lambda t: np.take_along_axis(t, idx.numpy(), 1), [x])
    check_backward(lambda t: t.gather(1, idx), [x])
    idx0 = hb.tensor([[2, 0, 1, 1, 0]])
    check_backward(lambda t: t.gather(0, idx0), [x])
    with pytest.raises(RuntimeError, match="index 7 is out of bounds"):
        x_t = hb.tensor(x)
        x_t.gather(1, hb.tensor([[7]]))
    with pytest.raises(RuntimeError, match="Expected dtype int64"):
        hb.tensor(x).gather(1, hb.tensor([[1.0]]))


def test_views_share_memory_and_writes_show_through():
    x = hb.zeros(2, 3)
    v = x.view(6)
    v[0] = 5.0
    assert x[0, 0].item() == 5.0
    x.t()[2, 1] = 7.0
    assert x[1, 2].item() == 7.0
    x[0] = hb.tensor([1.0, 2.0, 3.0])
    assert x.tolist()[0] == [1.0, 2.0, 3.0]
    x[x > 2] = 0.0
    assert x.max().item() == 2.0


def test_reshape_errors():
    with pytest.raises(RuntimeError, match="shape '\\[4, 4\\]' is invalid for input of size 6"):
        hb.zeros(2, 3).reshape(4, 4)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        hb.zeros(2, 3).reshape(-1, -1)
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        hb.zeros(2, 3).t().view(6)
    assert hb.zeros(2, 3).t().reshape(6).shape == (6,)
    with pytest.raises(RuntimeError, match="must match the existing size"):
        hb.zeros(3, 2).expand(3, 4)
    with pytest.raises(IndexError, match="Dimension out of range"):
        hb.zeros(2, 3).transpose(0, 2)


def test_index_errors_are_index_errors():
    x = hb.zeros(3, 4)
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 0 with size 3"):
        x[3]
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 1 with size 4"):
        x[0, 5]
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(IndexError):
        x[hb.tensor([0, 9])]
    with pytest.raises(IndexError, match="tensors used as indices must be long"):
        x[hb.tensor([0.0])]


def test_split_chunk_sizes():
    x = hb.arange(10)
    assert [t.tolist() for t in x.split(4)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [len(t) for t in x.chunk(3)] == [4, 4, 2]
    with pytest.raises(RuntimeError, match="split_with_sizes expects split_sizes to sum exactly to 10"):
        x.split([3, 3])


def test_broadcast_view_matches_numpy():
    """The backend's broadcast_to (built in C) gives numpy's read-only views and errors."""
    from hayabusa import _C
    g = np.array(1.5, np.float32)
    for a, shape in [(g, (64,)), (g, ()), (np.arange(3.0), (2, 3)),
                     (np.arange(3.0).reshape(3, 1), (3, 4)),
                     (np.ones((2, 1, 3))[:, :, ::-1], (4, 2, 5, 3)), (np.zeros((0, 1)), (0, 7))]:
        got, want = _C.broadcast_to(a, shape), np.broadcast_to(a, shape)
        assert got.shape == want.shape and got.strides == want.strides
        assert not got.flags.writeable and got.base is not None
        np.testing.assert_array_equal(got, want)
    for a, shape in [(np.arange(3.0), (2, 4)), (np.arange(3.0), (-1, 3)), (np.ones((2, 3)), (3,))]:
        with pytest.raises(ValueError):
            _C.broadcast_to(a, shape)
