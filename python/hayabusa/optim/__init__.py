"""hayabusa.optim: optimizers whose step updates every parameter of a group in one C call."""
from .adam import Adam, AdamW  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .sgd import SGD  # noqa: F401
