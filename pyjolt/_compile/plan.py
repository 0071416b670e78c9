"""Handler plans: everything about a handler that can be known before the first request."""

from __future__ import annotations

import enum
import inspect
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.requests import HTTPConnection

from pyjolt._compile.params import (
    ParamSpec,
    ParamsPlan,
    find_marker,
    is_request_value,
    params_plan,
    request_param,
)
from pyjolt._internal.markers import collect_marked
from pyjolt._internal.paths import CONVERTERS, join_paths, translate
from pyjolt.controller.base import Controller
from pyjolt.controller.meta import (
    ENDPOINT_ATTR,
    HOOK_ATTR,
    CorsOptions,
    EndpointMeta,
    Guard,
    get_controller_meta,
    hidden_metadata,
)
from pyjolt.enums import MediaType
from pyjolt.exceptions.errors import RegistrationError
from pyjolt.response import Response

BODY_MEDIA = (
    MediaType.APPLICATION_JSON,
    MediaType.APPLICATION_PROBLEM_JSON,
    MediaType.APPLICATION_X_WWW_FORM_URLENCODED,
    MediaType.MULTIPART_FORM_DATA,
)


class HandlerPlan(NamedTuple):
    """One handler, fully analysed. ``meta`` is merged with the controller's metadata."""

    name: str
    controller: type
    func: Callable[..., Any]
    path: str
    starlette_path: str
    methods: tuple[str, ...]
    websocket: bool
    path_params: dict[str, str]
    body_param: str | None
    body_type: Any
    response_type: Any
    meta: EndpointMeta
    doc: str | None
    include_in_schema: bool
    #: path parameters whose annotation differs from the converter: validated per request
    param_adapters: Mapping[str, TypeAdapter[Any]] = MappingProxyType({})
    body_adapter: TypeAdapter[Any] | None = None
    #: form fields that are lists in the body model (multi-valued form keys)
    list_fields: frozenset[str] = frozenset()
    response_adapter: TypeAdapter[Any] | None = None
    takes_request: bool = True
    #: query, header and cookie parameters (None: the handler has none)
    params: ParamsPlan | None = None


def _hooks(cls: type, kind: str) -> list[str]:
    return [m.name for m in collect_marked(cls, HOOK_ATTR) if m.mark == kind]


def controller_hooks(cls: type) -> tuple[list[str], list[str]]:
    """Names of the ``@before_request`` and ``@after_request`` methods (see ``collect_marked``)."""
    return _hooks(cls, "before"), _hooks(cls, "after")


def _merged_controller(
    cls: type,
) -> tuple[str, bool, tuple[str, ...], bool, tuple[Guard, ...], CorsOptions | None]:
    """The controller metadata merged along the MRO (the class's own wins; guards add up)."""
    url_path, open_api, dev = "", True, False
    tags: tuple[str, ...] = ()
    guards: list[Guard] = []
    cors: CorsOptions | None = None
    found_path = False
    for klass in cls.__mro__:
        if klass is object:
            continue
        meta = get_controller_meta(klass)
        if not found_path and meta.url_path is not None:
            url_path, open_api, tags, found_path = (
                meta.url_path,
                meta.open_api_spec,
                meta.tags,
                True,
            )
        dev = dev or meta.development
        cors = cors or meta.cors
        guards[:0] = [g for g in meta.guards if g not in guards]
    return url_path, open_api, tags, dev, tuple(guards), cors


def _type_hints(fn: Callable[..., Any], name: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn, include_extras=True)
    except NameError as exc:
        raise RegistrationError(
            f"{name}: cannot resolve a type annotation ({exc}); define the type at module level "
            "or import it where the controller is defined"
        ) from exc


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_body_type(tp: Any) -> bool:
    if _is_model(tp):
        return True
    origin = typing.get_origin(tp)
    return origin in (list, tuple) and any(_is_model(a) for a in typing.get_args(tp))


def _list_fields(tp: Any) -> frozenset[str]:
    if not _is_model(tp):
        return frozenset()
    out = set()
    for fname, finfo in tp.model_fields.items():
        origin = typing.get_origin(finfo.annotation)
        if origin in (list, set, tuple, frozenset):
            out.add(finfo.alias or fname)
    return frozenset(out)


_UNIONS: tuple[Any, ...] = (typing.Union, types.UnionType)


