"""Query, header and cookie parameters: analysed once per handler, read by a closure.

The start-up half decides which handler parameters come from the request's query string,
headers or cookies (:func:`request_param`) and builds one pydantic validator for all of them
(:func:`params_plan`). The per-request half (:func:`make_param_reader`) copies the raw
strings into a dict and validates it in one call; errors become 422 answers whose ``loc``
starts with the location and the request's name for the value (``["query", "page"]``).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import inspect
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, NotRequired, Required

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError, SchemaValidator
from starlette.requests import HTTPConnection
from typing_extensions import TypedDict

from pyjolt.params import Param, Query

SCALARS: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    decimal.Decimal,
    uuid.UUID,
    _dt.date,
    _dt.datetime,
    _dt.time,
    _dt.timedelta,
    enum.Enum,
)
_SEQUENCES = (list, set, frozenset, tuple, Sequence)
_UNION_TYPES: tuple[Any, ...] = (typing.Union, type(int | str))


class ParamSpec(NamedTuple):
    """One handler parameter read from the request (not the path or the body)."""

    name: str
    location: str  # "query", "header" or "cookie"
    key: str  # its name in the request
    annotation: Any  # without the location marker (constraints kept)
    required: bool
    default: Any
    #: a list read from repeated keys
    many: bool = False
    #: a model grouping several query keys: (key, many) of each of its fields
    fields: tuple[tuple[str, bool], ...] | None = None
    description: str | None = None


class ParamsPlan(NamedTuple):
    """All request parameters of one handler and their validator."""

    specs: tuple[ParamSpec, ...]
    adapter: TypeAdapter[Any]


def _strip_annotated(tp: Any) -> tuple[Any, list[Any]]:
    metadata: list[Any] = []
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp, metadata = args[0], [*args[1:], *metadata]
    return tp, metadata


def _without_none(tp: Any) -> Any:
    """``X | None`` -> ``X`` (other unions are kept)."""
    tp = _strip_annotated(tp)[0]
    if typing.get_origin(tp) in _UNION_TYPES:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _strip_annotated(args[0])[0]
    return tp


def _is_scalar(tp: Any) -> bool:
    tp = _without_none(tp)
    if tp is Any or typing.get_origin(tp) is Literal:
        return True
    if typing.get_origin(tp) in _UNION_TYPES:
        return all(_is_scalar(a) for a in typing.get_args(tp) if a is not type(None))
    return isinstance(tp, type) and issubclass(tp, SCALARS)


def sequence_item(tp: Any) -> Any | None:
    """The item type of ``list[X]`` / ``set[X]`` / ``tuple[X, ...]`` (None if not one)."""
    tp = _without_none(tp)
    origin = typing.get_origin(tp)
    if origin is None and tp in (list, set, frozenset):
        return Any
    if not (isinstance(origin, type) and issubclass(origin, _SEQUENCES)):
        return None
    args = [a for a in typing.get_args(tp) if a is not Ellipsis]
    if origin is tuple and len(args) != 1:
        return None
    return args[0] if args else Any


def is_request_value(tp: Any) -> bool:
    """Whether a value of this type can come from query strings, headers or cookies."""
    if _is_scalar(tp):
        return True
    item = sequence_item(tp)
    return item is not None and _is_scalar(item)


def find_marker(annotation: Any) -> tuple[Any, Param | None]:
    """The annotation without PyJolt's location marker, and the marker (if any)."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return annotation, None
    base, metadata = _strip_annotated(annotation)
    markers = [m for m in metadata if isinstance(m, Param)]
    rest = [m for m in metadata if not isinstance(m, Param)]
    stripped = typing.Annotated[(base, *rest)] if rest else base
    return stripped, (markers[-1] if markers else None)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def request_param(
    handler: str, param: inspect.Parameter, annotation: Any, marker: Param | None
) -> ParamSpec | None:
    """The spec of a query/header/cookie parameter, or None if the type cannot be one.

    Raises ``ValueError`` (with the fix) for a marked parameter of a type it cannot read.
    """
    marker = marker or Query()
    location = marker.location
    required = param.default is inspect.Parameter.empty
    default = None if required else param.default
    if annotation is inspect.Parameter.empty:
        annotation = str
    base = _without_none(annotation)
    if _is_model(base):
        if location != "query":
            raise ValueError(f"a pydantic model cannot be read from a {location}; use Query()")
        fields = tuple(
            (finfo.validation_alias if isinstance(finfo.validation_alias, str) else None)
            or finfo.alias
            or fname
            for fname, finfo in base.model_fields.items()
        )
        lists = tuple(
            sequence_item(finfo.annotation) is not None for finfo in base.model_fields.values()
        )
        return ParamSpec(
            name=param.name,
            location=location,
            key=param.name,
            annotation=annotation,
            required=required,
            default=default,
            fields=tuple(zip(fields, lists, strict=True)),
            description=marker.description,
        )
    if not is_request_value(annotation):
        return None
    many = sequence_item(annotation) is not None
    if many and location == "cookie":
        raise ValueError("a cookie holds one value; annotate it with a scalar type")
    return ParamSpec(
        name=param.name,
        location=location,
        key=marker.key(param.name),
        annotation=annotation,
        required=required,
        default=default,
        many=many,
        description=marker.description,
    )


