"""Backends: one interface, one module per device type.

An op never calls numpy (or cupy) for its math; it asks the backend of its
tensors (``x._backend``), a module exposing the same functions on every device.
"""
from . import cpu

_BY_TYPE = {"cpu": cpu}


def for_device_type(device_type):
    return _BY_TYPE[device_type]
