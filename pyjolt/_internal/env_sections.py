"""Config sections from the environment: ``SECTION`` as JSON, ``SECTION__KEY`` one key each,
merged over the config class's dicts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

SECTION_SEPARATOR = "__"


def merge_sections(
    config_class: type[BaseModel], data: dict[str, Any], environ: Mapping[str, str]
) -> dict[str, Any]:
    """Merge the given values of dict sections over the class's values.

    ``data`` holds what the environment, the env file and keyword arguments give. A section's
    dict (from JSON) is merged key by key over the class's dict; ``SECTION__KEY`` entries of
    ``data`` (the env file) and then of ``environ`` set one key each.
    """
    out = dict(data)
    sections: dict[str, dict[str, Any]] = {}
    for name, field in config_class.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, dict):
            sections[name] = default
    for name in list(out):
        section, sep, key = name.partition(SECTION_SEPARATOR)
        if sep and section and key and section not in sections:
            # a section the class does not declare, given key by key in the env file
            sections[section] = {}
    for name, default in sections.items():
        merged = dict(default)
        given = parse_env_value(out.get(name))
        if isinstance(given, Mapping):
            merged.update(given)
        elif name in out:
            continue  # not a dict: validation reports it
        for source in (data, environ):
            merged.update(section_overrides(name, source))
        for key in [k for k in out if k.startswith(name + SECTION_SEPARATOR)]:
            del out[key]
        if merged != default or name in out:
            out[name] = merged
    return out


def section_overrides(name: str, source: Mapping[str, Any]) -> dict[str, Any]:
    """The ``NAME__KEY`` entries of ``source`` as ``{KEY: value}`` (JSON values parsed)."""
    prefix = name + SECTION_SEPARATOR
    return {
        key[len(prefix) :]: parse_env_value(value)
        for key, value in source.items()
        if key.startswith(prefix) and len(key) > len(prefix)
    }


def environment_section(name: str, environ: Mapping[str, str]) -> Any:
    """A section the config class does not declare, from the environment: ``NAME`` (JSON)
    merged with ``NAME__KEY`` variables; None when neither is set."""
    value = parse_env_value(environ[name]) if name in environ else None
    overrides = section_overrides(name, environ)
    if not overrides:
        return value
    merged = dict(value) if isinstance(value, Mapping) else {}
    merged.update(overrides)
    return merged


def parse_env_value(value: Any) -> Any:
    """A JSON object or list given in an environment variable, parsed; other values as they are."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
