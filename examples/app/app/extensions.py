"""Extension instances (listed in Config.EXTENSIONS)."""

from pyjolt.caching import Cache
from pyjolt.database.sql import SqlDatabase

db = SqlDatabase()
cache = Cache()
