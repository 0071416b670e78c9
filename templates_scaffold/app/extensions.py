"""Extension instances; they are listed in Config.EXTENSIONS and configured there."""

from pyjolt.database.sql import SqlDatabase
from pyjolt.database.sql.migrate import Migrate

db: SqlDatabase = SqlDatabase()  # reads the SQL_DATABASE section
migrate: Migrate = Migrate(db)  # adds the db-* commands to cli.py
