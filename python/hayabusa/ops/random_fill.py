"""Random sampling: the in-place fills (uniform_, normal_, random_, bernoulli_, exponential_),
multinomial and normal, all drawn from hayabusa's generators (manual_seed reproduces them).

A sample does not depend differentiably on anything: a fill applied to a tensor in a graph
gives it a node whose gradient is zero, and so does normal() for its mean and std, as PyTorch.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _dtype
from .._random import default_generator
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ..autograd.function import Function

if TYPE_CHECKING:
    from typing import Sequence

    from .._random import Generator
    from .._typing import DeviceLike, DTypeLike


class Sampled(Function):
    """Values drawn independently of the inputs: a zero gradient for each of them."""

    def forward(self, *inputs, values, name):
        self.shapes = [getattr(x, "shape", None) for x in inputs]
        self.torch_name = name
        return values

    def backward(self, grad):
        return tuple(self.be.zeros(s, grad.dtype) if need else None
                     for s, need in zip(self.shapes, self.needs_input_grad))


def _gen(generator):
    return (generator or default_generator)._impl


def _fill(self, values, name):
    """Write the drawn values into self in place (a zero-gradient node when recording)."""
    return self._inplace(lambda s: Sampled.apply(s, values=values, name=name))


def _require_float(self, kernel):
    if not self.dtype.is_floating_point:
        raise NotImplementedError(f"\"{kernel}\" not implemented for "
                                  f"'{_TYPE_NAMES[self.dtype.name]}'")


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *,
             generator: Generator | None = None) -> Tensor:
    """Fills this tensor with samples from the uniform distribution on ``[from_, to)``, in
    place; returns it.

    The samples come from hayabusa's generators (``manual_seed`` reproduces them; the values differ
    from PyTorch's). Floating dtypes only. In-place: the tensor's version counter is bumped, and a
    leaf that requires grad raises RuntimeError unless grad mode is off; in a graph the fill has a
    zero gradient.

    Args:
        from_ (float, optional): the lower bound. Default: ``0.0``.
        to (float, optional): the upper bound, at least ``from_``. Default: ``1.0``.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.

    Example::

        >>> x = torch.empty(1000).uniform_(-1, 1)
        >>> bool(x.min() >= -1), bool(x.max() < 1)
        (True, True)
    """
    _require_float(self, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_} > to={to}")
    values = _gen(generator).uniform(self.shape, self._data.dtype, from_, to)
    return _fill(self, values, "UniformBackward0")


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fills this tensor with samples from the normal distribution ``N(mean, std**2)``, in
    place; returns it.

    The samples come from hayabusa's generators (``manual_seed`` reproduces them; the values differ
    from PyTorch's). Floating dtypes only. In-place: the tensor's version counter is bumped, and a
    leaf that requires grad raises RuntimeError unless grad mode is off; in a graph the fill has a
    zero gradient.

    Args:
        mean (float, optional): the mean. Default: ``0.0``.
        std (float, optional): the standard deviation, at least 0. Default: ``1.0``.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.

    Example::

        >>> torch.empty(3).normal_(mean=2., std=0.)
        tensor([2., 2., 2.])
    """
    _require_float(self, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    values = _gen(generator).normal(self.shape, self._data.dtype, mean, std)
    return _fill(self, values, "NormalBackward0")


_C_TYPE_NAMES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short",
                 "int32": "int", "int64": "long", "bool": "bool"}


def _random_range(dt):
    """random_()'s default [0, high) for a dtype: every integer the dtype holds exactly."""
    if dt.is_floating_point:
        return 2 ** {"float16": 11, "float32": 24, "float64": 53}[dt.name] + 1
    if dt is _dtype.bool_:
        return 2
    import numpy as np
    # numpy draws below 2**63 at most: int64 gets [0, 2**63 - 1)
    return min(int(np.iinfo(dt.numpy).max) + 1, 2 ** 63 - 1)


