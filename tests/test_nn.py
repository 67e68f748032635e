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


# --------------------------------------------------------------- registration rules
def test_registration_errors_match_pytorch():
    lin = nn.Linear(2, 2)

    def key_error(fn, message):
        with pytest.raises(KeyError) as err:
            fn()
        assert err.value.args[0] == message

    key_error(lambda: lin.register_buffer("a.b", hb.zeros(1)), 'buffer name can\'t contain "."')
    key_error(lambda: lin.register_buffer("", hb.zeros(1)), 'buffer name can\'t be empty string ""')
    key_error(lambda: lin.register_buffer("weight", hb.zeros(1)), "attribute 'weight' already exists")
    with pytest.raises(TypeError, match="cannot assign 'int' object to buffer 'x' \\(torch Tensor or None required\\)"):
        lin.register_buffer("x", 3)
    with pytest.raises(TypeError, match="buffer name should be a string. Got int"):
        lin.register_buffer(1, hb.zeros(1))
    with pytest.raises(TypeError, match="cannot assign 'torch.FloatTensor' object to parameter 'w2'"):
        lin.register_parameter("w2", hb.zeros(1))
    key_error(lambda: lin.register_parameter("", None), 'parameter name can\'t be empty string ""')
    with pytest.raises(TypeError, match="cannot assign 'torch.FloatTensor' object to parameter 'w'"):
        lin.register_parameter("w", nn.Parameter(hb.zeros(1)) * 2)
    key_error(lambda: lin.add_module("sub.x", nn.ReLU()), 'module name can\'t contain ".", got: sub.x')
    key_error(lambda: lin.add_module("weight", nn.ReLU()), "attribute 'weight' already exists")
    with pytest.raises(TypeError, match="module name should be a string. Got int"):
        lin.add_module(3, nn.ReLU())
    with pytest.raises(TypeError, match="int is not a Module subclass"):
        lin.add_module("m", 3)
    with pytest.raises(TypeError, match="cannot assign 'torch.FloatTensor' as parameter 'weight'"):
        lin.weight = hb.zeros(2, 2)
    lin.register_buffer("b", hb.zeros(1))
    with pytest.raises(TypeError, match="cannot assign 'int' as buffer 'b'"):
        lin.b = 3
    holder = nn.Module()
    holder.child = nn.Linear(1, 1)
    with pytest.raises(TypeError, match="cannot assign 'int' as child module 'child'"):
        holder.child = 5
    with pytest.raises(NotImplementedError, match='Module \\[Module\\] is missing the required "forward" function'):
        holder(hb.zeros(1))


def test_buffers_persistent_and_not():
    lin = nn.Linear(2, 2)
    lin.register_buffer("running", hb.zeros(2))
    lin.register_buffer("scratch", hb.ones(2), persistent=False)
    lin.register_buffer("empty", None)
    assert list(lin.state_dict()) == ["weight", "bias", "running"]
    assert [n for n, _ in lin.named_buffers()] == ["running", "scratch"]
    assert lin.get_buffer("scratch") is lin.scratch and len(list(lin.buffers())) == 2
    # assigning a tensor to a buffer's name keeps it a (non-persistent) buffer
    lin.scratch = hb.zeros(3)
    assert lin._buffers["scratch"].shape == (3,) and "scratch" not in lin.state_dict()
    lin.double()
    assert lin.running.dtype is hb.float64 and lin.scratch.dtype is hb.float64
    del lin.running
    assert "running" not in lin.state_dict() and not hasattr(lin, "running")


