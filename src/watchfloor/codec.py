"""Round-trip the records of :mod:`watchfloor.model` through plain JSON values."""

from __future__ import annotations

import base64
import dataclasses
import json
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

__all__ = ["dump", "dumps", "load", "loads"]

T = TypeVar("T")


_PLAIN = frozenset({str, int, float, bool, type(None)})


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type, None for any other type (asked once per type)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
    return _FIELDS[cls]


def dump(obj: Any) -> Any:
    """Turn a record (or a tree of them) into JSON-ready values."""
    cls = type(obj)
    if cls in _PLAIN:
        return obj
    names = _field_names(cls) if not isinstance(obj, type) else None
    if names is not None:
        return {name: dump(getattr(obj, name)) for name in names}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if isinstance(obj, tuple | list):
        return [dump(x) for x in obj]
    if isinstance(obj, dict):
        return {k: dump(v) for k, v in obj.items()}
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(dump(obj), ensure_ascii=False, separators=(",", ":"))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def load(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from what :func:`dump` produced."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return load(options[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis or len(args) == 1:
            return tuple(load(args[0], x) for x in data)
        return tuple(load(a, x) for a, x in zip(args, data, strict=True))
    if origin is list:
        return [load(typing.get_args(tp)[0], x) for x in data]
    if origin is dict:
        return dict(data)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            hints = _hints(tp)
            return tp(**{k: load(hints[k], v) for k, v in data.items() if k in hints})
        if issubclass(tp, Enum):
            return tp(data)
        if tp is datetime:
            return datetime.fromisoformat(data)
        if tp is date:
            return date.fromisoformat(data)
        if tp is float:
            return float(data)
        if tp is bytes:
            return base64.b64decode(data)
    return data


def loads(tp: type[T], text: str) -> T:
    return typing.cast(T, load(tp, json.loads(text)))
