"""A kind no call makes, each of whose shapes holds one of the owner's resources of another kind by its id
(tests/published_specs/source-derived-methods: an account's funding methods, as Moov's payment methods stand for
its bank accounts, cards and wallet), is listed and read as the owner's kept sources make it. Drawn, the list
named the example's bank account and a phone-pay method beside the bank account just linked, and none of its
methods named that bank account."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "source-derived-methods",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "source-derived-methods")


def _account(client, name: str) -> str:
    made = client.post("/accounts", json={"displayName": name})
    assert made.status_code == 200, made.text
    return made.json()["accountId"]


def _linked(client, account: str, holder: str) -> str:
    made = client.post(f"/accounts/{account}/bank-accounts", json={"holderName": holder, "accountNumber": "000123456789"})
    assert made.status_code == 200, made.text
    return made.json()["bankAccountId"]


def _methods(client, account: str, **query) -> list:
    listed = client.get(f"/accounts/{account}/funding-methods", params=query)
    assert listed.status_code == 200, listed.text
    return listed.json()


def test_an_account_without_sources_lists_only_its_wallet(client):
    account = _account(client, "Quiet")
    assert [method["methodType"] for method in _methods(client, account)] == ["wallet"]


def test_a_linked_bank_account_stands_for_one_method_per_rail(client):
    account, other = _account(client, "Ada"), _account(client, "Ben")
    bank = _linked(client, account, "Ada Lovelace")
    _linked(client, other, "Ben Franklin")
    methods = _methods(client, account)
    held = {method["methodType"]: method for method in methods if "bankAccount" in method}
    assert set(held) == {"bank-debit", "bank-credit"}, methods
    assert {method["bankAccount"]["bankAccountId"] for method in held.values()} == {bank}
    assert {method["bankAccount"]["holderName"] for method in held.values()} == {"Ada Lovelace"}
    assert [method["methodType"] for method in methods if "bankAccount" not in method] == ["wallet"], methods
    for method in held.values():  # each read at its id, the same id listed again
        read = client.get(f"/accounts/{account}/funding-methods/{method['methodId']}")
        assert read.status_code == 200 and read.json() == method, read.text
    assert _methods(client, account) == methods
    assert {method["methodId"] for method in _methods(client, account, sourceId=bank)} \
        == {method["methodId"] for method in held.values()}
    assert [method["methodType"] for method in _methods(client, account, methodType="bank-credit")] == ["bank-credit"]
