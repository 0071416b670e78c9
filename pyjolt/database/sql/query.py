"""``AsyncQuery``: the chainable query builder that ``Model.query(session)`` returns."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from sqlalchemy import Select, func, select

from pyjolt.exceptions.http import BadRequest

if TYPE_CHECKING:
    from sqlalchemy import ColumnExpressionArgument
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm.interfaces import ORMOption

T = TypeVar("T")

#: Session ``info`` key under which ``SqlDatabase`` stores its ``MAX_PER_PAGE``.
MAX_PER_PAGE_INFO_KEY = "pyjolt_max_per_page"
#: Session ``info`` key naming the setting that limit comes from (for the 400 message).
MAX_PER_PAGE_SETTING_INFO_KEY = "pyjolt_max_per_page_setting"
DEFAULT_MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10


class PaginationError(BadRequest):
    """Invalid ``page`` / ``per_page`` for ``paginate`` (a 400 when raised in a request)."""

    default_message = "Invalid pagination parameters"


class QueryError(BadRequest, ValueError):
    """A query helper used with a value it cannot take (an unknown column, a negative limit):
    a 400 with the reason when raised in a request, never a 500."""

    default_message = "Invalid query"


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise QueryError(f"{name} must be a whole number >= 0, got {value!r}")
    return value


class AsyncQuery(Generic[T]):
    """A query over one model, built by chaining and run by awaiting a terminal method.

    Builder methods (``where``, ``filter``, ``filter_by``, ``join``, ``limit``, ``offset``,
    ``order_by``, ``like``, ``ilike``, ``options``, ``distinct``) return a new ``AsyncQuery``;
    the query they were called on is unchanged. Terminal methods (``count``, ``paginate``,
    ``all``, ``first``, ``one``, ``one_or_none``) are coroutines.
    """

    __slots__ = ("_model", "_session", "_statement", "_unique")

    def __init__(
        self,
        model: type[T],
        session: AsyncSession,
        statement: Select[T] | None = None,
        *,
        unique: bool = False,
    ) -> None:
        self._model = model
        self._session = session
        self._statement: Select[T] = statement if statement is not None else select(model)
        self._unique = unique

    def __repr__(self) -> str:
        return f"<AsyncQuery {self._model.__name__}: {self._statement}>"

    @property
    def statement(self) -> Select[T]:
        """The SQLAlchemy ``Select`` this query runs."""
        return self._statement

    @property
    def session(self) -> AsyncSession:
        return self._session

    def _with(self, statement: Select[T], *, unique: bool | None = None) -> Self:
        return type(self)(
            self._model, self._session, statement, unique=self._unique if unique is None else unique
        )

    def _column(self, column: Any) -> Any:
        if isinstance(column, str):
            attr = getattr(self._model, column, None) if not column.startswith("_") else None
            if attr is None or not hasattr(attr, "desc"):
                raise QueryError(f"{self._model.__name__} has no column {column!r}")
            return attr
        return column

    # -- builders ---------------------------------------------------------------------------

    def where(self, *conditions: ColumnExpressionArgument[bool]) -> Self:
        """Add WHERE conditions (all must hold); same as ``filter``."""
        return self._with(self._statement.where(*conditions))

    def filter(self, *conditions: ColumnExpressionArgument[bool]) -> Self:
        """Add WHERE conditions (all must hold)."""
        return self._with(self._statement.where(*conditions))

    def filter_by(self, **kwargs: object) -> Self:
        """Add ``column == value`` conditions, e.g. ``filter_by(email="a@b.c")``.

        After ``join`` the names refer to the joined model (SQLAlchemy's rule).
        """
        from sqlalchemy.exc import InvalidRequestError

        try:
            return self._with(self._statement.filter_by(**kwargs))
        except InvalidRequestError as exc:
            raise QueryError(f"filter_by: {exc}") from exc

    def join(self, other_model: Any, onclause: Any = None, *, isouter: bool = False) -> Self:
        """JOIN another model (the ON clause is inferred from foreign keys unless given)."""
        if onclause is None:
            return self._with(self._statement.join(other_model, isouter=isouter))
        return self._with(self._statement.join(other_model, onclause, isouter=isouter))

    def limit(self, num: int) -> Self:
        """Return at most ``num`` rows."""
        return self._with(self._statement.limit(_count("limit", num)))

    def offset(self, num: int) -> Self:
        """Skip the first ``num`` rows."""
        return self._with(self._statement.offset(_count("offset", num)))

    def order_by(self, *columns: Any) -> Self:
        """Sort by columns; a string names a column of the model, ``"-name"`` sorts descending."""
        clauses: list[Any] = []
        for column in columns:
            if isinstance(column, str) and column.startswith("-"):
                clauses.append(self._column(column[1:]).desc())
            else:
                clauses.append(self._column(column))
        return self._with(self._statement.order_by(*clauses))

    def like(self, column: Any, pattern: str, escape: str | None = None) -> Self:
        """Filter with SQL ``LIKE`` (``column`` is a model attribute or its name)."""
        return self._with(self._statement.where(self._column(column).like(pattern, escape=escape)))

    def ilike(self, column: Any, pattern: str, escape: str | None = None) -> Self:
        """Filter with case-insensitive ``ILIKE`` (``lower() LIKE lower()`` where not native)."""
        return self._with(self._statement.where(self._column(column).ilike(pattern, escape=escape)))

    def options(self, *options: ORMOption) -> Self:
        """Add loader options such as ``selectinload(User.posts)``."""
        return self._with(self._statement.options(*options), unique=True)

    def distinct(self) -> Self:
        """SELECT DISTINCT."""
        return self._with(self._statement.distinct())

    # -- terminal methods -------------------------------------------------------------------

    async def _scalars(self, statement: Select[T]) -> Sequence[T]:
        result = await self._session.scalars(statement)
        if self._unique:
            result = result.unique()
        return result.all()

    async def count(self) -> int:
        """The number of rows this query returns (limit and offset included)."""
        inner = self._statement.order_by(None).subquery()
        total = await self._session.scalar(select(func.count()).select_from(inner))
        return int(total or 0)

    async def all(self) -> list[T]:
        """All matching rows as model instances."""
        return list(await self._scalars(self._statement))

    async def first(self) -> T | None:
        """The first matching row, or None."""
        rows = await self._scalars(self._statement.limit(1))
        return rows[0] if rows else None

    async def one(self) -> T:
        """Exactly one row; raises ``NoResultFound`` / ``MultipleResultsFound`` otherwise."""
        result = await self._session.scalars(self._statement)
        if self._unique:
            result = result.unique()
        return result.one()

    async def one_or_none(self) -> T | None:
        """One row or None; raises ``MultipleResultsFound`` for more than one."""
        result = await self._session.scalars(self._statement)
        if self._unique:
            result = result.unique()
        return result.one_or_none()

    async def paginate(
        self, page: int = 1, per_page: int | None = None, *, max_per_page: int | None = None
    ) -> dict[str, Any]:
        """One page of results with totals.

        Returns ``{"items", "total", "page", "pages", "per_page", "has_next", "has_prev"}``.
        ``per_page`` defaults to 10 (or ``max_per_page`` if lower). A page past the last one
        has no items. Raises ``PaginationError`` (HTTP 400) when
        ``page`` < 1, ``per_page`` < 1 or ``per_page`` exceeds ``max_per_page`` (default: the
        database's ``MAX_PER_PAGE`` setting, 100); the message names where the limit comes from,
        e.g. ``SQL_DATABASE['MAX_PER_PAGE']``.
        """
        if max_per_page is None:
            info = self._session.info
            max_per_page = int(info.get(MAX_PER_PAGE_INFO_KEY, DEFAULT_MAX_PER_PAGE))
            setting = str(info.get(MAX_PER_PAGE_SETTING_INFO_KEY, "the MAX_PER_PAGE setting"))
        else:
            setting = "the max_per_page argument of paginate()"
        page = _positive_int("page", page)
        if per_page is None:
            per_page = min(DEFAULT_PER_PAGE, max_per_page)
        per_page = _positive_int("per_page", per_page)
        if per_page > max_per_page:
            raise PaginationError(
                f"per_page must be at most {max_per_page} (got {per_page}); the limit is {setting}",
                data={"per_page": per_page, "max_per_page": max_per_page},
            )
        base = self._statement.limit(None).offset(None)
        inner = base.order_by(None).subquery()
        total = int(await self._session.scalar(select(func.count()).select_from(inner)) or 0)
        offset = (page - 1) * per_page
        items: list[T] = []
        if offset < total:
            items = list(await self._scalars(base.limit(per_page).offset(offset)))
        pages = math.ceil(total / per_page) if total else 0
        return {
            "items": items,
            "total": total,
            "page": page,
            "pages": pages,
            "per_page": per_page,
            "has_next": page < pages,
            "has_prev": page > 1,
        }


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise PaginationError(f"{name} must be an integer (got {value!r})", data={name: value})
    if not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError) as exc:
            raise PaginationError(
                f"{name} must be an integer (got {value!r})", data={name: repr(value)}
            ) from exc
    if value < 1:
        raise PaginationError(f"{name} must be at least 1 (got {value})", data={name: value})
    return int(value)
