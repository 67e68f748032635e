"""Tensor methods that are not ops: new_* factories, byte, data_ptr/storage_offset, H,
squeeze_/unsqueeze_/t_ (in place, in a graph too), apply_/map_."""
import numpy as np
import pytest

import hayabusa as hb


def test_new_factories():
    x = hb.ones(2, 3, dtype=hb.float64)
    assert x.new_zeros(2, 3).shape == (2, 3) and x.new_zeros((2, 3)).dtype is hb.float64
    assert x.new_ones([4]).tolist() == [1, 1, 1, 1]
    assert x.new_empty(2).shape == (2,) and x.new_empty((0, 2)).shape == (0, 2)
    full = x.new_full((2,), 3)
    assert full.dtype is hb.float64 and full.tolist() == [3, 3]
    assert x.new_full((2,), 3, dtype=hb.int64).dtype is hb.int64
    assert hb.tensor([1, 2]).new_ones(2).dtype is hb.int64
    t = x.new_tensor([1, 2])
    assert t.dtype is hb.float64 and t.tolist() == [1.0, 2.0]
    assert x.new_tensor([1, 2], dtype=hb.int64).dtype is hb.int64
    assert x.new_zeros(2, requires_grad=True).requires_grad
    with pytest.warns(UserWarning, match="sourceTensor.detach\\(\\).clone\\(\\)"):
        copied = x.new_tensor(hb.ones(2, requires_grad=True))
    assert not copied.requires_grad
    with pytest.raises(TypeError, match="new_full\\(\\): argument 'size' \\(position 1\\) must be tuple"):
        x.new_full(2, 3)


def test_byte_data_ptr_storage_offset():
    assert hb.tensor([1.0, 2.0]).byte().dtype is hb.uint8
    assert hb.tensor([-1.0, 2.0]).byte().tolist() == [255, 2]
    x = hb.ones(2, 3)
    assert x.data_ptr() == x._data.__array_interface__["data"][0]
    assert x[1:].data_ptr() == x.data_ptr() + 3 * x.element_size()
    assert x.storage_offset() == 0 and x.t().storage_offset() == 0
    assert x[1:].storage_offset() == 3 and x[:, 1].storage_offset() == 1
    assert x[1:][:, 2:].storage_offset() == 5
    assert x.clone().storage_offset() == 0


def test_H():
    x = hb.arange(6.0).reshape(2, 3)
    assert x.H.tolist() == x.t().tolist()
    with pytest.raises(RuntimeError, match="tensor.H is only supported on matrices \\(2-D tensors\\). "
                                           "Got 1-D tensor."):
        hb.ones(3).H
    with pytest.raises(RuntimeError, match="For batches of matrices, consider using tensor.mH"):
        hb.ones(2, 2, 2).H
    with pytest.warns(UserWarning, match="deprecated on 0-D tensors"):
        assert hb.tensor(2.0).H.item() == 2.0


def test_shape_changes_in_place():
    x = hb.ones(2, 1)
    before = x._version_number
    assert x.squeeze_() is x and x.shape == (2,) and x._version_number == before + 1
    assert x.unsqueeze_(0) is x and x.shape == (1, 2)
    assert hb.ones(2, 1, 3).squeeze_(1).shape == (2, 3)
    m = hb.arange(6.0).reshape(2, 3)
    data = m._data
    assert m.t_() is m and m.shape == (3, 2) and m.tolist() == [[0, 3], [1, 4], [2, 5]]
    assert np.shares_memory(m._data, data)
    with pytest.raises(RuntimeError, match="t_\\(\\) expects a tensor with <= 2 dimensions, but self is 3D"):
        hb.ones(2, 3, 4).t_()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        hb.ones(2, 1, requires_grad=True).squeeze_()


def test_shape_changes_in_place_in_a_graph():
    w = hb.ones(2, 3, requires_grad=True)
    y = w * 1
    y.t_()
    (y * hb.arange(6.0).reshape(3, 2)).sum().backward()
    assert w.grad.tolist() == [[0, 2, 4], [1, 3, 5]]
    v = hb.ones(2, 1, requires_grad=True)
    z = v * 3
    z.unsqueeze_(0)
    assert z.shape == (1, 2, 1)
    (z * hb.tensor([[[1.0], [2.0]]])).sum().backward()
    assert v.grad.tolist() == [[3.0], [6.0]]


def test_apply_and_map():
    t = hb.ones(3)
    assert t.apply_(lambda v: v * 2) is t and t.tolist() == [2, 2, 2]
    assert hb.ones(3, dtype=hb.int64).apply_(lambda v: v * 2.5).tolist() == [2, 2, 2]
    strided = hb.arange(6.0).reshape(2, 3).t()
    strided.apply_(lambda v: -v)
    assert strided.tolist() == [[0, -3], [-1, -4], [-2, -5]]
    m = hb.ones(2, 3)
    assert m.map_(hb.tensor([1.0, 2.0, 3.0]), lambda a, b: a + b) is m
    assert m.tolist() == [[2, 3, 4], [2, 3, 4]]
    with pytest.raises(RuntimeError, match="Can't call apply_\\(\\) on Variable that requires grad"):
        hb.ones(3, requires_grad=True).apply_(lambda v: v)
    with pytest.raises(RuntimeError, match="The expanded size of the tensor"):
        hb.ones(1).map_(hb.ones(3), lambda a, b: a + b)
