"""The autograd engine's rules, as PyTorch's: accumulation, retain_graph, no_grad, versions."""
import gc
import weakref

import numpy as np
import pytest

import hayabusa as hb
from hayabusa.autograd import gradcheck


def leaf(*shape, dtype=hb.float64):
    return hb.tensor(np.random.default_rng(1).standard_normal(shape), dtype=dtype, requires_grad=True)


def test_leaf_accumulates_across_backward_calls():
    x = leaf(3)
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full(3, 5.0))


def test_non_leaf_has_no_grad_unless_retained():
    x = leaf(3)
    y = x * 2
    z = x * 3
    z.retain_grad()
    (y.sum() + z.sum()).backward()
    assert y.grad is None and y.retains_grad is False
    np.testing.assert_allclose(z.grad.numpy(), np.ones(3))
    assert z.retains_grad


def test_shared_subexpression_gradients_add_up():
    x = leaf(4)
    y = x * x
    (y + y * 2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * x.detach().numpy())


def test_backward_on_non_scalar_needs_gradient():
    x = leaf(3)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    y = x * 2
    y.backward(hb.tensor([1.0, 2.0, 3.0], dtype=hb.float64))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0, 6.0])


def test_gradient_shape_must_match():
    x = leaf(3)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        (x * 2).backward(hb.ones(4, dtype=hb.float64))


def test_second_backward_raises_unless_retain_graph():
    x = leaf(3)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 4 * x.detach().numpy())
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        hb.ones(2).sum().backward()


def test_no_grad_and_enable_grad_and_decorators():
    x = leaf(2)
    with hb.no_grad():
        y = x * 2
        assert not y.requires_grad and y.grad_fn is None
        with hb.enable_grad():
            assert (x * 2).requires_grad
    assert (x * 2).requires_grad

    @hb.no_grad()
    def f(t):
        return t * 2

    assert not f(x).requires_grad
    with hb.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert hb.is_grad_enabled()
    hb.set_grad_enabled(False)
    assert not hb.is_grad_enabled()
    hb.set_grad_enabled(True)


def test_requires_grad_propagation_and_leaf_flags():
    x = leaf(2)
    c = hb.ones(2, dtype=hb.float64)
    y = x + c
    assert y.requires_grad and not y.is_leaf and y.grad_fn is not None
    assert c.is_leaf and not (c * 2).requires_grad
    assert x.is_leaf and x.grad_fn is None
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf"):
        y.requires_grad = False
    with pytest.raises(RuntimeError, match="floating point"):
        hb.tensor([1, 2]).requires_grad_()
    assert y.grad_fn.name() == "AddBackward0"


def test_inplace_on_leaf_requiring_grad_raises():
    x = leaf(2)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.add_(1)
    with hb.no_grad():
        x.add_(1)  # allowed: this is how optimizers update


def test_modifying_a_saved_tensor_in_place_is_caught():
    x = leaf(3)
    y = x * 1
    z = y * y  # saves y
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_modifying_an_unsaved_input_in_place_is_fine():
    x = leaf(3)
    y = x * 1
    z = y + 2  # add saves nothing
    y.mul_(5)
    z.sum().backward()
    # y's new graph does not matter for z: z's gradient to x is 1
    np.testing.assert_allclose(x.grad.numpy(), np.ones(3))


def test_saved_output_modified_in_place_is_caught():
    x = leaf(3)
    y = x.exp()  # saves its output
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_inplace_arithmetic_records_a_graph():
    x = leaf(3)
    y = x * 2
    y += x
    y *= x
    y.sum().backward()
    xv = x.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), 6 * xv)


def test_inplace_on_leaf_under_no_grad_bumps_version():
    x = leaf(3)
    y = x * x
    with hb.no_grad():
        x.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_views_share_the_version_counter():
    x = leaf(2, 3)
    base = x * 1
    v = base[0]
    w = base.view(6)
    z = (base * base).sum()
    v.mul_(2)
    assert base._version is v._version is w._version
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward()


def test_setitem_with_gradients():
    x = leaf(4)
    v = leaf(2)
    y = x * 1
    y[1:3] = v * 3
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1, 0, 0, 1])
    np.testing.assert_allclose(v.grad.numpy(), [3, 3])


def test_detach_shares_data_and_stops_gradients():
    x = leaf(3)
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(d.numpy(), x.detach().numpy())
    (x * d).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), x.detach().numpy())


def test_autograd_grad_returns_without_touching_grad():
    x = leaf(3)
    y = (x * x).sum()
    (g,) = hb.autograd.grad(y, x)
    np.testing.assert_allclose(g.numpy(), 2 * x.detach().numpy())
    assert x.grad is None


