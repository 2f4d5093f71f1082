"""A resource points at no other resource the client did not name (tests/published_specs/unlinked-references/):
a member made with a name alone has no favourite card, sponsor, default card, passes or vouchers (each may be
null or empty); one never made here, and one drawn for an `expand`, point no further; a list under a member
made here holds what was made under it (nothing). Drawn, each such field named a new resource whose read named
more: dj-stripe, which mirrors the graph it is given, read customers and payment methods until Python's
recursion limit. Also: `nullable: true` beside `anyOf` without a `type` takes null (OpenAPI 3.0.3 widens only a
`type`; a validator refused every null the bank answers there), and a list of ids is expanded id by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.loader import load_bank
from sandbox.bindings.schemas import schemas_of

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "unlinked-references",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "unlinked-references")


def test_null_fits_a_nullable_anyof_without_a_type():
    api = load_bank(FOLDER / "unlinked-references")
    card = {"id": "card_1", "object": "card", "last4": "4242", "member": None}
    assert schemas_of(api.spec).fits({"$ref": "#/components/schemas/card"}, card)


def test_a_new_member_points_at_nothing_it_was_not_told(client):
    made = client.post("/v1/members", data={"name": "Hanako"})
    assert made.status_code == 200, made.text
    member = made.json()
    assert member["name"] == "Hanako"
    assert member["favourite_card"] is None and member["sponsor"] is None, member
    assert member["settings"]["default_card"] is None, member
    assert member["passes"]["data"] == [] and member["vouchers"] == [], member
    read = client.get(f"/v1/members/{member['id']}").json()
    assert read["favourite_card"] is None and read["passes"]["data"] == []


def test_what_the_client_named_stays(client):
    member = client.post("/v1/members", data={"name": "Taro", "favourite_card": "card_77",
                                              "vouchers[0]": "vou_1", "vouchers[1]": "vou_2"}).json()
    assert member["favourite_card"] == "card_77" and member["vouchers"] == ["vou_1", "vou_2"], member
    expanded = client.get(f"/v1/members/{member['id']}", params={"expand[]": ["favourite_card", "vouchers"]}).json()
    card = expanded["favourite_card"]
    assert card["id"] == "card_77" and card["object"] == "card"
    assert card["member"] is None  # drawn for the expansion: it names no further member
    assert [v["id"] for v in expanded["vouchers"]] == ["vou_1", "vou_2"]  # a list of ids, each expanded
    assert all(v["object"] == "voucher" for v in expanded["vouchers"])


def test_a_resource_never_made_here_points_no_further(client):
    card = client.get("/v1/cards/card_elsewhere").json()
    assert card["id"] == "card_elsewhere" and card["member"] is None, card
    member = client.get("/v1/members/mem_elsewhere").json()
    assert member["favourite_card"] is None and member["settings"]["default_card"] is None, member
    assert member["passes"]["data"] == [], member  # its passes would name further members (never null)


def test_a_list_under_a_member_made_here_holds_what_was_made_under_it(client):
    member = client.post("/v1/members", data={"name": "Jiro"}).json()
    page = client.get(f"/v1/members/{member['id']}/cards").json()
    assert page["data"] == [] and page["has_more"] is False, page
    drawn = client.get("/v1/members/mem_elsewhere/cards").json()  # an owner never made here: drawn as before
    assert drawn["data"], drawn


def test_following_every_id_ends(client):
    """A mirror that reads every resource an answer names (as dj-stripe does) reads a few, not forever."""
    member = client.post("/v1/members", data={"name": "Saburo", "favourite_card": "card_5"}).json()
    seen, todo = set(), [("card", member["favourite_card"])]
    while todo and len(seen) < 50:
        kind, ident = todo.pop()
        if (kind, ident) in seen:
            continue
        seen.add((kind, ident))
        body = client.get(f"/v1/{kind}s/{ident}").json()
        for field, kind_named in (("member", "member"), ("favourite_card", "card")):
            if isinstance(body.get(field), str):
                todo.append((kind_named, body[field]))
        default = (body.get("settings") or {}).get("default_card")
        if isinstance(default, str):
            todo.append(("card", default))
    assert len(seen) < 5, seen
