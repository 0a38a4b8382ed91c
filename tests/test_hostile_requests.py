"""Every GET route, as every role, with hostile path and query values: never a 5xx.

Path arguments are replaced one at a time (the others keep the sample values of tests/access/);
every query argument gets each hostile value all together, then those the view read one by one.
The admin goes first through `?ward=` with each value, so a ward kept in the session is tried too.
"""

from urllib.parse import quote

import pytest
from flask import url_for
from werkzeug.datastructures import ImmutableMultiDict

from tests.test_access import ROLES, expected_tables

HUGE = "9" * 20
MARKER = 7_777_777_777_777
HOSTILE = [
    HUGE,
    str(2**31),  # one past PostgreSQL's INTEGER
    str(2**63),  # one past SQLite's
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "0001-01",
    "\x00\x01\x1b",
    "a\r\nb\tc\u2028",
    "x" * 10_000,
    "",
]
QUERY_NAMES = [
    "page",
    "ward",
    "start",
    "end",
    "period",
    "month",
    "sort",
    "show",
    "group",
    "entity",
    "next",
    "q",
    "cursor",
    "year",
]
# The worst values, one query argument at a time.
ONE_BY_ONE = [HUGE, "-1", "0001-01-01", "9999-12-31", "0001-01", "\x00"]


def _get_rules(app):
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in ("static", "volunteer.logout") and "GET" in rule.methods
    ]
    return sorted(rules, key=lambda rule: rule.endpoint)


def _sample_args(world) -> dict:
    _expected, samplers = expected_tables()
    args = {}
    for sampler in samplers:
        args.update(sampler(world))
    return args


def _urls(app, rule, args):
    def build(values, query=None):
        with app.test_request_context():
            return url_for(rule.endpoint, **values, **(query or {}))

    plain = {name: args[name] for name in rule.arguments}
    for name in rule.arguments:
        # Built with a marker, then the marker replaced as typed, past url_for's own checks.
        is_int = isinstance(plain[name], int)
        url = build({**plain, name: MARKER}) if is_int else build(plain)
        marker = str(MARKER) if is_int else quote(str(plain[name]), safe="")
        for value in HOSTILE:
            if value:
                yield url.replace(marker, quote(value, safe=""), 1)
    read.clear()
    for value in HOSTILE:
        # period=custom, so that start and end are read too; period itself is tried one by one.
        yield build(plain, {**dict.fromkeys(QUERY_NAMES, value), "period": "custom"})
    for name in sorted(read & set(QUERY_NAMES)):
        for value in ONE_BY_ONE:
            yield build(plain, {name: value})


class _RecordingArgs(ImmutableMultiDict):
    """Query arguments that note which names the view read, to try those one by one."""

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        read.add(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        read.add(key)
        return super().__getitem__(key)


read: set[str] = set()


@pytest.mark.parametrize("role", list(ROLES))
def test_no_get_route_answers_5xx_to_hostile_values(app, world, auth, client, role, monkeypatch):
    monkeypatch.setattr(app.request_class, "parameter_storage_class", _RecordingArgs)
    args = _sample_args(world)
    assert auth.login(ROLES[role]).status_code == 302
    tried, failures = 0, []
    for rule in _get_rules(app):
        for url in _urls(app, rule, args):
            tried += 1
            try:
                status = client.get(url).status_code
            except Exception as error:  # noqa: BLE001 - TESTING propagates what would be a 500
                status = f"500 {type(error).__name__}"
            if str(status) >= "500":
                failures.append(f"{rule.endpoint}: {status} {url[:100]!r}")
    print(f"\nhostile GETs as {role}: {tried} tried, {len(failures)} 5xx")
    assert not failures, "\n".join(failures)
