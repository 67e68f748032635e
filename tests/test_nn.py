"""nn.Module and layers: registration, traversal, modes, state_dict, repr, Linear's initialization."""
import math
from collections import OrderedDict

import numpy as np
import pytest

import hayabusa as hb
import hayabusa.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 2, bias=False)
        self.register_buffer("steps", hb.zeros(1))
        self.register_buffer("scratch", hb.zeros(2), persistent=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def test_registration_and_traversal():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight"]
    assert [n for n, _ in net.named_buffers()] == ["steps", "scratch"]
    assert [n for n, _ in net.named_children()] == ["fc1", "act", "fc2"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "fc2"]
    # a module's own parameters and buffers come before its children's, as PyTorch
    assert list(net.state_dict().keys()) == ["steps", "fc1.weight", "fc1.bias", "fc2.weight"]
    assert net.fc2.bias is None
    assert all(p.requires_grad and p.is_leaf for p in net.parameters())
    assert net.get_submodule("fc1") is net.fc1 and net.get_parameter("fc1.bias") is net.fc1.bias


def test_shared_parameters_are_listed_once():
    lin = nn.Linear(2, 2)
    seq = nn.Sequential(lin, lin)
    assert len(list(seq.parameters())) == 2


def test_train_eval_and_requires_grad():
    net = Net()
    assert net.training and net.fc1.training
    net.eval()
    assert not net.training and not net.fc1.training
    net.train()
    assert net.act.training
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())
    with pytest.raises(ValueError, match="training mode is expected to be boolean"):
        net.train("yes")


def test_forward_and_backward_through_a_module(rng):
    net = Net()
    x = hb.tensor(rng.standard_normal((5, 4)), dtype=hb.float32)
    out = net(x)
    assert out.shape == (5, 2)
    out.sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_linear_default_initialization_bounds():
    hb.manual_seed(0)
    lin = nn.Linear(100, 50)
    bound = 1 / math.sqrt(100)
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    assert w.shape == (50, 100) and b.shape == (50,)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.01


def test_state_dict_round_trip_and_errors():
    a, b = Net(), Net()
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (n, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    sd = a.state_dict()
    sd["fc1.weight"] = hb.zeros(3, 3)
    with pytest.raises(RuntimeError, match="size mismatch for fc1.weight"):
        b.load_state_dict(sd)
    sd = a.state_dict()
    del sd["fc1.bias"]
    sd["extra"] = hb.zeros(1)
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "fc1.bias"'):
        b.load_state_dict(sd)
    r = b.load_state_dict(sd, strict=False)
    assert r.missing_keys == ["fc1.bias"] and r.unexpected_keys == ["extra"]
    assert a.state_dict()["fc1.weight"].requires_grad is False


def test_state_dict_tensors_share_storage_with_parameters():
    net = Net()
    sd = net.state_dict()
    with hb.no_grad():
        net.fc1.weight.fill_(3.0)
    assert sd["fc1.weight"][0, 0].item() == 3.0


def test_repr_matches_pytorch():
    net = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=8, out_features=32, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Linear(in_features=32, out_features=3, bias=True)\n"
        ")")
    assert repr(Net()) == (
        "Net(\n"
        "  (fc1): Linear(in_features=4, out_features=8, bias=True)\n"
        "  (act): ReLU()\n"
        "  (fc2): Linear(in_features=8, out_features=2, bias=False)\n"
        ")")


def test_sequential_indexing_slicing_append():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Linear)
    assert len(seq[1:]) == 2 and isinstance(seq[1:], nn.Sequential)
    seq.append(nn.Sigmoid())
    assert len(seq) == 4 and isinstance(seq[3], nn.Sigmoid)
    od = nn.Sequential(OrderedDict([("lin", nn.Linear(2, 2)), ("act", nn.Tanh())]))
    assert isinstance(od.lin, nn.Linear)
    with pytest.raises(IndexError):
        seq[10]


def test_module_list_and_dict():
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(list(ml.parameters())) == 6 and len(ml) == 3
    md = nn.ModuleDict({"a": nn.Linear(1, 1)})
    md["b"] = nn.ReLU()
    assert list(md.keys()) == ["a", "b"] and "a" in md


def test_attribute_errors_and_assignment_rules():
    net = Net()
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        net.nope
    with pytest.raises(TypeError, match="cannot assign 'int' as parameter 'bias'"):
        net.fc1.bias = 3

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(hb.zeros(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()


def test_forward_hooks():
    lin = nn.Linear(2, 2)
    calls = []
    h = lin.register_forward_hook(lambda m, inp, out: calls.append(out.shape))
    lin.register_forward_pre_hook(lambda m, inp: (inp[0] * 0,))
    out = lin(hb.ones(3, 2))
    assert calls == [(3, 2)]
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(lin.bias.detach().numpy(), (3, 2)))
    h.remove()
    lin(hb.ones(1, 2))
    assert len(calls) == 1


def test_module_to_dtype():
    net = Net().to(hb.float64)
    assert all(p.dtype is hb.float64 for p in net.parameters())
    assert net(hb.ones(1, 4, dtype=hb.float64)).dtype is hb.float64
    assert all(isinstance(p, nn.Parameter) for p in net.parameters())
    assert net.to("cpu") is net


def test_parameter_repr_and_flags():
    p = nn.Parameter(hb.tensor([1.0, 2.0]))
    assert p.requires_grad and p.is_leaf
    assert repr(p).startswith("Parameter containing:\ntensor([1., 2.]")
    assert not nn.Parameter(hb.zeros(1), requires_grad=False).requires_grad
