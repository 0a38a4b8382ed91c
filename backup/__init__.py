"""`flask --app app backup` and `flask --app app restore FILE` (SQLite and PostgreSQL)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from backup.cli import backup_command, restore_command

    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
