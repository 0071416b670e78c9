"""The OpenAPI 3.1 document, built once from the app's handler plans."""

from __future__ import annotations

import contextlib
import copy
import typing
import weakref
from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from pydantic import TypeAdapter
from pydantic_core import PydanticUndefined

from pyjolt._internal.paths import CONVERTERS
from pyjolt.enums import HttpStatus, MediaType
from pyjolt.openapi.mounts import add_mounted
from pyjolt.openapi.parts import (
    JSON_MEDIA,
    error_response,
    free_name,
    media_schema,
    merge_scopes,
    openapi_path,
    param_type,
    split_doc,
    user_error_bodies,
)
from pyjolt.openapi.schemas import (
    HTTP_ERROR_NAME,
    HTTP_ERROR_SCHEMA,
    VALIDATION_ERROR_NAME,
    VALIDATION_ERROR_SCHEMA,
    JsonSchemaMode,
    SchemaRegistry,
)

if TYPE_CHECKING:
    from starlette.routing import BaseRoute


class DocumentedApp(Protocol):
    """What the document is built from: a PyJolt app's plans, handlers, routes and config."""

    @property
    def handler_plans(self) -> Iterable[Any]: ...

    @property
    def exception_handlers(self) -> Mapping[Any, Any]: ...

    @property
    def routes(self) -> list[BaseRoute]: ...

    def get_conf(self, config_name: str, default: Any = ...) -> Any: ...


__all__ = [
    "JSON_SCHEMA_DIALECT",
    "OPENAPI_VERSION",
    "DocumentBuilder",
    "DocumentedApp",
    "build_document",
    "openapi_path",
    "param_type",
    "split_doc",
    "user_error_bodies",
]

OPENAPI_VERSION = "3.1.0"
JSON_SCHEMA_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"

SchemaKey = tuple[Hashable, JsonSchemaMode]

_BUILTIN_ERRORS: dict[int, str] = {
    400: "Malformed request body",
    404: "Not found (a path parameter that does not match)",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed",
}

_CACHE: weakref.WeakKeyDictionary[DocumentedApp, dict[str, Any]] = weakref.WeakKeyDictionary()


