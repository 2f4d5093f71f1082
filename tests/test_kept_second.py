"""Kept resources, second round (tests/published_specs/kept-second/): a DELETE answering the tombstone a read
may also answer deletes (and the read answers that tombstone after), a 201 action is in the state its verb names (not a new resource's first), a page
with links beside its items is empty past its end and after the last delete, and a cursor the page's
example leaves out is answered where the schema declares it.
Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-second",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-second")


def test_a_delete_answering_the_reads_tombstone_deletes_and_the_read_answers_the_tombstone(client):
    made = client.post("/customers", json={"name": "Ann"}).json()
    gone = client.delete(f"/customers/{made['id']}").json()
    assert gone["deleted"] is True and gone["id"] == made["id"]
    read = client.get(f"/customers/{made['id']}")
    assert read.status_code == 200 and read.json() == gone
    assert made["id"] not in [c["id"] for c in client.get("/customers").json()["customers"]]


def test_a_page_of_kept_customers_names_the_next_cursor(client):
    made = [client.post("/customers", json={"name": name}).json()["id"] for name in ("Bo", "Cy")]
    first = client.get("/customers", params={"limit": 1}).json()
    assert first.get("cursor"), first
    following = client.get("/customers", params={"limit": 100, "cursor": first["cursor"]}).json()
    listed = [c["id"] for c in first["customers"] + following["customers"]]
    assert set(made) <= set(listed) and len(listed) == len(set(listed))


def test_a_201_action_answers_the_state_its_verb_names(client):
    made = client.post("/orders", json={"amount": 5}).json()
    assert made["status"] == "CREATED"
    assert client.post(f"/orders/{made['id']}/capture").json()["status"] == "CAPTURED"
    assert client.get(f"/orders/{made['id']}").json()["status"] == "CAPTURED"


def test_a_page_with_links_is_empty_past_its_end_and_after_the_last_delete(client):
    made = [client.post("/orders", json={"amount": n}).json()["id"] for n in (1, 2)]
    assert client.get("/orders", params={"page": 9, "page_size": 5}).json()["items"] == []
    for order in [o["id"] for o in client.get("/orders", params={"page_size": 100}).json()["items"]]:
        client.delete(f"/orders/{order}")
    assert made and client.get("/orders").json()["items"] == []


def test_a_page_of_hateoas_links_names_itself_and_the_next_page(client):
    """PayPal's pages carry `links: [{href, rel}]`: `self` is the page asked, `next` the page after it while more
    follow (drawn, the one link was `rel: sample`, pointing out of the sandbox, and no client could page on)."""
    made = [client.post("/orders", json={"amount": n}).json()["id"] for n in (7, 8, 9)]
    listed, url = [], "/orders?page_size=2"
    for _ in range(10):
        page = client.get(url).json()
        listed += [order["id"] for order in page["items"]]
        rels = {link["rel"]: link["href"] for link in page["links"]}
        assert "/banks/kept-second/orders?" in rels["self"]
        if "next" not in rels:
            break
        url = rels["next"].split("/banks/kept-second", 1)[1]
    assert set(made) <= set(listed) and len(listed) == len(set(listed))
