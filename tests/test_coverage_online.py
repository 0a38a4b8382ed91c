"""The second target (issue 17): adults who filed an online dossier with the team, against 30%;
dossiers by procedure and mode with their results; the same figures in the drill-down and exports.

Ward A has 5 adults (a1: Hùng, Dương, Lan, Anh; a2: the elder). In March 2026 the team files a
birth registration for Hùng and Dương (waiting for its result), a residence registration for Hùng
(done), tries one for Lan that could not be filed, and files one for Anh that is later deleted:
2 of 5 adults, 40%; group a1 2/4 = 50%, group a2 0%.
"""

import io
import re
from datetime import date

from openpyxl import load_workbook

from assistance.models import AssistanceRecord, Kind, Outcome, Procedure
from core.db import get_session
from dossiers.models import DossierResult
from tests.coverage_support import MARCH, add_record, figures, local, rows, total_row
from tests.helpers import page_text


def _dossier(world, residents, *, day, outcome, procedure, mode, deleted=False, result=None):
    record_id = add_record(
        world,
        "hung" if "lan" not in residents and "anh" not in residents else "lan",
        at=local(day),
        kind=Kind.DOSSIER,
        outcome=outcome,
        residents=residents,
        deleted=deleted,
        reason=None if outcome == Outcome.DONE else "chờ",
    )
    db = get_session()
    record = db.get(AssistanceRecord, record_id)
    record.procedure_id, record.mode = procedure, mode
    if result:
        db.add(
            DossierResult(
                record_id=record_id,
                ward_id=world.ward_a,
                result=result[0],
                result_on=result[1],
                recorded_by=world.users["tnv01"],
            )
        )
    db.commit()
    return record_id


def _march(app, world):
    with app.app_context():
        db = get_session()
        birth = Procedure(ward_id=world.ward_a, code="khai-sinh", name="Đăng ký khai sinh")
        home = Procedure(
            ward_id=world.ward_a, code="thuong-tru", name="Đăng ký thường trú", mode="mot_phan"
        )
        db.add_all([birth, home])
        db.commit()
        _dossier(
            world,
            ("hung", "duong"),
            day=date(2026, 3, 5),
            outcome=Outcome.PENDING,
            procedure=birth.id,
            mode="toan_trinh",
            result=("returned", date(2026, 3, 7)),
        )
        _dossier(
            world,
            ("hung",),
            day=date(2026, 3, 20),
            outcome=Outcome.DONE,
            procedure=home.id,
            mode=None,  # the catalogue's mode: một phần
            result=("done", date(2026, 3, 26)),
        )
        _dossier(
            world,
            ("hung",),
            day=date(2026, 3, 21),
            outcome=Outcome.PENDING,
            procedure=home.id,
            mode="mot_phan",
        )
        _dossier(
            world,
            ("lan",),
            day=date(2026, 3, 6),
            outcome=Outcome.FAILED,
            procedure=birth.id,
            mode=None,
        )
        _dossier(
            world,
            ("anh",),
            day=date(2026, 3, 6),
            outcome=Outcome.DONE,
            procedure=birth.id,
            mode=None,
            deleted=True,
        )


def test_online_target_per_group_and_ward(app, world, auth, client):
    _march(app, world)
    auth.login("bithu")
    response = client.get("/coverage/", query_string=MARCH)
    shown = figures(response)
    assert shown["online"] == "40%" and shown["dossiers"] == "3"
    assert "2/5" in page_text(response)
    groups = rows(response)
    assert groups["1"]["online"] == "50%" and groups["2"]["online"] == "0%"
    assert total_row(response)["online"] == "40%"
    assert 'data-explain="online"' in page_text(response)  # says adults, and why


def test_online_trend_by_first_filing(app, world, auth, client):
    _march(app, world)
    auth.login("bithu")
    weeks = rows(client.get("/coverage/", query_string=MARCH), "data-week")
    assert weeks["2026-02-23"]["online"] == "0%"
    assert weeks["2026-03-02"]["online"] == "40%"  # Hùng and Dương filed on 5 March
    assert weeks["2026-03-30"]["online"] == "40%"


def test_table_by_procedure_and_mode(app, world, auth, client):
    _march(app, world)
    auth.login("phuong")
    table = rows(client.get("/coverage/", query_string=MARCH), "data-procedure")
    assert table["Đăng ký khai sinh|toan_trinh"] == {
        "mode": "Toàn trình",
        "filed": "1",
        "with_result": "1",
        "returned": "1",
        "refused": "0",
        "median_days": "2",
    }
    assert table["Đăng ký thường trú|mot_phan"] == {
        "mode": "Một phần",
        "filed": "2",
        "with_result": "1",
        "returned": "0",
        "refused": "0",
        "median_days": "6",
    }
    assert set(table) == {"Đăng ký khai sinh|toan_trinh", "Đăng ký thường trú|mot_phan"}
    april = {"period": "custom", "start": "2026-04-01", "end": "2026-04-30"}
    assert "data-procedure=" not in page_text(client.get("/coverage/", query_string=april))


