"""What a creation sends as one object under a field its answer does not hold is answered at the answer's top
where it declares those fields (tests/published_specs/sent-in-one-field-answered-bare/): Moov's bank account
linked with `{account: {holderName: Jane Doe, ...}}` was answered, and read back, the example's John Doe."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

SLUG = "sent-in-one-field-answered-bare"
LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / SLUG,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


def test_an_account_sent_in_its_field_is_answered_and_read_as_sent(client):
    sent = {"holderName": "Jane Doe", "accountNumber": "0004321567000", "routingNumber": "123456780",
            "accountKind": "savings"}
    made = client.post("/owners/ow_1/deposit-accounts", json={"account": sent})
    assert made.status_code == 200, made.text
    answer = made.json()
    shown = {key: sent[key] for key in ("holderName", "routingNumber", "accountKind")}
    assert {key: answer[key] for key in shown} == shown, answer
    assert "account" not in answer and "accountNumber" not in answer, answer
    read = client.get(f"/owners/ow_1/deposit-accounts/{answer['depositAccountID']}")
    assert read.status_code == 200, read.text
    assert {key: read.json()[key] for key in shown} == shown, read.text