class DocumentBuilder:
    """Turns handler plans into an OpenAPI 3.1 document (one instance per build)."""

    def __init__(
        self,
        plans: Iterable[Any],
        *,
        max_body_size: int | None = None,
        error_bodies: Mapping[int, Any] | None = None,
    ) -> None:
        self.plans = [p for p in plans if getattr(p, "include_in_schema", True) and not p.websocket]
        self.max_body_size = max_body_size
        self.registry = SchemaRegistry()
        self._keys: dict[tuple[str, str], SchemaKey] = {}
        self._operation_ids: set[str] = set()
        self.security_schemes: dict[str, Any] = {}
        self.error_name = HTTP_ERROR_NAME
        self.validation_name = VALIDATION_ERROR_NAME
        self._params_cache: dict[str, list[tuple[dict[str, Any], Any, Any, bool]]] = {}
        #: status -> body model (or None: any JSON) of framework answers a user handler makes
        self.error_bodies = dict(error_bodies or {})

    # -- pass 1: collect the types --------------------------------------------------------------
    def _collect(self) -> None:
        for status, model in self.error_bodies.items():
            if model is not None:
                self._keys[("", f"e{status}")] = self.registry.add(model, "serialization")
        for plan in self.plans:
            for i, (_, tp, _, _) in enumerate(self._request_params(plan)):
                self._keys[(plan.name, f"p{i}")] = self.registry.add(tp, "validation")
            if plan.body_type is not None:
                self._keys[(plan.name, "body")] = self.registry.add(plan.body_type, "validation")
            if plan.response_type is not None:
                self._keys[(plan.name, "response")] = self.registry.add(
                    plan.response_type, "serialization"
                )
            for i, desc in enumerate(plan.meta.descriptors):
                if desc.body is not None:
                    self._keys[(plan.name, f"d{i}")] = self.registry.add(desc.body, "serialization")
        self.registry.resolve()
        # The built-in error bodies never take the name of a user's model.
        taken = self.registry.components
        self.error_name = free_name(HTTP_ERROR_NAME, taken)
        self.validation_name = free_name(VALIDATION_ERROR_NAME, taken)

    def _schema(self, plan: Any, slot: str) -> dict[str, Any] | None:
        key = self._keys.get((plan.name, slot))
        return copy.deepcopy(self.registry.schema(key)) if key is not None else None

    # -- pass 2: operations ---------------------------------------------------------------------
    def _operation_id(self, plan: Any, method: str) -> str:
        base = plan.name if len(plan.methods) == 1 else f"{plan.name}.{method.lower()}"
        candidate, n = base, 2
        while candidate in self._operation_ids:
            candidate, n = f"{base}_{n}", n + 1
        self._operation_ids.add(candidate)
        return candidate

    def _request_params(self, plan: Any) -> list[tuple[dict[str, Any], Any, Any, bool]]:
        """(parameter object without schema, type, default, has default) of each query, header
        and cookie value; a model of query keys gives one per field."""
        cached = self._params_cache.get(plan.name)
        if cached is not None:
            return cached
        out: list[tuple[dict[str, Any], Any, Any, bool]] = []
        for spec in plan.params.specs if getattr(plan, "params", None) else ():
            if spec.fields is None:
                obj = {"name": spec.key, "in": spec.location, "required": spec.required}
                if spec.description:
                    obj["description"] = spec.description
                out.append((obj, param_type(spec.annotation), spec.default, not spec.required))
                continue
            model = param_type(spec.annotation)
            model = typing.get_args(model)[0] if typing.get_origin(model) is Annotated else model
            for (key, _), finfo in zip(spec.fields, model.model_fields.values(), strict=True):
                obj = {"name": key, "in": "query", "required": finfo.is_required()}
                if finfo.description:
                    obj["description"] = finfo.description
                tp = (
                    Annotated[finfo.annotation, *finfo.metadata]
                    if finfo.metadata
                    else finfo.annotation
                )
                has_default = not finfo.is_required() and finfo.default is not PydanticUndefined
                out.append((obj, param_type(tp), finfo.default, has_default))
        self._params_cache[plan.name] = out
        return out

    def _parameters(self, plan: Any) -> list[dict[str, Any]]:
        params = []
        for name, converter in plan.path_params.items():
            schema = dict(CONVERTERS[converter].schema)
            params.append({"name": name, "in": "path", "required": True, "schema": schema})
        for i, (obj, tp, default, has_default) in enumerate(self._request_params(plan)):
            schema = self._schema(plan, f"p{i}") or {}
            if has_default and default is not None:
                with contextlib.suppress(Exception):
                    schema["default"] = TypeAdapter(tp).dump_python(default, mode="json")
            params.append({**obj, "schema": schema})
        return params

    def _request_body(self, plan: Any) -> dict[str, Any] | None:
        consumes = plan.meta.consumes
        if consumes is None or consumes == MediaType.NO_CONTENT:
            return None
        schema = self._schema(plan, "body")
        if schema is None and plan.body_param is None:
            return {"content": {consumes.value: media_schema(consumes.value, None)}}
        return {
            "required": True,
            "content": {consumes.value: media_schema(consumes.value, schema)},
        }

    def _success(self, plan: Any) -> dict[str, Any]:
        produces = plan.meta.produces
        schema = self._schema(plan, "response")
        status = int(getattr(plan.meta, "status_code", None) or 200)
        if produces == MediaType.NO_CONTENT or status == 204:
            return {"204": {"description": "No content"}}
        media = produces.value if produces is not None else ("application/json" if schema else None)
        try:
            phrase = HttpStatus(status).phrase
        except ValueError:
            phrase = "Successful response"
        answer: dict[str, Any] = {"description": phrase if status != 200 else "Successful response"}
        if media is not None:
            answer["content"] = {media: media_schema(media, schema)}
        return {str(status): answer}

    def _responses(self, plan: Any) -> dict[str, Any]:
        responses: dict[str, Any] = {}
        documented = list(enumerate(plan.meta.descriptors))
        # A 2xx Descriptor documents the success answer itself (e.g. 201 Created).
        if not any(200 <= int(d.status) < 300 for _, d in documented):
            responses.update(self._success(plan))
        takes_body = plan.body_param is not None
        limit = plan.meta.max_body_size if plan.meta.max_body_size_set else self.max_body_size
        builtin: dict[int, str] = {}
        if takes_body:
            builtin.update(
                {400: _BUILTIN_ERRORS[400], 415: _BUILTIN_ERRORS[415], 422: _BUILTIN_ERRORS[422]}
            )
            if limit is not None:
                builtin[413] = _BUILTIN_ERRORS[413]
        if getattr(plan, "param_adapters", None) or getattr(plan, "params", None):
            builtin[422] = _BUILTIN_ERRORS[422]
        if plan.path_params:
            builtin[404] = _BUILTIN_ERRORS[404]
        for guard in plan.meta.guards:
            for status, description in guard.openapi_responses.items():
                builtin[int(status)] = description
        for status, description in sorted(builtin.items()):
            if status in self.error_bodies:
                responses[str(status)] = self._user_error(status, description)
                continue
            model = self.validation_name if status == 422 else self.error_name
            responses[str(status)] = error_response(description, model)
        for i, desc in documented:
            responses[str(int(desc.status))] = self._descriptor(plan, i, desc)
        return dict(sorted(responses.items()))

    def _user_error(self, status: int, description: str) -> dict[str, Any]:
        """A framework answer that the app's own exception handler writes."""
        key = self._keys.get(("", f"e{status}"))
        media: dict[str, Any] = (
            {"schema": copy.deepcopy(self.registry.schema(key))} if key is not None else {}
        )
        return {"description": description, "content": {"application/json": media}}

    def _descriptor(self, plan: Any, i: int, desc: Any) -> dict[str, Any]:
        status = int(desc.status)
        try:
            phrase = HttpStatus(status).phrase
        except ValueError:
            phrase = f"Status {status}"
        description = desc.description or phrase
        answer: dict[str, Any] = {"description": description}
        schema = self._schema(plan, f"d{i}")
        if schema is None and 200 <= status < 300:
            schema = self._schema(plan, "response")
        media = MediaType(desc.media_type)
        if status == 204 or media == MediaType.NO_CONTENT:
            return answer
        if schema is not None or media not in JSON_MEDIA:
            answer["content"] = {media.value: media_schema(media.value, schema)}
        return answer

    def _security(self, plan: Any) -> list[dict[str, list[str]]] | None:
        """Each guard's requirements are alternatives (cookie OR bearer); every guard runs, so
        the operation needs one alternative of each guard (their product)."""
        per_guard: list[list[dict[str, list[str]]]] = []
        for guard in plan.meta.guards:
            self.security_schemes.update(
                {name: dict(scheme) for name, scheme in guard.openapi_components().items()}
            )
            options = [
                {n: list(scopes) for n, scopes in req.items()} for req in guard.openapi_security
            ]
            if options and options not in per_guard:
                per_guard.append(options)
        if not per_guard:
            return None
        combined: list[dict[str, list[str]]] = [{}]
        for options in per_guard:
            combined = [merge_scopes(done, option) for done in combined for option in options]
        unique: list[dict[str, list[str]]] = []
        for item in combined:
            if item not in unique:
                unique.append(item)
        return unique

    def _operation(self, plan: Any, method: str) -> dict[str, Any]:
        summary, description = split_doc(plan.doc)
        op: dict[str, Any] = {
            "tags": list(plan.meta.tags) or [plan.controller.__name__],
            "summary": summary or plan.name,
            "operationId": self._operation_id(plan, method),
        }
        if description:
            op["description"] = description
        if params := self._parameters(plan):
            op["parameters"] = params
        if body := self._request_body(plan):
            op["requestBody"] = body
        op["responses"] = self._responses(plan)
        if (security := self._security(plan)) is not None:
            op["security"] = security
        return op

    def build(self, info: Mapping[str, Any]) -> dict[str, Any]:
        """The whole document (without ``servers``: those follow the request)."""
        self._collect()
        paths: dict[str, dict[str, Any]] = {}
        for plan in self.plans:
            item = paths.setdefault(openapi_path(plan.starlette_path), {})
            for method in plan.methods:
                if method in ("HEAD", "OPTIONS"):
                    continue
                item[method.lower()] = self._operation(plan, method)
        schemas = dict(self.registry.components)
        schemas[self.error_name] = HTTP_ERROR_SCHEMA
        schemas[self.validation_name] = VALIDATION_ERROR_SCHEMA
        components: dict[str, Any] = {"schemas": dict(sorted(schemas.items()))}
        if self.security_schemes:
            components["securitySchemes"] = dict(sorted(self.security_schemes.items()))
        tags = sorted({t for p in paths.values() for op in p.values() for t in op["tags"]})
        return {
            "openapi": OPENAPI_VERSION,
            "jsonSchemaDialect": JSON_SCHEMA_DIALECT,
            "info": dict(info),
            "tags": [{"name": t} for t in tags],
            "paths": dict(sorted(paths.items())),
            "components": components,
        }


def build_document(app: DocumentedApp, *, root_path: str | None = None) -> dict[str, Any]:
    """The app's OpenAPI 3.1 document, built once and cached on the app.

    Args:
        app: the PyJolt app (its ``handler_plans`` and config are read).
        root_path: when given (the request's ``root_path``), ``servers`` points at it, so the
            document stays right behind a proxy or when the app is mounted.
    """
    doc = _CACHE.get(app)
    if doc is None:
        info = {
            "title": str(app.get_conf("APP_NAME", "PyJolt app")),
            "version": str(app.get_conf("VERSION", "1.0")),
            "description": str(app.get_conf("OPEN_API_DESCRIPTION", "Simple API")),
        }
        builder = DocumentBuilder(
            app.handler_plans,
            max_body_size=app.get_conf("MAX_BODY_SIZE", None),
            error_bodies=user_error_bodies(app.exception_handlers),
        )
        doc = add_mounted(builder.build(info), list(app.routes), build_document)
        _CACHE[app] = doc
    if root_path is None:
        return doc
    return {**doc, "servers": [{"url": root_path.rstrip("/") or "/"}]}