def _is_request_param(param: inspect.Parameter, hints: Mapping[str, Any], converters: Any) -> bool:
    """Whether the first parameter after ``self`` is the request: positional, not a path
    parameter, and not annotated with a type other than a request's."""
    if param.name in converters or param.kind not in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        return False
    annotation = hints.get(param.name, inspect.Parameter.empty)
    if annotation in (inspect.Parameter.empty, Any):
        return True
    annotation = find_marker(annotation)[0]
    members = typing.get_args(annotation) if typing.get_origin(annotation) in _UNIONS else ()
    return all(
        isinstance(t, type) and issubclass(t, HTTPConnection) for t in members or (annotation,)
    )


def _find_body(
    params: list[inspect.Parameter],
    hints: Mapping[str, Any],
    converters: Mapping[str, str],
    meta: EndpointMeta,
) -> tuple[str | None, Any]:
    """The body parameter: the first body model; with a body ``@consumes``, else the first
    annotated parameter that is not a query value."""
    if meta.websocket:
        return None, None
    candidates = []
    for param in params:
        annotation = hints.get(param.name, inspect.Parameter.empty)
        if (
            param.name in converters
            or param.name in meta.injects
            or annotation is inspect.Parameter.empty
            or param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
            or find_marker(annotation)[1] is not None
        ):
            continue
        candidates.append((param.name, annotation))
    for pname, annotation in candidates:
        if _is_body_type(annotation):
            return pname, annotation
    if meta.consumes in BODY_MEDIA:
        for pname, annotation in candidates:
            if not is_request_value(annotation):
                return pname, annotation
    return None, None


#: values a path converter gives, to test the handler's annotation against at start-up
_CONVERTER_SAMPLES: dict[str, tuple[Any, ...]] = {
    "int": (1, 0),
    "float": (1.5, 1.0),
    "uuid": (uuid.UUID(int=1),),
    "str": ("1", "a", "1.5", "true", "00000000-0000-0000-0000-000000000001", "2024-01-01"),
    "path": ("a", "1", "a/b"),
}


def _converter_adapter(
    name: str, full_path: str, pname: str, converters: Mapping[str, str], annotation: Any
) -> TypeAdapter[Any] | None:
    """The validator of a path parameter whose annotation differs from its converter's type;
    a start-up error when no value the converter gives can pass the annotation."""
    converter = converters[pname]
    conv_type = CONVERTERS[converter].python_type
    if annotation in (inspect.Parameter.empty, conv_type, Any):
        return None
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    base = find_marker(annotation)[0]
    if isinstance(base, type) and issubclass(base, enum.Enum):
        values = tuple(m.value for m in base)
        samples = values if converter in ("str", "path") else _CONVERTER_SAMPLES[converter] + values
    else:
        samples = _CONVERTER_SAMPLES[converter]
    for sample in samples:
        if converter not in ("str", "path") and not isinstance(sample, conv_type):
            continue
        try:
            adapter.validate_python(sample if converter not in ("str", "path") else str(sample))
        except ValidationError:
            continue
        return adapter
    raise RegistrationError(
        f"{name}: path converter <{converter}:{pname}> in {full_path!r} gives a "
        f"{conv_type.__name__}, but the handler annotates {pname}: "
        f"{getattr(annotation, '__name__', annotation)}; annotate it {conv_type.__name__} or "
        f"change the converter"
    )


