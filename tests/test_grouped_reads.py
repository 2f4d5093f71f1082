"""An account made flat and read back in groups (tests/published_specs/grouped-reads/), as Zuora's accounts are: the
creation answers only its `accountId` and `accountNumber`, the read holds the account in `basicInfo`,
`billingAndPayment` and its contact. What was sent and answered was laid over the read's top only, so the account
made as `Acme` was read back as the example's `Example Co`, under the example's id."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "grouped-reads",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "grouped-reads")


def test_an_account_made_flat_is_read_back_in_its_groups(client):
    made = client.post("/v1/accounts", json={"name": "Acme", "currency": "JPY", "billCycleDay": 25,
                                             "billToContact": {"firstName": "Taro", "lastName": "Yamada"}})
    assert made.status_code == 200, made.text
    account_id, number = made.json()["accountId"], made.json()["accountNumber"]
    read = client.get(f"/v1/accounts/{account_id}").json()
    assert read["basicInfo"]["id"] == account_id and read["basicInfo"]["accountNumber"] == number, read
    assert read["basicInfo"]["name"] == "Acme" and read["basicInfo"]["currency"] == "JPY", read
    # (a field two groups declare is in both; one only a group declares, there)
    assert read["billingAndPayment"]["currency"] == "JPY" and read["billingAndPayment"]["billCycleDay"] == 25, read
    assert (read["billToContact"]["firstName"], read["billToContact"]["lastName"]) == ("Taro", "Yamada"), read
    assert client.put(f"/v1/accounts/{account_id}", json={"notes": "settles on the 25th"}).status_code == 200
    again = client.get(f"/v1/accounts/{account_id}").json()
    assert again["basicInfo"]["notes"] == "settles on the 25th" and again["basicInfo"]["name"] == "Acme", again
    other = client.post("/v1/accounts", json={"name": "Beta", "currency": "USD"}).json()
    assert client.get(f"/v1/accounts/{other['accountId']}").json()["basicInfo"]["name"] == "Beta"
    assert client.get(f"/v1/accounts/{account_id}").json()["basicInfo"]["name"] == "Acme"


def test_money_objects_are_values_not_groups():
    from sandbox.bindings.remembered import _grouped_as_kept

    money = {"type": "object", "properties": {"amount": {"type": "integer"}, "currency": {"type": "string"}}}
    schema = {"type": "object", "properties": {"total_money": money, "fee_money": money, "details": {
        "type": "object", "properties": {"note": {"type": "string"}, "amount": {"type": "integer"}}}}}
    body = {"total_money": {"amount": 100, "currency": "USD"}, "fee_money": {"amount": 3, "currency": "USD"},
            "details": {"note": "drawn", "amount": 1}}
    # one group beside two money objects is no grouping: nothing is placed, least of all the amount in each money
    assert _grouped_as_kept({}, body, schema, [{"amount": 7, "note": "sent"}], None, lambda _: True) == body