def test_autograd_grad_on_intermediate_and_unused():
    x = leaf(3)
    h = x * 2
    u = leaf(2)
    y = (h * h).sum()
    gh, gu = hb.autograd.grad(y, (h, u), allow_unused=True, retain_graph=True)
    np.testing.assert_allclose(gh.numpy(), 2 * h.detach().numpy())
    assert gu is None
    with pytest.raises(RuntimeError, match="not have been used in the graph"):
        hb.autograd.grad(y, (u,))


def test_create_graph_is_not_supported():
    x = leaf(2)
    with pytest.raises(NotImplementedError, match="higher-order"):
        hb.autograd.grad((x * x).sum(), x, create_graph=True)


def test_hooks_see_and_replace_gradients():
    x = leaf(3)
    seen = []
    y = x * 2
    y.register_hook(lambda g: seen.append(g.numpy().copy()))
    x.register_hook(lambda g: g * 10)
    y.sum().backward()
    np.testing.assert_allclose(seen[0], np.ones(3))
    np.testing.assert_allclose(x.grad.numpy(), np.full(3, 20.0))


def test_a_leaf_used_twice_gets_one_summed_gradient_and_one_hook_call():
    # the engine sums the gradients that meet at a leaf before accumulating, as PyTorch
    x = leaf(3)
    calls = []
    x.register_hook(lambda g: calls.append(g.numpy().copy()))
    (x * 2 + x * 3).sum().backward()
    assert len(calls) == 1
    np.testing.assert_allclose(calls[0], np.full(3, 5.0))
    np.testing.assert_allclose(x.grad.numpy(), np.full(3, 5.0))


def test_backward_from_a_hook_through_the_same_graph_raises_and_leaves_it_usable():
    x = leaf(3)
    y = x * 2
    loss = (y * y).sum()

    def reenter(g):
        loss.backward(retain_graph=True)
    handle = y.register_hook(reenter)
    with pytest.raises(RuntimeError, match="another backward is running through"):
        loss.backward(retain_graph=True)
    handle.remove()
    loss.backward()   # the failed run released the nodes it held
    np.testing.assert_allclose(x.grad.numpy(), 8 * x.detach().numpy())


def test_backward_from_a_hook_through_another_graph_works():
    x, w = leaf(3), leaf(3)
    inner = []

    def other(g):
        (w * 3).sum().backward()
        inner.append(w.grad.numpy().copy())
    y = x * 2
    y.register_hook(other)
    y.sum().backward()
    np.testing.assert_allclose(inner[0], np.full(3, 3.0))
    np.testing.assert_allclose(x.grad.numpy(), np.full(3, 2.0))


def test_graph_is_freed_after_backward():
    x = leaf(3)
    y = (x * 2).exp()
    node = weakref.ref(y.grad_fn)
    y.sum().backward()
    del y
    gc.collect()
    assert node() is None


def test_no_reference_cycles_in_a_step():
    x = leaf(8)
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            loss = ((x * 2).exp() * x).sum()
            loss.backward()
            del loss
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_deep_graph_does_not_recurse():
    x = leaf(1)
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0])


def test_gradcheck_detects_a_wrong_gradient():
    class Wrong(hb.autograd.Function):
        def forward(self, x):
            return x * x

        def backward(self, grad):
            return grad * 3.0  # should be 2x

    x = leaf(3)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        gradcheck(lambda t: Wrong.apply(t), (x,))
    assert gradcheck(lambda t: Wrong.apply(t), (x,), raise_exception=False) is False
    assert gradcheck(lambda t: t * t, (x,))


def test_backward_function_returning_wrong_count_is_reported():
    class TwoGrads(hb.autograd.Function):
        def forward(self, x):
            return x * 1

        def backward(self, grad):
            return grad, grad

    x = leaf(2)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        TwoGrads.apply(x).sum().backward()


def test_assigned_grad_is_validated():
    x = leaf(3)
    x.grad = hb.ones(3, dtype=hb.float64)
    with pytest.raises(RuntimeError, match="assigned grad has data of a different size"):
        x.grad = hb.ones(4, dtype=hb.float64)
    with pytest.raises(RuntimeError, match="assigned grad has data of a different type"):
        x.grad = hb.ones(3)
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None"):
        x.grad = [1, 2, 3]
    x.grad = None
    assert x.grad is None


