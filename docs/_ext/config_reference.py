"""The configuration reference, generated from the config models so it cannot drift.

``sections()`` reads ``BaseConfig`` and the config model of every extension class in PyJolt
(found by walking the package, so a new extension is listed without editing this file);
``render_markdown()`` turns them into the tables of docs/configuration.md (the
``pyjolt-config-reference`` directive in docs/_ext/pyjolt_docs.py). Keys without a pydantic
``description`` take theirs from config_descriptions.py.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# a module of docs/_ext: Sphinx (conf.py) and the tests put that folder on sys.path
from api_reference import public_path
from config_descriptions import DESCRIPTIONS
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

import pyjolt
from pyjolt.config import BaseConfig
from pyjolt.extension import BaseExtension

#: the heading of the top-level keys in the reference
TOP_LEVEL = "BaseConfig"


@dataclass(frozen=True)
class Setting:
    key: str
    type: str
    default: str
    description: str


@dataclass(frozen=True)
class Section:
    """One table: the top-level keys (``name`` = "BaseConfig") or an extension's section."""

    name: str
    model: type[BaseModel]
    extension: type[Any] | None
    settings: tuple[Setting, ...]


def _import_all() -> None:
    for info in pkgutil.walk_packages(pyjolt.__path__, "pyjolt."):
        try:
            importlib.import_module(info.name)
        except ImportError:  # an extra that is not installed: its extension is not listed
            continue


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def extension_classes() -> list[type[BaseExtension[Any]]]:
    """PyJolt's extension classes that have a config section, by section name."""
    _import_all()
    found = {
        cls
        for cls in _subclasses(BaseExtension)
        if cls.__module__.startswith("pyjolt.") and cls.config_model is not None
    }
    return sorted(found, key=lambda cls: cls.default_configs_name)


def type_name(annotation: Any) -> str:
    """An annotation as a reader writes it: ``str | None``, ``list[str]``, ``Literal['a', 'b']``."""
    if annotation is None or annotation is type(None):
        return "None"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(type_name(a) for a in args)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(a) for a in args) + "]"
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is not None:
        name = getattr(origin, "__name__", str(origin))
        return f"{name}[{', '.join(type_name(a) for a in args)}]" if args else name
    if annotation is Any:
        return "Any"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def default_text(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "required"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


_ITEM = re.compile(r"^(?:    |- )(?=\S)(?P<text>.*)$")
_NAME = re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b")
_NEXT_KEY = re.compile(r";\s+(?=`{0,2}[A-Z][A-Z0-9_]{2,}`{0,2}:\s)")


def _items(doc: str) -> list[str]:
    """The key items of a docstring's config block: "    KEY: text" lines (continued by
    deeper indented lines) or "- ``KEY``: text" bullets (continued by two spaces)."""
    items: list[str] = []
    for line in doc.splitlines():
        if line.startswith(("        ", "  ")) and items and not _ITEM.match(line):
            items[-1] += " " + line.strip()
        elif (match := _ITEM.match(line)) is not None:
            items.append(match["text"])
        elif line.startswith("      ") and items:
            items[-1] += " " + line.strip()
    return items


def docstring_descriptions(cls: type[Any] | None, keys: set[str]) -> dict[str, str]:
    """What an extension's docstring says of its keys ("KEY: text" items of its config
    block): the docstring stays the one place a key is explained."""
    if cls is None:
        return {}
    out: dict[str, str] = {}
    for item in _items(inspect.getdoc(cls) or ""):
        for part in _NEXT_KEY.split(item):
            names, sep, text = part.partition(": ")
            if not sep:
                continue
            outside = re.sub(r"\([^)]*\)", "", names)  # "KEY (default)" -> "KEY"
            if re.search(r"[a-z]", outside.replace("`", "").replace(" and ", " ")):
                continue  # a sentence, not a list of keys
            text = text.strip().replace("``", "`")
            for name in _NAME.findall(outside):
                if name in keys:
                    out.setdefault(name, text[:1].upper() + text[1:])
    return out


def comment_descriptions(model: type[BaseModel]) -> dict[str, str]:
    """The ``#: text`` comments written above the fields of a config model."""
    out: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        try:
            source = inspect.getsource(cls)
        except (OSError, TypeError):
            continue
        comment: list[str] = []
        for line in source.splitlines():
            stripped = line.strip()
            if stripped.startswith("#:"):
                comment.append(stripped[2:].strip())
                continue
            field = re.match(r"([A-Z][A-Z0-9_]*)\s*:", stripped)
            if field and comment and field[1] in model.model_fields:
                out[field[1]] = " ".join(comment).replace("``", "`")
            comment = []
    return out


def _settings(
    section: str, model: type[BaseModel], extension: type[Any] | None = None
) -> tuple[Setting, ...]:
    keys = set(model.model_fields)
    described = {
        **docstring_descriptions(extension, keys),
        **comment_descriptions(model),
        **DESCRIPTIONS.get(section, {}),
    }
    return tuple(
        Setting(
            key=key,
            type=type_name(field.annotation),
            default=default_text(field),
            description=field.description or described.get(key, ""),
        )
        for key, field in model.model_fields.items()
    )


def sections() -> list[Section]:
    out = [Section(TOP_LEVEL, BaseConfig, None, _settings(TOP_LEVEL, BaseConfig))]
    for cls in extension_classes():
        model = cls.config_model
        assert model is not None
        name = cls.default_configs_name
        out.append(Section(name, model, cls, _settings(name, model, cls)))
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    # a code span holding backticks needs a longer fence
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


def render_markdown() -> str:
    """Every section as a MyST heading and a table of key, type, default, description."""
    parts: list[str] = []
    for section in sections():
        if section.extension is None:
            parts.append("## Top-level keys (`BaseConfig`)\n")
            parts.append(
                "Set them as class attributes of your config class or as environment variables "
                "of the same name.\n"
            )
        else:
            parts.append(f"## `{section.name}`\n")
            parts.append(
                f"The section of `{public_path(section.extension)}` "
                f"(model `{public_path(section.model)}`). Give it as "
                f"`{section.name} = {{...}}` or one key at a time as "
                f"`{section.name}__KEY` environment variables.\n"
            )
        parts.append("| Key | Type | Default | Description |")
        parts.append("| --- | --- | --- | --- |")
        for s in section.settings:
            parts.append(
                f"| `{s.key}` | {_code(s.type)} | {_code(s.default)} | {_cell(s.description)} |"
            )
        parts.append("")
    return "\n".join(parts)
