"""Kept resources where the spec's shapes mislead (tests/published_specs/kept-shapes/): an example id with one
character of its own made two orders one; a creation answered 200 kept the example's end state; of twin reads
the one by number was taken, so a thing was kept where its read by id never looked; a card made under its
owner without a body was not kept; a move's link to its card was given the move's own id (both paths name it
`{id}`); and a list paged by an inclusive cursor (`from`) said it was the last page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-shapes",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-shapes")


def test_orders_made_from_an_example_id_with_one_digit_are_each_their_own(client):
    made = [client.post("/orders", json={"amount": n}).json() for n in range(12)]
    assert len({order["id"] for order in made}) == 12, [order["id"] for order in made]
    assert [client.get(f"/orders/{order['id']}").json()["amount"] for order in made] == list(range(12))
    assert {order["status"] for order in made} == {"pending"}  # a new order's first state, not `returned`


def test_a_thing_is_kept_where_its_read_by_id_looks(client):
    made = client.put("/things", json={"Name": "mine", "ThingNumber": "TH-77"}).json()
    read = client.get(f"/things/{made['ThingID']}").json()
    assert (read["ThingID"], read["Name"], read["ThingNumber"]) == (made["ThingID"], "mine", "TH-77")


def test_a_card_made_under_its_owner_without_a_body_is_read_where_location_says_and_listed(client):
    made = client.post("/owners/own-1/cards", json={"name": "mine"})
    assert made.status_code == 201, made.text
    card_id = made.headers["location"].rsplit("/", 1)[1]
    assert client.get(f"/cards/{card_id}").json() == {"id": card_id, "name": "mine"}
    assert [card["name"] for card in client.get("/owners/own-1/cards").json()["cards"]] == ["mine"]
    assert client.get("/owners/own-2/cards").json()["cards"] != [{"id": card_id, "name": "mine"}]


def test_a_link_to_another_kind_keeps_its_own_id(client, live):
    card = "4c5a4a5e-8f0b-4a84-9b6e-3d1f7c2a9e11"
    link = f"{live.url}/banks/kept-shapes/cards/{card}"
    made = client.post("/moves", json={"amount": 3, "_links": {"card": {"href": link}}}).json()
    read = client.get(f"/moves/{made['id']}").json()
    assert read["_links"]["card"]["href"].endswith(f"/cards/{card}"), read


def test_a_list_paged_by_an_inclusive_cursor_links_its_next_page(client):
    made = [client.post("/moves", json={"amount": 100 + n}).json()["id"] for n in range(5)]
    seen, params = [], {"limit": 2}
    for _ in range(10):
        page = client.get("/moves", params=params).json()
        seen += [move["id"] for move in page["_embedded"]["moves"]]
        following = page["_links"].get("next")
        if not following:
            break
        params = {key: values[-1] for key, values in parse_qs(urlsplit(following["href"]).query).items()}
    assert [m for m in seen if m in made] == made and len(seen) == len(set(seen)), seen


def test_a_page_s_bare_total_counts_the_kept_items(client):
    for n in range(3):
        client.post("/tallies", json={"amount": n})
    page = client.get("/tallies", params={"limit": 1}).json()
    assert (len(page["data"]), page["total"]) == (1, 3), page
