"""Refusals of a spec that declares no error response, whose answers carry a list of errors
(tests/published_specs/errors-in-success-envelope/): Square's every `...Response` has `errors: [Error]`, and
its API answers a refused request `{"errors": [{"category", "code", "detail", "field"}]}`. Such refusals were
RFC 7807 documents, with no `errors`, and Square's SDKs raised an error that said nothing of why."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "errors-in-success-envelope",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "errors-in-success-envelope")


def test_a_refused_body_is_answered_as_the_list_of_errors(client):
    answer = client.post("/v2/tills", json={"floats": "three"})
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    errors = answer.json()["errors"]
    assert len(errors) == 1 and set(answer.json()) == {"errors"}, answer.json()
    assert errors[0]["category"] == "INVALID_REQUEST_ERROR" and errors[0]["code"] and errors[0]["detail"], errors


def test_a_resource_not_found_is_answered_as_the_list_of_errors(client):
    answer = client.get("/v2/tills/T-404", headers={"Prefer": "code=404"})
    assert answer.status_code == 404, answer.text
    assert answer.json()["errors"][0]["code"] == "not_found", answer.json()


def test_a_success_still_answers_its_own_schema(client):
    answer = client.post("/v2/tills", json={"name": "Front"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["till"]["name"] == "Front"