def test_reassignment_keeps_registration_order():
    lin = nn.Linear(2, 2)
    lin.weight = nn.Parameter(hb.zeros(2, 2))
    assert list(lin.state_dict()) == ["weight", "bias"]
    seq = nn.Sequential(nn.Linear(1, 1), nn.ReLU())
    seq[0] = nn.Tanh()
    seq[-1] = nn.Sigmoid()
    assert repr(seq) == "Sequential(\n  (0): Tanh()\n  (1): Sigmoid()\n)"
    holder = nn.Module()
    holder.x = nn.Linear(1, 1)
    holder.x = nn.Parameter(hb.zeros(1))
    assert list(dict(holder.named_parameters())) == ["x"] and not list(holder.children())
    holder.weight = None
    holder.register_parameter("p", None)
    assert holder.p is None and list(holder.state_dict()) == ["x"]


def test_get_submodule_parameter_buffer_errors():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    assert seq.get_submodule("") is seq
    with pytest.raises(AttributeError, match="Sequential has no attribute `3`"):
        seq.get_submodule("3")
    with pytest.raises(AttributeError, match="`weight` is not an nn.Module"):
        seq.get_submodule("0.weight")
    with pytest.raises(AttributeError, match="Linear has no attribute `nope`"):
        seq.get_parameter("0.nope")
    with pytest.raises(AttributeError, match="ReLU has no attribute `weight`"):
        seq.get_parameter("1.weight")
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        seq.get_buffer("0.weight")


# ------------------------------------------------------------------ traversal
def test_traversal_prefixes_and_duplicates():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert [n for n, _ in seq.named_modules()] == ["", "0", "1"]
    assert [n for n, _ in seq.named_modules(remove_duplicate=False)] == ["", "0", "1", "2"]
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias"]
    assert [n for n, _ in seq.named_parameters(remove_duplicate=False)] == [
        "0.weight", "0.bias", "2.weight", "2.bias"]
    assert [n for n, _ in seq.named_children()] == ["0", "1"]
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    nested = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU(), nn.Linear(2, 1)))
    assert [n for n, _ in nested.named_modules(prefix="net")] == ["net", "net.0", "net.1", "net.1.0", "net.1.1"]
    assert [n for n, _ in nested.named_parameters(prefix="p")][:2] == ["p.0.weight", "p.0.bias"]
    assert list(nested.named_parameters(recurse=False)) == []
    memo = {id(nested[1])}
    assert [n for n, _ in nested.named_modules(memo=memo)] == ["", "0"]


