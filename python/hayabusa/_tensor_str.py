"""Tensor repr/str, character for character the same as PyTorch's.

The rules are those of torch/_tensor_str.py; users compare our output with
PyTorch's, so every quirk there (widths that ignore inf/nan and zeros, the
" ..." element, where suffixes wrap) is kept on purpose. Values arrive as a
numpy array; only the elements that will be shown are ever formatted.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

_FLOATING_DTYPES = frozenset({"float16", "bfloat16", "float32", "float64"})


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTS = _PrintOptions()

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Set print options like torch.set_printoptions.

    A profile ('default', 'short', 'full') is applied first and the other
    arguments override it. As in PyTorch, sci_mode is always assigned, so
    leaving it out resets it to None (automatic).
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"unknown print profile {profile!r}; expected one of {sorted(_PROFILES)}")
        for name, value in _PROFILES[profile].items():
            setattr(_OPTS, name, value)
    if precision is not None:
        _OPTS.precision = precision
    if threshold is not None:
        _OPTS.threshold = threshold
    if edgeitems is not None:
        _OPTS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTS.linewidth = linewidth
    _OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current options, as keyword arguments for set_printoptions."""
    return dataclasses.asdict(_OPTS)


class _Formatter:
    """One layout and one width shared by every element shown.

    Floats use int mode ("1.") when every nonzero finite value is a whole
    number, and scientific mode when magnitudes span more than 1000x or
    leave [1e-4, 1e8]. Only nonzero finite values decide the layout and the
    width, so inf, nan and zeros never widen a column.
    """

    def __init__(self, shown: np.ndarray, floating: bool):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = shown.reshape(-1)
        if not floating:
            self.width = max([self.width] + [len(str(v)) for v in flat.tolist()])
            return
        nonzero_finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if nonzero_finite.size == 0:
            # PyTorch stops here, so a forced sci_mode does not apply either.
            return
        magnitudes = np.abs(nonzero_finite)
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))
        if _OPTS.sci_mode is None:
            # A ratio past float64's range is simply inf, which counts as "over 1000".
            with np.errstate(over="ignore"):
                ratio = largest / smallest
            self.sci_mode = bool(ratio > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)
        else:
            self.sci_mode = bool(_OPTS.sci_mode)
        precision = _OPTS.precision
        values = nonzero_finite.tolist()
        if self.sci_mode:
            lengths = [len(f"{v:.{precision}e}") for v in values]
        elif self.int_mode:
            lengths = [len(f"{v:.0f}") + 1 for v in values]  # + 1 for the trailing "."
        else:
            lengths = [len(f"{v:.{precision}f}") for v in values]
        self.width = max(self.width, max(lengths))

    def format(self, value) -> str:
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:.{_OPTS.precision}e}"
        elif self.int_mode:
            # The "." marks a float; inf and nan already read as floats.
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{_OPTS.precision}f}"
        return text.rjust(self.width)


def _shown_elements(array: np.ndarray, edgeitems: int):
    """Keep the first and last `edgeitems` entries of every long axis.

    Returns the small array and, per axis, whether its middle was cut. This
    selects exactly the elements PyTorch shows, before any formatting, so a
    huge tensor costs no more than a small one.
    """
    cut = []
    for axis, size in enumerate(array.shape):
        if size > 2 * edgeitems:
            keep = np.r_[0:edgeitems, size - edgeitems : size]
            array = array.take(keep, axis=axis)
            cut.append(True)
        else:
            cut.append(False)
    return array, cut


def _nested_str(shown: np.ndarray, cut: list, indent: int, formatter: _Formatter) -> str:
    edgeitems = _OPTS.edgeitems
    if shown.ndim == 1:
        items = [formatter.format(v) for v in shown.tolist()]
        if cut[0]:
            items.insert(edgeitems, " ...")
        # Each item takes its width plus ", ".
        per_line = max(1, math.floor((_OPTS.linewidth - indent) / (formatter.width + 2)))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = [_nested_str(row, cut[1:], indent + 1, formatter) for row in shown]
    if cut[0]:
        rows.insert(edgeitems, "...")
    # Deeper blocks are set apart by more blank lines: one per extra dimension.
    separator = "," + "\n" * (shown.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _contents_str(array: np.ndarray, floating: bool, indent: int) -> str:
    summarize = array.size > _OPTS.threshold
    if array.ndim == 0:
        return _Formatter(array, floating).format(array.item())
    if summarize and not _OPTS.edgeitems:
        return "[...]"
    if summarize:
        shown, cut = _shown_elements(array, _OPTS.edgeitems)
    else:
        shown, cut = array, [False] * array.ndim
    return _nested_str(shown, cut, indent, _Formatter(shown, floating))


def _add_suffixes(text: str, suffixes: list, indent: int) -> str:
    """Append ", suffix" items, wrapping onto a new line past linewidth."""
    parts = [text]
    # PyTorch's count runs two past the last line's length; kept for identical wrapping.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        # Wrap where PyTorch would: it measures "torch.", which is shorter than "hayabusa.".
        length = len(suffix.replace("hayabusa.", "torch."))
        if last_line_len + length + 2 > _OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + length
        else:
            parts.append(", " + suffix)
            last_line_len += length + 2
    parts.append(")")
    return "".join(parts)


def format_tensor(
    array: np.ndarray,
    dtype_name: str,
    *,
    default_dtype_name: str = "float32",
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
    device: str | None = None,
) -> str:
    """The repr PyTorch gives a tensor holding `array`, with `hayabusa.` for `torch.`.

    `dtype_name` is the tensor's dtype ("float32", "int64", ...), which may
    differ from array.dtype (bfloat16 values held as float32). `array` is
    only read.
    """
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if device is not None and str(device).split(":")[0] != "cpu":
        suffixes.append(f"device='{device}'")
    shape = tuple(array.shape)
    if array.size == 0:
        # (0,) is the only empty shape NumPy and PyTorch leave unstated.
        if array.ndim != 1:
            suffixes.append(f"size={shape}")
        # With no elements to read, even int64 and bool must be named.
        if dtype_name != default_dtype_name:
            suffixes.append(f"dtype=hayabusa.{dtype_name}")
        contents = "[]"
    else:
        # Without edge items the contents say nothing about the shape.
        if not _OPTS.edgeitems:
            suffixes.append(f"size={shape}")
        # int64 and bool are recognisable from the printed values.
        if dtype_name not in (default_dtype_name, "int64", "bool"):
            suffixes.append(f"dtype=hayabusa.{dtype_name}")
        contents = _contents_str(array, dtype_name in _FLOATING_DTYPES, indent)
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + contents, suffixes, indent)
