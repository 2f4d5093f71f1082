"""A kept resource listed under the owner it names deep in its body (tests/published_specs/kept-deep-owners/).

Adyen's transaction rules are made at `POST /transactionRules` and name what they guard in
`entityKey.entityReference`; `GET /paymentInstruments/{id}/transactionRules` lists the card's. No field is
named for the owner (`paymentInstrumentId`), so the list answered the spec's draw and never the rule made.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-deep-owners",)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "kept-deep-owners", self_use_token(live.url, admin))


def test_a_rule_is_listed_under_the_card_it_names_deep_in_its_body(client):
    made = client.post("/cards", json={"holder": "Aiko"})
    assert made.status_code == 200, made.text
    first = made.json()["id"]
    second = client.post("/cards", json={"holder": "Ben"}).json()["id"]
    rule = client.post("/rules", json={"cap": 5, "target": {"kind": "card", "ref": first}})
    assert rule.status_code == 200, rule.text
    listed = client.get(f"/cards/{first}/rules")
    assert listed.status_code == 200, listed.text
    assert [r["id"] for r in listed.json()["rules"]] == [rule.json()["id"]], listed.text
    others = client.get(f"/cards/{second}/rules").json()["rules"]
    assert rule.json()["id"] not in [r.get("id") for r in others], others
