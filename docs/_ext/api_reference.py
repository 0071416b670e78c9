"""Which names the API reference documents on which page.

Every public import path (SPEC.md) gets a page; an object exported by several of them (``Request``
from ``pyjolt`` and ``pyjolt.request``) is documented once, on the first page of ``MODULES`` that
exports it, and the other pages link to it.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Any

#: public modules, in the order of the reference (a name belongs to the first that exports it)
MODULES: tuple[str, ...] = (
    "pyjolt",
    "pyjolt.controller",
    "pyjolt.request",
    "pyjolt.response",
    "pyjolt.params",
    "pyjolt.exceptions",
    "pyjolt.middleware",
    "pyjolt.config",
    "pyjolt.logging",
    "pyjolt.testing",
    "pyjolt.security",
    "pyjolt.openapi",
    "pyjolt.observability",
    "pyjolt.cli",
    "pyjolt.extension",
    "pyjolt.database.sql",
    "pyjolt.database.sql.migrate",
    "pyjolt.database.nosql",
    "pyjolt.database.nosql.backends",
    "pyjolt.auth",
    "pyjolt.caching",
    "pyjolt.caching.backends",
    "pyjolt.task_manager",
    "pyjolt.task_queue",
    "pyjolt.email",
    "pyjolt.ai_interface",
    "pyjolt.rate_limit",
    "pyjolt.admin",
)


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str  # the autodoc directive: autoclass, autofunction, autodata
    owner: str  # the module whose page documents it
    alias_of: str | None = None  # another name of the same object on the same page


def public_names(module: ModuleType) -> list[str]:
    """``__all__``, or the public names defined in the module itself."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    return sorted(
        name
        for name, obj in vars(module).items()
        if not name.startswith("_")
        and getattr(obj, "__module__", None) == module.__name__
        and (inspect.isclass(obj) or inspect.isfunction(obj))
    )


def _kind(obj: Any) -> str:
    if inspect.isclass(obj):
        return "autoclass"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "autofunction"
    if callable(obj) and hasattr(obj, "__wrapped__"):
        return "autofunction"
    return "autodata"


def plan() -> dict[str, list[Entry]]:
    """For every module of ``MODULES``: its public names, each with the page documenting it."""
    owners: dict[int, str] = {}
    out: dict[str, list[Entry]] = {}
    for modname in MODULES:
        module = importlib.import_module(modname)
        entries: list[Entry] = []
        seen: dict[int, str] = {}
        for name in public_names(module):
            obj = getattr(module, name)
            origin = getattr(obj, "__module__", None) or modname
            if not origin.startswith("pyjolt"):
                # another library's object (SQLAlchemy's AsyncSession): linked, not documented
                entries.append(Entry(name, _kind(obj), origin))
                continue
            if not _shareable(obj):
                entries.append(Entry(name, _kind(obj), modname))
                continue
            owner = owners.setdefault(id(obj), modname)
            alias = seen.get(id(obj)) if owner == modname else None
            seen.setdefault(id(obj), name)
            entries.append(Entry(name, _kind(obj), owner, alias))
        out[modname] = entries
    return out


def render_page(modname: str, entries: list[Entry]) -> str:
    """One module's page: autodoc directives for what it owns, links for the rest (MyST)."""
    module = importlib.import_module(modname)
    summary = (inspect.getdoc(module) or "").split("\n\n")[0].strip()
    lines = [f"# `{modname}`", "", summary, ""]
    # autodoc writes reStructuredText: its directives go in an eval-rst block
    lines += ["```{eval-rst}", f".. py:module:: {modname}", ""]
    for entry in entries:
        if entry.owner != modname or entry.alias_of is not None:
            continue
        lines.append(f".. {entry.kind}:: {modname}.{entry.name}")
        if entry.kind == "autoclass":
            lines += ["   :members:", "   :show-inheritance:"]
        lines.append("")
    lines += ["```", ""]
    aliases = [e for e in entries if e.alias_of is not None]
    if aliases:
        lines.append("Other names on this page:")
        lines.append("")
        lines += [f"- `{e.name}`: {{py:obj}}`{modname}.{e.alias_of}`" for e in aliases]
        lines.append("")
    foreign = [e for e in entries if not e.owner.startswith("pyjolt")]
    if foreign:
        lines.append("Re-exported from other libraries (see their documentation):")
        lines.append("")
        lines += [f"- `{e.name}`: `{e.owner}.{e.name}`" for e in foreign]
        lines.append("")
    elsewhere = [e for e in entries if e.owner != modname and e.owner.startswith("pyjolt")]
    if elsewhere:
        lines.append("Also importable from this module (documented on their own page):")
        lines.append("")
        lines += [f"- {{py:obj}}`{e.name} <{e.owner}.{e.name}>`" for e in elsewhere]
        lines.append("")
    return "\n".join(lines)


def _shareable(obj: Any) -> bool:
    # strings and numbers (HTTP method names...) are values, not objects worth linking
    return inspect.isclass(obj) or callable(obj)


def public_path(obj: Any) -> str:
    """The first public import path of a class or function: ``pyjolt.caching.Cache``."""
    for modname in MODULES:
        module = importlib.import_module(modname)
        for name in public_names(module):
            if getattr(module, name, None) is obj:
                return f"{modname}.{name}"
    return f"{obj.__module__}.{obj.__qualname__}"
