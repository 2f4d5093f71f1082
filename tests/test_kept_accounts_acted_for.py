"""A header that makes a call act for one of a platform's accounts scopes what is kept (tests/published_specs/
accounts-acted-for/, whose prose alone names its `Platform-Account` header, and tenant-header-declared/, which
declares `Org-Tenant-Id`): what is made for one account is read, listed, changed and deleted for that account
only, another account's is the spec's 404, what is made without the header is the platform's own, its events are
told to that account only, and an idempotency key is held per account. Kept for the whole workspace, a connected
account read the platform's customers and each other's."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.scopes import headers, selects

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "accounts-acted-for", "tenant-header-declared",
))}

ONE, TWO = {}, {}  # the headers acting for two accounts the platform connects first (`client`)


@pytest.fixture(scope="module")
def client(live):
    for http in bank_client(live, "accounts-acted-for"):
        for headers in (ONE, TWO):
            headers["Platform-Account"] = http.post("/v1/accounts", data={"email": "a@example.test"}).json()["id"]
        yield http


def test_a_header_naming_no_account_made_here_is_the_platform_acting_as_itself(client):
    """Connectors send the header on every call: dj-stripe with the platform's own id among the accounts it syncs,
    Airbyte's Stripe source with whatever id its settings hold. Read as accounts of their own, they listed none
    of what the platform had made."""
    own = client.post("/v1/members", data={"name": "the platform's, again"}).json()
    for header in ({"Platform-Account": "acct_platform_itself"}, {"Platform-Account": "acct_sandbox"}):
        assert own["id"] in _ids(client.get("/v1/members", params={"limit": 100}, headers=header))
        assert client.get(f"/v1/members/{own['id']}", headers=header).json()["name"] == "the platform's, again"
    assert own["id"] not in _ids(client.get("/v1/members", params={"limit": 100}, headers=ONE))


@pytest.fixture(scope="module")
def notes(live):
    yield from bank_client(live, "tenant-header-declared")


def _ids(page) -> list:
    return [item["id"] for item in page.json()["data"]]


def test_what_is_made_for_an_account_is_that_accounts_only(client):
    own = client.post("/v1/members", data={"name": "platform's"}).json()
    one = client.post("/v1/members", data={"name": "one's"}, headers=ONE).json()
    two = client.post("/v1/members", data={"name": "two's"}, headers=TWO).json()
    assert client.get(f"/v1/members/{one['id']}", headers=ONE).json()["name"] == "one's"
    for read, headers in ((one, TWO), (one, {}), (own, ONE), (two, ONE)):
        refused = client.get(f"/v1/members/{read['id']}", headers=headers)
        assert refused.status_code == 404 and "error" in refused.json()
    assert client.get(f"/v1/members/{own['id']}").json()["name"] == "platform's"
    assert own["id"] in _ids(client.get("/v1/members")) and not {one["id"], two["id"]} & set(_ids(client.get("/v1/members")))
    assert _ids(client.get("/v1/members", headers=ONE)) == [one["id"]]
    assert _ids(client.get("/v1/members", headers=TWO)) == [two["id"]]
    assert client.post(f"/v1/members/{one['id']}", data={"name": "x"}, headers=TWO).status_code == 404
    assert client.delete(f"/v1/members/{one['id']}", headers=TWO).status_code == 404
    assert client.post(f"/v1/members/{one['id']}", data={"name": "one's, renamed"}, headers=ONE).json()["name"] == \
        "one's, renamed"
    assert client.delete(f"/v1/members/{one['id']}", headers=ONE).json()["deleted"] is True
    assert _ids(client.get("/v1/members", headers=ONE)) == [] and two["id"] in _ids(client.get("/v1/members", headers=TWO))


def test_an_accounts_events_are_told_to_that_account_only(client):
    member = client.post("/v1/members", data={"name": "evented"}, headers=TWO).json()
    told = [e for e in client.get("/v1/events", params={"limit": 100}, headers=TWO).json()["data"]
            if e["data"]["object"]["id"] == member["id"]]
    assert [event["type"] for event in told] == ["member.created"]
    assert all(e["data"]["object"]["id"] != member["id"]
               for e in client.get("/v1/events", params={"limit": 100}).json()["data"])
    assert client.get(f"/v1/events/{told[0]['id']}", headers=TWO).status_code == 200
    assert client.get(f"/v1/events/{told[0]['id']}", headers=ONE).status_code == 404


def test_an_idempotency_key_is_held_per_account(client):
    key = {"Idempotency-Key": "same-key-both-accounts"}
    one = client.post("/v1/members", data={"name": "keyed"}, headers={**ONE, **key}).json()
    two = client.post("/v1/members", data={"name": "keyed"}, headers={**TWO, **key}).json()
    assert one["id"] != two["id"]
    assert client.get(f"/v1/members/{two['id']}", headers=TWO).status_code == 200


def test_a_declared_tenant_header_is_found_and_a_request_id_is_not(live, notes):
    api = next(api for api in live.app.sandbox.apis if api.slug == "tenant-header-declared")
    assert headers(api) == {"org-tenant-id"}
    # No tenant is kept here (tenants come from the vendor's own connections): every value is the caller itself,
    # as before the header was read at all.
    made = notes.post("/notes", json={"text": "north"}, headers={"Org-Tenant-Id": "north", "Request-Id": "a"}).json()
    assert notes.get(f"/notes/{made['noteId']}", headers={"Org-Tenant-Id": "south"}).json()["text"] == "north"


@pytest.mark.parametrize("name, selecting", [
    ("Stripe-Account", True), ("X-Merchant-Id", True), ("xero-tenant-id", True), ("Tenant-Shop-Id", True),
    ("On-Behalf-Of", True), ("for-user-id", True), ("X-Account-Type", False), ("Request-Id", False),
    ("PayPal-Partner-Attribution-Id", False), ("x-customer-user-agent", False), ("Idempotency-Key", False)])
def test_which_header_names_say_they_select_an_account(name, selecting):
    assert selects(name) is selecting
