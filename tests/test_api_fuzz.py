"""The sync API against its own OpenAPI document, in-process (WSGI), with schemathesis.

Every operation gets generated requests, valid and invalid, as each role; every answer must be
documented (status, content type, body schema) and none may be a 5xx. A stateful run then follows
the document's links (csrf → push → pull → pull since its cursor). Bounded: well under a minute.
"""

from collections import Counter
from itertools import product

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks

from tests.test_access import ROLES

EXAMPLES_PER_OPERATION = 20
STATEFUL_SCENARIOS = 12
# No 5xx and every answer as documented; valid input accepted. Left out: the auth checks and the
# rejection of invalid input, which both drop the session cookie (the document's security scheme)
# that the tests send back with every call.
CONFORMING = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
CHECKS = {
    GenerationMode.POSITIVE: [*CONFORMING, checks.positive_data_acceptance],
    GenerationMode.NEGATIVE: CONFORMING,
}
# werkzeug's test client does not decompress; phones and browsers do.
PLAIN = {"Accept-Encoding": "identity"}
BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure here is never a fluke
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def _session_cookie(client) -> dict:
    """The signed-in session, passed with every call: the document declares the session cookie
    as the API's security scheme, so schemathesis would otherwise send a generated one."""
    return {"session": client.get_cookie("session").value}


def _operations(api):
    return [result.ok() for result in api.get_all_operations()]


def _fuzz(operation, mode, send) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @BOUNDED
    def check(case):
        send(case, mode)

    check()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_answer_is_documented_and_none_is_a_5xx(app, world, auth, client, api, role):
    auth.login(ROLES[role])
    cookies = _session_cookie(client)
    statuses: Counter = Counter()

    def send(case, mode) -> None:
        if role == "admin" and "ward" not in (case.query or {}):
            case.query = {**(case.query or {}), "ward": world.ward_a}
        response = case.call(session=client, cookies=cookies, headers=PLAIN)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS[mode])

    for operation, mode in product(_operations(api), GenerationMode):
        _fuzz(operation, mode, send)
    print(f"\nfuzzed API as {role}: {sum(statuses.values())} requests, {dict(statuses)}")
    assert not [status for status in statuses if status >= 500]


def test_stateful_runs_follow_the_links(app, world, auth, client, api):
    auth.login("tnv01")
    cookies = _session_cookie(client)
    calls: Counter = Counter()

    class Machine(api.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"session": client, "cookies": cookies, "headers": PLAIN}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CONFORMING)

        def after_call(self, response, case):
            super().after_call(response, case)
            calls[f"{case.method} {case.path} {response.status_code}"] += 1

    Machine.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=4,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    print(f"\nstateful: {sum(calls.values())} requests, {dict(calls)}")
    assert not any(key.endswith(" 500") for key in calls)
    assert any(key.startswith("GET /api/v1/pull 200") for key in calls)
