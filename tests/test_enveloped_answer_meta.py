"""Answers in an envelope saying when the request was answered and what they are (tests/published_specs/
enveloped-answer-meta/, as Straddle's `meta.api_request_timestamp` and `response_type`): the moment is now, made
or read, not the example's of years ago; the request's id its own; a refusal is an `error`."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest

from live_server import BUSINESS_MORNING, bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "enveloped-answer-meta",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "enveloped-answer-meta")


def _answered_at(answer) -> datetime:
    return datetime.fromisoformat(answer.json()["meta"]["api_request_timestamp"].replace("Z", "+00:00"))


def test_the_moment_of_the_request_is_when_it_was_answered(client):
    made = client.post("/v1/members", json={"name": "Ann", "age": 30})
    assert made.status_code == 201, made.text
    now = datetime.fromisoformat(BUSINESS_MORNING).astimezone(timezone.utc)  # (the server's clock)
    read = client.get(f"/v1/members/{made.json()['data']['id']}")
    missing = client.get(f"/v1/members/{uuid.uuid4()}")
    assert missing.status_code == 404, missing.text
    for answer in (made, read, missing):
        assert abs((_answered_at(answer) - now).total_seconds()) < 120, (answer.json()["meta"], now)


def test_a_refusal_says_it_is_an_error(client):
    refused = client.post("/v1/members", json={"name": "Ann", "age": "old"})
    missing = client.get(f"/v1/members/{uuid.uuid4()}")
    assert [refused.status_code, missing.status_code] == [400, 404], (refused.text, missing.text)
    assert [refused.json()["response_type"], missing.json()["response_type"]] == ["error", "error"]
    assert client.post("/v1/members", json={"name": "Ann", "age": 30}).json()["response_type"] == "object"


def test_the_id_of_the_request_is_the_requests_own(client):
    made = client.post("/v1/members", json={"name": "Ann", "age": 30})
    member = made.json()["data"]["id"]
    asked = str(uuid.uuid4())
    answers = [made, client.get(f"/v1/members/{member}"), client.get(f"/v1/members/{member}", headers={"X-Request-Id": asked}),
               client.get(f"/v1/members/{uuid.uuid4()}"), client.post("/v1/members", json={"name": "Ann"})]
    ids = [answer.json()["meta"]["api_request_id"] for answer in answers]
    assert ids == [answer.headers["x-request-id"] for answer in answers] and ids[2] == asked, ids
    assert len(set(ids)) == len(ids) and member not in ids, ids