def test_apply_visits_children_first():
    seq = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    names = []
    assert seq.apply(lambda m: names.append(type(m).__name__)) is seq
    assert names == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_train_recurses_through_each_childs_train():
    class Frozen(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.Dropout()

        def train(self, mode=True):
            super().train(mode)
            self.inner.eval()
            return self

    net = nn.Sequential(Frozen(), nn.Dropout())
    assert net.train() is net
    assert net.training and net[0].training and not net[0].inner.training and net[1].training
    net.eval()
    assert not any(m.training for m in net.modules())


def test_zero_grad_set_to_none_false():
    lin = nn.Linear(2, 2)
    lin(hb.ones(1, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    assert lin.weight.grad.tolist() == [[0.0, 0.0], [0.0, 0.0]] and not lin.weight.grad.requires_grad
    lin.zero_grad()
    assert lin.weight.grad is None


def test_dtype_conversions_keep_parameters():
    lin = nn.Linear(2, 2)
    lin.register_buffer("steps", hb.zeros(2, dtype=hb.int64))
    weight = lin.weight
    lin(hb.ones(1, 2)).sum().backward()
    lin.double()
    assert lin.weight is weight and weight.dtype is hb.float64 and weight.grad.dtype is hb.float64
    assert lin.steps.dtype is hb.int64
    lin.half()
    assert lin.weight.dtype is hb.float16
    lin.float()
    assert lin.to(device="cpu", dtype=hb.float64).weight.dtype is hb.float64
    assert lin.to("cpu", hb.float32).weight.dtype is hb.float32 and weight.requires_grad
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point or complex dtypes"):
        lin.to(hb.int64)


# ------------------------------------------------------------------ state dicts
class WithBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)
        self.register_buffer("running", hb.zeros(2))
        self.register_buffer("tmp", hb.ones(2), persistent=False)


def test_load_state_dict_buffers_and_strictness():
    src, dst = WithBuffers(), WithBuffers()
    sd = src.state_dict()
    assert list(sd) == ["running", "lin.weight", "lin.bias"]
    sd["running"] = hb.tensor([3.0, 4.0])
    assert repr(dst.load_state_dict(sd)) == "<All keys matched successfully>"
    assert dst.running.tolist() == [3.0, 4.0] and dst.tmp.tolist() == [1.0, 1.0]
    extra = dict(sd, **{"lin.extra": hb.zeros(1), "other.x": hb.zeros(1)})
    del extra["lin.bias"]
    result = dst.load_state_dict(extra, strict=False)
    # recorded from PyTorch 2.13
    assert repr(result) == ("_IncompatibleKeys(missing_keys=['lin.bias'], "
                            "unexpected_keys=['other.x', 'lin.extra'])")
    assert result.missing_keys == ["lin.bias"]
    with pytest.raises(RuntimeError) as err:
        dst.load_state_dict(extra)
    assert str(err.value) == (
        "Error(s) in loading state_dict for WithBuffers:\n\t"
        'Missing key(s) in state_dict: "lin.bias". \n\t'
        'Unexpected key(s) in state_dict: "other.x", "lin.extra". ')


def test_load_state_dict_values_shapes_and_types():
    lin = nn.Linear(2, 2)
    lin.load_state_dict({"weight": hb.ones(2, 2, dtype=hb.float64), "bias": hb.zeros(2)})
    assert lin.weight.dtype is hb.float32 and lin.weight.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    with pytest.raises(RuntimeError, match="size mismatch for weight: copying a param with shape"):
        lin.load_state_dict({"weight": hb.zeros(2, 3), "bias": hb.zeros(2)}, strict=False)
    with pytest.raises(RuntimeError, match='While copying the parameter named "weight", expected torch.Tensor'):
        lin.load_state_dict({"weight": [1, 2], "bias": hb.zeros(2)})
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
        lin.load_state_dict([1, 2])
    no_bias = nn.Linear(2, 2, bias=False)
    with pytest.raises(RuntimeError, match='Unexpected key\\(s\\) in state_dict: "bias"'):
        no_bias.load_state_dict({"weight": hb.zeros(2, 2), "bias": hb.zeros(2)})
    # a 0-d parameter loads a one-element vector, as PyTorch
    scalar = nn.Module()
    scalar.s = nn.Parameter(hb.tensor(1.0))
    scalar.load_state_dict({"s": hb.tensor([3.0])})
    assert scalar.s.item() == 3.0


def test_load_state_dict_assign():
    lin = nn.Linear(2, 2)
    weight = lin.weight
    lin.load_state_dict({"weight": hb.ones(2, 2, dtype=hb.float64), "bias": hb.zeros(2)}, assign=True)
    assert lin.weight is not weight and lin.weight.dtype is hb.float64
    assert isinstance(lin.weight, nn.Parameter) and lin.weight.requires_grad


def test_load_from_state_dict_can_be_overridden():
    class Versioned(nn.Linear):
        def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                                  unexpected_keys, error_msgs):
            state_dict.setdefault(prefix + "bias", hb.full((2,), 7.0))
            super()._load_from_state_dict(state_dict, prefix, local_metadata, strict,
                                          missing_keys, unexpected_keys, error_msgs)

    net = nn.Sequential(Versioned(2, 2))
    net.load_state_dict({"0.weight": hb.zeros(2, 2)})
    assert net[0].bias.tolist() == [7.0, 7.0]


# ------------------------------------------------------------------ hooks
def test_hook_order_prepend_and_handles():
    lin = nn.Linear(2, 2)
    calls = []
    lin.register_forward_hook(lambda m, a, out: calls.append("second"))
    lin.register_forward_hook(lambda m, a, out: calls.append("first"), prepend=True)
    lin.register_forward_pre_hook(lambda m, a: calls.append("pre2"))
    handle = lin.register_forward_pre_hook(lambda m, a: calls.append("pre1"), prepend=True)
    lin(hb.zeros(1, 2))
    assert calls == ["pre1", "pre2", "first", "second"]
    handle.remove()
    handle.remove()
    assert len(lin._forward_pre_hooks) == 1
    with lin.register_forward_hook(lambda m, a, out: out * 0):
        assert lin(hb.ones(1, 2)).tolist() == [[0.0, 0.0]]
    assert lin(hb.ones(1, 2)).abs().sum().item() > 0


def test_hooks_with_kwargs():
    class Scale(nn.Module):
        def forward(self, x, scale=1.0):
            return x * scale

    m = Scale()
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"scale": 3.0}), with_kwargs=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: out + kwargs["scale"], with_kwargs=True)
    assert m(hb.ones(2), scale=2.0).tolist() == [6.0, 6.0]
    bad = nn.Linear(2, 2)
    bad.register_forward_pre_hook(lambda mod, args, kwargs: 5, with_kwargs=True)
    with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple of \\(new_args, new_kwargs\\), but got 5"):
        bad(hb.zeros(1, 2))


