"""pydantic-settings' environment source, asked only about the keys the environment sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import EnvSettingsSource, SettingsError


class PresentKeysEnvSource(EnvSettingsSource):
    """``EnvSettingsSource`` that, for a plain config (case-sensitive names without prefix,
    nested delimiter, aliases or a "none" string), reads only the fields whose names the
    environment sets.

    The stock source inspects the type of every field (``list[str]``? a model?) before it
    knows whether the environment sets it: for BaseConfig's ~75 fields that is most of the
    cost of loading a config. Each variable that is set goes through the stock
    ``prepare_field_value``, so values are parsed exactly as before (JSON for lists and
    dicts). Any other config is read by the stock source.
    """

    def __call__(self) -> dict[str, Any]:
        fields = self.settings_cls.model_fields
        if not self._plain(fields):
            return super().__call__()
        data: dict[str, Any] = {}
        for name, field in fields.items():
            value = self.env_vars.get(name)
            if value is None:
                continue
            try:
                prepared = self.prepare_field_value(name, field, value, False)
            except ValueError as exc:
                raise SettingsError(
                    f'error parsing value for field "{name}" from source "EnvSettingsSource"'
                ) from exc
            if prepared is not None:
                data[name] = prepared
        return data

    def _plain(self, fields: Mapping[str, FieldInfo]) -> bool:
        """Whether a field's variable is named exactly as the field and needs no other pass."""
        if not self.case_sensitive or self.env_prefix or self.env_nested_delimiter:
            return False
        if self.env_parse_none_str is not None:
            return False
        return all(f.alias is None and f.validation_alias is None for f in fields.values())