def params_plan(handler: str, specs: list[ParamSpec]) -> ParamsPlan | None:
    """One validator for all of a handler's request parameters (None when it has none)."""
    if not specs:
        return None
    fields = {
        s.name: (Required[s.annotation] if s.required else NotRequired[s.annotation]) for s in specs
    }
    typed = TypedDict(f"{handler}.params", fields)  # type: ignore[misc]
    return ParamsPlan(tuple(specs), TypeAdapter(typed))


def _relocate(exc: ValidationError, specs: Mapping[str, ParamSpec]) -> ValidationError:
    """The same errors with ``loc`` = (location, name in the request, ...)."""
    details: list[InitErrorDetails] = []
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        spec = specs.get(str(loc[0])) if loc else None
        if spec is not None:
            loc = [spec.location, *loc[1:]] if spec.fields is not None else [
                spec.location, spec.key, *loc[1:]
            ]  # fmt: skip
        details.append(
            {
                "type": PydanticCustomError(err["type"], err["msg"].replace("{", "{{")),
                "loc": tuple(loc),
                "input": err.get("input"),
            }
        )
    return ValidationError.from_exception_data("request parameters", details)


def _query(req: HTTPConnection) -> Any:
    """The query parameters for ``get``: a dict (the last value of a repeated name, as
    ``QueryParams.get``) made by splitting the query string when it holds nothing to decode
    (no ``%`` or ``+``: ``parse_qsl`` would return the same strings), else ``query_params``."""
    raw: bytes = req.scope["query_string"]
    if b"%" in raw or b"+" in raw:
        return req.query_params
    query: dict[str, str] = {}
    for part in raw.decode("latin-1").split("&"):
        if part:  # as parse_qsl with keep_blank_values: "a" is a="" and empty parts are skipped
            key, _, value = part.partition("=")
            query[key] = value
    return query


def make_param_reader(plan: ParamsPlan | None) -> Callable[[HTTPConnection], dict[str, Any]] | None:
    """The per-request reader of a handler's query/header/cookie parameters."""
    if plan is None:
        return None
    validator = plan.adapter.validator
    validate = (
        validator.validate_python
        if isinstance(validator, SchemaValidator)
        else plan.adapter.validate_python
    )
    by_name = {s.name: s for s in plan.specs}
    sources = {"query": 0, "header": 1, "cookie": 2}
    simple = tuple(
        (s.name, sources[s.location], s.key, s.many) for s in plan.specs if s.fields is None
    )
    grouped = tuple((s.name, s.fields) for s in plan.specs if s.fields is not None)
    required_groups = frozenset(s.name for s in plan.specs if s.fields is not None and s.required)
    uses = {s.location for s in plan.specs}
    wants_query, wants_headers, wants_cookies = (
        "query" in uses,
        "header" in uses,
        "cookie" in uses,
    )

    # query values read with ``get`` only: a plain dict of the query string does (see _query)
    plain_query = (
        wants_query
        and not grouped
        and not any(many for _, source, _, many in simple if source == 0)
    )

    def read(req: HTTPConnection) -> dict[str, Any]:
        query: Any = None
        if wants_query:
            query = _query(req) if plain_query else req.query_params
        found: tuple[Any, Any, Any] = (
            query,
            req.headers if wants_headers else None,
            req.cookies if wants_cookies else None,
        )
        data: dict[str, Any] = {}
        for name, source, key, many in simple:
            values = found[source]
            if many:
                items = values.getlist(key)
                if items:
                    data[name] = items
            else:
                value = values.get(key)
                if value is not None:
                    data[name] = value
        for name, fields in grouped:
            group = {
                key: (query.getlist(key) if many else query[key])
                for key, many in fields
                if key in query
            }
            if group or name in required_groups:
                data[name] = group
        try:
            out: dict[str, Any] = validate(data)
        except ValidationError as exc:
            raise _relocate(exc, by_name) from None
        return out

    return read
