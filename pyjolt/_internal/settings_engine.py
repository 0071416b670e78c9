"""pydantic-settings behind the config classes that use its features, imported only for them.

``BaseConfig`` reads the environment itself (``env_source``). A subclass whose ``model_config``
names a pydantic-settings key (``env_file``, ``env_prefix``, ``secrets_dir``...) or that defines
``settings_customise_sources`` gets ``SettingsEngine`` as its first base, so pydantic-settings'
own ``BaseSettings.__init__`` builds its values exactly as it documents.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from pyjolt._internal.suggest import did_you_mean


class PresentKeysEnvSource(EnvSettingsSource):
    """``EnvSettingsSource`` that, for a plain config (case-sensitive names without prefix,
    nested delimiter, aliases or a "none" string), reads only the fields whose names the
    environment sets.

    The stock source inspects the type of every field (``list[str]``? a model?) before it
    knows whether the environment sets it: for BaseConfig's ~85 fields that is most of the
    cost of loading a config. Each variable that is set goes through the stock
    ``prepare_field_value``, so values are parsed exactly as before (JSON for lists and
    dicts). Any other config is read by the stock source.
    """

    def __call__(self) -> dict[str, Any]:
        fields = self.settings_cls.model_fields
        if not self._plain():
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

    def _plain(self) -> bool:
        """Whether a field's variable is named exactly as the field and needs no other pass."""
        if not self.case_sensitive or self.env_prefix or self.env_nested_delimiter:
            return False
        if self.env_parse_none_str is not None:
            return False
        fields = self.settings_cls.model_fields.values()
        return all(f.alias is None and f.validation_alias is None for f in fields)


class SettingsEngine(BaseSettings):
    """First base of a config class that uses pydantic-settings features (see module doc)."""

    model_config = SettingsConfigDict(
        case_sensitive=True,
        extra="allow",
        validate_default=True,
        arbitrary_types_allowed=True,
        defer_build=True,
    )
    #: Tells ``BaseConfig.__init__`` that pydantic-settings has read the environment.
    _pyjolt_settings_engine: ClassVar[bool] = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """pydantic-settings' sources; the env-file one only when an env file is set (without
        one it would walk every field again and find nothing). The environment one looks only
        at the variables that are set (see PresentKeysEnvSource)."""
        if type(env_settings) is EnvSettingsSource:
            env_settings.__class__ = PresentKeysEnvSource
        if getattr(dotenv_settings, "env_file", None):
            return init_settings, env_settings, dotenv_settings, file_secret_settings
        return init_settings, env_settings, file_secret_settings


def unknown_options(config_class: type[BaseSettings]) -> str | None:
    """The start-up error for ``model_config`` keys that neither pydantic nor pydantic-settings
    knows (both ignore them, so a misspelt ``env_file`` would leave the env file unread
    unnoticed), or None."""
    known = SettingsConfigDict.__annotations__
    problems = []
    for key in sorted(k for k in config_class.model_config if k not in known):
        close = did_you_mean(key, known)
        hint = f"did you mean {close}?" if close else "remove it"
        problems.append(f"{key!r} is not a pydantic or pydantic-settings option; {hint}")
    if not problems:
        return None
    return (
        f"model_config of {config_class.__name__}: "
        + "; ".join(problems)
        + " (pydantic and pydantic-settings ignore unknown options: it has no effect)"
    )