def test_always_call_hooks_run_when_forward_raises():
    class Failing(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Failing()
    calls = []
    m.register_forward_hook(lambda mod, a, out: calls.append(("always", out)), always_call=True)
    m.register_forward_hook(lambda mod, a, out: calls.append("normal"))
    with pytest.raises(ValueError, match="boom"):
        m(1)
    assert calls == [("always", None)]


# ------------------------------------------------------------------ containers
def test_sequential_api():
    seq = nn.Sequential(nn.Linear(1, 1), nn.ReLU(), nn.Tanh(), nn.Sigmoid())
    del seq[1:3]
    assert repr(seq) == "Sequential(\n  (0): Linear(in_features=1, out_features=1, bias=True)\n  (1): Sigmoid()\n)"
    assert isinstance(seq.pop(1), nn.Sigmoid) and len(seq) == 1
    seq.insert(-1, nn.Tanh())
    seq.insert(2, nn.ELU())
    assert [type(m).__name__ for m in seq] == ["Tanh", "Linear", "ELU"]
    with pytest.raises(IndexError, match="Index out of range: 5"):
        seq.insert(5, nn.ReLU())
    with pytest.raises(TypeError, match="'str' object cannot be interpreted as an integer"):
        seq["a"]
    doubled = seq * 2
    assert len(doubled) == 6 and doubled[3] is seq[0] and len(2 * seq) == 6
    combined = seq + nn.Sequential(nn.ReLU())
    assert len(combined) == 4 and len(seq) == 3
    seq += nn.Sequential(nn.Sigmoid())
    assert len(seq) == 4
    with pytest.raises(ValueError, match="add operator supports only objects of Sequential class"):
        seq + [nn.ReLU()]
    named = nn.Sequential(OrderedDict([("a", nn.ReLU()), ("b", nn.Tanh())]))
    assert repr(named[1:]) == "Sequential(\n  (b): Tanh()\n)"
    assert seq.extend([nn.ReLU()]) is seq and len(seq) == 5


def test_module_list_api_and_repr():
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Linear(2, 3)])
    # recorded from PyTorch 2.13: runs of identical modules print once
    assert repr(ml) == (
        "ModuleList(\n"
        "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (3-4): 2 x ReLU()\n"
        "  (5): Linear(in_features=2, out_features=3, bias=True)\n"
        ")")
    assert repr(nn.ModuleList()) == "ModuleList()"
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    ml.insert(1, nn.Sigmoid())
    ml += [nn.ELU()]
    assert [type(m).__name__ for m in ml] == ["ReLU", "Sigmoid", "Tanh", "ELU"]
    assert isinstance(ml.pop(0), nn.ReLU) and [n for n, _ in ml.named_children()] == ["0", "1", "2"]
    del ml[::2]
    assert [type(m).__name__ for m in ml] == ["Tanh"]
    assert len(ml + nn.ModuleList([nn.ReLU()])) == 2
    ml[-1] = nn.ReLU()
    assert isinstance(ml[0], nn.ReLU)
    with pytest.raises(IndexError, match="index 3 is out of range"):
        ml[3]
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable, but got int"):
        ml.extend(5)


