"""Markers for handler parameters read from the query string, headers and cookies.

A handler parameter that is not a path parameter, the request, the body model or a name
injected by a decorator is a query parameter; its annotation gives the type, its default
makes it optional. The markers say where else a value comes from, or rename it::

    async def list_notes(
        self,
        req: Request,
        page: Annotated[int, Field(ge=1)] = 1,
        tag: list[str] | None = None,                      # ?tag=a&tag=b
        request_id: Annotated[str | None, Header(alias="X-Request-Id")] = None,
        session_id: Annotated[str | None, Cookie()] = None,
        filters: Annotated[NoteFilters, Query()] = NoteFilters(),  # a model of query keys
    ) -> Response: ...
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar


class Param:
    """Base of the markers: where a handler parameter's value comes from.

    Args:
        alias: the name in the request when it differs from the parameter's name.
        description: shown in the OpenAPI document.

    Immutable, compared and hashed by class and fields (a plain class: a frozen dataclass
    costs ~3 M instructions to create on Python 3.11, paid by every import of PyJolt).
    """

    __slots__ = ("alias", "description")
    location: ClassVar[str] = "query"
    alias: str | None
    description: str | None

    def __init__(self, alias: str | None = None, description: str | None = None) -> None:
        object.__setattr__(self, "alias", alias)
        object.__setattr__(self, "description", description)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _fields(self) -> tuple[str | None, str | None]:
        return self.alias, self.description

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Param)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"{type(self).__name__}(alias={self.alias!r}, description={self.description!r})"

    def key(self, name: str) -> str:
        """The name the value has in the request."""
        return self.alias or name


class Query(Param):
    """A query-string value (the default for plain parameters); on a pydantic model, each of
    the model's fields is a query key."""

    location: ClassVar[str] = "query"


class Header(Param):
    """A request header; ``x_request_id`` reads ``x-request-id`` (underscores become hyphens,
    header names are case-insensitive) unless ``alias`` says otherwise."""

    location: ClassVar[str] = "header"

    def key(self, name: str) -> str:
        return self.alias or name.replace("_", "-")


class Cookie(Param):
    """A cookie sent by the client."""

    location: ClassVar[str] = "cookie"
