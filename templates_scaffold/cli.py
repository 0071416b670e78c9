"""CLI utility script: ``python cli.py --help`` lists the commands (db-init, db-upgrade, ...)."""

if __name__ == "__main__":
    from app import Application

    app = Application()
    app.run_cli()
