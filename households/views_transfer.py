"""Import from and export to CSV/XLSX. Uploads are previewed; nothing is written before confirm."""

from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user

from core import clock
from core.access import MANAGERS, STAFF, allow, ward_in_view
from core.db import get_session
from core.text import normalize
from households import bp, importer, queries, tabular
from households.forms import ImportForm
from households.models import Ward

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


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
            db = get_session()
            session["import_token"] = importer.keep_preview(
                db, plan=plan, ward_id=ward.id, user_id=current_user.id, now=clock.now()
            )
            db.commit()
            return render_template("households/import_preview.html", plan=plan, ward=ward)
    return render_template(
        "households/import.html", form=form, ward=ward, columns=tabular.COLUMNS, guide=tabular.GUIDE
    )


@bp.route("/import/confirm", methods=["POST"])
@allow(MANAGERS)
def import_confirm():
    db = get_session()
    token = session.pop("import_token", None)
    preview = importer.take_preview(db, token, user_id=current_user.id, now=clock.now())
    if preview is None:
        db.commit()  # a stale or someone else's preview is gone all the same
        flash(_("Bản xem trước đã hết hạn. Hãy tải tệp lên lại."), "error")
        return redirect(url_for("households.import_upload"))
    created = importer.apply_import(
        db, ward_id=preview.ward_id, planned=preview.plan["households"], actor_id=current_user.id
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


@bp.route("/export.<any(xlsx, csv):kind>")
@allow(STAFF)
def export_registry(kind: str):
    ward = _listing_ward()
    if ward is None:
        return redirect(url_for("households.wards"))
    rows = queries.registry_rows(get_session(), ward_id=ward.id)
    body = tabular.write_xlsx(rows) if kind == "xlsx" else tabular.write_csv(rows)
    slug = normalize(ward.name).replace(" ", "-")
    return _download(body, kind, f"ho-dan-{slug}-{clock.today():%Y-%m-%d}")


def _download(body: bytes, kind: str, stem: str) -> Response:
    return Response(
        body,
        mimetype=XLSX_TYPE if kind == "xlsx" else CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"'},
    )
