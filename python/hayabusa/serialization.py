"""hayabusa.save / hayabusa.load: checkpoints that load without running code.

A checkpoint holds one object made of dicts (str, int, float, bool or None keys), lists, tuples,
tensors (any dtype, with requires_grad and whether it was an nn.Parameter), ints, floats, bools,
strings and None: model and optimizer state dicts, scheduler state, epoch counters, metrics.

The file is not a pickle. It is

    8 bytes   magic b"\\x89HBCKPT\\n"
    4 bytes   format version (uint32, little-endian)
    8 bytes   header length H (uint64, little-endian)
    4 bytes   CRC-32 of the header
    H bytes   header: UTF-8 JSON with the object (tensors replaced by references), each tensor's
              dtype, shape and byte range, and the data section's length and CRC-32
    data      the tensors' elements, little-endian, each starting at a multiple of 64 bytes

and load() checks every part of it (magic, version, lengths, CRCs, dtypes, shapes, byte ranges,
the object's structure) before building anything, raising CheckpointError (a RuntimeError) on a
truncated, corrupt or foreign file. Nothing in the file is ever executed.

save() to a path is atomic: it writes a temporary file in the same directory, flushes and fsyncs
it, renames it over the target and fsyncs the directory, so a crash or an error mid-save leaves
the previous file as it was (and at worst a stray ``.<name>.*.tmp`` file). Saving to an open
binary file object writes in place, without that guarantee.
"""
from __future__ import annotations

import json
import os
import struct
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from . import _dtype
from ._tensor import Tensor

if TYPE_CHECKING:
    from typing import Any, BinaryIO, Callable

__all__ = ["save", "load", "CheckpointError"]

MAGIC = b"\x89HBCKPT\n"
VERSION = 1
_PREFIX = struct.Struct("<8sIQI")    # magic, version, header length, header CRC-32
_ALIGN = 64
_SCALARS = (str, int, float, bool, type(None))


class CheckpointError(RuntimeError):
    """A file that is not a complete, intact hayabusa checkpoint (raised by :func:`load`)."""


# ------------------------------------------------------------------ writing
class _Encoder:
    """Turns the object into JSON-ready data, collecting its tensors' arrays."""

    def __init__(self):
        self.arrays, self.tensors, self._active = [], [], set()
        self.data_bytes = 0

    def encode(self, obj, where="obj"):
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, (int, float)):
            return obj if type(obj) in (int, float) else (int(obj) if isinstance(obj, int) else float(obj))
        if isinstance(obj, (np.integer, np.floating, np.bool_)):
            return obj.item()
        if isinstance(obj, Tensor):
            return {"$tensor": self._add_tensor(obj)}
        if isinstance(obj, (dict, list, tuple)):
            if id(obj) in self._active:
                raise ValueError(f"hayabusa.save: {where} contains itself")
            self._active.add(id(obj))
            try:
                if isinstance(obj, dict):
                    tag = "$odict" if isinstance(obj, OrderedDict) else "$dict"
                    return {tag: [[self._key(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in obj.items()]}
                items = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]
                return items if isinstance(obj, list) else {"$tuple": items}
            finally:
                self._active.discard(id(obj))
        hint = "; save its state_dict() instead" if hasattr(obj, "state_dict") else ""
        raise TypeError(f"hayabusa.save: cannot save {where} of type {type(obj).__module__}.{type(obj).__qualname__} "
                        "(a checkpoint holds dicts, lists, tuples, tensors, ints, floats, bools, strings and "
                        f"None){hint}")

    def _key(self, key, where):
        if not isinstance(key, _SCALARS) and not isinstance(key, (np.integer, np.floating, np.bool_)):
            raise TypeError(f"hayabusa.save: the keys of {where} must be str, int, float, bool or None, "
                            f"got {type(key).__name__}")
        return self.encode(key, where)

    def _add_tensor(self, t):
        array = t.detach().cpu().numpy()
        # astype copies (to C order) only when the layout or the byte order must change
        little = array.astype(array.dtype.newbyteorder("<"), order="C", copy=False)
        offset = -self.data_bytes % _ALIGN + self.data_bytes
        self.tensors.append({"dtype": t.dtype.name, "shape": list(array.shape), "offset": offset,
                             "nbytes": little.nbytes, "requires_grad": bool(t.requires_grad),
                             "parameter": _is_parameter(t)})
        self.arrays.append((offset, little))
        self.data_bytes = offset + little.nbytes
        return len(self.tensors) - 1


def _is_parameter(t):
    from .nn.parameter import Parameter
    return isinstance(t, Parameter)


def _chunks(arrays, data_bytes):
    """The data section, piece by piece: zero padding, then each array's bytes."""
    at = 0
    for offset, array in arrays:
        if offset > at:
            yield bytes(offset - at)
        yield array.reshape(-1).view(np.uint8)
        at = offset + array.nbytes
    if data_bytes > at:
        yield bytes(data_bytes - at)


def _write(obj, f):
    encoder = _Encoder()
    encoded = encoder.encode(obj)
    crc = 0
    for chunk in _chunks(encoder.arrays, encoder.data_bytes):
        crc = zlib.crc32(chunk, crc)
    header = json.dumps({"object": encoded, "tensors": encoder.tensors, "data_bytes": encoder.data_bytes,
                         "data_crc32": crc}, separators=(",", ":"), allow_nan=True).encode("utf-8")
    f.write(_PREFIX.pack(MAGIC, VERSION, len(header), zlib.crc32(header)))
    f.write(header)
    for chunk in _chunks(encoder.arrays, encoder.data_bytes):
        f.write(chunk)


def save(obj: Any, f: str | os.PathLike | BinaryIO) -> None:
    """Saves ``obj`` (a state dict, a checkpoint dict, ...) to ``f``, as ``torch.save`` is used.

    ``obj`` may nest dicts (with str, int, float, bool or None keys), lists and tuples of
    tensors (any dtype, keeping ``requires_grad`` and whether they are Parameters), ints,
    floats, bools, strings and None: model and optimizer state dicts, scheduler state, epoch
    counters, metrics. Other objects raise TypeError (save a module's ``state_dict()``, not
    the module).

    The file is hayabusa's own format, not a pickle (see :mod:`hayabusa.serialization`): it
    loads without running code, and :func:`load` checks every part of it. Saving to a path is
    atomic (a temporary file, fsynced, renamed over the target): a crash never leaves a
    partial file. Tensors that share memory are saved as separate copies. To exchange weights
    with PyTorch, use :func:`hayabusa.utils.safetensors.save_file`.

    Args:
        obj: the object.
        f (str, os.PathLike or binary file): a path, or a file object opened for writing.

    Example::

        >>> import io
        >>> model = nn.Linear(2, 1)
        >>> buffer = io.BytesIO()
        >>> torch.save({"model": model.state_dict(), "epoch": 3}, buffer)
        >>> _ = buffer.seek(0)
        >>> checkpoint = torch.load(buffer)
        >>> checkpoint["epoch"], list(checkpoint["model"])
        (3, ['weight', 'bias'])
    """
    if hasattr(f, "write"):
        _write(obj, f)
    else:
        atomic_write(f, lambda out: _write(obj, out))


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], Any]) -> None:
    """Calls write(file) on a new temporary file next to path, makes it durable and renames it over
    path: readers see the old file or the new one, never a part of it."""
    path = os.path.realpath(os.fspath(path))
    directory = os.path.dirname(path)
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(directory)


