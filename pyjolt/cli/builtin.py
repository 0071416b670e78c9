"""Developer commands every app has: ``routes`` and ``openapi``."""

from __future__ import annotations

import asyncio
import importlib
import json as jsonlib
import sys
from pathlib import Path
from typing import Any

from pyjolt.cli.controller import Argument, CliCommand, CommandError


def builtin_commands(app: Any) -> list[CliCommand]:
    """The built-in commands bound to ``app`` (an app's own commands of the same name win)."""

    async def routes(json: bool = False) -> None:
        rows = route_table(app)
        if json:
            print(jsonlib.dumps(rows, indent=2))
        else:
            print(format_table(rows))

    async def openapi(output: str | None = None, indent: int = 2) -> None:
        text = jsonlib.dumps(openapi_document(app), indent=indent or None, ensure_ascii=False)
        if output in (None, "", "-"):
            print(text)
            return
        target = Path(str(output))
        await asyncio.to_thread(_write_text, target, text + "\n")
        print(f"OpenAPI document written to {target}", file=sys.stderr)

    return [
        CliCommand(
            "routes",
            routes,
            "List the routes: method, path, name and guards.",
            (Argument("json", bool, "print JSON instead of a table", False, False, True),),
        ),
        CliCommand(
            "openapi",
            openapi,
            "Write the OpenAPI document (JSON) to a file or stdout.",
            (
                Argument("output", str, "file to write (default: stdout)", None, False, True),
                Argument("indent", int, "JSON indentation (0: compact)", 2, False, True),
            ),
        ),
    ]


def _write_text(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def route_table(app: Any) -> list[dict[str, str]]:
    """One row per route: ``method``, ``path``, ``name``, ``guards``."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for plan in getattr(app, "handler_plans", None) or ():
        methods = (
            ("WS",) if getattr(plan, "websocket", False) else tuple(getattr(plan, "methods", ()))
        )
        guards = getattr(getattr(plan, "meta", None), "guards", ()) or ()
        name = str(getattr(plan, "name", ""))
        seen.add(name)
        rows.append(
            {
                "method": ",".join(m for m in methods if m != "HEAD") or "ANY",
                "path": str(getattr(plan, "path", "")),
                "name": name,
                "guards": ", ".join(_guard_name(g) for g in guards),
            }
        )
    for route in getattr(app, "routes", None) or ():
        name = str(getattr(route, "name", "") or "")
        if name and name in seen:
            continue
        rows.append(_starlette_row(route))
    rows.sort(key=lambda r: (r["path"], r["method"]))
    return rows


def _starlette_row(route: Any) -> dict[str, str]:
    path = str(getattr(route, "path", ""))
    methods = getattr(route, "methods", None)
    if methods:
        method = ",".join(sorted(m for m in methods if m != "HEAD")) or "HEAD"
    elif type(route).__name__ == "WebSocketRoute":
        method = "WS"
    elif type(route).__name__ == "Mount":
        method, path = "MOUNT", path.rstrip("/") + "/*"
    else:
        method = "ANY"
    return {
        "method": method,
        "path": path,
        "name": str(getattr(route, "name", "") or ""),
        "guards": "",
    }


def _guard_name(guard: Any) -> str:
    return guard.__name__ if isinstance(guard, type) else type(guard).__name__


def format_table(rows: list[dict[str, str]]) -> str:
    """Rows as an aligned text table."""
    if not rows:
        return "No routes."
    headers = {"method": "METHOD", "path": "PATH", "name": "NAME", "guards": "GUARDS"}
    keys = list(headers)
    widths = {k: max(len(headers[k]), *(len(r[k]) for r in rows)) for k in keys}
    lines = ["  ".join(headers[k].ljust(widths[k]) for k in keys).rstrip()]
    lines += ["  ".join(r[k].ljust(widths[k]) for k in keys).rstrip() for r in rows]
    return "\n".join(lines)


def openapi_document(app: Any) -> dict[str, Any]:
    """The app's OpenAPI document from ``pyjolt.openapi.build_document``."""
    build: Any = None
    for module_name in ("pyjolt.openapi", "pyjolt.openapi.document"):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise CommandError(
                f"the OpenAPI support ({module_name}) cannot be imported: {exc}"
            ) from exc
        build = getattr(module, "build_document", None)
        if build is not None:
            break
    if build is None:
        raise CommandError(
            "pyjolt.openapi has no build_document(app); this PyJolt cannot write the document"
        )
    document: dict[str, Any] = build(app)
    return document
