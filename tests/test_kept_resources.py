"""A published spec no binding names keeps what a connector makes: it reads back its own payment (amount,
reference), the state an action left it in, its changes, its deletions (a 404 in the spec's error shape),
its lists, its customer under an envelope and the notes of each customer; a reset forgets them all
(tests/published_specs/kept-resources/). Before, every read answered the spec's example beside the id.
Runs on both engines: the resources are kept in the workspace's database."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import httpx
import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/kept-resources", timeout=30) as client:
        yield client


def _made(client, amount: int, reference: str) -> dict:
    answer = client.post("/payments", json={"amount": amount, "reference": reference})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_payment_is_read_back_as_it_was_made(client):
    made = _made(client, 12000, "rent December")
    assert (made["amount"], made["reference"], made["status"]) == (12000, "rent December", "pending")
    read = client.get(f"/payments/{made['id']}")
    assert read.status_code == 200, read.text
    assert read.json() == made
    assert client.get(made["id"].join(("/payments/", ""))).json()["amount"] == 12000  # again: the same


def test_an_action_leaves_the_payment_in_its_state_and_keeps_the_rest(client):
    made = _made(client, 3400, "to cancel")
    cancelled = client.post(f"/payments/{made['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json() == {**made, "status": "cancelled"}  # the payment as made, not the action's example
    assert client.get(f"/payments/{made['id']}").json()["status"] == "cancelled"


def test_a_change_merges_into_the_payment_and_a_null_removes_a_field(client):
    made = _made(client, 800, "first")
    changed = client.patch(f"/payments/{made['id']}", json={"reference": "second", "metadata": {"a": "1", "b": "2"}})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["reference"], changed.json()["amount"], changed.json()["metadata"]) == ("second", 800, {"a": "1", "b": "2"})
    removed = client.patch(f"/payments/{made['id']}", json={"metadata": {"a": None}}).json()
    read = client.get(f"/payments/{made['id']}").json()
    assert read == removed
    assert (read["reference"], read["amount"], read["metadata"]) == ("second", 800, {"b": "2"})


def test_a_deleted_payment_is_a_404_in_the_specs_error_shape(client):
    made = _made(client, 900, "to delete")
    assert client.delete(f"/payments/{made['id']}").status_code == 204
    for answer in (client.get(f"/payments/{made['id']}"), client.post(f"/payments/{made['id']}/cancel"),
                   client.patch(f"/payments/{made['id']}", json={"reference": "x"})):
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"]["code"] and made["id"] in answer.json()["error"]["message"]
    assert made["id"] not in [item["id"] for item in client.get("/payments", params={"limit": 100}).json()["data"]]


def test_a_payment_never_made_here_is_answered_from_the_spec(client):
    answer = client.get("/payments/pay_someone_elses")
    assert answer.status_code == 200 and answer.json()["id"] == "pay_someone_elses"


def test_the_list_holds_the_payments_made_and_a_page_is_cut_to_size(client):
    made = [_made(client, 100 + n, f"listed {n}")["id"] for n in range(3)]
    listed = client.get("/payments", params={"limit": 100}).json()
    ids = [item["id"] for item in listed["data"]]
    assert set(made) <= set(ids) and "pay_0000example" not in ids, listed
    assert [item["amount"] for item in listed["data"] if item["id"] in made] == [100, 101, 102]
    assert len(client.get("/payments", params={"limit": 2}).json()["data"]) == 2


def test_a_resource_made_in_an_envelope_is_read_in_it(client):
    made = client.post("/customers", json={"name": "山田 花子", "email": "hanako@example.jp"}).json()["data"]
    read = client.get(f"/customers/{made['id']}").json()["data"]
    assert (read["id"], read["name"], read["email"]) == (made["id"], "山田 花子", "hanako@example.jp")


def test_each_customer_lists_its_own_notes(client):
    first, second = (client.post("/customers", json={"name": name}).json()["data"]["id"] for name in ("a", "b"))
    note = client.post(f"/customers/{first}/notes", json={"text": "call back"}).json()
    client.post(f"/customers/{second}/notes", json={"text": "send the contract"})
    assert [n["text"] for n in client.get(f"/customers/{first}/notes").json()] == ["call back"]
    assert [n["text"] for n in client.get(f"/customers/{second}/notes").json()] == ["send the contract"]
    assert client.get(f"/customers/{first}/notes/{note['id']}").json()["text"] == "call back"


def test_payments_made_at_once_are_each_kept(client):
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda n: _made(client, 1000 + n, f"at once {n}"), range(24)))
    assert len({payment["id"] for payment in made}) == 24
    for payment in made:
        assert client.get(f"/payments/{payment['id']}").json()["amount"] == payment["amount"]


def test_a_reset_forgets_what_was_made(live, admin, client):
    made = _made(client, 4321, "before the reset")
    assert admin.post("/sandbox/v1/workspaces/default/reset").status_code == 200
    read = client.get(f"/payments/{made['id']}").json()
    assert read["amount"] != 4321 and read["reference"] != "before the reset"


def test_a_change_of_a_resource_in_an_envelope_is_read_back(client):
    made = client.post("/customers", json={"name": "before", "email": "kept@example.jp"}).json()["data"]
    changed = client.patch(f"/customers/{made['id']}", json={"name": "after"})
    assert changed.status_code == 200 and changed.json()["data"]["name"] == "after", changed.text
    read = client.get(f"/customers/{made['id']}").json()["data"]
    assert (read["name"], read["email"]) == ("after", "kept@example.jp")


def test_a_list_keeps_the_items_its_filters_name(client):
    pending, cancelled = _made(client, 51, "filtered pending"), _made(client, 52, "filtered cancelled")
    client.post(f"/payments/{cancelled['id']}/cancel")
    listed = client.get("/payments", params={"status": "cancelled", "limit": 100}).json()["data"]
    assert cancelled["id"] in [item["id"] for item in listed] and {item["status"] for item in listed} == {"cancelled"}
    listed = client.get("/payments", params={"status": "pending", "limit": 100}).json()["data"]
    assert pending["id"] in [item["id"] for item in listed] and cancelled["id"] not in [item["id"] for item in listed]
    assert client.get("/payments", params={"status": "completed"}).json()["data"] == []  # none of the kept ones
