"""An OpenAPI 3.0 rendition of the 3.1 document, for Swagger UI 4 (which renders 3.0 only).

``swagger-ui-bundle`` 1.x ships Swagger UI 4.15, which refuses ``openapi: 3.1.0``. The docs page
then reads ``specs.json?compat=3.0``: the same document with the JSON Schema 2020-12 keywords
that pydantic emits rewritten to their 3.0 equivalents. The 3.1 document stays the reference.
"""

from __future__ import annotations

from typing import Any

_DROP_KEYS = ("$schema", "contentMediaType", "contentEncoding", "$defs", "unevaluatedProperties")


def _null_free(options: list[Any]) -> tuple[list[Any], bool]:
    rest = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
    return rest, len(rest) != len(options)


def downgrade_schema(schema: Any) -> Any:
    """Rewrite one JSON Schema 2020-12 schema (recursively) as an OpenAPI 3.0 schema object."""
    if isinstance(schema, list):
        return [downgrade_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROP_KEYS:
            continue
        if key in ("properties", "patternProperties", "dependentSchemas"):
            out[key] = {k: downgrade_schema(v) for k, v in value.items()}
        elif key == "const":
            out["enum"] = [value]
        elif key == "examples" and isinstance(value, list):
            if value:
                out["example"] = value[0]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            out["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            out[key] = True
        elif key == "prefixItems":
            out["items"] = {"anyOf": downgrade_schema(value)} if value else {}
        elif key == "type" and isinstance(value, list):
            types = [t for t in value if t != "null"]
            if len(types) != len(value):
                out["nullable"] = True
            if len(types) == 1:
                out["type"] = types[0]
            elif types:
                out["anyOf"] = [{"type": t} for t in types]
        elif key in ("anyOf", "oneOf"):
            rest, nullable = _null_free(value)
            if nullable:
                out["nullable"] = True
            if len(rest) == 1 and nullable:
                only = downgrade_schema(rest[0])
                if isinstance(only, dict) and "$ref" not in only:
                    out.update({k: v for k, v in only.items() if k not in out})
                else:
                    out["allOf"] = [only]
            elif rest:
                out[key] = downgrade_schema(rest)
        elif isinstance(value, (dict, list)):
            out[key] = downgrade_schema(value)
        else:
            out[key] = value
    if "$ref" in out and len(out) > 1:
        # 3.0 ignores siblings of $ref: keep them by wrapping the reference.
        out["allOf"] = [{"$ref": out.pop("$ref")}, *out.get("allOf", [])]
    return out


def _walk(node: Any) -> Any:
    """Downgrade every ``schema`` found in operations, parameters and media types."""
    if isinstance(node, list):
        return [_walk(n) for n in node]
    if not isinstance(node, dict):
        return node
    return {k: downgrade_schema(v) if k == "schema" else _walk(v) for k, v in node.items()}


def downgrade_document(doc: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.0.3 copy of a 3.1 document (for display by Swagger UI 4 only)."""
    out = {k: v for k, v in doc.items() if k not in ("jsonSchemaDialect", "webhooks")}
    out["openapi"] = "3.0.3"
    info = dict(out.get("info", {}))
    info.pop("summary", None)
    out["info"] = info
    out["paths"] = _walk(doc.get("paths", {}))
    components = dict(doc.get("components", {}))
    if "schemas" in components:
        components["schemas"] = {k: downgrade_schema(v) for k, v in components["schemas"].items()}
    out["components"] = _walk({k: v for k, v in components.items() if k != "schemas"})
    if "schemas" in components:
        out["components"]["schemas"] = components["schemas"]
    return out