def plan_handler(
    cls: type, attr: str, fn: Callable[..., Any], meta: EndpointMeta, *, debug: bool
) -> HandlerPlan:
    """Analyse one handler of controller ``cls``."""
    name = f"{cls.__name__}.{attr}"
    ctrl_path, ctrl_api, ctrl_tags, ctrl_dev, ctrl_guards, ctrl_cors = _merged_controller(cls)
    full_path = join_paths(ctrl_path, meta.url_path or "")
    try:
        starlette_path, converters = translate(full_path)
    except ValueError as exc:
        raise RegistrationError(f"{name}: {exc}") from exc

    merged = meta._replace(
        tags=tuple(dict.fromkeys((*ctrl_tags, *meta.tags))),
        guards=tuple(sorted((*ctrl_guards, *meta.guards), key=lambda g: g.priority)),
        development=meta.development or ctrl_dev,
        cors=meta.cors or ctrl_cors,
        open_api_spec=meta.open_api_spec and ctrl_api,
    )
    original = inspect.unwrap(fn)
    hints = _type_hints(original, name)
    params = list(inspect.signature(original).parameters.values())
    if not params or params[0].name != "self":
        raise RegistrationError(
            f"{name}: a controller handler must be a method taking (self, req, ...)"
        )
    params = params[1:]
    takes_request = bool(params) and _is_request_param(params[0], hints, converters)
    if takes_request:
        params = params[1:]
    accepted = {p.name for p in params}
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        for injected in sorted(meta.injects - accepted):
            raise RegistrationError(
                f"{name}: a decorator injects {injected!r} but the handler has no parameter "
                f"named {injected!r}; add `{injected}` to its signature (or remove the decorator)"
            )

    body_param, body_type = _find_body(params, hints, converters, meta)
    adapters: dict[str, TypeAdapter[Any]] = {}
    specs: list[ParamSpec] = []
    for param in params:
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        annotation = hints.get(param.name, inspect.Parameter.empty)
        if param.name in converters:
            adapter = _converter_adapter(name, full_path, param.name, converters, annotation)
            if adapter is not None:
                adapters[param.name] = adapter
            continue
        if param.name in meta.injects or param.name == body_param:
            continue
        stripped, marker = find_marker(annotation)
        try:
            spec = request_param(name, param, stripped, marker)
        except ValueError as exc:
            raise RegistrationError(f"{name}: parameter {param.name!r}: {exc}") from exc
        if spec is not None:
            specs.append(spec)
            continue
        if marker is not None:
            raise RegistrationError(
                f"{name}: parameter {param.name!r} cannot be read from a {marker.location}: "
                "annotate it with str, int, float, bool, an Enum, a Literal or a list of those"
            )
        if param.default is not inspect.Parameter.empty:
            continue
        raise RegistrationError(
            f"{name}: parameter {param.name!r} cannot be filled: it is not a path parameter of "
            f"{full_path!r}, not a body model (with @consumes), not a query/header/cookie value "
            "(str, int, float, bool, Enum, Literal or a list of those) and not injected by a "
            "decorator"
        )
    if meta.consumes is not None and meta.consumes not in BODY_MEDIA and body_param is not None:
        raise RegistrationError(
            f"{name}: @consumes({meta.consumes.value}) cannot be parsed into {body_param!r}; "
            "body models work with JSON, urlencoded and multipart bodies"
        )
    if body_param is not None and meta.consumes is None:
        merged = merged._replace(consumes=MediaType.APPLICATION_JSON)

    response_type: Any = None
    ret = hints.get("return")
    origin = typing.get_origin(ret)
    if isinstance(origin, type) and issubclass(origin, Response):
        args = typing.get_args(ret)
        response_type = args[0] if args and args[0] is not Any else None

    include = merged.open_api_spec and not meta.websocket and (debug or not merged.development)
    return HandlerPlan(
        name=name,
        controller=cls,
        func=fn,
        path=full_path,
        starlette_path=starlette_path,
        methods=meta.http_methods,
        websocket=meta.websocket,
        path_params=converters,
        body_param=body_param,
        body_type=body_type,
        response_type=response_type,
        meta=merged,
        doc=inspect.getdoc(original),
        include_in_schema=include,
        param_adapters=adapters,
        body_adapter=TypeAdapter(body_type) if body_type is not None else None,
        list_fields=_list_fields(body_type),
        response_adapter=TypeAdapter(response_type) if response_type is not None else None,
        takes_request=takes_request,
        params=params_plan(name, specs),
    )


def plan_controller(cls: type, *, debug: bool) -> list[HandlerPlan]:
    """Plans of every handler of a controller class, inherited ones included.

    Which methods are handlers, and in which order, follows ``collect_marked``: an override
    without a route decorator is not a handler.
    """
    if not (isinstance(cls, type) and issubclass(cls, Controller)):
        raise RegistrationError(f"{cls!r} is not a Controller subclass")
    plans: list[HandlerPlan] = []
    for marked in collect_marked(cls, ENDPOINT_ATTR):
        meta = marked.mark
        if not isinstance(meta, EndpointMeta) or not (meta.http_methods or meta.websocket):
            continue
        fn = marked.function
        if not inspect.iscoroutinefunction(inspect.unwrap(fn)) and not inspect.iscoroutinefunction(
            fn
        ):
            raise RegistrationError(f"{cls.__name__}.{marked.name}: handlers must be `async def`")
        _refuse_hidden_metadata(f"{cls.__name__}.{marked.name}", fn)
        plans.append(plan_handler(cls, marked.name, getattr(cls, marked.name), meta, debug=debug))
    return plans


def _refuse_hidden_metadata(name: str, fn: Callable[..., Any]) -> None:
    hidden = hidden_metadata(fn)
    if hidden is not None:
        inner, lost = hidden
        raise RegistrationError(
            f"{name}: a decorator between the route decorator and "
            f"{getattr(inner, '__qualname__', inner)!r} hides its {lost}, so it would never "
            "apply. Write that decorator with functools.wraps(fn), or place it above the "
            "route decorator."
        )
