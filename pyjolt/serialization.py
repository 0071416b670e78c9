"""JSON encoding: orjson for plain data when installed, pydantic-core otherwise and for models."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pydantic_core
from pydantic import BaseModel

try:  # orjson is optional (the "full" extra)
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the installed extras
    _orjson = None  # type: ignore[assignment]


def _fallback(value: Any) -> Any:
    """Encode values neither encoder knows natively (models, dataclasses, sets, ObjectIds).

    Anything else raises ``TypeError``: an unknown object never becomes ``str(obj)`` in a body.
    """
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, (Decimal, uuid.UUID, enum.Enum)):
        return str(value.value if isinstance(value, enum.Enum) else value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if type(value).__name__ == "ObjectId":  # bson's, without importing it
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_PLAIN = frozenset({dict, list})

if _orjson is not None:
    _ORJSON_OPTS = _orjson.OPT_NON_STR_KEYS | _orjson.OPT_SERIALIZE_NUMPY

    def dumps(data: Any) -> bytes:
        """Serialise plain data (dicts, lists, models, datetimes, ObjectIds) to JSON bytes."""
        # a dict or list first: no isinstance through pydantic's ABC metaclass
        if data.__class__ not in _PLAIN and isinstance(data, BaseModel):
            return data.__pydantic_serializer__.to_json(data, fallback=_fallback)
        try:
            return _orjson.dumps(data, default=_fallback, option=_ORJSON_OPTS)
        except _orjson.JSONEncodeError:
            # orjson stops at integers beyond 64 bits (an <int:id> of 30 digits echoed back)
            return pydantic_core.to_json(data, fallback=_fallback, inf_nan_mode="null")

else:  # pragma: no cover - depends on the installed extras

    def dumps(data: Any) -> bytes:
        """Serialise plain data (dicts, lists, models, datetimes, ObjectIds) to JSON bytes."""
        return pydantic_core.to_json(data, fallback=_fallback, inf_nan_mode="null")


def loads(data: bytes | str) -> Any:
    """Parse JSON; raises ``ValueError`` on malformed input."""
    if _orjson is not None:
        return _orjson.loads(data)
    return pydantic_core.from_json(data, allow_inf_nan=False)


Serializer = Callable[[Any], bytes]
