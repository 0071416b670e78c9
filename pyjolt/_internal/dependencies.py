"""Third-party packages that extras and database URLs need, and the error naming the install."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple


class Requirement(NamedTuple):
    """A module to import and what installs it: a PyJolt extra, or else a pip package."""

    module: str
    extra: str | None = None
    package: str | None = None
    #: who needs it, for the message (``"SQL_DATABASE's postgresql+asyncpg URL"``)
    needed_by: str = ""

    def installed(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except (ImportError, ValueError):  # a parent package is missing or half-installed
            return False


#: The async driver of a SQLAlchemy URL (``postgresql+asyncpg``) and what installs it.
DATABASE_DRIVERS: dict[str, Requirement] = {
    "asyncpg": Requirement("asyncpg", extra="postgres"),
    "aiosqlite": Requirement("aiosqlite", extra="db"),
    "aiomysql": Requirement("aiomysql", package="aiomysql"),
    "asyncmy": Requirement("asyncmy", package="asyncmy"),
    "psycopg": Requirement("psycopg", package="psycopg[binary]"),
    "psycopg_async": Requirement("psycopg", package="psycopg[binary]"),
    "aioodbc": Requirement("aioodbc", package="aioodbc"),
    "oracledb_async": Requirement("oracledb", package="oracledb"),
}


def install_command(requirements: Iterable[Requirement]) -> str:
    """One ``pip install`` command for all of ``requirements``."""
    extras: list[str] = []
    packages: list[str] = []
    for req in requirements:
        if req.extra and req.extra not in extras:
            extras.append(req.extra)
        elif not req.extra and (req.package or req.module) not in packages:
            packages.append(req.package or req.module)
    parts = ["pip install"]
    if extras:
        parts.append(f'"pyjolt[{",".join(sorted(extras))}]"')
    parts += [f'"{p}"' if "[" in p else p for p in packages]
    return " ".join(parts)


class MissingDependencyError(ImportError):
    """Packages that an installed PyJolt feature needs are not installed.

    The message is one line naming the modules and the ``pip install`` command that fixes it.
    """

    def __init__(self, requirements: Iterable[Requirement], context: str = "") -> None:
        self.requirements: tuple[Requirement, ...] = tuple(dict.fromkeys(requirements))
        self.context = context
        #: what could be resolved anyway (the other entries of a config list)
        self.resolved: list[Any] = []
        names = []
        for req in self.requirements:
            label = repr(req.module)
            if req.needed_by:
                label += f" (for {req.needed_by})"
            if label not in names:
                names.append(label)
        prefix = f"{context}: " if context else ""
        verb = "is" if len(names) == 1 else "are"
        super().__init__(
            f"{prefix}{', '.join(names)} {verb} not installed; install with: "
            f"{install_command(self.requirements)}",
            name=self.requirements[0].module if self.requirements else None,
        )

    @property
    def install(self) -> str:
        """The ``pip install`` command that fixes it."""
        return install_command(self.requirements)


def missing(requirements: Iterable[Requirement]) -> list[Requirement]:
    """The requirements whose module cannot be found."""
    return [req for req in requirements if not req.installed()]


def require(requirements: Iterable[Requirement], context: str = "") -> None:
    """Raise ``MissingDependencyError`` for those of ``requirements`` that are not installed."""
    absent = missing(requirements)
    if absent:
        raise MissingDependencyError(absent, context)


def driver_requirement(drivername: str, needed_by: str = "") -> Requirement | None:
    """What the async driver of a URL scheme (``postgresql+asyncpg``) needs, if PyJolt knows."""
    _, _, driver = drivername.partition("+")
    req = DATABASE_DRIVERS.get(driver)
    if req is None:
        return None
    return Requirement(req.module, req.extra, req.package, needed_by)


#: Top-level modules that PyJolt's extras install, by extra (``pip install "pyjolt[db]"``).
EXTRA_MODULES: dict[str, str] = {
    "sqlalchemy": "db",
    "alembic": "db",
    "aiosqlite": "db",
    "asyncpg": "postgres",
    "redis": "cache",
    "apscheduler": "scheduler",
    "aiosmtplib": "email",
    "pymongo": "mongo",
    "jwt": "auth",
    "pwdlib": "auth",
    "httpx": "ai_interface",
    "httpx2": "testing",
    "asgi_lifespan": "testing",
}


def as_missing_dependency(exc: ImportError, context: str = "") -> MissingDependencyError | None:
    """``exc`` as a ``MissingDependencyError`` when it is one, or when the module it could not
    find is one that a PyJolt extra installs; else None."""
    if isinstance(exc, MissingDependencyError):
        if context and not exc.context:
            return MissingDependencyError(exc.requirements, context)
        return exc
    name = exc.name or ""
    top = name.partition(".")[0]
    if isinstance(exc, ModuleNotFoundError) and top in EXTRA_MODULES:
        return MissingDependencyError([Requirement(top, EXTRA_MODULES[top])], context)
    drivers = [r for r in DATABASE_DRIVERS.values() if r.module == top]
    if isinstance(exc, ModuleNotFoundError) and drivers:
        return MissingDependencyError(drivers[:1], context)
    return None


def url_drivers(configs: Mapping[str, Any]) -> list[Requirement]:
    """The drivers that the ``DATABASE_URI`` of each config section names (``asyncpg`` for
    ``postgresql+asyncpg://...``), for when the extension that reads it cannot be imported."""
    found: list[Requirement] = []
    for section, value in configs.items():
        uri = value.get("DATABASE_URI") if isinstance(value, Mapping) else None
        if isinstance(uri, str) and "://" in uri:
            scheme = uri.partition("://")[0]
            req = driver_requirement(scheme, f"{section}['DATABASE_URI'] {scheme}")
            if req is not None:
                found.append(req)
    return found