def test_module_dict_api():
    md = nn.ModuleDict([("b", nn.ReLU()), ("a", nn.Tanh())])
    md.update(nn.ModuleDict({"c": nn.ELU()}))
    assert list(md) == ["b", "a", "c"] and isinstance(md.pop("b"), nn.ReLU) and len(md) == 2
    assert [k for k, _ in md.items()] == ["a", "c"] and "a" in md
    md.clear()
    assert len(md) == 0
    with pytest.raises(ValueError, match="ModuleDict update sequence element #0 has length 3; 2 is required"):
        md.update([("a", nn.ReLU(), 3)])
    with pytest.raises(KeyError):
        md["x"]


def test_parameter_list_and_dict():
    pl = nn.ParameterList([nn.Parameter(hb.zeros(2, 3)), hb.zeros(1, dtype=hb.float64)])
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in pl)
    assert [n for n, _ in pl.named_parameters()] == ["0", "1"]
    # recorded from PyTorch 2.13 (the dtype as hayabusa names it)
    assert repr(pl) == ("ParameterList(\n"
                        "    (0): Parameter containing: [hayabusa.float32 of size 2x3]\n"
                        "    (1): Parameter containing: [hayabusa.float64 of size 1]\n)")
    pl.append(hb.zeros(4))
    pl[0] = hb.ones(5)
    assert [p.shape[0] for p in pl] == [5, 1, 4] and len(pl[1:]) == 2
    with pytest.raises(IndexError, match="index 3 is out of range"):
        pl[3]
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable, but got Tensor"):
        pl.extend(hb.zeros(2))
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        pl(1)
    pd = nn.ParameterDict({"b": nn.Parameter(hb.zeros(2)), "a": hb.ones(3)})
    # a plain dict's keys are sorted, as PyTorch
    assert list(pd.keys()) == ["a", "b"] and [n for n, _ in pd.named_parameters()] == ["a", "b"]
    assert repr(pd) == ("ParameterDict(\n"
                        "    (a): Parameter containing: [torch.FloatTensor of size 3]\n"
                        "    (b): Parameter containing: [torch.FloatTensor of size 2]\n)")
    pd["c"] = hb.zeros(1, 2)
    assert pd.pop("c").shape == (1, 2) and "c" not in pd
    assert list(pd | nn.ParameterDict({"z": hb.zeros(1)})) == ["a", "b", "z"]
    assert pd.get("nope", 3) == 3 and pd.setdefault("d", hb.zeros(1)).shape == (1,)


def test_containers_train_with_their_owner():
    class Tabular(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(2)])
            self.heads = nn.ModuleDict({"y": nn.Linear(4, 1)})
            self.scales = nn.ParameterList([hb.ones(4)])

        def forward(self, x):
            for block in self.blocks:
                x = hb.relu(block(x)) * self.scales[0]
            return self.heads["y"](x)

    model = Tabular()
    assert len(list(model.parameters())) == 7
    out = model(hb.ones(3, 4))
    out.sum().backward()
    assert all(p.grad is not None for p in model.parameters())


