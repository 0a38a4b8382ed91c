"""Request bodies: JSON depth checked before parsing, chunked bodies bounded, import rows capped
(issue 14)."""

import io

import pytest

from core import bodies
from households import tabular
from tests.helpers import page_text
from tests.test_import_export import csv_bytes, upload, xlsx_bytes

DEEP = b"[" * 1000 + b"]" * 1000


def _chunked(client, path: str, body: bytes, content_type: str = "application/json"):
    """A body sent without a length, as a phone's fetch() streams it; the server marks the
    input terminated (gunicorn and werkzeug's server both do)."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": content_type},
        environ_overrides={"wsgi.input_terminated": True},
    )


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_depth_is_checked_before_parsing(depth):
    with pytest.raises(bodies.TooDeep):
        bodies.check_depth(b"[" * depth + b"]" * depth)


def test_brackets_inside_strings_do_not_count():
    bodies.check_depth(b'{"a": ["[[[[[[[[[[\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\\"]}')
    bodies.check_depth(b"[" * 32 + b"]" * 32)


@pytest.mark.parametrize("path", ["/api/v1/push", "/notifications/subscription"])
def test_json_nested_a_thousand_deep_answers_400(app, world, auth, client, path):
    auth.login("tnv01")
    response = client.post(path, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json


def test_a_chunked_push_over_the_limit_answers_413(app, world, auth, client):
    auth.login("tnv01")
    body = b'{"items": [' + b'{"type": "record"},' * 1_100_000 + b"{}]}"  # about 20 MB
    response = _chunked(client, "/api/v1/push", body)
    assert response.status_code == 413
    assert response.json["error"] == "too_large"


def test_a_small_chunked_push_is_read_whole(app, world, auth, client):
    auth.login("tnv01")
    response = _chunked(client, "/api/v1/push", b'{"items": []}')
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/notifications/subscription", "application/json"),
        ("/households/1/edit", "application/x-www-form-urlencoded"),
    ],
)
def test_chunked_bodies_over_the_limit_answer_413(app, world, auth, client, path, content_type):
    auth.login("tnv01")
    body = b"a=" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    assert _chunked(client, path, body, content_type).status_code == 413


def _rows(count: int) -> list[list]:
    return [[1, f"{n} Lê Lợi", "", "", "không", "", "", 1960, "mức 1"] for n in range(count)]


def test_import_refuses_more_than_twenty_thousand_rows(app, world, auth, client):
    auth.login("bithu")
    # Two columns only: under werkzeug's 500 kB, past which its test client leaves a file open.
    rows = [[1, n] for n in range(tabular.MAX_ROWS + 1)]
    response = upload(client, csv_bytes(rows, headers=["Tổ dân phố", "Địa chỉ"]), "big.csv")
    assert "Tệp có hơn 20.000 dòng" in page_text(response)


@pytest.mark.parametrize(("build", "name"), [(csv_bytes, "a.csv"), (xlsx_bytes, "a.xlsx")])
def test_the_row_cap_counts_data_rows(app, world, auth, client, monkeypatch, build, name):
    monkeypatch.setattr(tabular, "MAX_ROWS", 5)
    auth.login("bithu")
    assert "Tệp có hơn" not in page_text(upload(client, build(_rows(5)), name))
    assert "Tệp có hơn" in page_text(upload(client, build(_rows(6)), name))
