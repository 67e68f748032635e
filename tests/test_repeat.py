"""repeat, tile, repeat_interleave, roll, flip, meshgrid, broadcast_tensors: values against
numpy, gradients by finite differences, PyTorch's argument forms and errors."""
import numpy as np
import pytest

import hayabusa as hb
from opcheck import check_backward, check_forward, check_noncontiguous, randn


@pytest.mark.parametrize("shape,sizes", [((2, 3), (2, 1)), ((2, 3), (2, 1, 2)), ((3,), (3,)),
                                         ((), (2,)), ((), ()), ((2, 3), (2, 0)), ((0, 2), (3, 2))])
def test_repeat(shape, sizes, rng):
    x = randn(shape, rng)
    check_forward(lambda t: t.repeat(*sizes), lambda a: np.tile(a, sizes) if sizes else a, [x],
                  rtol=0, atol=0, dtype=hb.float64)
    if x.size and all(sizes):
        check_backward(lambda t: t.repeat(sizes), [x])


def test_repeat_tile_forms_noncontiguous_and_errors(rng):
    x = randn((2, 3), rng)
    check_noncontiguous(lambda t: t.repeat(2, 2), [x])
    assert hb.tile(hb.tensor(x), (2,)).shape == (2, 6)
    assert hb.tensor(x).tile(2, 2).shape == (4, 6)
    assert hb.tensor(x).tile((3, 1, 1)).shape == (3, 2, 3)
    check_backward(lambda t: hb.tile(t, (2, 1, 3)), [x])
    with pytest.raises(RuntimeError, match="Number of dimensions of repeat dims can not be smaller"):
        hb.ones(2, 3).repeat(2)
    with pytest.raises(RuntimeError, match=r"negative dimension -3: \[4, -3\]"):
        hb.ones(2, 3).repeat(2, -1)
    with pytest.raises(TypeError, match="tile\\(\\): argument 'dims' \\(position 2\\) must be tuple"):
        hb.tile(hb.ones(2), 2)


@pytest.mark.parametrize("shape,repeats,dim", [
    ((2, 3), 2, None), ((2, 3), 2, 1), ((3, 2), [1, 0, 3], 0), ((3, 2), [2], 0), ((), 3, None),
    ((2, 2), [1, 2, 3, 4], None), ((2, 3), 0, -1),
])
def test_repeat_interleave(shape, repeats, dim, rng):
    x = randn(shape, rng)
    r = hb.tensor(repeats) if isinstance(repeats, list) else repeats
    np_repeats = repeats if not isinstance(repeats, list) or len(repeats) > 1 else repeats[0]
    check_forward(lambda t: hb.repeat_interleave(t, r, dim), lambda a: np.repeat(a, np_repeats, dim),
                  [x], rtol=0, atol=0, dtype=hb.float64)
    if np.repeat(x, np_repeats, dim).size:
        check_backward(lambda t: t.repeat_interleave(r, dim=dim), [x])


def test_repeat_interleave_counts_form_and_errors():
    assert hb.repeat_interleave(hb.tensor([2, 3])).tolist() == [0, 0, 1, 1, 1]
    assert hb.repeat_interleave(hb.tensor([[1, 2], [3, 4]]), hb.tensor(2), dim=0).shape == (4, 2)
    assert hb.repeat_interleave(hb.tensor([1, 2]), 2, output_size=4).tolist() == [1, 1, 2, 2]
    x = hb.tensor([[1, 2], [3, 4]])
    with pytest.raises(RuntimeError, match=r"repeats must have the same size as input along dim, "
                                           r"but got repeats.size\(0\) = 2 and input.size\(0\) = 4"):
        hb.repeat_interleave(x, hb.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="repeats can not be negative"):
        hb.repeat_interleave(x, hb.tensor([1, -2]), dim=0)
    with pytest.raises(RuntimeError, match="Repeats must be non-negative"):
        hb.repeat_interleave(x, -1, dim=0)
    with pytest.raises(NotImplementedError, match="\"repeat_interleave_cpu\" not implemented for 'Float'"):
        hb.repeat_interleave(x, hb.tensor([1.0, 2.0]), dim=0)
    with pytest.raises(RuntimeError, match="repeats must be 0-dim or 1-dim tensor"):
        hb.repeat_interleave(x, hb.tensor([[1, 2]]), dim=0)


@pytest.mark.parametrize("shape,shifts,dims", [((2, 3), 1, None), ((2, 3), (1, 2), (0, 1)),
                                               ((2, 3), -4, -1), ((5,), 7, 0), ((), 1, None),
                                               ((0, 3), 1, 1), ((2, 3, 4), (1, -1), (2, 0))])
def test_roll(shape, shifts, dims, rng):
    x = randn(shape, rng)
    check_forward(lambda t: hb.roll(t, shifts, dims), lambda a: np.roll(a, shifts, dims), [x],
                  rtol=0, atol=0, dtype=hb.float64)
    if x.size:
        check_backward(lambda t: t.roll(shifts, dims), [x])


def test_roll_noncontiguous_and_errors(rng):
    check_noncontiguous(lambda t: t.roll(1, 1), [randn((3, 4), rng)])
    x = hb.arange(6).reshape(2, 3)
    with pytest.raises(RuntimeError, match="shifts and dimensions must align. shifts: 2, dims:1"):
        hb.roll(x, (1, 2), 0)
    with pytest.raises(RuntimeError, match="`shifts` required"):
        hb.roll(x, (), ())
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        hb.roll(hb.tensor(5), 1, 0)


