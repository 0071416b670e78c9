"""Werkzeug-style route paths, translated to Starlette's syntax."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

_PARAM = re.compile(
    r"<(?:(?P<conv>[a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)


class Converter(NamedTuple):
    """One path converter: what routing, the handler plan and OpenAPI each need to know.

    ``starlette`` is the converter name in the compiled Starlette path, ``python_type`` the type
    a matched value has (a handler annotation that differs is validated per request), ``schema``
    the OpenAPI schema of the parameter (Starlette's int and float converters match digits only).
    """

    starlette: str
    python_type: type
    schema: Mapping[str, Any]


_STR = Converter("str", str, MappingProxyType({"type": "string", "pattern": "^[^/]+$"}))

#: The one converter table: Werkzeug-style names (``<int:x>``) and the Starlette names they
#: compile to (the plan's ``path_params`` values) both resolve here.
CONVERTERS: Mapping[str, Converter] = MappingProxyType(
    {
        "int": Converter("int", int, MappingProxyType({"type": "integer", "minimum": 0})),
        "float": Converter("float", float, MappingProxyType({"type": "number", "minimum": 0})),
        "str": _STR,
        "string": _STR,
        "default": _STR,
        "path": Converter("path", str, MappingProxyType({"type": "string"})),
        "uuid": Converter(
            "uuid", uuid.UUID, MappingProxyType({"type": "string", "format": "uuid"})
        ),
    }
)


class PathSyntaxError(ValueError):
    """A route path that cannot be compiled."""


def join_paths(*parts: str) -> str:
    """Join controller and method paths, normalising empty segments.

    A trailing slash on the last non-empty part is kept (it matters under STRICT_SLASHES).
    """
    segments: list[str] = []
    trailing = False
    for part in parts:
        if not part:
            continue
        trailing = part.endswith("/")
        segments.extend(s for s in part.split("/") if s)
    path = "/" + "/".join(segments)
    if trailing and path != "/":
        path += "/"
    return path


def translate(path: str) -> tuple[str, dict[str, str]]:
    """Translate ``/users/<int:id>`` to ``/users/{id:int}``.

    Returns the Starlette path and a map of parameter name to converter name.
    """
    params: dict[str, str] = {}

    def repl(match: re.Match[str]) -> str:
        conv = match.group("conv") or "default"
        name = match.group("name")
        if conv not in CONVERTERS:
            known = ", ".join(sorted(CONVERTERS))
            raise PathSyntaxError(
                f"unknown path converter {conv!r} in {path!r} (known converters: {known})"
            )
        if name in params:
            raise PathSyntaxError(f"parameter {name!r} appears twice in {path!r}")
        params[name] = CONVERTERS[conv].starlette
        return "{" + name + ":" + params[name] + "}"

    out = _PARAM.sub(repl, path)
    if "<" in out or ">" in out:
        raise PathSyntaxError(f"malformed path parameter in {path!r}; write it as <converter:name>")
    return out, params
