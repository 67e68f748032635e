"""Type aliases for the public API's annotations, as torch.types has them.

Only type checkers import this module (``if TYPE_CHECKING:``): every annotating module has
``from __future__ import annotations``, so annotations are strings that never run.
"""
from __future__ import annotations

from typing import Sequence, Union

import numpy as np

from ._device import device
from ._dtype import dtype
from ._tensor import Tensor

Number = Union[int, float, bool]
#: a tensor or a Python number, as the elementwise ops take their operands
TensorOrNumber = Union[Tensor, int, float, bool]
#: a shape: one int, or a sequence of ints
ShapeLike = Union[int, Sequence[int]]
#: one dim or several
DimsLike = Union[int, Sequence[int]]
#: what ``dtype=`` accepts: a hayabusa dtype, a numpy dtype (or its name), or float/int/bool
DTypeLike = Union[dtype, np.dtype, type, str]
#: what ``device=`` accepts: a device, a string such as "cpu", or a CUDA index
DeviceLike = Union[device, str, int]
