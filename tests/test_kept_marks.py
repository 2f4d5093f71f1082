"""Kept resources marked by their actions (tests/published_specs/kept-marks/): an action answering a link or
nothing at all, whose verb names one of its resource's states (`send` -> SENT, `cancel` -> CANCELLED), leaves
the resource in that state; one naming no state (`remind`, a payment recorded under it) leaves it as it was,
and one on a deleted resource is a 404. One undoing a stop (`unfreeze`) puts it back in service; a list at a
path named otherwise than its kind's (`/card-list`) lists what was made.
Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-marks",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-marks")


def _status(client, invoice: str) -> str:
    return client.get(f"/invoices/{invoice}").json()["status"]


def test_an_action_answering_a_link_leaves_its_resource_in_the_state_its_verb_names(client):
    made = client.post("/invoices", json={"amount": 1200}).json()
    assert made["status"] == "DRAFT"
    sent = client.post(f"/invoices/{made['id']}/send")
    assert sent.status_code == 202 and "href" in sent.json()
    assert _status(client, made["id"]) == "SENT"
    assert client.get(f"/invoices/{made['id']}").json()["amount"] == 1200


def test_an_action_answering_nothing_leaves_its_resource_in_the_state_its_verb_names(client):
    made = client.post("/invoices", json={"amount": 300}).json()
    assert client.post(f"/invoices/{made['id']}/cancel", json={"note": "by mistake"}).status_code == 204
    assert _status(client, made["id"]) == "CANCELLED"


def test_an_action_naming_no_state_leaves_its_resource_as_it_was(client):
    made = client.post("/invoices", json={"amount": 50}).json()
    client.post(f"/invoices/{made['id']}/send")
    assert client.post(f"/invoices/{made['id']}/remind").status_code == 204
    assert client.post(f"/invoices/{made['id']}/payments", json={"amount": 50}).status_code == 200
    assert _status(client, made["id"]) == "SENT"


def test_an_action_on_a_deleted_resource_is_not_found_and_marks_nothing(client):
    made = client.post("/invoices", json={"amount": 70}).json()
    assert client.delete(f"/invoices/{made['id']}").status_code == 204
    assert client.post(f"/invoices/{made['id']}/send").status_code == 404
    assert client.get(f"/invoices/{made['id']}").status_code == 404


def test_a_card_frozen_and_unfrozen_is_back_in_service(client):
    card = client.post("/cards", json={"label": "travel"}).json()
    assert client.post(f"/cards/{card['id']}/freeze").status_code == 204
    assert client.get(f"/cards/{card['id']}").json()["state"] == "frozen"
    assert client.post(f"/cards/{card['id']}/unfreeze").status_code == 204
    assert client.get(f"/cards/{card['id']}").json()["state"] == "active"


def test_a_list_under_another_name_than_the_kinds_path_lists_what_was_made(client):
    """Made at `POST /cards`, read at `/cards/{card_id}`, listed at `GET /card-list` (Revolut's `/counterparty`
    and `/counterparties`)."""
    made = [client.post("/cards", json={"label": label}).json()["id"] for label in ("a", "b")]
    listed = {card["id"]: card["label"] for card in client.get("/card-list").json()}
    assert {made[0]: "a", made[1]: "b"}.items() <= listed.items()


def test_an_invoice_finalized_is_open_to_be_paid_not_paid(client):
    """`finalize` issues what was drafted (Stripe's invoice: `open`); it had been read as completing it (`paid`)."""
    made = client.post("/invoices", json={"amount": 900}).json()
    assert client.post(f"/invoices/{made['id']}/finalize").json()["status"] == "OPEN"
    assert _status(client, made["id"]) == "OPEN"


def test_an_action_answering_its_resource_with_more_beside_it_acts_on_that_resource(client):
    """Square's `pause` answers `{subscription, actions}` where the read answers `{subscription}`: it had answered
    a drawn subscription of another id, and the one paused was read back as before."""
    made = client.post("/subscriptions", json={"plan": "gold"}).json()["subscription"]
    paused = client.post(f"/subscriptions/{made['id']}/pause").json()["subscription"]
    assert paused["id"] == made["id"] and paused["status"] == "PAUSED" and paused["plan"] == "gold"
    assert client.get(f"/subscriptions/{made['id']}").json()["subscription"]["status"] == "PAUSED"


def test_a_verb_that_switches_a_resource_off_sets_its_flag(client):
    card = client.post("/cards", json={"label": "spare"}).json()
    assert client.post(f"/cards/{card['id']}/disable").json()["enabled"] is False
    assert client.get(f"/cards/{card['id']}").json()["enabled"] is False


def test_a_verb_sets_the_flag_named_for_what_it_leaves(client):
    """Stripe's issuing authorization `approve` answered `approved: false` (its status names no such state)."""
    card = client.post("/cards", json={"label": "to approve"}).json()
    assert client.post(f"/cards/{card['id']}/approve").json()["approved"] is True
    assert client.get(f"/cards/{card['id']}").json()["approved"] is True


def test_a_verb_that_refuses_clears_the_flag_its_opposite_sets(client):
    """Stripe's issuing authorization `decline` answered `approved: true` where its creation drew true."""
    card = client.post("/cards", json={"label": "to decline"}).json()
    assert client.post(f"/cards/{card['id']}/approve").json()["approved"] is True  # as a creation may draw it
    assert client.post(f"/cards/{card['id']}/decline").json()["approved"] is False
    assert client.get(f"/cards/{card['id']}").json()["approved"] is False


def test_a_status_in_free_text_is_left_in_the_state_the_verb_names(client):
    """Stripe's payout `status` has no enum (its states are in prose): a cancelled payout read `sample`."""
    made = client.post("/payouts", json={"amount": 400}).json()
    assert client.post(f"/payouts/{made['id']}/cancel").json()["status"] == "canceled"
    assert client.get(f"/payouts/{made['id']}").json()["status"] == "canceled"
