"""hayabusa.utils.safetensors: state dicts to and from .safetensors files, and across to PyTorch."""
import subprocess
import sys

import numpy as np
import pytest

import hayabusa as hb
from hayabusa.utils import safetensors as hst

st = pytest.importorskip("safetensors")


def sample():
    rng = np.random.default_rng(0)
    out = {dt.name: hb.tensor(rng.standard_normal((3, 2)) * 5, dtype=dt)
           for dt in (hb.float16, hb.float32, hb.float64, hb.int8, hb.int16, hb.int32, hb.int64, hb.uint8)}
    out.update({"bool": hb.tensor([True, False]), "scalar": hb.tensor(1.5), "empty": hb.zeros(0, 3),
                "transposed": hb.arange(6.0).reshape(2, 3).t()})
    return out


def assert_same(a, b):
    assert sorted(a) == sorted(b)
    for k in a:
        assert a[k].dtype is b[k].dtype and a[k].shape == b[k].shape, k
        np.testing.assert_array_equal(a[k].numpy(), b[k].numpy())


def test_round_trip(tmp_path):
    tensors = sample()
    hst.save_file(tensors, tmp_path / "w.safetensors", metadata={"epoch": "3"})
    back = hst.load_file(tmp_path / "w.safetensors")
    assert_same(tensors, back)
    back["float32"].add_(1)            # loaded tensors own writable memory
    from safetensors import safe_open
    with safe_open(str(tmp_path / "w.safetensors"), framework="np") as f:
        assert f.metadata() == {"epoch": "3"}
    assert_same(hst.load(hst.save(tensors)), tensors)


def test_model_state_dict_round_trip(tmp_path):
    net = hb.nn.Sequential(hb.nn.Linear(4, 6), hb.nn.Tanh(), hb.nn.Linear(6, 2))
    hst.save_file(net.state_dict(), tmp_path / "net.safetensors")
    other = hb.nn.Sequential(hb.nn.Linear(4, 6), hb.nn.Tanh(), hb.nn.Linear(6, 2))
    other.load_state_dict(hst.load_file(tmp_path / "net.safetensors"))
    x = hb.randn(5, 4)
    np.testing.assert_array_equal(net(x).detach().numpy(), other(x).detach().numpy())


def test_bad_input(tmp_path):
    with pytest.raises(TypeError, match="expected a dict of str to Tensor, got list"):
        hst.save_file([hb.ones(1)], tmp_path / "x")
    with pytest.raises(TypeError, match="tensor names must be str, got int"):
        hst.save_file({0: hb.ones(1)}, tmp_path / "x")
    with pytest.raises(TypeError, match="'w' is a ndarray, not a Tensor"):
        hst.save_file({"w": np.ones(1)}, tmp_path / "x")
    (tmp_path / "junk").write_bytes(b"not a safetensors file")
    with pytest.raises(Exception):
        hst.load_file(tmp_path / "junk")


def test_importing_hayabusa_does_not_import_safetensors():
    code = "import sys, hayabusa, hayabusa.utils.safetensors; assert 'safetensors' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    with pytest.raises(ImportError, match="pip install 'hayabusa\\[safetensors\\]'"):
        hst.save({"w": hb.ones(1)})


def test_to_and_from_pytorch(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file as torch_load_file, save_file as torch_save_file
    tensors = sample()
    hst.save_file(tensors, tmp_path / "ours.safetensors")
    theirs = torch_load_file(str(tmp_path / "ours.safetensors"))
    for k, t in tensors.items():
        assert str(theirs[k].dtype) == "torch." + t.dtype.name
        np.testing.assert_array_equal(theirs[k].numpy(), t.numpy())
    # a PyTorch model's weights, written by torch, drive a hayabusa model to the same outputs
    torch.manual_seed(0)
    tnet = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
    torch_save_file(tnet.state_dict(), str(tmp_path / "torch.safetensors"))
    net = hb.nn.Sequential(hb.nn.Linear(4, 6), hb.nn.ReLU(), hb.nn.Linear(6, 3))
    net.load_state_dict(hst.load_file(tmp_path / "torch.safetensors"))
    x = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    np.testing.assert_allclose(net(hb.tensor(x)).detach().numpy(),
                               tnet(torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)
