"""Random sampling: the in-place fills (uniform_, normal_, random_, bernoulli_, exponential_),
multinomial and normal, all drawn from hayabusa's generators (manual_seed reproduces them).

A sample does not depend differentiably on anything: a fill applied to a tensor in a graph
gives it a node whose gradient is zero, and so does normal() for its mean and std, as PyTorch.
"""
from .. import _dtype
from .._random import default_generator
from .._tensor import Tensor, _TYPE_NAMES, _wrap
from ..autograd.function import Function


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


def uniform_(self, from_=0.0, to=1.0, *, generator=None):
    """Fills self with samples from the uniform distribution on [from_, to)."""
    _require_float(self, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={from_} > to={to}")
    values = _gen(generator).uniform(self.shape, self._data.dtype, from_, to)
    return _fill(self, values, "UniformBackward0")


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fills self with samples from the normal distribution N(mean, std**2)."""
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


def random_(self, from_=0, to=None, *, generator=None):
    """Fills self with integers drawn uniformly from [from_, to); ``random_(to)`` is [0, to),
    ``random_()`` every integer the dtype holds exactly, from 0."""
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


def bernoulli_(self, p=0.5, *, generator=None):
    """Fills self with 1 with probability p (a number or a tensor broadcast to self), else 0."""
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


def exponential_(self, lambd=1.0, *, generator=None):
    """Fills self with samples from the exponential distribution of rate lambd."""
    if not self.dtype.is_floating_point:
        raise RuntimeError(f"Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_TYPE_NAMES[self.dtype.name]}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    values = self._backend.random_exponential(_gen(generator), self.shape, self._data.dtype,
                                              lambd)
    return _fill(self, values, "ExponentialBackward0")


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """num_samples category indices per row of input (weights, not necessarily normalized),
    with or without replacement; int64, of shape (num_samples,) or (rows, num_samples)."""
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


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False, out=None):
    """Samples of N(mean, std**2): elementwise for tensor mean and/or std (broadcast together),
    or of the given size for number mean and std."""
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
