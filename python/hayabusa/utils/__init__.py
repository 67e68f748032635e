"""hayabusa.utils: data loading; state dicts to and from .safetensors files."""
from . import data, safetensors  # noqa: F401