def test_drill_down_and_exports_carry_the_online_figures(app, world, auth, client):
    _march(app, world)
    auth.login("bithu")
    group = client.get(f"/coverage/groups/{world.groups['a1']}")
    assert figures(group)["online"] == "50%"
    assert 'data-online="2"' in page_text(group)  # Hùng and Dương's household
    sheet = load_workbook(
        io.BytesIO(client.get("/coverage/export.xlsx", query_string=MARCH).data)
    ).active
    header = [cell.value for cell in sheet[1]]
    total = [cell.value for cell in sheet[sheet.max_row]]
    assert total[header.index("Tỷ lệ dùng dịch vụ công trực tuyến (%)")] == 40.0
    assert total[header.index("Người lớn đã nộp hồ sơ trực tuyến")] == 2
    book = load_workbook(
        io.BytesIO(client.get("/coverage/report.xlsx", query_string={"month": "2026-03"}).data)
    )
    procedures = [[c.value for c in row] for row in book["Hồ sơ theo thủ tục"].iter_rows()]
    assert procedures[-1][:4] == ["Cộng", None, 3, 2]
    report = page_text(client.get("/coverage/report", query_string={"month": "2026-03"}))
    assert 'data-procedure="Đăng ký khai sinh|toan_trinh"' in report


def test_city_view_has_the_online_share_per_ward(app, world, auth, client):
    _march(app, world)
    auth.login("admin")
    wards = rows(client.get("/coverage/city", query_string=MARCH), "data-ward")
    assert wards[str(world.ward_a)]["online"] == "40%"
    assert wards[str(world.ward_b)]["online"] == "0%"


def test_the_record_that_resolves_a_dossier_is_its_result_not_a_second_filing(
    app, world, auth, client
):
    """The log screen's "Ghi kết quả" on a pending dossier writes a done dossier record that
    resolves it: one dossier filed, not two, and that one has its result."""
    with app.app_context():
        filed = add_record(
            world,
            "hung",
            at=local(date(2026, 3, 5)),
            kind=Kind.DOSSIER,
            outcome=Outcome.PENDING,
            residents=("hung",),
            reason="chờ",
        )
        result = add_record(
            world, "hung", at=local(date(2026, 3, 9)), kind=Kind.DOSSIER, residents=("hung",)
        )
        db = get_session()
        db.get(AssistanceRecord, filed).resolved_by_record_id = result
        db.commit()
    auth.login("bithu")
    page = client.get("/coverage/", query_string=MARCH)
    assert figures(page)["dossiers"] == "1" and figures(page)["online"] == "20%"
    # ... and it gives the first its result: done, four days after filing (logged offline).
    row = rows(page, "data-procedure")["|"]
    assert (row["filed"], row["with_result"], row["median_days"]) == ("1", "1", "4")


def _chain(app, world, *links):
    """A dossier filed on 5 March 2026, then each (day, outcome, form result) in turn: a record
    that resolves the previous one (outcome) and/or a result form on the last (form result)."""
    with app.app_context():
        db = get_session()
        previous = add_record(
            world,
            "hung",
            at=local(date(2026, 3, 5)),
            kind=Kind.DOSSIER,
            outcome=Outcome.PENDING,
            residents=("hung",),
            reason="chờ",
        )
        for day, outcome, result in links:
            if outcome is not None:
                later = add_record(
                    world,
                    "hung",
                    at=local(day),
                    kind=Kind.DOSSIER,
                    outcome=outcome,
                    residents=("hung",),
                    reason=None if outcome == Outcome.DONE else "nộp bổ sung",
                )
                db.get(AssistanceRecord, previous).resolved_by_record_id = later
                previous = later
            if result is not None:
                db.add(
                    DossierResult(
                        record_id=previous,
                        ward_id=world.ward_a,
                        result=result,
                        result_on=day,
                        recorded_by=world.users["tnv01"],
                    )
                )
            db.commit()


def _tfoot(page) -> dict[str, str]:
    match = re.search(r"<tr data-procedures-total>(.*?)</tr>", page_text(page), re.S)
    cells = re.findall(r'<td data-col="([a-z_]+)">(.*?)</td>', match.group(1), re.S)
    return {key: value.strip() for key, value in cells}


def test_returned_then_filed_again_then_done_counts_as_done_from_the_first_filing(
    app, world, auth, client
):
    """Returned for more papers (result form, 8 March), filed again (a pending record that
    resolves the first, 10 March), done (a record that resolves that one, 19 March): one
    dossier filed, done, 14 days from the first filing; not returned, not a second filing."""
    _chain(
        app,
        world,
        (date(2026, 3, 8), None, "returned"),
        (date(2026, 3, 10), Outcome.PENDING, None),
        (date(2026, 3, 19), Outcome.DONE, None),
    )
    auth.login("bithu")
    total = _tfoot(client.get("/coverage/", query_string=MARCH))
    assert total == {
        "filed": "1",
        "with_result": "1",
        "returned": "0",
        "refused": "0",
        "median_days": "14",
    }


def test_returned_and_waiting_again_stays_returned(app, world, auth, client):
    _chain(
        app,
        world,
        (date(2026, 3, 8), None, "returned"),
        (date(2026, 3, 10), Outcome.PENDING, None),
    )
    auth.login("bithu")
    total = _tfoot(client.get("/coverage/", query_string=MARCH))
    assert (total["filed"], total["returned"], total["median_days"]) == ("1", "1", "3")


def test_the_latest_result_wins_over_an_earlier_form(app, world, auth, client):
    """Returned on the form, then the log screen's "Ghi kết quả" says it could not be done:
    refused (the later), and a same-day done on the form of the resolver is final too."""
    _chain(
        app,
        world,
        (date(2026, 3, 6), None, "returned"),
        (date(2026, 3, 12), Outcome.FAILED, None),
    )
    auth.login("bithu")
    total = _tfoot(client.get("/coverage/", query_string=MARCH))
    assert (total["with_result"], total["refused"], total["returned"]) == ("1", "1", "0")
    assert total["median_days"] == "7"