@pytest.mark.parametrize("shape,dims", [((2, 3), (0, 1)), ((2, 3), (1,)), ((2, 3, 4), (-1, 0)),
                                        ((5,), (0,)), ((), (0,)), ((0, 3), (0,)), ((2, 3), ())])
def test_flip(shape, dims, rng):
    x = randn(shape, rng)
    check_forward(lambda t: hb.flip(t, dims), lambda a: np.flip(a, dims) if a.ndim else a, [x],
                  rtol=0, atol=0, dtype=hb.float64)
    if x.size:
        check_backward(lambda t: t.flip(*dims) if dims else hb.flip(t, dims), [x])


def test_flip_copies_noncontiguous_and_errors(rng):
    x = hb.arange(6.0).reshape(2, 3)
    y = x.flip(0)
    y.fill_(0)
    assert x.sum().item() == 15
    assert hb.tensor([[1, 2], [3, 4]]).flip(0, 1).tolist() == [[4, 3], [2, 1]]
    assert hb.tensor([[1, 2], [3, 4]]).flip([1]).tolist() == [[2, 1], [4, 3]]
    check_noncontiguous(lambda t: t.flip(0, 1), [randn((3, 4), rng)])
    with pytest.raises(TypeError, match="must be tuple of ints, not int"):
        hb.flip(x, 0)
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        hb.flip(x, [0, 0])
    with pytest.raises(TypeError, match="missing 1 required positional"):
        x.flip()


def test_meshgrid(rng):
    a, b, c = randn((2,), rng), randn((3,), rng), randn((4,), rng)
    for indexing in ("ij", "xy"):
        got = hb.meshgrid(hb.tensor(a), hb.tensor(b), hb.tensor(c), indexing=indexing)
        for g, w in zip(got, np.meshgrid(a, b, c, indexing=indexing)):
            np.testing.assert_allclose(g.numpy(), w.astype(np.float32))
        check_backward(lambda x, y: hb.meshgrid([x, y], indexing=indexing)[0] * 2
                       + hb.meshgrid([x, y], indexing=indexing)[1], [a, b])
    with pytest.warns(UserWarning, match="it will be required to pass the indexing argument"):
        ij = hb.meshgrid(hb.tensor(a), hb.tensor(b))
    assert ij[0].shape == (2, 3)
    assert hb.meshgrid(hb.tensor(a), indexing="xy")[0].shape == (2,)
    assert hb.meshgrid(hb.ones(()), hb.ones(3), indexing="ij")[0].shape == (1, 3)


def test_meshgrid_errors():
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same dtype"):
        hb.meshgrid(hb.arange(2), hb.ones(3), indexing="ij")
    with pytest.raises(RuntimeError, match="indexing must be one of \"xy\" or \"ij\", but received: foo"):
        hb.meshgrid(hb.arange(2), hb.arange(3), indexing="foo")
    with pytest.raises(RuntimeError, match="meshgrid expects a non-empty TensorList"):
        hb.meshgrid(indexing="ij")
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        hb.meshgrid(hb.ones(2, 2), hb.ones(3, 3), indexing="ij")


def test_broadcast_tensors(rng):
    a, b, c = randn((2, 1), rng), randn((3,), rng), randn((), rng)
    got = hb.broadcast_tensors(hb.tensor(a), hb.tensor(b), hb.tensor(c))
    for g, w in zip(got, np.broadcast_arrays(a, b, c)):
        np.testing.assert_allclose(g.numpy(), w.astype(np.float32))
    check_backward(lambda x, y: hb.broadcast_tensors(x, y)[0] * hb.broadcast_tensors(x, y)[1], [a, b])
    assert hb.broadcast_tensors(hb.ones(2, 1), hb.ones(3, dtype=hb.int64))[1].dtype is hb.int64
    assert hb.broadcast_tensors() == ()
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(2\) must match the size of "
                                           r"tensor b \(3\) at non-singleton dimension 1"):
        hb.broadcast_tensors(hb.ones(2, 2), hb.ones(3))


def test_against_torch(rng):
    torch = pytest.importorskip("torch")
    x = randn((2, 3, 4), rng)
    pairs = [
        (hb.tensor(x).repeat(2, 1, 1, 3), torch.tensor(x).repeat(2, 1, 1, 3)),
        (hb.tensor(x).tile(2, 1), torch.tensor(x).tile(2, 1)),
        (hb.tensor(x).repeat_interleave(hb.tensor([1, 0, 2]), dim=1),
         torch.tensor(x).repeat_interleave(torch.tensor([1, 0, 2]), dim=1)),
        (hb.tensor(x).roll((1, -2), (0, 2)), torch.tensor(x).roll((1, -2), (0, 2))),
        (hb.tensor(x).roll(5), torch.tensor(x).roll(5)),
        (hb.tensor(x).flip(0, 2), torch.tensor(x).flip(0, 2)),
        (hb.meshgrid(hb.tensor(x[0, 0]), hb.tensor(x[0, 1]), indexing="xy")[1],
         torch.meshgrid(torch.tensor(x[0, 0]), torch.tensor(x[0, 1]), indexing="xy")[1]),
    ]
    for ours, theirs in pairs:
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
