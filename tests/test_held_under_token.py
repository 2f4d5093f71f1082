"""An RPC-style API's calls naming one item by an access token in their bodies (tests/published_specs/held-under-token/,
in the manner of Plaid's `/accounts/get`, `/auth/get`, `/identity/get`) answer the same item and accounts at every call,
each in its own shape. Each had answered its own example: one token's accounts had other ids at each call, and the
numbers `/auth/get` gave named an account `/accounts/get` never listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "held-under-token",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "held-under-token")


def _ids(answer: dict) -> list:
    return [account["account_id"] for account in answer["accounts"]]


def test_every_read_under_a_token_answers_its_accounts(client):
    accounts = client.post("/accounts/get", json={"access_token": "access-sandbox-one"}).json()
    auth = client.post("/auth/get", json={"access_token": "access-sandbox-one"}).json()
    identity = client.post("/identity/get", json={"access_token": "access-sandbox-one"}).json()
    ids = _ids(accounts)
    assert len(ids) == 2 and _ids(auth) == ids and _ids(identity) == ids, (ids, auth, identity)
    assert {number["account_id"] for number in auth["numbers"]["ach"]} <= set(ids), auth  # (its numbers name them)
    assert all(a["owners"] == [{"names": ["Alberta Charleson"]}] for a in identity["accounts"])  # (what only it says)
    assert [a["balances"] for a in auth["accounts"]] == [a["balances"] for a in accounts["accounts"]]
    assert accounts["item"]["item_id"] == auth["item"]["item_id"] == identity["item"]["item_id"]
    assert accounts["request_id"] != auth["request_id"]  # (an id of the exchange is new at each call)
    # (drawn anew for the token: no example's ids)
    assert not {*ids, accounts["item"]["item_id"]} & {"BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp",
                                                      "eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6"}
    assert _ids(client.post("/accounts/get", json={"access_token": "access-sandbox-one"}).json()) == ids


def test_the_item_a_token_was_exchanged_for_is_the_one_its_reads_name(client, third_party):
    exchanged = client.post("/item/public_token/exchange", json={
        "client_id": third_party["client_id"], "secret": third_party["client_secret"], "public_token": "public-x"})
    assert exchanged.status_code == 200, exchanged.text
    token, item = exchanged.json()["access_token"], exchanged.json()["item_id"]
    assert item != "M5eVJqLnv3tbzdngLDp9FL5OlDNxlNhlE55op"  # (drawn for the token, not the example's)
    for path in ("/accounts/get", "/auth/get", "/identity/get"):
        assert client.post(path, json={"access_token": token}).json()["item"]["item_id"] == item, path


def test_another_token_is_another_item(client):
    one = client.post("/accounts/get", json={"access_token": "access-sandbox-a"}).json()
    other = client.post("/accounts/get", json={"access_token": "access-sandbox-b"}).json()
    assert not set(_ids(one)) & set(_ids(other)) and one["item"]["item_id"] != other["item"]["item_id"]
    assert _ids(client.post("/auth/get", json={"access_token": "access-sandbox-b"}).json()) == _ids(other)


def test_only_reads_answer_what_a_token_holds():
    from sandbox.bindings import load_bank
    from sandbox.bindings.handles import _reads

    api = load_bank(Path(__file__).parent / "published_specs" / "held-under-token")
    assert _reads(api, "accountsGet") and _reads(api, "authGet") and _reads(api, "identityGet")
    assert not _reads(api, "transferCreate")  # (two transfers made under one token are two)


def test_ids_drawn_for_a_token_keep_their_form():
    import re

    from sandbox.bindings.handles import _an_id, _own_form

    drawn = _own_form("3fa85f64-5717-4562-b3fc-2c963f66afa6", "seed")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", drawn), drawn  # (hex stays hex)
    drawn = _own_form("BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp", "seed")
    assert len(drawn) == 37 and drawn != "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp" and drawn.isalnum()
    assert _own_form("acc_0042", "seed") == _own_form("acc_0042", "seed")  # (the same for the same token)
    assert not _an_id("1") and not _an_id(42) and _an_id("acc_0042")  # (a page's "1" is never renamed)
