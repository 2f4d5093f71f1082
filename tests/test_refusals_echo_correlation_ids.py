"""A refusal echoes the ids its request sent, and is stamped when it answered (tests/published_specs/refusals-echo-correlation-ids/).

India's Account Aggregator APIs answer every call, refusals too, with the `txnid` the request sent and the
moment of answering: its 400 was answered with the example's `txnid` (`0b81...8858'`, a stray quote and all) and
its `timestamp` of 2023, where its successes echo the sent one, so a client matching answers to requests by
txnid lost its refusals.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from live_server import bank_client
from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "refusals-echo-correlation-ids"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "refusals-echo-correlation-ids", self_use_token(live.url, admin))


def test_a_refusal_echoes_the_sent_txnid_and_says_when_it_answered(client):
    txnid = str(uuid.uuid4())
    refused = client.post("/Parcel/track", json={"ver": "1.1", "timestamp": "2026-01-05T10:00:00.000Z",
                                                 "txnid": txnid, "parcelRef": "PRC-2", "weightGrams": "heavy"})
    assert refused.status_code == 400, refused.text
    body = refused.json()
    assert body["txnid"] == txnid, body
    assert body["timestamp"] != "2023-06-26T11:33:34.509Z" and not body["timestamp"].startswith("2023"), body
    assert body["errorCode"] == "InvalidRequest", body


def test_an_answer_echoes_it_as_before(client):
    txnid = str(uuid.uuid4())
    answered = client.post("/Parcel/track", json={"ver": "1.1", "timestamp": "2026-01-05T10:00:00.000Z",
                                                  "txnid": txnid, "parcelRef": "PRC-2"})
    assert answered.status_code == 200 and answered.json()["txnid"] == txnid, answered.text


def test_a_refusal_of_its_key_echoes_the_sent_txnid_and_says_what_was_wrong(live):
    # (refused before its body is read: the key is checked first)
    txnid = str(uuid.uuid4())
    refused = httpx.post(f"{live.url}/banks/refusals-echo-correlation-ids/Parcel/track", headers={"Authorization": "nope"},
                         json={"ver": "1.1", "timestamp": "2026-01-05T10:00:00.000Z", "txnid": txnid, "parcelRef": "P"})
    assert refused.status_code == 401, refused.text
    body = refused.json()
    assert body["txnid"] == txnid and body["errorMsg"] != "Error code specific error message", body


@pytest.mark.parametrize("content", [b"not json {", b'{"txnid": "' + b"x" * (80 * 1024) + b'"}'])
def test_a_refusal_of_its_key_with_a_body_it_cannot_read_is_still_that_refusal(live, content):
    # (a body that is no JSON, or larger than is read before refusing, is left unread: the refusal stands, in shape)
    refused = httpx.post(f"{live.url}/banks/refusals-echo-correlation-ids/Parcel/track", content=content,
                         headers={"Authorization": "nope", "Content-Type": "application/json"})
    assert refused.status_code == 401, refused.text
    body = refused.json()
    assert "errorCode" in body and body.get("txnid") != "x" * (80 * 1024), body