def _fsync_directory(directory):
    """Makes the rename itself durable (POSIX; Windows cannot open a directory)."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------ reading
def _foreign(data, name):
    if data[:4] == b"PK\x03\x04":
        what = "a zip archive (torch.save writes these)"
    elif data[:1] == b"\x80":
        what = "a pickle"
    else:
        what = "not in hayabusa's checkpoint format"
    return CheckpointError(f"{name} is not a hayabusa checkpoint: it is {what}. hayabusa.load never "
                           "unpickles (that could run code); to move weights from PyTorch, save them with "
                           "safetensors and read them with hayabusa.utils.safetensors.load_file")


def _parse(data, name):
    """The header of a checkpoint held in `data` (bytes), all of it checked."""
    if not data:
        raise CheckpointError(f"{name} is empty")
    if len(data) < _PREFIX.size:
        if MAGIC.startswith(data[:len(MAGIC)]):
            raise CheckpointError(f"{name} is truncated: {len(data)} bytes, less than the {_PREFIX.size}-byte prefix")
        raise _foreign(data, name)
    magic, version, header_len, header_crc = _PREFIX.unpack_from(data)
    if magic != MAGIC:
        raise _foreign(data, name)
    if version != VERSION:
        raise CheckpointError(f"{name} is a hayabusa checkpoint of format version {version}; this hayabusa "
                              f"reads version {VERSION}")
    header_end = _PREFIX.size + header_len
    if header_end > len(data):
        raise CheckpointError(f"{name} is truncated: its header needs {header_end} bytes, the file has {len(data)}")
    header_bytes = data[_PREFIX.size:header_end]
    if zlib.crc32(header_bytes) != header_crc:
        raise CheckpointError(f"{name} is corrupt: the header's checksum does not match")
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CheckpointError(f"{name} is corrupt: its header is not valid JSON ({e})") from None
    if not (isinstance(header, dict) and {"object", "tensors", "data_bytes", "data_crc32"} <= header.keys()
            and isinstance(header["tensors"], list) and _is_count(header["data_bytes"])
            and _is_count(header["data_crc32"])):
        raise CheckpointError(f"{name} is corrupt: its header lacks the object, tensors or data fields")
    total = header_end + header["data_bytes"]
    if len(data) < total:
        raise CheckpointError(f"{name} is truncated: {len(data)} bytes of the {total} it should have")
    if len(data) > total:
        raise CheckpointError(f"{name} is corrupt: {len(data) - total} bytes follow the end of the checkpoint")
    if zlib.crc32(memoryview(data)[header_end:]) != header["data_crc32"]:
        raise CheckpointError(f"{name} is corrupt: the tensor data's checksum does not match")
    for i, spec in enumerate(header["tensors"]):
        _check_tensor_spec(spec, header["data_bytes"], f"{name} is corrupt: tensor {i}")
    return header, header_end


def _is_count(value):
    return type(value) is int and value >= 0


def _check_tensor_spec(spec, data_bytes, what):
    if not (isinstance(spec, dict) and spec.get("dtype") in _dtype._NAMES and isinstance(spec.get("shape"), list)
            and all(_is_count(n) for n in spec["shape"]) and _is_count(spec.get("offset"))
            and _is_count(spec.get("nbytes")) and isinstance(spec.get("requires_grad"), bool)
            and isinstance(spec.get("parameter"), bool)):
        raise CheckpointError(f"{what} has a malformed description")
    count = 1
    for n in spec["shape"]:
        count *= n
    if count * _dtype._NAMES[spec["dtype"]].itemsize != spec["nbytes"]:
        raise CheckpointError(f"{what} has {spec['nbytes']} bytes for shape {tuple(spec['shape'])} of "
                              f"{spec['dtype']}")
    if spec["offset"] + spec["nbytes"] > data_bytes:
        raise CheckpointError(f"{what} lies outside the data section")


class _Decoder:
    def __init__(self, data, header, data_start, name, device):
        self.data, self.specs, self.data_start = data, header["tensors"], data_start
        self.name, self.device = name, device

    def fail(self, what):
        return CheckpointError(f"{self.name} is corrupt: {what}")

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not (isinstance(node, dict) and len(node) == 1):
            raise self.fail("its object has an entry of unknown form")
        (tag, value), = node.items()
        if tag == "$tensor":
            if not (type(value) is int and 0 <= value < len(self.specs)):
                raise self.fail(f"its object refers to tensor {value!r}, which does not exist")
            return self.tensor(self.specs[value])
        if tag == "$tuple" and isinstance(value, list):
            return tuple(self.decode(v) for v in value)
        if tag in ("$dict", "$odict") and isinstance(value, list):
            out = OrderedDict() if tag == "$odict" else {}
            for pair in value:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], _SCALARS)):
                    raise self.fail("a dict entry is not a (scalar key, value) pair")
                out[pair[0]] = self.decode(pair[1])
            return out
        raise self.fail(f"its object has an entry tagged {tag!r}")

    def tensor(self, spec):
        from ._factories import from_numpy
        dt = _dtype._NAMES[spec["dtype"]]
        stored = dt.numpy.newbyteorder("<")
        count = spec["nbytes"] // dt.itemsize
        array = np.frombuffer(self.data, stored, count, self.data_start + spec["offset"])
        t = from_numpy(array.reshape(spec["shape"]).astype(dt.numpy, copy=True))
        if self.device is not None:
            t = t.to(self.device)
        if spec["parameter"]:
            from .nn.parameter import Parameter
            return Parameter(t, requires_grad=spec["requires_grad"])
        return t.requires_grad_() if spec["requires_grad"] else t


def load(f: str | os.PathLike | BinaryIO, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None,
         **pickle_load_args: Any) -> Any:
    """Loads an object saved by :func:`save` from ``f`` (a path or a binary file object).

    Every part of the file is checked before anything is built; a truncated, corrupt or
    foreign file (e.g. a pickle or zip written by ``torch.save``) raises
    :class:`~hayabusa.serialization.CheckpointError` (a RuntimeError), and nothing in the file
    is ever executed. OrderedDicts come back as OrderedDicts, other dicts as dicts,
    namedtuples as tuples.

    Args:
        f (str, os.PathLike or binary file): where to read.
        map_location (optional): ``None`` or ``'cpu'``, or a device, device string or dict
            ``{saved location: device}``; a function raises NotImplementedError.
        pickle_module, **pickle_load_args: not supported (ValueError): nothing is unpickled.
        weights_only (bool, optional): accepted for PyTorch's signature; a hayabusa checkpoint
            holds data only, so it changes nothing.
        mmap (bool, optional): True raises NotImplementedError.

    Returns:
        the saved object.
    """
    from ._device import device as Device
    if pickle_module is not None or pickle_load_args:
        raise ValueError("hayabusa.load does not unpickle: pickle_module and pickle arguments are not supported")
    if mmap:
        raise NotImplementedError("hayabusa.load(mmap=True) is not supported: checkpoints are read into memory")
    if isinstance(map_location, dict):
        map_location = map_location.get("cpu")
    if callable(map_location):
        raise NotImplementedError("hayabusa.load: map_location as a function is not supported; pass a device")
    device = None if map_location is None else Device(map_location)
    if hasattr(f, "read"):
        data, name = f.read(), getattr(f, "name", "the file")
        if not isinstance(data, bytes):
            raise TypeError("hayabusa.load: the file object must be opened in binary mode")
    else:
        name = os.fspath(f)
        with open(name, "rb") as fh:
            data = fh.read()
        name = repr(name)
    header, data_start = _parse(data, str(name))
    return _Decoder(data, header, data_start, name, device).decode(header["object"])
