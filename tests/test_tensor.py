"""Tensor basics: factories, dtypes and their inference, devices, conversions, errors."""
import numpy as np
import pytest

import hayabusa as hb


def test_dtype_names_print_like_torch():
    assert str(hb.float32) == "hayabusa.float32"
    assert repr(hb.int64) == "hayabusa.int64"
    assert hb.long is hb.int64 and hb.float is hb.float32 and hb.double is hb.float64
    assert hb.bool.name == "bool"


@pytest.mark.parametrize("data, dtype", [
    (1, hb.int64), (1.5, hb.float32), (True, hb.bool), ([1, 2], hb.int64),
    ([1.0, 2], hb.float32), ([[True, False]], hb.bool),
    (np.zeros(2), hb.float64), (np.zeros(2, np.float32), hb.float32),
    (np.zeros(2, np.int32), hb.int32), (np.float64(2.0), hb.float64),
])
def test_tensor_infers_dtype_like_pytorch(data, dtype):
    assert hb.tensor(data).dtype is dtype


def test_factories_shapes_and_dtypes():
    assert hb.zeros(2, 3).shape == (2, 3) and hb.zeros(2, 3).dtype is hb.float32
    assert hb.zeros((2, 3)).shape == hb.Size([2, 3])
    assert repr(hb.zeros(2, 3).shape) == "hayabusa.Size([2, 3])"
    assert hb.ones(0).numel() == 0
    assert hb.full((2,), 7).dtype is hb.int64
    assert hb.full((2,), 7.0).dtype is hb.float32
    assert hb.eye(3).numpy().trace() == 3
    assert hb.arange(5).tolist() == [0, 1, 2, 3, 4] and hb.arange(5).dtype is hb.int64
    assert hb.arange(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75]
    assert len(hb.arange(1.9, 2.1, 0.005)) == 41  # ceil((2.1 - 1.9) / 0.005) in double, as PyTorch
    np.testing.assert_allclose(hb.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1])
    x = hb.ones(2, 3, dtype=hb.float64)
    assert hb.zeros_like(x).dtype is hb.float64 and hb.ones_like(x).shape == (2, 3)
    assert hb.full_like(x, 3).numpy().sum() == 18
    assert hb.empty(4).shape == (4,)


def test_factory_errors():
    with pytest.raises(RuntimeError, match="negative dimension"):
        hb.zeros(-1)
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        hb.arange(0, 1, 0)
    with pytest.raises(TypeError):
        hb.from_numpy([1, 2])
    with pytest.raises(TypeError, match="can't convert np.ndarray of type"):
        hb.from_numpy(np.zeros(2, np.complex64))


def test_from_numpy_shares_memory_and_tensor_copies():
    a = np.zeros(3, np.float32)
    shared = hb.from_numpy(a)
    copied = hb.tensor(a)
    a[0] = 5
    assert shared[0].item() == 5 and copied[0].item() == 0
    assert hb.as_tensor(a).numpy() is a


def test_random_is_reproducible_with_manual_seed():
    hb.manual_seed(123)
    a, b = hb.rand(3), hb.randn(2, 2)
    hb.manual_seed(123)
    assert hb.rand(3).tolist() == a.tolist() and hb.randn(2, 2).tolist() == b.tolist()
    r = hb.randint(0, 10, (1000,))
    assert r.dtype is hb.int64 and 0 <= r.min().item() and r.max().item() < 10
    assert sorted(hb.randperm(7).tolist()) == list(range(7))
    g = hb.Generator().manual_seed(5)
    assert hb.rand(4, generator=g).tolist() == hb.rand(4, generator=hb.Generator().manual_seed(5)).tolist()
    u = hb.rand(10000)
    assert 0 <= u.min().item() and u.max().item() < 1 and abs(u.mean().item() - 0.5) < 0.02


def test_device_and_cuda_absent():
    assert str(hb.device("cpu")) == "cpu" and str(hb.device("cuda:0")) == "cuda:0"
    assert hb.device("cuda", 1).index == 1
    assert hb.zeros(2).device == hb.device("cpu")
    assert hb.cuda.is_available() is False and hb.cuda.device_count() == 0
    x = hb.ones(2)
    assert x.to("cpu") is x and x.cpu() is x
    with pytest.raises(RuntimeError, match="CUDA"):
        x.to("cuda")
    with pytest.raises(RuntimeError, match="CUDA"):
        hb.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        hb.device("tpu")


