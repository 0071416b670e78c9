"""A config's values from the environment, read without pydantic-settings for plain configs.

A plain config (no env file, prefix, secrets folder or other pydantic-settings key in its
``model_config``) takes a field's value from the variable of the same name, as pydantic-settings'
environment source would with ``case_sensitive=True``. Scalar fields (``str``, ``int``, ``bool``,
``float``, ``Any``, optionally ``| None``) take the string as it is, for pydantic to convert;
every other field's value (lists and dicts as JSON, models, unions...) and every config with
aliases goes through pydantic-settings' own environment source, imported only then, so values
are parsed exactly as pydantic-settings parses them.
"""

from __future__ import annotations

import os
import types
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

from pydantic import ConfigDict

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo


#: pydantic's own ``model_config`` keys; any other (``env_file``, ``env_prefix``...) is
#: pydantic-settings'.
_PYDANTIC_CONFIG_KEYS = frozenset(ConfigDict.__annotations__)


class EnvironmentValueError(ValueError):
    """A variable's value the field cannot take as given (a list or dict that is not JSON)."""


_SCALARS: frozenset[Any] = frozenset({str, int, float, bool, Any})
_UNIONS = (Union, types.UnionType)


def _is_scalar(annotation: Any) -> bool:
    """Whether pydantic-settings passes the variable's string through as it is."""
    if annotation in _SCALARS:
        return True
    if get_origin(annotation) in _UNIONS:
        return all(arg is type(None) or arg in _SCALARS for arg in get_args(annotation))
    return False


def needs_pydantic_settings(
    namespace: Mapping[str, Any], bases: tuple[type, ...], kw: Mapping[str, Any]
) -> bool:
    """Whether a new config class needs pydantic-settings to read its values: its config
    names one of pydantic-settings' keys, or it customises pydantic-settings' sources."""
    if any(getattr(base, "_pyjolt_settings_engine", False) for base in bases):
        return False  # inherited
    if "settings_customise_sources" in namespace:
        return True
    config = {**(namespace.get("model_config") or {}), **kw}
    return any(
        key not in _PYDANTIC_CONFIG_KEYS and not (key == "case_sensitive" and value is True)
        for key, value in config.items()
    )


def environment_values(
    config_class: type[BaseModel], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The values ``environ`` (default ``os.environ``) gives the fields of ``config_class``."""
    env = os.environ if environ is None else environ
    fields = config_class.model_fields
    if any(f.alias is not None or f.validation_alias is not None for f in fields.values()):
        return _aliased(config_class, env)
    data: dict[str, Any] = {}
    stock = None
    strict = bool(config_class.model_config.get("strict"))
    for name, field in fields.items():
        value = env.get(name)
        if value is None:
            continue
        if not strict and _is_scalar(field.annotation):
            data[name] = value
            continue
        stock = stock or _stock_source(config_class, env)
        prepared = _prepared(stock, name, field, value)
        if prepared is not None:
            data[name] = prepared
    return data


def merged(under: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over``'s values over ``under``'s, dicts merged key by key (pydantic-settings' order of
    sources: keyword values over the environment)."""
    out = dict(under)
    for key, value in over.items():
        below = out.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            out[key] = merged(below, value)
        else:
            out[key] = value
    return out


def _stock_source(config_class: type[BaseModel], env: Mapping[str, str]) -> Any:
    from pydantic_settings import EnvSettingsSource

    source = EnvSettingsSource(config_class, case_sensitive=True)  # type: ignore[arg-type]
    source.env_vars = dict(env)
    return source


def _aliased(config_class: type[BaseModel], env: Mapping[str, str]) -> dict[str, Any]:
    from pydantic_settings import SettingsError

    try:
        return dict(_stock_source(config_class, env)())
    except SettingsError as exc:
        raise EnvironmentValueError(str(exc)) from exc


def _prepared(stock: Any, name: str, field: FieldInfo, value: str) -> Any:
    try:
        return stock.prepare_field_value(name, field, value, False)
    except ValueError as exc:
        raise EnvironmentValueError(
            f"environment variable {name}: {exc} (value {value!r})"
        ) from exc
