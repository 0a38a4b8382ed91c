"""`flask db upgrade`: the schema is Alembic's alone; nothing is created implicitly at start-up."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app
from flask.cli import AppGroup

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

db_cli = AppGroup("db", help="Database schema (Alembic).")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def revision(message: str) -> None:
    """Write a new revision from the difference between the models and the database."""
    command.revision(
        alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True
    )


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
