"""An API that declares no error response, whose every answer carries an `errors` list beside the resource
(Square's): its refusals are that list alone, each error classified by the API's own enums, as its SDK reads
them (tests/published_specs/errors-beside-answers/). They were RFC 7807 problems, which Square's SDK read as
one error of code `Unknown`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs" / "errors-beside-answers"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "errors-beside-answers")


def test_a_deleted_resource_read_is_a_not_found_in_the_answers_errors_list(client):
    made = client.post("/v2/widgets", json={"idempotency_key": "k-1", "name": "mine"}).json()["widget"]
    assert client.delete(f"/v2/widgets/{made['id']}").status_code == 200
    gone = client.get(f"/v2/widgets/{made['id']}")
    assert gone.status_code == 404 and gone.headers["content-type"].startswith("application/json"), gone.text
    [error] = gone.json()["errors"]
    assert (error["category"], error["code"]) == ("INVALID_REQUEST_ERROR", "NOT_FOUND"), error
    assert error.get("detail"), error
    assert set(gone.json()) == {"errors"}, gone.json()


def test_a_success_drawn_from_its_schema_carries_no_errors_beside_what_it_answers(client):
    made = client.post("/v2/widgets", json={"idempotency_key": "k-3", "name": "fine"}).json()
    assert "errors" not in made and made["widget"]["name"] == "fine", made  # (a drawn RATE_LIMIT_ERROR was beside it)
    assert "errors" not in client.get(f"/v2/widgets/{made['widget']['id']}").json()


def test_an_id_never_made_is_a_not_found_in_the_answers_errors_list_once_one_is_made(client):
    client.post("/v2/widgets", json={"idempotency_key": "k-2", "name": "one made"})
    missing = client.get("/v2/widgets/W_never_made")
    assert missing.status_code == 404, missing.text  # (it answered a drawn widget named W_never_made)
    [error] = missing.json()["errors"]
    assert (error["category"], error["code"]) == ("INVALID_REQUEST_ERROR", "NOT_FOUND"), error
    assert client.get("/v2/widgets/W1234567890").status_code == 200  # (an id the spec's examples show: drawn)


def test_a_request_missing_a_required_field_is_refused_in_the_answers_errors_list(client):
    refused = client.post("/v2/widgets", json={"name": "no key"})
    assert refused.status_code == 400, refused.text
    [error] = refused.json()["errors"]
    assert error["category"] == "INVALID_REQUEST_ERROR" and error["code"] in ("BAD_REQUEST", "MISSING_REQUIRED_PARAMETER"), error


@pytest.mark.parametrize("path", ["/v2/wid%01gets", "/v2/%ff", "/v2/nowhere"])
def test_a_path_the_api_does_not_have_is_not_found_in_the_answers_errors_list(client, path):
    # (a control character or an undecodable byte in a segment reaches no operation: no operation's answers to
    # read the shape from, and it was an RFC 7807 problem)
    missing = client.get(path)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json"), missing.text
    [error] = missing.json()["errors"]
    assert error["code"] == "NOT_FOUND", error