def test_to_dtype_and_conversions():
    x = hb.tensor([1.5, -2.0])
    assert x.to(hb.float64).dtype is hb.float64
    assert x.double().dtype is hb.float64 and x.long().tolist() == [1, -2]
    assert x.to("cpu", hb.int32).dtype is hb.int32
    assert x.to(hb.float32) is x
    assert x.bool().tolist() == [True, True]
    assert x.type() == "torch.FloatTensor"


def test_item_tolist_scalars_and_errors():
    assert hb.tensor(3).item() == 3 and isinstance(hb.tensor(3).item(), int)
    assert isinstance(hb.tensor(2.5).item(), float)
    assert float(hb.tensor([2.5])) == 2.5 and int(hb.tensor(7)) == 7
    assert bool(hb.tensor([1])) is True
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        hb.tensor([1, 2]).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(hb.tensor([1, 2]))
    assert hb.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert len(hb.zeros(4, 2)) == 4
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(hb.tensor(1.0))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(hb.tensor(1.0))
    assert [r.tolist() for r in hb.tensor([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]


def test_numpy_interop():
    x = hb.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="Use tensor.detach\\(\\).numpy\\(\\)"):
        x.numpy()
    assert np.asarray(x.detach()).tolist() == [1.0, 2.0]
    y = np.float32(2.0) * hb.ones(2)
    assert isinstance(y, hb.Tensor) and y.tolist() == [2.0, 2.0]
    z = np.ones(2, np.float32) + hb.ones(2)
    assert isinstance(z, hb.Tensor)


def test_type_promotion_follows_pytorch():
    f32, i64 = hb.ones(2), hb.ones(2, dtype=hb.int64)
    assert (f32 + i64).dtype is hb.float32
    assert (i64 * 2.5).dtype is hb.float32
    assert (i64 / i64).dtype is hb.float32
    assert (i64 + 1).dtype is hb.int64
    assert (f32 + hb.tensor(1.0, dtype=hb.float64)).dtype is hb.float32  # 0-d does not promote
    assert (f32 + hb.ones(2, dtype=hb.float64)).dtype is hb.float64
    assert (hb.ones(2, dtype=hb.int32) + hb.tensor(5)).dtype is hb.int32
    assert (hb.tensor([True]) + hb.tensor([True])).dtype is hb.bool
    assert (f32 > 0).dtype is hb.bool
    assert hb.promote_types(hb.int64, hb.float16) is hb.float16


def test_default_dtype():
    hb.set_default_dtype(hb.float64)
    assert hb.tensor([1.0]).dtype is hb.float64 and hb.zeros(1).dtype is hb.float64
    hb.set_default_dtype(hb.float32)
    with pytest.raises(TypeError):
        hb.set_default_dtype(hb.int64)


def test_strides_contiguity_and_misc():
    x = hb.zeros(2, 3)
    assert x.stride() == (3, 1) and x.is_contiguous()
    assert not x.t().is_contiguous() and x.t().contiguous().is_contiguous()
    assert x.dim() == 2 == x.ndim and x.size(1) == 3 and x.size(-1) == 3 and x.numel() == 6
    assert x.element_size() == 4 and hb.is_tensor(x) and not hb.is_tensor(1)


def test_inplace_ops_keep_dtype_and_check_shape():
    x = hb.zeros(3)
    x += hb.ones(3, dtype=hb.float64)
    assert x.dtype is hb.float32 and x.tolist() == [1, 1, 1]
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        x += hb.ones(2, 3)
    i = hb.zeros(3, dtype=hb.int64)
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i += 1.5
    x.fill_(2).zero_()
    assert x.tolist() == [0, 0, 0]
    x.copy_(hb.tensor([1.0, 2.0, 3.0]))
    assert x.tolist() == [1, 2, 3]
    x.copy_(hb.tensor(5.0))
    assert x.tolist() == [5, 5, 5]
