"""An answer's example chosen by the request example of the same name (tests/published_specs/paired-examples/):
where a spec pairs its request and answer examples by name (Adyen's payments: `card-securedfields` answered
`Authorised` with a `pspReference`, the 3-D Secure one `IdentifyShopper` with none), the answer is the example
whose request namesake is most like the body sent. Before, every charge got the first example, a challenge with
no reference to capture or refund by, and the client could go no further."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "paired-examples",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "paired-examples")


def test_a_plain_charge_is_answered_as_the_plain_example(client):
    answer = client.post("/charges", json={"card": {"number": "4111 1111 1111 1111"}, "amount": 1500})
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == "Authorised" and answer.json()["reference"]


def test_a_charge_asking_for_a_challenge_is_answered_with_one(client):
    answer = client.post("/charges", json={"card": {"number": "4111 1111 1111 1111"}, "challenge": {"flow": "native"}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == "ChallengeShopper" and "reference" not in answer.json()


def test_an_example_asked_for_by_name_is_still_that_one(client):
    answer = client.post("/charges", json={"card": {"number": "4111"}}, headers={"Prefer": "example=challenged"})
    assert answer.json()["result"] == "ChallengeShopper"
