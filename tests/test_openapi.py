"""The OpenAPI document validates, its examples fit its schemas, and real answers match both."""

import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

from assistance.models import MAX_MINUTES, MAX_REASON, Kind, Outcome
from sync import openapi, schemas
from tests.sync_items import household_uuid, record


@pytest.fixture
def document(client):
    return client.get("/api/openapi.json").get_json()


def schema_validator(document, name):
    # The document is registered whole, so "#/components/..." references inside it resolve.
    registry = Registry().with_resource("urn:api", Resource.opaque(document))
    return OAS31Validator({"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry)


def test_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/api/v1/csrf", "/api/v1/pull", "/api/v1/push"}


def test_every_example_fits_its_schema(document):
    checked = 0
    for path in document["paths"].values():
        for operation in path.values():
            bodies = [operation.get("requestBody", {})] + list(operation["responses"].values())
            for body in bodies:
                for media in body.get("content", {}).values():
                    if "example" not in media:
                        continue
                    schema = media["schema"]
                    name = schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else None
                    validator = schema_validator(document, name) if name else OAS31Validator(schema)
                    validator.validate(media["example"])
                    checked += 1
    assert checked >= 7
    # The validator does look through the references: a wrong answer fails.
    with pytest.raises(ValidationError):
        schema_validator(document, "PushResponse").validate(
            {"results": [{"uuid": None, "type": "record", "status": "lost"}], "server_time": "x"}
        )


def test_the_push_example_gives_the_example_answer(app, world, auth, client, document):
    """The documented request, sent for real (with a group of the test ward), is answered with
    the documented statuses, and the real answer fits the response schema."""
    auth.login("tnv01")
    push = document["paths"]["/api/v1/push"]["post"]
    request = push["requestBody"]["content"]["application/json"]["example"]
    request["items"][0]["group_id"] = world.groups["a1"]
    response = client.post("/api/v1/push", json=request)
    answer = response.get_json()
    schema_validator(document, "PushResponse").validate(answer)
    example = push["responses"]["200"]["content"]["application/json"]["example"]
    strip = lambda results: [{k: v for k, v in r.items() if k != "id"} for r in results]  # noqa: E731
    assert strip(answer["results"]) == strip(example["results"])
    assert all(isinstance(r["id"], int) for r in answer["results"] if r["status"] == "accepted")


def test_real_answers_fit_the_schemas(app, world, auth, client, document):
    auth.login("tnv01")
    with app.app_context():
        waiting = record(household_uuid(world, "hung"), outcome="pending", reason="Chờ")
    client.post("/api/v1/push", json={"items": [waiting]})
    schema_validator(document, "PullResponse").validate(client.get("/api/v1/pull").get_json())
    too_large = client.post("/api/v1/push", json={"items": [{}] * 501})
    assert too_large.status_code == 413
    schema_validator(document, "TooLarge").validate(too_large.get_json())
    auth.logout()
    unauthorized = client.get("/api/v1/pull")
    schema_validator(document, "Error").validate(unauthorized.get_json())


def test_example_ids_are_the_module_constants():
    assert openapi.PUSH_EXAMPLE["items"][0]["uuid"] == openapi.HOUSEHOLD_UUID


def test_the_document_has_the_answers_and_links_stateful_runs_need(document):
    push = document["paths"]["/api/v1/push"]["post"]
    pull = document["paths"]["/api/v1/pull"]["get"]
    csrf = document["paths"]["/api/v1/csrf"]["get"]
    assert {"403", "413"} <= push["responses"].keys()
    assert "404" in pull["responses"]
    linked = {
        link["operationId"]
        for operation in (push, pull, csrf)
        for link in operation["responses"]["200"].get("links", {}).values()
    }
    assert linked == {"pushItems", "pullChanges"}


def test_every_item_of_the_push_example_passes_its_item_schema(document):
    """The request's items are checked one by one against the item models' schemas (issue 18):
    the three good ones pass, the malformed one (bad UUID, fields missing) fails."""
    *good, bad = openapi.PUSH_EXAMPLE["items"]
    names = {"household": "HouseholdItem", "resident": "ResidentItem", "record": "RecordItem"}
    for item in good:
        schema_validator(document, names[item["type"]]).validate(item)
    with pytest.raises(ValidationError):
        schema_validator(document, "RecordItem").validate(bad)


def test_the_schemas_are_the_item_models_and_their_limits(document):
    components = document["components"]["schemas"]
    assert components == schemas.component_schemas()
    assert set(components["Kind"]["enum"]) == {kind.value for kind in Kind}
    assert set(components["Outcome"]["enum"]) == {outcome.value for outcome in Outcome}
    record_item = components["RecordItem"]["properties"]
    assert record_item["minutes"]["anyOf"][0]["maximum"] == MAX_MINUTES
    assert record_item["reason"]["anyOf"][0]["maxLength"] == MAX_REASON
    # A record that breaks a length limit fails the schema as it fails the push.
    too_long = {**openapi.PUSH_EXAMPLE["items"][2], "reason": "x" * (MAX_REASON + 1)}
    with pytest.raises(ValidationError):
        schema_validator(document, "RecordItem").validate(too_long)
