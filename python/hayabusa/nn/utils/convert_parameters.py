"""Parameters to and from one flat vector, as torch.nn.utils.convert_parameters."""
from ..._tensor import Tensor
from ...ops.shape import cat


def parameters_to_vector(parameters):
    """The parameters flattened and concatenated (differentiable)."""
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Point each parameter's data at its slice of vec (they then share memory, as PyTorch)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec[pointer:pointer + n].view_as(param).data
        pointer += n
