"""``@tool``: expose interface methods to the model, with argument schemas built once."""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import CoreSchema

from pyjolt._internal.markers import collect_marked
from pyjolt.controller.meta import get_endpoint_meta
from pyjolt.exceptions.errors import ConfigurationError

F = TypeVar("F", bound=Callable[..., Any])

TOOL_ATTR = "__pyjolt_ai_tool__"
_TOOLS_CACHE_ATTR = "__pyjolt_ai_tools__"
_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class ToolInfo:
    """What ``@tool`` recorded on a method."""

    name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class ToolSpec:
    """A tool as the model sees it, plus the pydantic model that validates its arguments."""

    name: str
    description: str
    attribute: str
    parameters: dict[str, Any]
    arguments_model: type[BaseModel]
    is_coroutine: bool

    def definition(self) -> dict[str, Any]:
        """The entry of the chat request's ``tools`` list."""
        function: dict[str, Any] = {"name": self.name, "parameters": self.parameters}
        if self.description:
            function["description"] = self.description
        return {"type": "function", "function": function}

    def parse_arguments(self, raw: str | Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate the model's arguments (a JSON string); raises ``pydantic.ValidationError``."""
        model = self.arguments_model
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raw = {}
        parsed = (
            model.model_validate_json(raw) if isinstance(raw, str) else model.model_validate(raw)
        )
        return {name: getattr(parsed, name) for name in type(parsed).model_fields}


class _ToolSchemaGenerator(GenerateJsonSchema):
    """Pydantic's JSON schema without the per-field titles (noise for the model)."""

    def field_title_should_be_set(self, schema: CoreSchema) -> bool:
        return False


@overload
def tool(fn: F, /) -> F: ...


@overload
def tool(
    fn: None = None, /, *, name: str | None = None, description: str | None = None
) -> Callable[[F], F]: ...


def tool(
    fn: F | None = None, /, *, name: str | None = None, description: str | None = None
) -> F | Callable[[F], F]:
    """Expose an interface method to the model as a tool.

    Args:
        name: the tool's name for the model (default: the method's name).
        description: what the tool does (default: the method's docstring).

    The parameters' JSON schema comes from the type hints (pydantic), built once when the
    interface is registered with an app. Works as ``@tool`` and ``@tool(name=...)``.
    """

    def mark(func: F) -> F:
        setattr(func, TOOL_ATTR, ToolInfo(name=name, description=description))
        return func

    return mark(fn) if fn is not None else mark


def build_tool_spec(fn: Callable[..., Any], attribute: str, owner: str = "") -> ToolSpec:
    """Build the spec of one ``@tool`` method (its first parameter, ``self``, is skipped)."""
    info: ToolInfo = getattr(fn, TOOL_ATTR, ToolInfo())
    name = info.name or attribute
    where = f"{owner}.{attribute}" if owner else attribute
    if not _NAME_RE.match(name):
        raise ConfigurationError(
            f"AI tool {where}: name {name!r} is invalid; use 1-64 letters, digits, '_' or '-'"
        )
    description = info.description if info.description is not None else inspect.getdoc(fn) or ""
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except NameError as exc:
        raise ConfigurationError(
            f"AI tool {where}: a type hint does not resolve ({exc}); define or import it at "
            "module level"
        ) from exc
    meta = get_endpoint_meta(fn)
    injected = meta.injects if meta is not None else frozenset()
    fields: dict[str, Any] = {}
    params = list(inspect.signature(fn).parameters.values())[1:]
    for param in params:
        if param.name in injected:
            continue
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            raise ConfigurationError(
                f"AI tool {where}: parameter {param.name!r} must be a named parameter "
                "(no *args, **kwargs or positional-only parameters)"
            )
        annotation = hints.get(param.name, Any)
        default = ... if param.default is param.empty else param.default
        fields[param.name] = (annotation, default)
    model_name = "".join(part.capitalize() for part in re.split(r"[_-]+", name) if part)
    try:
        model: type[BaseModel] = create_model(
            f"{model_name or 'Tool'}Arguments",
            __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=False),
            **fields,
        )
        schema = model.model_json_schema(schema_generator=_ToolSchemaGenerator)
    except Exception as exc:  # pydantic raises several kinds for unsupported types
        raise ConfigurationError(
            f"AI tool {where}: cannot build a JSON schema of its parameters: {exc}"
        ) from exc
    schema.pop("title", None)
    return ToolSpec(
        name=name,
        description=description,
        attribute=attribute,
        parameters=schema,
        arguments_model=model,
        is_coroutine=inspect.iscoroutinefunction(fn),
    )


def collect_tools(cls: type) -> dict[str, ToolSpec]:
    """All tools of an interface class and its bases (mixins included), built once per class.

    A subclass that redefines a method without ``@tool`` removes that tool (the rule of
    ``collect_marked``, shared by every PyJolt decorator).
    """
    cached = cls.__dict__.get(_TOOLS_CACHE_ATTR)
    if isinstance(cached, dict):
        return cached
    specs: dict[str, ToolSpec] = {}
    for marked in collect_marked(cls, TOOL_ATTR):
        attribute = marked.name
        spec = build_tool_spec(marked.function, attribute, marked.owner.__qualname__)
        if spec.name in specs:
            raise ConfigurationError(
                f"AI tool name {spec.name!r} is used by both {specs[spec.name].attribute!r} and "
                f"{attribute!r} on {cls.__qualname__}; give one of them another name"
            )
        specs[spec.name] = spec
    setattr(cls, _TOOLS_CACHE_ATTR, specs)
    return specs
