"""Pieces of the OpenAPI document: parameter types, paths, docstrings, media schemas, error
responses and which framework answers an app's exception handlers write."""

from __future__ import annotations

import contextlib
import inspect
import re
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import ValidationError

from pyjolt.enums import MediaType
from pyjolt.exceptions.http import (
    AuthenticationException,
    MalformedBody,
    NotFound,
    PayloadTooLarge,
    UnauthorizedException,
    UnsupportedMediaType,
)
from pyjolt.openapi.schemas import HTTP_ERROR_NAME, REF_TEMPLATE

_TEXT_MEDIA = {
    MediaType.TEXT_PLAIN,
    MediaType.TEXT_HTML,
    MediaType.TEXT_CSV,
    MediaType.TEXT_XML,
    MediaType.TEXT_YAML,
    MediaType.APPLICATION_XML,
    MediaType.APPLICATION_CSV,
    MediaType.APPLICATION_YAML,
    MediaType.APPLICATION_GRAPHQL,
}
#: media types whose body is JSON (described by the schema alone)
JSON_MEDIA = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON}

_PATH_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


def param_type(tp: Any) -> Any:
    """The documented type of a request parameter: ``X | None`` as ``X`` (a missing value is
    how a client leaves it out), constraints kept."""
    metadata: list[Any] = []
    while typing.get_origin(tp) is Annotated:
        tp, *extra = typing.get_args(tp)
        metadata = [*extra, *metadata]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(members) == 1:
            tp = param_type(members[0])
    return Annotated[(tp, *metadata)] if metadata else tp


def openapi_path(starlette_path: str) -> str:
    """``/users/{id:int}`` -> ``/users/{id}``."""
    return _PATH_PARAM.sub(r"{\1}", starlette_path)


def split_doc(doc: str | None) -> tuple[str | None, str | None]:
    """A docstring's first paragraph (summary) and the rest (description)."""
    if not doc:
        return None, None
    text = inspect.cleandoc(doc)
    head, _, rest = text.partition("\n\n")
    summary = " ".join(head.split())
    return summary or None, rest.strip() or None


def merge_scopes(a: Mapping[str, list[str]], b: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Security requirements ``a`` and ``b`` merged (scopes of one scheme joined, sorted)."""
    out = {name: list(scopes) for name, scopes in a.items()}
    for name, scopes in b.items():
        out[name] = [*out.get(name, []), *(s for s in scopes if s not in out.get(name, []))]
    return dict(sorted(out.items()))


def free_name(name: str, taken: Mapping[str, Any]) -> str:
    """``name``, or a prefixed one when ``taken`` has it already."""
    return name if name not in taken else f"pyjolt__{name}"


def error_response(description: str, model: str = HTTP_ERROR_NAME) -> dict[str, Any]:
    """A JSON error response whose body is the component ``model``."""
    ref = REF_TEMPLATE.format(model=model)
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def media_schema(media: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    """The media type object of a body in ``media`` (``schema`` when there is one)."""
    if schema is not None:
        return {"schema": schema}
    if media in _TEXT_MEDIA:
        return {"schema": {"type": "string"}}
    if media in JSON_MEDIA:
        return {}
    return {"schema": {"type": "string", "contentMediaType": media}}


#: the exception behind each framework answer the document lists
_FRAMEWORK_EXCEPTIONS: dict[int, type[BaseException]] = {
    400: MalformedBody,
    401: AuthenticationException,
    403: UnauthorizedException,
    404: NotFound,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: ValidationError,
}


def user_error_bodies(handlers: Mapping[Any, Any]) -> dict[int, Any]:
    """Framework answers that an app's ``ExceptionHandler`` writes: status -> the model of its
    ``-> Response[Model]`` annotation (None when it has none)."""
    out: dict[int, Any] = {}
    for status, exc_class in _FRAMEWORK_EXCEPTIONS.items():
        handler = next((handlers[c] for c in exc_class.__mro__ if c in handlers), None)
        method = getattr(handler, "pyjolt_method", None)
        if method is None:
            continue
        model = None
        with contextlib.suppress(Exception):
            ret = typing.get_type_hints(method).get("return")
            args = typing.get_args(ret)
            model = args[0] if args and args[0] is not Any else None
        out[status] = model
    return out
