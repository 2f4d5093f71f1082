"""An id never made here is not found once the workspace keeps one of its kind
(tests/published_specs/never-made-ids/): its read, change, delete and actions, and a creation under it, answer
the 404 (or `default`) they declare, in the API's error form, and change nothing; an id the spec's examples show
is still answered as drawn. An operation that declares its refusal does so from the first, before any was made.
Lists then hold only what their reads read back. Drawn, Stripe's `GET /v1/customers/cus_nope` answered 200 (after a
customer was made; before, until now), and a connector could not rehearse its not-found path."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "never-made-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "never-made-ids")


def _refused(answer) -> bool:
    return answer.status_code == 404 and set(answer.json()) == {"error"} and answer.json()["error"]["message"]


def test_an_id_holding_a_control_character_or_an_undecodable_byte_is_not_found_from_the_first(client):
    for unreadable in ("%01", "ln%00x", "%ff%fe"):  # (drawn, a lantern was answered with the id "\u0001")
        assert _refused(client.get(f"/lanterns/{unreadable}")), unreadable


def test_an_id_never_made_is_not_found_before_and_after_one_of_its_kind_is_made(client):
    assert _refused(client.get("/lanterns/ln_nope"))  # (none made yet: its read declares the refusal, as Stripe's)
    assert client.get("/lanterns/ln_shown1").status_code == 200  # (an id the examples show: drawn)
    made = client.post("/lanterns", json={"colour": "amber"})
    assert made.status_code == 201, made.text
    lantern = made.json()["id"]
    assert _refused(client.get("/lanterns/ln_nope"))  # (its read declares only `default`)
    assert _refused(client.patch("/lanterns/ln_nope", json={"colour": "blue"}))
    assert _refused(client.post("/lanterns/ln_nope/snuff"))
    assert _refused(client.post("/lanterns/ln_nope/wicks", json={"length": 3}))
    assert _refused(client.delete("/lanterns/ln_nope"))
    assert _refused(client.get("/lanterns/ln_nope"))  # (the refused delete kept nothing)
    assert client.get(f"/lanterns/{lantern}").json()["colour"] == "amber"
    for shown in ("ln_shown1", "ln_shown2", "ln_shown3"):  # the ids the spec's examples show are answered as before
        assert client.get(f"/lanterns/{shown}").status_code == 200
    listed = client.get("/lanterns").json()["data"]
    assert [item["id"] for item in listed] == [lantern]


def test_a_read_declaring_no_refusal_answers_as_before(client):
    lantern = client.post("/lanterns", json={"colour": "green"}).json()["id"]
    wick = client.post(f"/lanterns/{lantern}/wicks", json={"length": 4})
    assert wick.status_code == 201, wick.text
    assert client.get(f"/wicks/{wick.json()['id']}").json()["length"] == 4
    assert client.get("/wicks/wk_nope").status_code == 200
