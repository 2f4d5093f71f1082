"""A body that is read but does not fit its schema is the 422 its operation declares beside a 400, the 400 left for
a body that cannot be read (tests/published_specs/validation-beside-bad-request/, as Recurly's operations declare
"400: Bad request, perhaps invalid JSON?" and "422: Invalid parameters"): a field of the wrong type was answered 400
`bad_request`, and Recurly's client raised BadRequestError in place of its ValidationError. The 422's error type is
the API's word for a failed validation (`validation`). An operation declaring only a 400 keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "validation-beside-bad-request",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "validation-beside-bad-request")


def _type(answer) -> str:
    return answer.json()["type"]


def test_a_body_that_does_not_fit_its_schema_is_the_declared_422(client):
    for body in ({"name": 7}, {"weight": 3}, {"name": "hammer", "weight": "heavy"}):
        refused = client.post("/gadgets", json=body)
        assert refused.status_code == 422 and _type(refused) == "validation", refused.text
    assert client.post("/gadgets", json={"name": "hammer"}).status_code == 201


def test_a_form_that_does_not_fit_its_schema_is_the_declared_422(client):
    refused = client.post("/gadgets/g1/labels", data={"label": "far too long a label"})
    assert refused.status_code == 422 and _type(refused) == "validation", refused.text


def test_a_body_that_cannot_be_read_stays_a_400(client):
    for content in (b'{"name": ', b"\xff\xfe"):
        refused = client.post("/gadgets", content=content, headers={"Content-Type": "application/json"})
        assert refused.status_code == 400 and _type(refused) == "bad_request", refused.text


def test_an_operation_declaring_only_a_400_keeps_it(client):
    refused = client.post("/gadgets/g1/notes", json={"text": 5})
    assert refused.status_code == 400 and _type(refused) == "bad_request", refused.text
