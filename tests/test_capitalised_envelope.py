"""Answers as the UK's open banking specs shape them (tests/published_specs/capitalised-envelope, open access).

Each test failed on the code before: a consent read by its id answered about another (the `Data`
envelope was not found: only `data` was); two consents created under two idempotency keys got one id;
a fresh consent was drawn cancelled or rejected; `Links` pointed out of the sandbox with a `Next` page
that never ended; a refusal whose reason is longer than the error's 500 characters said 'sample';
currencies under a pattern were random letters.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "capitalised-envelope",)}
BASE = "/banks/capitalised-envelope"
CONSENT = {"Data": {"Initiation": {"InstructionIdentification": "ACME412",
                                   "InstructedAmount": {"Amount": "165.88", "Currency": "GBP"}}}}


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=live.url + BASE, timeout=30) as client:
        yield client


def test_a_consent_read_by_its_id_is_that_consent_on_one_page(client, live):
    read = client.get("/domestic-payment-consents/my-consent-42")
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["Data"]["ConsentId"] == "my-consent-42"
    assert body["Links"]["Self"] == f"{live.url}{BASE}/domestic-payment-consents/my-consent-42"
    assert not {"Next", "Prev"} & set(body["Links"]) and body["Meta"].get("TotalPages", 1) == 1
    drawn = body["Data"]["Initiation"]["InstructedAmount"]
    assert drawn["Currency"] == "JPY" and Decimal(drawn["Amount"]) > 0


def test_consents_under_two_idempotency_keys_are_two_and_start_awaiting_authorisation(client):
    made = [client.post("/domestic-payment-consents", json=CONSENT, headers={"x-idempotency-key": key})
            for key in ("k10", "k11", "k10")]
    assert [m.status_code for m in made] == [201, 201, 201], made[0].text
    ids = [m.json()["Data"]["ConsentId"] for m in made]
    assert ids[0] != ids[1] and ids[0] == ids[2], ids
    data = made[0].json()["Data"]
    assert data["Status"] == "AwaitingAuthorisation"
    assert data["Initiation"]["InstructedAmount"] == {"Amount": "165.88", "Currency": "GBP"}


def test_a_reason_longer_than_the_errors_field_is_cut_not_lost(client):
    body = {"Data": {"Permissions": ["ReadEverything"], "Initiation": CONSENT["Data"]["Initiation"]}}
    refused = client.post("/domestic-payment-consents", json=body, headers={"x-idempotency-key": "k12"})
    assert refused.status_code == 400, refused.text
    error = refused.json()
    messages = [error["Message"], *(e["Message"] for e in error["Errors"])]
    assert any("ReadEverything" in m and m.endswith("...") and len(m) <= 500 for m in messages), error
