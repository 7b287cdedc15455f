"""Round-trip the records of :mod:`watchfloor.model` through plain JSON values."""

from __future__ import annotations

import base64
import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

__all__ = ["dump", "dumps", "exact", "load", "loads"]

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
    dumper = _DUMPERS.get(cls)
    if dumper is None:
        dumper = _DUMPERS[cls] = _dumper(cls)
    return dumper(obj)


def _dumper(cls: type) -> Callable[[Any], Any]:
    """How values of one concrete type are dumped, worked out once per type (the store writes many thousands of
    records per batch, and asking each value what it is costs more than the dumping)."""
    names = _field_names(cls)
    if names is not None:
        def record(obj: Any) -> dict[str, Any]:
            out = {}
            for name in names:
                value = getattr(obj, name)
                out[name] = value if type(value) in _PLAIN else dump(value)
            return out
        return record
    if issubclass(cls, Enum):
        return lambda obj: obj.value
    if issubclass(cls, datetime | date):
        return lambda obj: obj.isoformat()
    if issubclass(cls, bytes):
        return lambda obj: base64.b64encode(obj).decode("ascii")
    if issubclass(cls, tuple | list):
        return lambda obj: [x if type(x) in _PLAIN else dump(x) for x in obj]
    if issubclass(cls, dict):
        return lambda obj: {k: dump(v) for k, v in obj.items()}
    return _identity


_DUMPERS: dict[type, Callable[[Any], Any]] = {}


#: made once (``json.dumps`` with options builds an encoder per call); the trees :func:`dump` builds are new and
#: acyclic, so the encoder's check for cycles, a fifth of its time, is left out
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def dumps(obj: Any) -> str:
    return _ENCODER.encode(dump(obj))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


Loader = Callable[[Any], Any]


def load(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from what :func:`dump` produced."""
    return _loader(tp)(data)


def _identity(data: Any) -> Any:
    return data


def _optional(inner: Loader) -> Loader:
    return lambda data: None if data is None else inner(data)


@cache
def _loader(tp: Any) -> Loader:
    """The function that rebuilds values of ``tp``, worked out once per type (typing introspection is slow)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _loader(options[0])
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis or len(args) == 1:
            item = _loader(args[0])
            if item is _identity:
                return _optional(tuple)
            return _optional(lambda data: tuple([item(x) for x in data]))
        items = [_loader(a) for a in args]
        return _optional(lambda data: tuple(f(x) for f, x in zip(items, data, strict=True)))
    if origin is list:
        item = _loader(typing.get_args(tp)[0])
        return _optional(lambda data: [item(x) for x in data])
    if origin is dict:
        return _optional(dict)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _optional(_record_loader(tp))
        if issubclass(tp, Enum):
            return _optional(tp)
        simple: dict[type, Loader] = {datetime: datetime.fromisoformat, date: date.fromisoformat, float: float,
                                      bytes: base64.b64decode}
        if tp in simple:
            return _optional(simple[tp])
    return _identity


def _record_loader(cls: type) -> Loader:
    """A dataclass rebuilt field by field; the field loaders are looked up on first use (types may nest). Plain
    values (and None, which every loader gives back as it is) are taken as they are, without a call."""
    fields: dict[str, Loader | None] = {}

    def build(data: dict[str, Any]) -> Any:
        if not fields:
            for name, hint in _hints(cls).items():
                found = _loader(hint)
                fields[name] = None if found is _identity else found
        kwargs = {}
        for key, value in data.items():
            if key in fields:
                loader = fields[key]
                kwargs[key] = value if loader is None or value is None else loader(value)
        return cls(**kwargs)

    return build


def loads(tp: type[T], text: str) -> T:
    return typing.cast(T, load(tp, json.loads(text)))


def exact(obj: T) -> T:
    """A record as ``loads(type(obj), dumps(obj))`` gives it back, without the round trip: a whole number in a field
    typed ``float`` made a float (JSON writes ``100``, which the loader reads as ``100.0``), the one way a record built
    in memory differs from one read back. Only the fields that can lead to such a field are visited."""
    fixer = _exact(typing.cast(Any, type(obj)))
    return obj if fixer is None else typing.cast(T, fixer(obj))


Fixer = Callable[[Any], Any]


@cache
def _exact(tp: Any) -> Fixer | None:
    """What :func:`exact` does to values of ``tp`` (None: nothing), worked out once per type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _exact(options[0])
    if origin in (tuple, list):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        item = _exact(args[0]) if len(args) == 1 else None
        if item is None:
            return None

        def fix_items(data: Any) -> Any:
            if data is None:
                return None
            fixed = [item(x) for x in data]
            return data if all(a is b for a, b in zip(fixed, data, strict=True)) else origin(fixed)

        return fix_items
    if tp is float:
        return lambda value: value if value is None or type(value) is float else float(value)
    if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
        return None
    fields = [(name, f) for name, hint in _hints(tp).items() if (f := _exact(hint)) is not None]
    if not fields:
        return None

    def fix(obj: Any) -> Any:
        if obj is None:
            return None
        changed = {}
        for name, f in fields:
            value = getattr(obj, name)
            fixed = f(value)
            if fixed is not value:  # each fixer gives back the very value it was given when nothing changes
                changed[name] = fixed
        return dataclasses.replace(obj, **changed) if changed else obj

    return fix