# ------------------------------------------------------------------ simple layers
def test_identity_flatten_unflatten():
    x = hb.zeros(2, 3, 4, 5)
    assert nn.Identity(3, k=2)(x) is x
    assert nn.Flatten()(x).shape == (2, 60) and nn.Flatten(0)(x).shape == (120,)
    assert nn.Flatten(1, 2)(x).shape == (2, 12, 5)
    assert nn.Unflatten(1, (2, 3))(hb.zeros(4, 6)).shape == (4, 2, 3)
    assert nn.Unflatten(-1, (2, -1))(hb.zeros(4, 6)).shape == (4, 2, 3)
    with pytest.raises(RuntimeError, match="unflatten: Provided sizes \\[2, 4\\] don't multiply up to the size of dim 1 \\(6\\)"):
        nn.Unflatten(1, (2, 4))(hb.zeros(4, 6))
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    assert repr(nn.Unflatten(1, (2, 3))) == "Unflatten(dim=1, unflattened_size=(2, 3))"


def test_linear_shapes_dtypes_and_errors():
    lin = nn.Linear(3, 4)
    assert lin(hb.ones(3)).shape == (4,) and lin(hb.ones(2, 5, 3)).shape == (2, 5, 4)
    assert lin(hb.ones(0, 3)).shape == (0, 4)
    assert nn.Linear(3, 4, dtype=hb.float64)(hb.ones(2, 3, dtype=hb.float64)).dtype is hb.float64
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied \\(2x5 and 3x4\\)"):
        lin(hb.ones(2, 5))


def test_dropout_module_inverted_scaling_and_eval():
    hb.manual_seed(0)
    drop = nn.Dropout(0.25)
    x = hb.ones(20000)
    y = drop(x).numpy()
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)} and abs((y != 0).mean() - 0.75) < 0.01
    drop.eval()
    assert drop(x) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        nn.Dropout(-0.1)


def test_nested_repr_with_extra_repr():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 2)

        def extra_repr(self):
            return "hello\nworld"

    class Leaf(nn.Module):
        def extra_repr(self):
            return "x=1"

    # recorded from PyTorch 2.13
    assert repr(Block()) == ("Block(\n  hello\n  world\n"
                             "  (lin): Linear(in_features=2, out_features=2, bias=True)\n)")
    assert repr(Leaf()) == "Leaf(x=1)" and repr(nn.Module()) == "Module()"
    net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Dropout(0.2)),
                        nn.ModuleDict({"out": nn.Softmax(dim=1)}))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): Sequential(\n"
        "    (0): ReLU()\n"
        "    (1): Dropout(p=0.2, inplace=False)\n"
        "  )\n"
        "  (2): ModuleDict(\n"
        "    (out): Softmax(dim=1)\n"
        "  )\n"
        ")")


def test_module_behaviour_matches_torch():
    torch = pytest.importorskip("torch")

    def build(lib):
        model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(),
                                  lib.nn.ModuleList([lib.nn.Linear(4, 4), lib.nn.Linear(4, 4)]),
                                  lib.nn.Dropout(0.1))
        model.register_buffer("count", lib.zeros(1))
        model.register_buffer("tmp", lib.zeros(1), persistent=False)
        return model

    ours, theirs = build(hb), build(torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for fn in (lambda m: [n for n, _ in m.named_modules()], lambda m: [n for n, _ in m.named_buffers()],
               lambda m: [n for n, _ in m.named_parameters(prefix="x")],
               lambda m: [n for n, _ in m.named_children()]):
        assert fn(ours) == fn(theirs)
    sd = {k: hb.tensor(v.numpy()) for k, v in theirs.state_dict().items()}
    ours.load_state_dict(sd)
    x = np.random.default_rng(0).standard_normal((2, 3))
    ours.eval()
    theirs.eval()
    a = ours[0](hb.tensor(x, dtype=hb.float32))
    b = theirs[0](torch.tensor(x, dtype=torch.float32))
    # float32 sums of three products in another order: an entry near zero may differ
    # by a few ulps of the products, not of itself
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-6, atol=1e-6)
