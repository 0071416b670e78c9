"""The engines are made at start-up (or when first asked for), not at the build: the build
checks the URL and its driver without importing the dialect, and a pool option the driver
does not take still stops the start-up with a message naming the section."""

import subprocess
import sys

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.engines import ASYNC_DRIVERNAMES
from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app


@pytest.mark.parametrize("drivername", sorted(ASYNC_DRIVERNAMES))
def test_listed_drivers_are_async(drivername: str) -> None:
    assert make_url(f"{drivername}://").get_dialect().is_async


def test_build_imports_no_dialect() -> None:
    code = (
        "import sys\n"
        "from pyjolt.database.sql import SqlDatabase\n"
        "from pyjolt.testing import make_app\n"
        "db = SqlDatabase()\n"
        "make_app(EXTENSIONS=[db], SQL_DATABASE={'DATABASE_URI': 'sqlite+aiosqlite://'})\n"
        "assert 'sqlalchemy.dialects.sqlite' not in sys.modules, 'dialect imported at build'\n"
        "assert db.engine.dialect.name == 'sqlite'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


async def test_pool_option_mistake_stops_the_start_up() -> None:
    db = SqlDatabase()
    # an in-memory SQLite database has a one-connection pool: no POOL_SIZE
    section = {"DATABASE_URI": "sqlite+aiosqlite://", "POOL_SIZE": 3}
    app = make_app(EXTENSIONS=[db], SQL_DATABASE=section)
    with pytest.raises(ConfigurationError, match=r"SQL_DATABASE: a pool option does not apply"):
        async with PyJoltTestClient(app):
            pass


async def test_engine_asked_for_before_start_up_is_the_one_served() -> None:
    db = SqlDatabase()
    app = make_app(EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": "sqlite+aiosqlite://"})
    built = db.engine
    assert db.readonly_engine is not None
    async with PyJoltTestClient(app):
        assert db.engine is built
        async with db.readonly_scope() as session:
            assert (await session.execute(select(1))).scalar() == 1
    with pytest.raises(RuntimeError, match="shutdown"):
        db.engine  # noqa: B018
