"""Application configuration: class values, overridden by environment variables."""

import os
import sys
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from pyjolt._internal.deprecation import warn_deprecated
from pyjolt._internal.env_sections import SECTION_SEPARATOR as SECTION_SEPARATOR
from pyjolt._internal.env_sections import environment_section as environment_section
from pyjolt._internal.env_sections import merge_sections as merge_sections
from pyjolt._internal.env_sections import parse_env_value as parse_env_value
from pyjolt._internal.env_sections import section_overrides as section_overrides
from pyjolt._internal.env_source import (
    EnvironmentValueError,
    environment_values,
    merged,
    needs_pydantic_settings,
)
from pyjolt._internal.secret_keys import GENERATE_KEY, weak_secret_reason
from pyjolt._internal.suggest import did_you_mean, key_hint
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.request import Request
from pyjolt.response import Response

DEFAULT_LOG_FORMAT = (
    "<green>{time:HH:mm:ss}</green> | <level>{level}</level> | {extra[logger_name]} | "
    "<level>{message}</level>"
)

if TYPE_CHECKING:
    # The metaclass by its real name, so type checkers see user config classes as consistent.
    from pydantic._internal._model_construction import ModelMetaclass as _ModelMeta
else:
    _ModelMeta = type(BaseModel)


def _annotation_for(value: Any) -> Any:
    # dict/list annotations make pydantic-settings parse JSON from environment variables
    if isinstance(value, dict):
        return dict[str, Any]
    if isinstance(value, list):
        return list[Any]
    return Any


def _copy_containers(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_containers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_containers(v) for v in value]
    return value


def _inherited_annotations(bases: tuple[type, ...]) -> dict[str, Any]:
    """Declared keys of the base config classes, with their constraints (``ge=0``...)."""
    out: dict[str, Any] = {}
    for base in bases:
        for name, info in (getattr(base, "__pydantic_fields__", None) or {}).items():
            if name in out or info.annotation is None:
                continue
            meta = list(info.metadata)
            out[name] = Annotated[(info.annotation, *meta)] if meta else info.annotation
    return out


