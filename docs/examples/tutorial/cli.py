"""Step 5: the app's commands: python cli.py db-init | db-migrate | db-upgrade | worker | ..."""

from bookmarks import Application

if __name__ == "__main__":
    Application().run_cli()
