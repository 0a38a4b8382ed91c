"""Every registered route against every role, compared with the expected-access tables.

A route added without an entry in tests/access/ fails here, and so does one whose view
forgot its rule (the app refuses such routes with 403 for everyone).
"""

import importlib
import pkgutil

import pytest
from flask import url_for

import tests.access
from core.access import PUBLIC

ROLES = {"volunteer": "tnv01", "secretary": "bithu", "ward_officer": "phuong", "admin": "admin"}


def expected_tables():
    expected, samplers = {}, []
    for module_info in pkgutil.iter_modules(tests.access.__path__):
        module = importlib.import_module(f"tests.access.{module_info.name}")
        overlap = expected.keys() & module.EXPECTED.keys()
        assert not overlap, f"endpoints listed twice: {overlap}"
        expected.update(module.EXPECTED)
        samplers.append(module.sample_args)
    return expected, samplers


def _routes(app):
    # Logging out last, so that each role's session lasts through the whole matrix.
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    return sorted(rules, key=lambda rule: (rule.endpoint == "volunteer.logout", rule.endpoint))


def _request(client, app, rule, args):
    with app.test_request_context():
        url = url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})
    method = "get" if "GET" in rule.methods else "post"
    return getattr(client, method)(url)


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_route_has_an_expected_rule(app):
    expected, _samplers = expected_tables()
    registered = {rule.endpoint for rule in _routes(app)}
    assert registered - expected.keys() == set(), "routes without an expected-access entry"
    assert expected.keys() - registered == set(), "expected entries for routes that do not exist"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_access_matrix(app, world, auth, client, role):
    expected, samplers = expected_tables()
    args = {}
    for sampler in samplers:
        args.update(sampler(world))
    if role:
        assert auth.login(ROLES[role]).status_code == 302
    failures = []
    for rule in _routes(app):
        allowed = expected[rule.endpoint]
        response = _request(client, app, rule, args)
        if allowed == PUBLIC:
            ok = response.status_code not in (401, 403) and not _is_login_redirect(response)
        elif role is None:
            ok = _is_login_redirect(response) or response.status_code == 401
        elif role in allowed:
            # Logging out rightly ends on the login page.
            ok = response.status_code not in (401, 403) and (
                not _is_login_redirect(response) or rule.endpoint == "volunteer.logout"
            )
        else:
            ok = response.status_code == 403
        if not ok:
            failures.append(f"{rule.endpoint} as {role}: {response.status_code}")
    assert failures == []
