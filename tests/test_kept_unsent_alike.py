"""What a client never sent, and a resource read alike wherever it appears (tests/published_specs/
unsent-kept-alike/): made by a 201 answering only its Location, a member was read back and listed with the
example's reference and metadata its client never sent; an account listed under its member disagreed with its
own read (the read's named example against a list drawn from its fields' examples); and a HAL read linked
nothing, not even itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

SLUG = "unsent-kept-alike"
LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / SLUG,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


@pytest.fixture(scope="module")
def member(client):
    made = client.post("/members", json={"givenName": "Grace", "email": "grace@navy.example"})
    assert made.status_code == 201, made.text
    return made.headers["location"].rsplit("/", 1)[-1]


def test_what_was_never_sent_is_neither_read_nor_listed(client, member):
    read = client.get(f"/members/{member}")
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["givenName"] == "Grace"
    assert not {"reference", "externalId", "metadata", "clearing", "firmName"} & set(body), body
    listed = client.get("/members").json()["_embedded"]["members"]
    item = next(item for item in listed if item["id"] == member)
    assert not {"reference", "externalId", "metadata", "clearing", "firmName"} & set(item), item


def test_what_was_sent_is_kept(client):
    sent = {"givenName": "Alan", "email": "alan@bletchley.example", "reference": "mine-1",
            "metadata": {"memo": "hello"}}
    made = client.post("/members", json=sent)
    read = client.get("/members/" + made.headers["location"].rsplit("/", 1)[-1]).json()
    assert read["reference"] == "mine-1" and read["metadata"]["memo"] == "hello", read


def test_an_account_is_listed_as_it_is_read(client, member):
    made = client.post(f"/members/{member}/accounts", json={"label": "Savings"})
    assert made.status_code == 201, made.text
    account = made.headers["location"].rsplit("/", 1)[-1]
    read = client.get(f"/accounts/{account}").json()
    listed = client.get(f"/members/{member}/accounts").json()["_embedded"]["accounts"]
    item = next(item for item in listed if item["id"] == account)
    fields = ("label", "status", "closed", "rails")
    assert {key: item.get(key) for key in fields} == {key: read.get(key) for key in fields}, (item, read)
    assert item["_links"]["self"]["href"].endswith(f"/accounts/{account}"), item  # (not the example's)


def test_a_hal_read_links_itself_and_its_collections(client, member):
    links = client.get(f"/members/{member}").json()["_links"]
    assert links["self"]["href"].endswith(f"/members/{member}"), links
    assert links["accounts"]["href"].endswith(f"/members/{member}/accounts"), links
    assert links["orders"]["href"].endswith(f"/members/{member}/orders"), links
    assert "profile" not in links, links  # (one object under it, no list: Dwolla's transfer `failure`)
