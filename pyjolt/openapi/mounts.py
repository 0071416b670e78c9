"""Mounted apps in the document: their operations under the mount's path, or a note.

``app.mount("/legacy", other)`` serves ``other`` under ``/legacy``. When ``other`` describes
itself (a PyJolt app, or anything with an ``openapi()`` method returning an OpenAPI 3.x
document, such as FastAPI), its paths are added with the prefix, its component schemas merged
(renamed when a name is taken by a different schema) and its operation ids kept unique. A
plain Starlette or ASGI app has no document: the paths it serves are left out, and
``info.description`` says so. Static files and the docs' own assets are not operations and are
skipped quietly.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _sub_document(sub: Any, build: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    if hasattr(sub, "handler_plans"):
        return build(sub)
    describe = getattr(sub, "openapi", None)
    if callable(describe):
        doc = describe()
        return doc if isinstance(doc, dict) and "paths" in doc else None
    return None


def _rename_components(sub: dict[str, Any], taken: dict[str, Any], prefix: str) -> dict[str, Any]:
    """``sub`` with its component schemas renamed where ``taken`` has another schema."""
    schemas = sub.get("components", {}).get("schemas", {})
    renames = {
        name: f"{prefix}__{name}"
        for name, schema in schemas.items()
        if name in taken and taken[name] != schema
    }
    if not renames:
        return sub
    text = json.dumps(sub)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    out: dict[str, Any] = json.loads(text)
    out["components"]["schemas"] = {
        renames.get(name, name): schema for name, schema in out["components"]["schemas"].items()
    }
    return out


def add_mounted(
    doc: dict[str, Any], routes: list[Any], build: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """``doc`` with the documented mounted apps among ``routes`` added (a new dict)."""
    mounts = [r for r in routes if isinstance(r, Mount) and not isinstance(r.app, StaticFiles)]
    if not mounts:
        return doc
    doc = copy.deepcopy(doc)
    left_out: list[str] = []
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    operation_ids = {
        op.get("operationId") for item in doc["paths"].values() for op in item.values()
    }
    for mount in mounts:
        base = mount.path.rstrip("/")
        sub = _sub_document(mount.app, build)
        if sub is None:
            left_out.append(base or "/")
            continue
        sub = _rename_components(sub, schemas, _UNSAFE.sub("_", base.strip("/")) or "root")
        for name, schema in sub.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(name, schema)
        for name, scheme in sub.get("components", {}).get("securitySchemes", {}).items():
            components.setdefault("securitySchemes", {}).setdefault(name, scheme)
        for url, item in sub.get("paths", {}).items():
            for op in item.values():
                if isinstance(op, dict) and "operationId" in op:
                    op_id, n = op["operationId"], 2
                    while op["operationId"] in operation_ids:
                        op["operationId"], n = f"{op_id}_{n}", n + 1
                    operation_ids.add(op["operationId"])
            doc["paths"][base + url] = item
        known = {t["name"] for t in doc.get("tags", [])}
        doc.setdefault("tags", []).extend(
            t for t in sub.get("tags", []) if t.get("name") not in known
        )
    doc["paths"] = dict(sorted(doc["paths"].items()))
    if left_out:
        note = (
            "Not documented here: the apps mounted at "
            + ", ".join(left_out)
            + " (they publish no OpenAPI document)."
        )
        description = doc["info"].get("description")
        doc["info"]["description"] = f"{description}\n\n{note}" if description else note
    return doc