def test_leaf_grads_never_alias_each_other_or_the_graph():
    """The engine lets a leaf keep a gradient array without copying it only when
    nothing else can reach that array: two leaves fed the same array, or a
    retained or hooked gradient, must still end up with independent storage."""
    a = hb.randn(4, requires_grad=True)
    b = hb.randn(4, requires_grad=True)
    c = a + b  # AddBackward hands one array to both leaves
    c.retain_grad()
    kept = []
    b.register_hook(lambda g: kept.append(g) or None)
    c.sum().backward()
    arrays = [a.grad.numpy(), b.grad.numpy(), c.grad.numpy(), kept[0].numpy()]
    for i in range(len(arrays)):
        for j in range(i + 1, len(arrays)):
            assert not np.shares_memory(arrays[i], arrays[j])
    a.grad.add_(1.0)
    np.testing.assert_array_equal(b.grad.numpy(), np.ones(4, np.float32))
    np.testing.assert_array_equal(c.grad.numpy(), np.ones(4, np.float32))


def test_leaf_grad_from_a_fused_kernel_is_kept_and_correct():
    lin = hb.nn.Linear(3, 2)
    x = hb.randn(5, 3)
    lin(x).sum().backward()
    np.testing.assert_allclose(lin.weight.grad.numpy(), np.tile(x.numpy().sum(0), (2, 1)), rtol=1e-5)
    np.testing.assert_allclose(lin.bias.grad.numpy(), np.full(2, 5.0), rtol=1e-6)
    assert lin.weight.grad.numpy().flags.c_contiguous and lin.weight.grad.numpy().flags.writeable


def test_register_hook_returns_a_handle_that_removes_it():
    x = hb.ones(3, requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: seen.append(1))
    (x * 2).sum().backward()
    handle.remove()
    (x * 2).sum().backward()
    assert seen == [1]
    y = x * 3
    h = y.register_hook(lambda g: g * 10)
    h.remove()
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(3, 7.0, np.float32))


def test_node_names_outlive_backward():
    x = hb.randn(3, requires_grad=True)
    y = hb.relu(x)
    y.sum().backward()
    assert y.grad_fn.name() == "ReluBackward0"


def test_deepcopy_of_leaves_and_models():
    import copy
    model = hb.nn.Sequential(hb.nn.Linear(3, 2), hb.nn.ReLU(), hb.nn.Linear(2, 1))
    model(hb.randn(4, 3)).sum().backward()
    twin = copy.deepcopy(model)
    for (name, p), (_, q) in zip(model.named_parameters(), twin.named_parameters()):
        assert type(q) is type(p) and q.requires_grad
        np.testing.assert_array_equal(q.detach().numpy(), p.detach().numpy())
        np.testing.assert_array_equal(q.grad.numpy(), p.grad.numpy())
        assert not np.shares_memory(q.detach().numpy(), p.detach().numpy())
    with hb.no_grad():
        twin[0].weight.fill_(0.0)
    assert model[0].weight.abs().sum().item() > 0
    t = hb.tensor([1.0, 2.0])
    assert copy.deepcopy(t).tolist() == [1.0, 2.0] and not copy.deepcopy(t).requires_grad
    with pytest.raises(RuntimeError, match="graph leaves"):
        copy.deepcopy(hb.ones(2, requires_grad=True) * 2)


def test_detect_anomaly_names_the_node_that_made_nan():
    x = hb.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        mode = hb.autograd.detect_anomaly()
    with mode:
        assert hb.is_anomaly_enabled()
        y = (x / x).sum()
        with pytest.warns(UserWarning, match=r"Error detected in DivBackward0(.|\n)*test_autograd"):
            with pytest.raises(RuntimeError,
                               match=r"Function 'DivBackward0' returned nan values in its 1th output"):
                y.backward()
    assert not hb.is_anomaly_enabled()
    (x / x).sum().backward()  # outside the mode the NaN just flows into .grad
    assert np.isnan(x.grad.numpy()).any()


def test_set_detect_anomaly_and_check_nan_off():
    x = hb.tensor([0.0, 1.0], requires_grad=True)
    with hb.autograd.set_detect_anomaly(True, check_nan=False):
        assert hb.is_anomaly_enabled() and not hb.is_anomaly_check_nan_enabled()
        (x / x).sum().backward()
    assert not hb.is_anomaly_enabled() and hb.is_anomaly_check_nan_enabled()
    hb.autograd.set_detect_anomaly(True)
    try:
        with pytest.raises(RuntimeError, match="returned nan"):
            hb.sqrt(x - 1).sum().backward()
    finally:
        hb.autograd.set_detect_anomaly(False)


def test_gradcheck_can_be_called_twice_through_the_package():
    # the function must not be shadowed by the module that implements it
    x = hb.randn(3, dtype=hb.float64, requires_grad=True)
    assert hb.autograd.gradcheck(lambda a: (a * a).sum(), (x,))
    assert hb.autograd.gradcheck(lambda a: (a * a).sum(), (x,))
