"""`flask demo-data`: a realistic, seeded ward for trying the app and for demos."""

import time

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlmodel import select

from core.db import session_scope
from demo.assistance import build_demo_assistance
from demo.dossiers import build_demo_results
from demo.feedback import build_demo_feedback
from demo.groups import build_demo_group_assignments
from demo.shifts import build_demo_shifts
from demo.ward import DEMO_PASSWORD, build_demo_ward, demo_logins
from volunteer.models import User


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no users yet.")
@click.option("--seed", default=247, show_default=True)
@with_appcontext
def demo_data(if_empty: bool, seed: int) -> None:
    """Load the demo ward "Thanh Khê Đông" and print its logins."""
    with session_scope() as db:
        has_users = db.exec(select(User.id).limit(1)).first() is not None
        if has_users and if_empty:
            click.echo("Dữ liệu đã có; không nạp lại dữ liệu mẫu.")
        elif has_users:
            raise click.ClickException(
                "Cơ sở dữ liệu đã có dữ liệu; hãy dùng một cơ sở dữ liệu trống."
            )
        else:
            started = time.perf_counter()
            summary = build_demo_ward(db, seed=seed)
            assigned = build_demo_group_assignments(db, ward_id=summary["ward_id"], seed=seed)
            rota = build_demo_shifts(db, seed=seed)
            helped = build_demo_assistance(db, seed=seed)
            results = build_demo_results(db, seed=seed, ward_id=summary["ward_id"])
            rated = build_demo_feedback(db, seed=seed, ward_id=summary["ward_id"])
            click.echo(
                f"Đã nạp dữ liệu mẫu: {summary['groups']} tổ, {summary['households']} hộ, "
                f"{summary['residents']} người ({time.perf_counter() - started:.1f} s)."
            )
            click.echo(f"Tổ phụ trách: {assigned} lượt phân công tình nguyện viên vào tổ.")
            click.echo(
                f"Lịch trực: {rota['shifts']} ca (8 tuần đã qua, 4 tuần tới), "
                f"{rota['assignments']} lượt trực."
            )
            click.echo(
                f"Hỗ trợ 8 tuần qua: {helped['records']} lượt, "
                f"{helped['eid_confirmed']} người có VNeID mới, {helped['followups']} việc chờ."
            )
            click.echo(
                f"Hồ sơ trực tuyến: {results['filed']} đã nộp, {results['done']} có kết quả, "
                f"{results['returned']} trả lại, {results['refused']} bị từ chối."
            )
            click.echo(
                f"Đánh giá của người dân: {rated['ratings']} lượt "
                f"({rated['desk']} tại quầy qua mã QR), {rated['comments']} góp ý."
            )
    click.echo(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, description in demo_logins():
        click.echo(f"  {username:<8} {description}")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_data)