class _ConfigMeta(_ModelMeta):
    """Lets config classes declare sections without annotations (``CACHE = {...}``)."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kw: Any
    ) -> Any:
        annotations = namespace.setdefault("__annotations__", {})
        inherited = _inherited_annotations(bases)
        for key, value in list(namespace.items()):
            if key not in annotations and not key.isupper() and key.upper() in inherited:
                # `debug = True`: kept as a key of its own, so start-up can say "did you mean"
                annotations[key] = Any
            elif key.isupper() and key not in annotations and key in inherited:
                # `DEBUG = True` overrides a declared key: keep its type and constraints, so
                # `MAX_BODY_SIZE = -1` fails at start-up instead of being taken as is
                annotations[key] = inherited[key]
            elif (
                key.isupper()
                and key not in annotations
                # classes are values too (`CACHE_BACKEND = MyBackend`); functions are not
                and (not callable(value) or isinstance(value, type))
            ):
                annotations[key] = _annotation_for(value)
            if key.isupper() and isinstance(value, (list, dict)):
                # pydantic deep-copies mutable defaults; config values hold objects (extensions,
                # executors, job stores) whose identity must survive: copy the containers only
                namespace[key] = Field(default_factory=lambda v=value: _copy_containers(v))
        if needs_pydantic_settings(namespace, bases, kw):
            from pyjolt._internal.settings_engine import SettingsEngine

            bases = (SettingsEngine, *bases)
        return super().__new__(mcs, name, bases, namespace, **kw)


class BaseConfig(BaseModel, metaclass=_ConfigMeta):
    """Base class of the app config. Every key can be overridden by an environment variable
    of the same name; list values are given as JSON. A section (a dict such as
    ``SQL_DATABASE``) is merged, not replaced: ``SQL_DATABASE__DATABASE_URI=...`` sets one key,
    and a JSON object (``SQL_DATABASE='{"SHOW_SQL": true}'``) is merged over the class's values.
    A class using pydantic-settings' options is read by it (``_internal/settings_engine.py``).
    """

    # defer_build: the schema is built at the first instantiation, so that of BaseConfig itself
    # is not built at import when only subclasses are used
    model_config = ConfigDict(
        extra="allow",
        validate_default=True,
        arbitrary_types_allowed=True,
        defer_build=True,
    )
    #: True on classes whose values pydantic-settings reads (``needs_pydantic_settings``).
    _pyjolt_settings_engine: ClassVar[bool] = False

    # Container defaults are given as values (pydantic copies them for each instance), not as
    # default factories: pydantic inspects a factory's signature at every schema build and
    # default lookup, which for builtins such as `list` means parsing their text signature.
    APP_NAME: str = Field("PyJolt app", description="Human-readable name of the app")
    VERSION: str = Field("1.0", description="Application version")
    BASE_PATH: str | None = Field(
        None, description="Base path of the app (defaults to the app package)"
    )
    REQUEST_CLASS: type[Request] = Field(
        Request, description="Request class (subclass of pyjolt.Request)"
    )
    RESPONSE_CLASS: type[Response] = Field(Response, description="Response class")
    SECRET_KEY: str | None = None
    SECRET_KEY_FALLBACKS: list[str] = Field([])
    DEBUG: bool = False
    HOST: str = "localhost"
    PORT: int = Field(8080, ge=0, le=65535)
    WORKERS: int = Field(1, ge=1)
    PROXY_HEADERS: bool = True
    FORWARDED_ALLOW_IPS: str = "127.0.0.1"
    LIFESPAN: str = "on"
    TEMPLATES_DIR: str = "/templates"
    STATIC_DIR: str = "/static"
    STATIC_URL: str = "/static"
    TEMPLATES_STRICT: bool = True
    STRICT_SLASHES: bool = False
    MAX_BODY_SIZE: int | None = Field(10 * 1024 * 1024, ge=0)
    OPEN_API: bool = True
    OPEN_API_URL: str = "/openapi"
    OPEN_API_DESCRIPTION: str = "Simple API"
    OPEN_API_IN_PRODUCTION: bool = Field(
        False,
        description="Serve the OpenAPI document and docs pages with DEBUG off too (a deliberate "
        "choice: by default they exist only in DEBUG)",
    )
    CORS_ENABLED: bool = True
    CORS_ALLOW_ORIGINS: list[str] = Field(["*"])
    CORS_ALLOW_METHODS: list[str] = Field(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    CORS_ALLOW_HEADERS: list[str] = Field(["Authorization", "Content-Type"])
    CORS_EXPOSE_HEADERS: list[str] = Field([])
    CORS_ALLOW_CREDENTIALS: bool = True
    CORS_MAX_AGE: int | None = None
    # security (pyjolt.security): CSRF and websocket origins, production headers, hosts
    CSRF_ENABLED: bool = True
    CSRF_TRUSTED_ORIGINS: list[str] = Field([])
    CSRF_REQUIRE_TOKEN: bool = False
    CSRF_COOKIE_NAME: str = "pyjolt_csrf"
    CSRF_FIELD_NAME: str = "csrf_token"
    CSRF_HEADER_NAME: str = "X-CSRF-Token"
    CSRF_TOKEN_MAX_AGE: int = Field(24 * 3600, gt=0)
    WEBSOCKET_ORIGIN_CHECK: bool = True
    WEBSOCKET_ALLOWED_ORIGINS: list[str] = Field([])
    SECURITY_HEADERS: bool | None = Field(
        None, description="Production response headers; None = on when DEBUG is off"
    )
    SECURITY_FRAME_OPTIONS: str | None = "DENY"
    SECURITY_REFERRER_POLICY: str | None = "strict-origin-when-cross-origin"
    SECURITY_CROSS_ORIGIN_OPENER_POLICY: str | None = "same-origin"
    SECURITY_CONTENT_SECURITY_POLICY: str | None = None
    SECURITY_HSTS_SECONDS: int = Field(31536000, ge=0, description="HSTS over HTTPS; 0 = off")
    SECURITY_HSTS_INCLUDE_SUBDOMAINS: bool = False
    SECURITY_HSTS_PRELOAD: bool = False
    ALLOWED_HOSTS: list[str] = Field(
        [], description="Host names served (e.g. ['example.com']); empty = any"
    )
    TRUSTED_PROXIES: list[str] = Field(
        [], description="Proxy addresses whose X-Forwarded-* headers count"
    )
    SILENCED_CHECKS: list[str] = Field(
        [], description="Deploy check IDs to ignore, e.g. ['security.W004']"
    )
    ALLOWED_REDIRECT_HOSTS: list[str] = Field(
        [], description="Other hosts that redirect() may send clients to"
    )
    CONTROLLERS: list[Any] = Field([])
    CLI_CONTROLLERS: list[Any] = Field([])
    EXTENSIONS: list[Any] = Field([])
    MODELS: list[Any] = Field([])
    EXCEPTION_HANDLERS: list[Any] = Field([])
    MIDDLEWARE: list[Any] = Field([])
    LOGGERS: list[Any] = Field([])
    DEFAULT_LOGGER: dict[str, Any] = Field({})
    # observability (pyjolt.observability): each part off by default
    REQUEST_ID: bool = False
    REQUEST_ID_HEADER: str = Field("X-Request-ID", pattern=r"^[A-Za-z0-9-]+$")
    ACCESS_LOG: bool = False
    HEALTH: bool = False
    HEALTH_LIVE_PATH: str = Field("/health/live", pattern=r"^/")
    HEALTH_READY_PATH: str = Field("/health/ready", pattern=r"^/")
    HEALTH_TIMEOUT: float = Field(2.0, gt=0)
    HEALTH_IN_SCHEMA: bool = False
    METRICS: bool = False
    METRICS_PATH: str = Field("/metrics", pattern=r"^/")
    TRACING: bool = False
    CUSTOM_CONFIG_KEYS: list[str] = Field(
        [],
        description="Keys of your own that look like a PyJolt setting (not questioned at start-up)",
    )

    @staticmethod
    def value_to_bool(value: Any) -> bool:
        """PyJolt 0.111's helper: True for ``True``, ``"true"``, ``"True"``, ``"1"`` and ``1``.

        Deprecated: declare the key as ``bool`` (``DEBUG: bool = False``); the environment
        variable of the same name overrides it and is parsed (true/false, 1/0, yes/no, on/off).
        """
        warn_deprecated(
            "BaseConfig.value_to_bool",
            "declare the key as `DEBUG: bool = False`: the environment variable DEBUG overrides "
            "it (true/false, 1/0, yes/no, on/off)",
        )
        if isinstance(value, bool):
            return value
        return value in ("true", "True", "1") or (isinstance(value, int) and value == 1)

    def __init__(self, /, **values: Any) -> None:
        if not self._pyjolt_settings_engine:
            values = merged(environment_values(type(self)), values)
        super().__init__(**values)

    @model_validator(mode="before")
    @classmethod
    def _merge_sections(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return merge_sections(cls, data, os.environ)
        return data

    @field_validator("CORS_ALLOW_METHODS")
    @classmethod
    def _upper_methods(cls, value: list[str]) -> list[str]:
        return [m.upper() for m in value]


def shown_input(err: ErrorDetails, word: str) -> str:
    """How a message shows the value a validation error is about: ``missing`` or
    ``<word> <value>``."""
    return "missing" if err["type"] == "missing" else f"{word} {err.get('input')!r}"


def invalid_config(
    what: str, exc: ValidationError, line: Callable[[str, ErrorDetails], str], fix: str
) -> ConfigurationError:
    """The start-up error for ``exc``: one ``line(key, error)`` per error, then ``fix``."""
    problems = [line(".".join(str(p) for p in err["loc"]), err) for err in exc.errors()]
    return ConfigurationError(f"invalid {what}:\n  " + "\n  ".join(problems) + "\n" + fix)


def load_config(
    config_class: type[BaseConfig], overrides: dict[str, Any] | None = None
) -> BaseConfig:
    """Build the config, turning validation errors into a ``ConfigurationError`` that names the
    key, the value and the fix."""
    if not (isinstance(config_class, type) and issubclass(config_class, BaseConfig)):
        raise ConfigurationError(
            f"configs={config_class!r} is not a BaseConfig subclass; "
            "write `class Config(BaseConfig): ...` and pass `@app(__name__, configs=Config)`"
        )
    if config_class._pyjolt_settings_engine:
        from pyjolt._internal.settings_engine import unknown_options

        if problem := unknown_options(config_class):  # type: ignore[arg-type]
            raise ConfigurationError(problem)
    try:
        config = config_class(**(overrides or {}))
    except ValidationError as exc:

        def line(key: str, err: ErrorDetails) -> str:
            return f"{key}: {err['msg']} ({shown_input(err, 'value')})"

        where = f"Fix these keys in {config_class.__name__} or in environment variables"
        raise invalid_config("configuration", exc, line, where + " of the same name.") from exc
    except ValueError as exc:
        settings = sys.modules.get("pydantic_settings")
        if not isinstance(exc, EnvironmentValueError) and not (
            settings is not None and isinstance(exc, settings.SettingsError)
        ):
            raise
        raise ConfigurationError(
            f"{exc}; fix the environment variable or env file entry (list and dict keys take "
            "JSON, e.g. '[\"a\"]' or '{\"KEY\": 1}')"
        ) from exc
    # Undeclared sections (extension dicts) given as JSON in the environment.
    extra = config.model_extra or {}
    for key, value in list(extra.items()):
        extra[key] = parse_env_value(value)
    return config


def config_as_dict(config: BaseConfig) -> dict[str, Any]:
    """All keys, declared and extra, as a plain dict."""
    data = {name: getattr(config, name) for name in type(config).model_fields}
    data.update(config.model_extra or {})
    return data


#: What a config section accepts: its keys, or None when any key goes (a user's own dict).
SectionKeys = Collection[str] | None


def check_config_keys(
    config_class: type[BaseConfig],
    configs: Mapping[str, Any],
    sections: Mapping[str, SectionKeys],
    environ: Mapping[str, str],
) -> None:
    """Stop start-up on a key that is probably a misspelt PyJolt setting.

    ``sections`` maps the section names of the app's extensions, loggers and middleware to the
    keys each accepts. Checked: the config's own keys against BaseConfig's settings, the
    sections and their flat ``SECTION_KEY`` forms; ``SECTION__KEY`` environment variables
    against the sections' keys. Keys listed in ``CUSTOM_CONFIG_KEYS`` and keys not close to any
    PyJolt name are left alone.
    """
    allowed = set(configs.get("CUSTOM_CONFIG_KEYS") or ())
    settings = set(BaseConfig.model_fields)
    known = settings | set(sections)
    for section, keys in sections.items():
        known.update(f"{section}_{key}" for key in keys or ())
    problems: list[str] = []
    for name in configs:
        if name in known or name in allowed:
            continue
        close = did_you_mean(name, known)
        if close is not None:
            what = "section" if sections.get(close) is not None else "setting"
            problems.append(f"{name} is not a PyJolt {what}; did you mean {close}?")
    for section, keys in sections.items():
        value = configs.get(section)
        if keys is None or not isinstance(value, Mapping):
            continue
        for key in value:
            if isinstance(key, str) and key not in keys and key.upper() not in keys:
                hint = key_hint(key, keys)
                problems.append(f"{section}[{key!r}] is not a setting of {section}; {hint}")
    for name in sorted(environ):
        section, sep, key = name.partition(SECTION_SEPARATOR)
        if not (sep and section and key) or name in allowed:
            continue
        if section in sections:
            keys = sections[section]
            if keys is None or key in keys:
                continue
            hint = key_hint(key, keys, prefix=section + SECTION_SEPARATOR)
            problems.append(
                f"environment variable {name}: {key} is not a setting of {section}; {hint}"
            )
        elif section not in configs:
            close = did_you_mean(section, [s for s in sections if sections[s] is not None])
            if close is not None:
                problems.append(
                    f"environment variable {name}: {section} is not a PyJolt section; "
                    f"did you mean {close}{SECTION_SEPARATOR}{key}?"
                )
    if problems:
        raise ConfigurationError(
            "\n".join(problems)
            + f"\n(Fix the key in {config_class.__name__} or the environment; a key of your own "
            "that only looks like a PyJolt name can be listed in CUSTOM_CONFIG_KEYS.)"
        )


def check_production_secrets(configs: Mapping[str, Any]) -> None:
    """With DEBUG off, refuse placeholder and low-entropy ``SECRET_KEY`` values."""
    values = [("SECRET_KEY", configs.get("SECRET_KEY"))]
    fallbacks = configs.get("SECRET_KEY_FALLBACKS") or []
    values += [(f"SECRET_KEY_FALLBACKS[{i}]", fb) for i, fb in enumerate(fallbacks)]
    for name, value in values:
        if not isinstance(value, str):
            continue
        reason = weak_secret_reason(value)
        if reason is not None:
            raise ConfigurationError(
                f"{name} is not fit for production: {reason}. Set it (in the environment or a "
                f"git-ignored .env file) to a random value of at least 128 bits, e.g. the "
                f"output of {GENERATE_KEY}; placeholders are accepted only with DEBUG=True."
            )
