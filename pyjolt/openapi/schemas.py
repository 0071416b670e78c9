"""Component schemas: every model used by the routes, generated in one pydantic pass.

One pass over all types (``TypeAdapter.json_schemas``) lets pydantic give each model a single
name under ``#/components/schemas``, and qualify same-named models from different modules
(``app__users__User`` / ``app__admin__User``) instead of letting one overwrite the other.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, Literal

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema
from starlette.datastructures import UploadFile

REF_TEMPLATE = "#/components/schemas/{model}"
JsonSchemaMode = Literal["validation", "serialization"]

#: The schema of an uploaded file in a multipart body.
BINARY_SCHEMA: dict[str, Any] = {"type": "string", "format": "binary"}

#: The JSON body of PyJolt's built-in error answers (``BaseHttpException.to_dict``).
HTTP_ERROR_NAME = "HttpError"
HTTP_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "HttpError",
    "description": "The JSON body of an error answer.",
    "properties": {
        "status": {"type": "string", "examples": ["error"]},
        "message": {"type": "string"},
        "data": {"description": "Details, e.g. the fields that failed validation."},
    },
    "required": ["status", "message"],
}

#: The body of the built-in 422 answer: ``data`` lists the fields that failed.
VALIDATION_ERROR_NAME = "ValidationFailed"
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    **HTTP_ERROR_SCHEMA,
    "title": "ValidationFailed",
    "description": "The JSON body of a 422 answer: the fields that failed validation.",
    "properties": {
        **HTTP_ERROR_SCHEMA["properties"],
        "data": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
                "required": ["loc", "msg", "type"],
            },
        },
    },
    "required": ["status", "message", "data"],
}


def is_file_type(cls: Any) -> bool:
    """Whether ``cls`` is an uploaded-file type (Starlette's ``UploadFile`` or PyJolt's)."""
    return isinstance(cls, type) and issubclass(cls, UploadFile)


class OpenApiJsonSchema(GenerateJsonSchema):
    """pydantic's generator, with file fields as binary strings and no hard failures.

    A type pydantic cannot describe (an arbitrary class) becomes ``{}`` (any value) rather than
    stopping the whole document.
    """

    def is_instance_schema(self, schema: core_schema.IsInstanceSchema) -> JsonSchemaValue:
        if is_file_type(schema["cls"]):
            return dict(BINARY_SCHEMA)
        return super().is_instance_schema(schema)

    def handle_invalid_for_json_schema(
        self, schema: core_schema.CoreSchema | core_schema.CoreSchemaType, error_info: str
    ) -> JsonSchemaValue:
        cls = schema.get("cls") if isinstance(schema, Mapping) else None
        if is_file_type(cls):
            return dict(BINARY_SCHEMA)
        return {}


class SchemaRegistry:
    """Collects the types of all routes, then resolves them to schemas in one pass.

    Usage: ``key = registry.add(Model, "validation")`` for each type, then ``registry.resolve()``
    once, then ``registry.schema(key)`` and ``registry.components``.
    """

    def __init__(self) -> None:
        self._pending: dict[tuple[Hashable, JsonSchemaMode], TypeAdapter[Any]] = {}
        self._keys: dict[tuple[int, JsonSchemaMode], Hashable] = {}
        self._resolved: dict[tuple[Hashable, JsonSchemaMode], dict[str, Any]] = {}
        self._types: list[Any] = []  # keeps the types alive so their id() is not reused
        self.components: dict[str, Any] = {}

    def add(self, tp: Any, mode: JsonSchemaMode) -> tuple[Hashable, JsonSchemaMode]:
        """Register a type; returns the key to read its schema with after ``resolve``."""
        known = self._keys.get((id(tp), mode))
        if known is not None:
            return known, mode
        key: Hashable = f"t{len(self._keys)}"
        self._keys[(id(tp), mode)] = key
        self._pending[(key, mode)] = TypeAdapter(tp)
        self._types.append(tp)
        return key, mode

    def resolve(self) -> None:
        """Generate every registered schema and the shared component definitions."""
        if not self._pending:
            return
        inputs = [(key, mode, adapter) for (key, mode), adapter in self._pending.items()]
        schemas, definitions = TypeAdapter.json_schemas(
            inputs, ref_template=REF_TEMPLATE, schema_generator=OpenApiJsonSchema
        )
        self._resolved = {k: dict(v) for k, v in schemas.items()}
        self.components = dict(sorted(definitions.get("$defs", {}).items()))

    def schema(self, key: tuple[Hashable, JsonSchemaMode]) -> dict[str, Any]:
        """The schema of a registered type (a ``$ref`` for models)."""
        return self._resolved[key]
