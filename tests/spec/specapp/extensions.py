"""The spec's extensions.py."""

from pyjolt.caching import Cache
from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.migrate import Migrate

db: SqlDatabase = SqlDatabase(db_name="db", configs_name="SQL_DATABASE")
migrate: Migrate = Migrate(db, command_prefix="")
cache: Cache = Cache()
