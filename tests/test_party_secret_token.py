"""A token operation whose body names the client's id and secret for one party (`partnerId` with
`partnerSecret`, as Mastercard's Open Finance US authentication does) hands out a real sandbox token; answered
from its schema, it gave the example's made-up token, which every other operation refused
(tests/published_specs/party-secret-token)."""

from __future__ import annotations

from pathlib import Path

import httpx

from oauth_flows import create_connector

LIVE_SERVER = {"open_access": False, "specs": (Path(__file__).parent / "published_specs",)}
MOUNT = "/banks/party-secret-token"


def test_a_party_id_and_secret_get_a_token_the_other_operations_take(live, admin):
    connector = create_connector(admin, **{"class": "third-party"})
    with httpx.Client(base_url=live.url, timeout=30) as client:
        answer = client.post(f"{MOUNT}/partners/authentication",
                             json={"partnerId": connector["client_id"], "partnerSecret": connector["client_secret"]})
        assert answer.status_code == 200, answer.text
        token = answer.json()["token"]
        assert token != "made-up-token"
        assert client.get(f"{MOUNT}/things", headers={"App-Token": token}).status_code == 200
        assert client.get(f"{MOUNT}/things", headers={"App-Token": "made-up-token"}).status_code == 401
        wrong = client.post(f"{MOUNT}/partners/authentication",
                            json={"partnerId": connector["client_id"], "partnerSecret": "wrong"})
        assert wrong.status_code == 401, wrong.text