def random_(self: Tensor, from_: int = 0, to: int | None = None, *,
            generator: Generator | None = None) -> Tensor:
    """Fills this tensor with integers drawn uniformly from ``[from_, to)``, in place; returns
    it.

    ``random_(to)`` draws from ``[0, to)``; ``random_()`` from 0 to the largest integer the
    dtype holds exactly (``2**24`` for float32, ``2**53`` for float64; int64 stops below
    ``2**63 - 1``). The bounds must fit the dtype. The values differ from PyTorch's for the same
    seed. In-place: the tensor's version counter is bumped, and a leaf that requires grad raises
    RuntimeError unless grad mode is off; in a graph the fill has a zero gradient.

    Args:
        from_ (int, optional): the lower bound (or the upper one, alone). Default: ``0``.
        to (int, optional): the upper bound, excluded. Default: ``None``.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.

    Example::

        >>> x = torch.empty(1000, dtype=torch.int64).random_(3, 6)
        >>> sorted(set(x.tolist()))
        [3, 4, 5]
    """
    if to is None and from_ != 0:
        from_, to = 0, from_
    if to is None:
        low, high = 0, _random_range(self.dtype)
    else:
        low, high = int(from_), int(to)
        if low >= high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        if not self.dtype.is_floating_point:
            import numpy as np
            info = np.iinfo(self.dtype.numpy) if self.dtype is not _dtype.bool_ else None
            lo, hi = (0, 1) if info is None else (int(info.min), int(info.max))
            if low < lo:
                raise RuntimeError(f"from is out of bounds for {_C_TYPE_NAMES[self.dtype.name]}")
            if high - 1 > hi:
                raise RuntimeError(f"to - 1 is out of bounds for {_C_TYPE_NAMES[self.dtype.name]}")
    values = _gen(generator).integers(low, high, self.shape, self._data.dtype)
    return _fill(self, values, "RandomBackward2")


def bernoulli_(self: Tensor, p: float | Tensor = 0.5, *,
               generator: Generator | None = None) -> Tensor:
    """Fills this tensor with 1 with probability ``p``, else 0, in place; returns it.

    The values differ from PyTorch's for the same seed. In-place: the tensor's version counter is
    bumped, and a leaf that requires grad raises RuntimeError unless grad mode is off; in a graph
    the fill has a zero gradient.

    Args:
        p (float or Tensor, optional): the probability, in [0, 1]; a tensor broadcasts to this
            tensor's shape (one probability per entry). Default: ``0.5``.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.

    Example::

        >>> torch.empty(4).bernoulli_(torch.tensor([0., 1., 0., 1.]))
        tensor([0., 1., 0., 1.])
    """
    if isinstance(p, Tensor):
        prob = p._data
        if prob.size and (prob.min() < 0 or prob.max() > 1):
            raise RuntimeError("bernoulli_ expects all elements of p to be in [0, 1]")
        from .shape import expand
        prob = expand(p.detach(), self.shape)._data
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        prob = p
    values = _gen(generator).bernoulli(prob, self.shape, self._data.dtype)
    return _fill(self, values, "BernoulliBackward2")


def exponential_(self: Tensor, lambd: float = 1.0, *,
                 generator: Generator | None = None) -> Tensor:
    """Fills this tensor with samples from the exponential distribution of rate ``lambd``
    (density ``lambd * exp(-lambd * x)``), in place; returns it.

    Floating dtypes only. The values differ from PyTorch's for the same seed. In-place: the tensor's
    version counter is bumped, and a leaf that requires grad raises RuntimeError unless grad mode is
    off; in a graph the fill has a zero gradient.

    Args:
        lambd (float, optional): the rate, above 0. Default: ``1.0``.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.

    Example::

        >>> x = torch.empty(1000).exponential_(2.)
        >>> bool(x.min() >= 0)
        True
    """
    if not self.dtype.is_floating_point:
        raise RuntimeError(f"Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_TYPE_NAMES[self.dtype.name]}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    values = self._backend.random_exponential(_gen(generator), self.shape, self._data.dtype,
                                              lambd)
    return _fill(self, values, "ExponentialBackward0")


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Tensor:
    """Draws ``num_samples`` category indices per row of ``input``, category ``i`` with
    probability proportional to ``input[..., i]``.

    The weights need not sum to 1; they must be finite, non-negative and not all zero. Without
    replacement a category is drawn at most once (so ``num_samples`` is at most the number of
    categories). The draws differ from PyTorch's for the same seed.

    Args:
        input (Tensor): the weights, floating, ``(C,)`` or ``(rows, C)``.
        num_samples (int): the number of draws per row.
        replacement (bool, optional): draw with replacement. Default: ``False``.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.

    Returns:
        Tensor: int64, ``(num_samples,)`` or ``(rows, num_samples)``.

    Example::

        >>> sorted(torch.multinomial(torch.tensor([0., 1., 0., 3.]), 2).tolist())
        [1, 3]
        >>> torch.multinomial(torch.tensor([[0., 1.], [1., 0.]]), 3, replacement=True)
        tensor([[1, 1, 1],
                [0, 0, 0]])
    """
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_TYPE_NAMES[input.dtype.name]}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n = input.shape[-1]
    if not replacement and num_samples > n:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    be = input._backend
    probs = input._data.reshape(-1, n)
    if probs.size:
        if not be.isfinite(probs).all() or (probs < 0).any():
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if (be.sum(probs, axis=1) <= 0).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    out = be.multinomial(_gen(generator), probs, int(num_samples), bool(replacement))
    return _wrap(out.reshape(input.shape[:-1] + (int(num_samples),)))


