"""The backward engine: topological order, gradient accumulation, graph release.

Like micrograd's ``backward``: count each node's consumers, seed the roots,
and walk the graph in reverse, summing the gradients that meet at a node and
handing each node's inputs their share. Leaves accumulate into ``.grad``.
"""
from .._tensor import _wrap
from .function import AccumulateGrad, _edge


def _dependencies(roots):
    """How many edges lead into each node reachable from the roots."""
    deps = {}
    stack = list(roots)
    seen = set(map(id, roots))
    while stack:
        node = stack.pop()
        if isinstance(node, AccumulateGrad):
            continue
        for nxt in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if id(nxt) not in seen:
                seen.add(id(nxt))
                stack.append(nxt)
    return deps


def _apply_hooks(hooks, grad):
    for hook in hooks:
        result = hook(_wrap(grad))
        if result is not None:
            grad = result._data
    return grad


def _accumulate_into_leaf(acc, grad):
    leaf = acc.variable
    if grad.shape != leaf.shape:
        raise RuntimeError(
            f"gradient of shape {list(grad.shape)} does not match the shape {list(leaf.shape)} "
            "of the leaf it flows into")
    if leaf._grad is None:
        # a copy: backward functions may hand the same array to several inputs
        leaf._grad = _wrap(grad.astype(leaf._data.dtype, copy=True))
    else:
        leaf._grad._data += grad
        leaf._grad._version[0] += 1


def run_backward(roots, root_grads, retain_graph=False, capture=None):
    """Propagate root_grads (arrays) from the root tensors to the leaves.

    With ``capture`` (a dict mapping nodes to None), the gradient arriving at
    each of those nodes is stored there instead of being accumulated into any
    leaf: this is ``autograd.grad``.
    """
    buffers = {}
    root_nodes = []
    for t, g in zip(roots, root_grads):
        node = _edge(t)
        root_nodes.append(node)
        buffers[node] = buffers[node] + g if node in buffers else g
    deps = _dependencies(root_nodes)
    ready = [n for n in dict.fromkeys(root_nodes) if deps.get(n, 0) == 0]
    while ready:
        node = ready.pop()
        grad = buffers.pop(node, None)
        if isinstance(node, AccumulateGrad):
            if grad is not None:
                if node._hooks:
                    grad = _apply_hooks(node._hooks, grad)
                if capture is not None:
                    if node in capture:
                        capture[node] = grad
                else:
                    _accumulate_into_leaf(node, grad)
            continue
        in_grads = ()
        if grad is not None:
            node._check_saved()
            if node._hooks:
                grad = _apply_hooks(node._hooks, grad)
            if capture is not None and node in capture:
                capture[node] = grad
            retained = node._retained() if node._retained is not None else None
            if retained is not None and capture is None:
                if retained._grad is None:
                    retained._grad = _wrap(grad.astype(retained._data.dtype, copy=True))
                else:
                    retained._grad._data += grad
            in_grads = node.backward(grad)
            if type(in_grads) is not tuple:
                in_grads = (in_grads,)
            if len(in_grads) != len(node.next_functions):
                raise RuntimeError(
                    f"function {node.name()} returned an incorrect number of gradients "
                    f"(expected {len(node.next_functions)}, got {len(in_grads)})")
            if not retain_graph:
                node._release()
        for i, nxt in enumerate(node.next_functions):
            if nxt is None:
                continue
            g = in_grads[i] if in_grads else None
            if g is not None:
                buffers[nxt] = buffers[nxt] + g if nxt in buffers else g
            deps[nxt] -= 1
            if deps[nxt] == 0:
                ready.append(nxt)
