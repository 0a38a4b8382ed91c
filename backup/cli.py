"""The two commands. Backups are safe while the app serves; a restore refuses to run then."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from backup import files, postgres, sqlite
from core import serving


def _database() -> tuple[str, str]:
    url = current_app.config["DATABASE_URL"]
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise click.ClickException(f"Không sao lưu được cơ sở dữ liệu {backend}.")
    return backend, url


@click.command("backup")
@with_appcontext
def backup_command() -> None:
    """Sao lưu cơ sở dữ liệu (chạy được khi ứng dụng đang phục vụ); giữ BACKUP_KEEP bản mới nhất."""
    backend, url = _database()
    where = files.folder(current_app)
    if backend == "sqlite":
        target = files.new_name(where, files.PREFIX, ".db")
        sqlite.copy(make_url(url).database, target, origin="backup")
        suffix = ".db"
    else:
        target = files.new_name(where, files.PREFIX, ".dump")
        _or_fail(postgres.copy, url, target)
        suffix = ".dump"
    gone = files.prune(where, suffix, files.keep(current_app))
    click.echo(f"Đã sao lưu: {target}")
    if gone:
        click.echo(f"Đã xoá {len(gone)} bản cũ (giữ {files.keep(current_app)} bản mới nhất).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@with_appcontext
def restore_command(file: str) -> None:
    """Khôi phục từ một bản sao lưu. Hãy dừng máy chủ web và bộ nhắc việc trước."""
    backend, url = _database()
    module = sqlite if backend == "sqlite" else postgres
    source = Path(file).resolve()
    problem = module.check(source)
    if problem:
        raise click.ClickException(f"Không khôi phục được từ {file}: {problem}.")
    lock = serving.exclusive(current_app)
    if lock is None:
        raise click.ClickException(
            "Ứng dụng đang chạy (máy chủ web hoặc bộ nhắc việc): hãy dừng nó rồi khôi phục."
        )
    try:
        where = files.folder(current_app)
        if backend == "sqlite":
            live = make_url(url).database
            kept = files.new_name(where, "before-restore-", ".db")
            sqlite.copy(live, kept, origin=None)
            identity = sqlite.restore(live, source)
        else:
            kept = files.new_name(where, "before-restore-", ".dump")
            _or_fail(postgres.copy, url, kept)
            identity = _or_fail(postgres.restore, url, source)
    finally:
        os.close(lock)
    click.echo(f"Đã giữ bản đang dùng trước khi khôi phục: {kept}")
    click.echo(f"Đã khôi phục từ {source}. Mã cơ sở dữ liệu mới: {identity}")
    click.echo("Điện thoại sẽ tự gửi lại những gì đã gửi sau bản sao lưu này.")


def _or_fail(function, *args):
    try:
        return function(*args)
    except (RuntimeError, FileNotFoundError) as error:
        raise click.ClickException(str(error)) from error