def normal(mean: float | Tensor, std: float | Tensor = 1.0, size: Sequence[int] | None = None, *,
           generator: Generator | None = None, dtype: DTypeLike | None = None,
           device: DeviceLike | None = None, requires_grad: bool = False,
           out: None = None) -> Tensor:
    """Samples of the normal distribution ``N(mean, std**2)``.

    With a tensor ``mean`` and/or ``std`` (broadcast together), one sample per entry, in their
    (promoted) dtype; the gradient with respect to them is zero, as PyTorch. With numbers for
    both, a tensor of the given ``size``. The values differ from PyTorch's for the same seed;
    ``out=`` raises NotImplementedError.

    Args:
        mean (float or Tensor): the mean(s).
        std (float or Tensor, optional): the standard deviation(s), at least 0. Default:
            ``1.0``.
        size (sequence of ints, optional): the shape, with number ``mean`` and ``std`` only.
        generator (Generator, optional, keyword-only): the generator to draw from. Default:
            ``None``, the global one.
        dtype (hayabusa.dtype, optional, keyword-only): with a ``size``, a floating dtype.
            Default: the default dtype.
        device (optional, keyword-only): only the CPU exists. Default: ``None``.
        requires_grad (bool, optional, keyword-only): with a ``size``, make a leaf that
            requires grad. Default: ``False``.

    Example::

        >>> torch.normal(torch.tensor([1., 10.]), torch.tensor([0., 0.]))
        tensor([ 1., 10.])
        >>> torch.normal(0., 1., size=(2, 3)).shape
        hayabusa.Size([2, 3])
    """
    from ._util import broadcast_shapes
    if out is not None:
        raise NotImplementedError("normal(out=...) is not supported")
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments: with a "
                            "number mean and std, a size is required")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        from .._factories import _finish, _float_dtype, _size
        values = _gen(generator).normal(_size((size,)), _float_dtype(dtype).numpy, mean, std)
        return _finish(values, requires_grad, device)
    if size is not None:
        raise TypeError("normal() received an invalid combination of arguments: size is only "
                        "taken with a number mean and std")
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    for t in tensors:
        if not t.dtype.is_floating_point:
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for "
                                      f"'{_TYPE_NAMES[t.dtype.name]}'")
    dt = tensors[0].dtype if len(tensors) == 1 else _dtype.promote_types(mean.dtype, std.dtype)
    shape = broadcast_shapes(mean.shape, std.shape) if len(tensors) == 2 else tensors[0].shape
    be = tensors[0]._backend
    std_values = std._data if std_t else std
    if std_t:
        if std_values.size and (std_values < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    noise = _gen(generator).normal(shape, dt.numpy)
    values = be.add(be.multiply(noise, be.asarray(std_values, dt.numpy)),
                    be.asarray(mean._data if mean_t else mean, dt.numpy)).astype(dt.numpy,
                                                                                 copy=False)
    name = "NormalBackward3" if len(tensors) == 2 else ("NormalBackward1" if mean_t else
                                                        "NormalBackward2")
    return Sampled.apply(*tensors, values=values, name=name)
