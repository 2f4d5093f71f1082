"""Kept resources as card issuers and platforms relate and change them (tests/published_specs/kept-owners/): a list
under an owner named by a bare `{id}` holds the items naming it (Adyen's `/accountHolders/{id}/balanceAccounts`),
a page read at a path ending in a parameter lists another kind (Marqeta's `/cards/user/{token}`), a PUT whose
schema requires nothing changes only what it sends (Marqeta's, Finix's), a creation that asks for a state gets it
(Marqeta's card transitions), a `count` beside `next` is the total (Belvo's), and a cursor page names its next
cursor where the draw left the optional field out (Finix's `page.next_cursor`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "kept-owners", "nothing-under-yet",
))}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-owners")


def test_a_list_under_an_owner_named_by_a_bare_id_holds_the_items_naming_it(client):
    holder = client.post("/holders", json={"name": "h"}).json()["id"]
    mine = [client.post("/pots", json={"holderId": holder, "name": n}).json()["id"] for n in ("a", "b")]
    client.post("/pots", json={"holderId": "someone-else", "name": "c"})
    assert [p["id"] for p in client.get(f"/holders/{holder}/pots").json()["pots"]] == mine


def test_a_page_read_at_a_path_ending_in_a_parameter_lists_the_owners_cards(client):
    made = [client.post("/cards", json={"user_token": "user-1", "product": "p"}).json()["token"] for _ in range(2)]
    client.post("/cards", json={"user_token": "user-2", "product": "p"})
    page = client.get("/cards/user/user-1", params={"count": 1, "start_index": 0}).json()
    assert [c["token"] for c in page["data"]] == made[:1] and page["is_more"] is True
    assert [c["token"] for c in client.get("/cards/user/user-1").json()["data"]] == made


def test_a_put_whose_schema_requires_nothing_changes_only_what_it_sends(client):
    card = client.post("/cards", json={"user_token": "user-3", "product": "gold", "nickname": "n"}).json()
    client.put(f"/cards/{card['token']}", json={"expedite": True})
    read = client.get(f"/cards/{card['token']}").json()
    assert (read["user_token"], read["product"], read["nickname"], read["expedite"]) == ("user-3", "gold", "n", True)


def test_a_creation_that_asks_for_a_state_is_answered_in_it(client):
    made = client.post("/transitions", json={"card_token": "c-1", "state": "SUSPENDED"}).json()
    assert made["state"] == "SUSPENDED"
    assert client.get(f"/transitions/{made['token']}").json()["state"] == "SUSPENDED"


def test_a_count_beside_next_counts_every_kept_item(client):
    for i in range(3):
        client.post("/links/", json={"external_id": f"e{i}"})
    page = client.get("/links/", params={"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["count"] == 3 and page["next"]


def test_a_cursor_page_names_its_next_cursor_where_the_draw_left_it_out(client):
    made = [client.post("/charges", json={"amount": a}).json()["id"] for a in (1, 2, 3)]
    seen, query = [], {"limit": 2}
    for _ in range(4):
        page = client.get("/charges", params=query).json()
        seen += [c["id"] for c in page["_embedded"]["charges"]]
        cursor = page["page"].get("next_cursor")
        if not cursor:
            break
        query = {"limit": 2, "after_cursor": cursor}
    assert seen == made


def test_resources_made_under_an_owner_named_by_a_bare_id_get_ids_of_their_own(client):
    one, two = (client.post("/holders/h-9/limits", json={"value": v}).json() for v in (1, 2))
    assert one["id"] != two["id"] and one["id"] != "h-9"
    assert client.delete(f"/holders/h-9/limits/{one['id']}").status_code == 204
    assert client.get(f"/holders/h-9/limits/{one['id']}").status_code == 404
    assert client.get(f"/holders/h-9/limits/{two['id']}").json()["value"] == 2


def test_an_owner_named_by_a_plural_in_ies_is_that_entitys_id(client):
    mine = client.post("/pots", json={"legalEntityId": "LE-1", "name": "x"}).json()["id"]
    client.post("/pots", json={"legalEntityId": "LE-2", "name": "y"})
    assert [p["id"] for p in client.get("/legalEntities/LE-1/pots").json()["pots"]] == [mine]


def test_a_creation_under_an_owner_named_by_a_qualified_id_names_it_in_the_field_of_the_owners_noun(client):
    # POST /owners/{owner_id}/shops answers a shop whose `owner` (not `owner_id`) is that owner (Finix's
    # merchant of `/identities/{identity_id}/merchants` named the example's identity).
    made = client.post("/owners/OW-42/shops", json={"name": "s"}).json()
    assert made["owner"] == "OW-42" and made["id"] != "OW-42"
    assert client.get(f"/shops/{made['id']}").json()["owner"] == "OW-42"


def test_an_owner_made_here_lists_none_until_some_are_made_under_it(client):
    """A new balance account's sweeps were the spec's example: an owner made here holds only what was made since."""
    holder = client.post("/holders", json={"name": "fresh"}).json()["id"]
    assert client.get(f"/holders/{holder}/pots").json()["pots"] == []
    assert client.get(f"/holders/{holder}/limits").json()["limits"] == []
    made = client.post(f"/holders/{holder}/limits", json={"value": 5}).json()["id"]
    assert [limit["id"] for limit in client.get(f"/holders/{holder}/limits").json()["limits"]] == [made]
    assert client.get("/holders/never-made-here/limits").json()["limits"]  # an owner not made here: the spec's


@pytest.fixture(scope="module")
def transfers(live):
    yield from bank_client(live, "nothing-under-yet")


def test_a_resource_just_made_holds_nothing_its_sub_paths_make_after_it(transfers):
    """A transfer nobody reversed was answered with drawn reversals (tests/published_specs/nothing-under-yet/)."""
    made = transfers.post("/v1/transfers", data={"amount": 900}).json()
    assert made["reversals"]["data"] == [] and made["reversals"]["has_more"] is False
    assert made["reversals"]["total_count"] == 0 and made["notes"] == []
    # its embedded page names where the spec lists it (PAY.JP's SDK adds cards through `customer.cards.url`)
    assert made["reversals"]["url"] == f"/v1/transfers/{made['id']}/reversals"
    assert transfers.get(f"/v1/transfers/{made['id']}").json()["reversals"]["url"] == made["reversals"]["url"]
    reversal = transfers.post(f"/v1/transfers/{made['id']}/reversals", data={"amount": 100}).json()
    assert reversal["origin"] == made["id"]  # its id-or-transfer field names the transfer of its path (was drawn)
    assert [r["id"] for r in transfers.get(f"/v1/transfers/{made['id']}/reversals").json()["data"]] == [reversal["id"]]
