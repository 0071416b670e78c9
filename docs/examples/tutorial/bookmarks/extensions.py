"""Step 2: the extensions, one instance each, listed in Config.EXTENSIONS."""

from pyjolt.caching import Cache
from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.migrate import Migrate
from pyjolt.task_queue import TaskQueue

db = SqlDatabase()  # section SQL_DATABASE
migrate = Migrate(db)  # the db-* commands of cli.py
cache = Cache()  # section CACHE
queue = TaskQueue()  # section TASK_QUEUE
