"""The OpenAPI 3.0 rendition of JSON Schema 2020-12 keywords (for Swagger UI 4)."""

from __future__ import annotations

from typing import Any

import pytest

from pyjolt.openapi.compat import downgrade_document, downgrade_schema


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, {"type": "integer", "nullable": True}),
        (
            {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
            {"nullable": True, "allOf": [{"$ref": "#/components/schemas/A"}]},
        ),
        (
            {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]},
            {"nullable": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
        ),
        ({"type": ["string", "null"]}, {"type": "string", "nullable": True}),
        ({"const": "x"}, {"enum": ["x"]}),
        ({"examples": [1, 2]}, {"example": 1}),
        ({"exclusiveMinimum": 0}, {"minimum": 0, "exclusiveMinimum": True}),
        ({"type": "string", "contentMediaType": "image/png"}, {"type": "string"}),
        (
            {"$ref": "#/components/schemas/A", "description": "d"},
            {"description": "d", "allOf": [{"$ref": "#/components/schemas/A"}]},
        ),
        (
            {"type": "object", "properties": {"a": {"const": 1}}},
            {"type": "object", "properties": {"a": {"enum": [1]}}},
        ),
    ],
)
def test_downgrade_schema(schema: dict[str, Any], expected: dict[str, Any]) -> None:
    assert downgrade_schema(schema) == expected


def test_downgrade_document_keeps_the_31_original_untouched() -> None:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {"title": "t", "version": "1", "summary": "s"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"type": ["integer", "null"]}}
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"A": {"const": 3}}},
    }
    out = downgrade_document(doc)
    assert out["openapi"] == "3.0.3"
    assert "jsonSchemaDialect" not in out
    assert "summary" not in out["info"]
    media = out["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == {"type": "integer", "nullable": True}
    assert out["components"]["schemas"]["A"] == {"enum": [3]}
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["schemas"]["A"] == {"const": 3}
