"""hayabusa.utils: data loading, hook handles."""
from . import data  # noqa: F401
from . import hooks  # noqa: F401
