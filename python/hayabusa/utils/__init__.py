"""hayabusa.utils: data loading, hook handles, state dicts to and from .safetensors files."""
from . import data, hooks, safetensors  # noqa: F401
