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

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Param:
    """Base of the markers: where a handler parameter's value comes from.

    Args:
        alias: the name in the request when it differs from the parameter's name.
        description: shown in the OpenAPI document.
    """

    location: ClassVar[str] = "query"
    alias: str | None = None
    description: str | None = None

    def key(self, name: str) -> str:
        """The name the value has in the request."""
        return self.alias or name


@dataclass(frozen=True)
class Query(Param):
    """A query-string value (the default for plain parameters); on a pydantic model, each of
    the model's fields is a query key."""

    location: ClassVar[str] = "query"


@dataclass(frozen=True)
class Header(Param):
    """A request header; ``x_request_id`` reads ``x-request-id`` (underscores become hyphens,
    header names are case-insensitive) unless ``alias`` says otherwise."""

    location: ClassVar[str] = "header"

    def key(self, name: str) -> str:
        return self.alias or name.replace("_", "-")


@dataclass(frozen=True)
class Cookie(Param):
    """A cookie sent by the client."""

    location: ClassVar[str] = "cookie"
