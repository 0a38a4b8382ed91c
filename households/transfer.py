"""Import from and export to CSV/XLSX. Uploads are previewed; nothing is written before confirm."""

import json
import os
import secrets
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from core import clock
from core.access import MANAGERS, STAFF, allow, ward_in_view
from core.db import get_session
from core.text import normalize
from households import bp, importer, tabular
from households.forms import ImportForm
from households.models import Household, Resident, ResidentialGroup, Ward

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


PREVIEW_LIFETIME_SECONDS = 24 * 3600


def _pending_path(token: str) -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(exist_ok=True)
    return folder / f"{token}.json"


def _forget_stale_previews() -> None:
    """Previews never confirmed hold residents' names; they go after a day."""
    folder = Path(current_app.instance_path) / "imports"
    cutoff = clock.now().timestamp() - PREVIEW_LIFETIME_SECONDS
    for path in folder.glob("*.json"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _listing_ward() -> Ward | None:
    ward_id = ward_in_view()
    return get_session().get(Ward, ward_id) if ward_id else None


@bp.route("/import", methods=["GET", "POST"])
@allow(MANAGERS)
def import_upload():
    ward = _listing_ward()
    if ward is None:
        return redirect(url_for("households.wards"))
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            plan = importer.plan_import(
                get_session(), ward_id=ward.id, filename=upload.filename, content=upload.read()
            )
        except tabular.TooManyRows:
            form.file.errors.append(
                _(
                    "Tệp có hơn %(count)s dòng. Hãy chia thành nhiều tệp nhỏ hơn rồi nhập lần lượt.",
                    count=format_number(tabular.MAX_ROWS),
                )
            )
        except tabular.UnreadableFile:
            form.file.errors.append(
                _(
                    "Không đọc được tệp. Hãy dùng tệp mẫu, giữ nguyên dòng tiêu đề (có cột Tổ dân phố và Địa chỉ)."
                )
            )
        else:
            _forget_stale_previews()
            token = secrets.token_urlsafe(16)
            pending = {"ward_id": ward.id, "user_id": current_user.id, **plan.to_json()}
            path = _pending_path(token)
            path.write_text(json.dumps(pending, ensure_ascii=False))
            written = clock.now().timestamp()  # its age is read against the one clock
            os.utime(path, (written, written))
            session["import_token"] = token
            return render_template("households/import_preview.html", plan=plan, ward=ward)
    return render_template(
        "households/import.html", form=form, ward=ward, columns=tabular.COLUMNS, guide=tabular.GUIDE
    )


@bp.route("/import/confirm", methods=["POST"])
@allow(MANAGERS)
def import_confirm():
    token = session.pop("import_token", None)
    path = _pending_path(token) if token else None
    if path is None or not path.exists():
        flash(_("Bản xem trước đã hết hạn. Hãy tải tệp lên lại."), "error")
        return redirect(url_for("households.import_upload"))
    pending = json.loads(path.read_text())
    path.unlink()
    if pending["user_id"] != current_user.id:
        flash(_("Bản xem trước đã hết hạn. Hãy tải tệp lên lại."), "error")
        return redirect(url_for("households.import_upload"))
    db = get_session()
    created = importer.apply_import(
        db, ward_id=pending["ward_id"], planned=pending["households"], actor_id=current_user.id
    )
    db.commit()
    flash(_("Đã nhập %(count)s hộ mới.", count=created), "success")
    return redirect(url_for("households.groups"))


@bp.route("/import/template.<any(xlsx, csv):kind>")
@allow(MANAGERS)
def import_template(kind: str):
    if kind == "xlsx":
        body = tabular.write_xlsx(tabular.EXAMPLE_ROWS, guide=True)
    else:
        body = tabular.write_csv(tabular.EXAMPLE_ROWS)
    return _download(body, kind, "mau-nhap-ho-dan")


def registry_rows(ward_id: int) -> list[list]:
    db = get_session()
    query = (
        select(ResidentialGroup, Household, Resident)
        .join(Household, Household.group_id == ResidentialGroup.id)
        .outerjoin(
            Resident,
            (Resident.household_id == Household.id) & Resident.deleted_at.is_(None),
        )
        .where(
            ResidentialGroup.ward_id == ward_id,
            ResidentialGroup.deleted_at.is_(None),
            Household.deleted_at.is_(None),
        )
        .order_by(ResidentialGroup.number, Household.address_norm, Household.id, Resident.id)
    )
    eid_labels = {0: "chưa có", 1: "mức 1", 2: "mức 2"}
    rows = []
    for group, household, resident in db.exec(query).all():
        rows.append(
            [
                group.number,
                household.address,
                household.head_name or "",
                household.phone or "",
                "có" if household.consent else "không",
                household.note or "",
                (resident.full_name or "") if resident else "",
                resident.birth_year if resident else "",
                eid_labels[resident.eid_level] if resident else "",
            ]
        )
    return rows


@bp.route("/export.<any(xlsx, csv):kind>")
@allow(STAFF)
def export_registry(kind: str):
    ward = _listing_ward()
    if ward is None:
        return redirect(url_for("households.wards"))
    rows = registry_rows(ward.id)
    body = tabular.write_xlsx(rows) if kind == "xlsx" else tabular.write_csv(rows)
    slug = normalize(ward.name).replace(" ", "-")
    return _download(body, kind, f"ho-dan-{slug}-{clock.today():%Y-%m-%d}")


def _download(body: bytes, kind: str, stem: str) -> Response:
    return Response(
        body,
        mimetype=XLSX_TYPE if kind == "xlsx" else CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"'},
    )
