"""Tool schemas: built once from type hints, with the parameter kinds a model needs."""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from pyjolt.ai_interface import AiInterface, tool
from pyjolt.ai_interface.tools import collect_tools
from pyjolt.controller import injects
from pyjolt.exceptions.errors import ConfigurationError


class Unit(enum.Enum):
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"


class Location(BaseModel):
    city: str
    country: str | None = None


class Forecasts(AiInterface):
    @tool(name="forecast", description="Weather forecast for a place.")
    async def get_forecast(
        self,
        where: Location,
        days: Annotated[int, Field(ge=1, le=14, description="How many days")],
        unit: Unit = Unit.CELSIUS,
        hours: list[int] | None = None,
        detail: Literal["short", "full"] = "short",
        note: str | None = None,
    ) -> dict[str, Any]:
        return {}

    @tool
    async def local_time(self, city: str) -> str:
        """Current local time in a city."""
        return "12:00"

    async def not_a_tool(self, x: int) -> int:
        return x


EXPECTED_FORECAST_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "where": {"$ref": "#/$defs/Location"},
        "days": {"type": "integer", "minimum": 1, "maximum": 14, "description": "How many days"},
        "unit": {"$ref": "#/$defs/Unit", "default": "celsius"},
        "hours": {
            "anyOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "null"}],
            "default": None,
        },
        "detail": {"type": "string", "enum": ["short", "full"], "default": "short"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
    },
    "required": ["where", "days"],
    "$defs": {
        "Location": {
            "type": "object",
            "title": "Location",
            "properties": {
                "city": {"type": "string"},
                "country": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
            },
            "required": ["city"],
        },
        "Unit": {"type": "string", "title": "Unit", "enum": ["celsius", "fahrenheit"]},
    },
}


def test_schema_of_a_tool_with_several_parameter_kinds() -> None:
    spec = Forecasts().tools["forecast"]
    assert spec.parameters == EXPECTED_FORECAST_SCHEMA
    assert spec.definition() == {
        "type": "function",
        "function": {
            "name": "forecast",
            "description": "Weather forecast for a place.",
            "parameters": EXPECTED_FORECAST_SCHEMA,
        },
    }


def test_name_and_description_default_to_method_name_and_docstring() -> None:
    tools = Forecasts().tools
    assert sorted(tools) == ["forecast", "local_time"]
    spec = tools["local_time"]
    assert spec.attribute == "local_time"
    assert spec.description == "Current local time in a city."
    assert spec.parameters["required"] == ["city"]


def test_schemas_are_built_once_per_class() -> None:
    assert collect_tools(Forecasts) is collect_tools(Forecasts)
    assert Forecasts().tools["forecast"] is Forecasts().tools["forecast"]


def test_arguments_are_validated_into_python_values() -> None:
    spec = Forecasts().tools["forecast"]
    args = spec.parse_arguments('{"where": {"city": "Ljubljana"}, "days": 3, "unit": "fahrenheit"}')
    assert args == {
        "where": Location(city="Ljubljana"),
        "days": 3,
        "unit": Unit.FAHRENHEIT,
        "hours": None,
        "detail": "short",
        "note": None,
    }
    for bad in (
        '{"days": 3}',
        '{"where": {"city": "x"}, "days": 99}',
        '{"where": 1, "days": 1}',
        '{"where": {"city": "x"}, "days": 1, "extra": true}',
        "not json",
    ):
        with pytest.raises(ValidationError):
            spec.parse_arguments(bad)


class ClockTools:
    """A mixin grouping tools; the interface inherits them."""

    @tool
    async def now(self) -> str:
        """The time."""
        return "now"

    @tool
    async def hidden(self) -> str:
        return "x"


class WithMixins(ClockTools, AiInterface):
    async def hidden(self) -> str:  # redefined without @tool: no longer a tool
        return "y"


def test_tools_come_from_mixins_and_can_be_removed() -> None:
    assert sorted(WithMixins().tools) == ["now"]
    assert WithMixins().tools["now"].parameters == {
        "type": "object",
        "additionalProperties": False,
        "properties": {},
    }


def test_injected_parameters_are_not_part_of_the_schema() -> None:
    def with_session(fn: Any) -> Any:
        async def wrapper(self: Any, **kwargs: Any) -> Any:
            return await fn(self, session="s", **kwargs)

        wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
        wrapper.__annotations__ = fn.__annotations__
        return injects(wrapper, "session")

    class Db(AiInterface):
        @tool
        @with_session
        async def lookup(self, key: str, session: Any = None) -> str:
            """Look a key up."""
            return key

    assert Db().tools["lookup"].parameters["properties"] == {"key": {"type": "string"}}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("async def bad(self, *args: int) -> None: ...", "must be a named parameter"),
        ("async def bad(self, **kw: int) -> None: ...", "must be a named parameter"),
        ("async def bad(self, x: 'Missing') -> None: ...", "does not resolve"),
    ],
)
def test_unsupported_signatures_fail_at_start_up(source: str, message: str) -> None:
    namespace: dict[str, Any] = {}
    exec(f"from __future__ import annotations\n{source}", namespace)
    cls = type("Bad", (AiInterface,), {"bad": tool(namespace["bad"])})
    with pytest.raises(ConfigurationError, match=message):
        collect_tools(cls)


def test_invalid_and_duplicate_names_fail() -> None:
    async def a(self: Any) -> None: ...

    async def b(self: Any) -> None: ...

    invalid = type("Invalid", (AiInterface,), {"a": tool(name="has space")(a)})
    with pytest.raises(ConfigurationError, match="name 'has space' is invalid"):
        collect_tools(invalid)
    dup = type("Dup", (AiInterface,), {"a": tool(name="same")(a), "b": tool(name="same")(b)})
    with pytest.raises(ConfigurationError, match="'same' is used by both"):
        collect_tools(dup)
