"""A published spec no binding names keeps what a connector makes: it reads back its own payment (amount,
reference), the state an action left it in, its changes, its deletions (a 404 in the spec's error shape),
its lists, its customer under an envelope and the notes of each customer; a reset forgets them all
(tests/published_specs/kept-resources/). Before, every read answered the spec's example beside the id.
Runs on both engines: the resources are kept in the workspace's database."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-resources",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-resources")


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


def test_an_action_takes_the_state_its_own_schemas_example_gives(client):
    """`void` names no state of the enum; its answer's own schema (not the read's) has an example, on the schema
    rather than the media type (Square's CancelPaymentResponse): its state is that example's."""
    made = _made(client, 3500, "to void")
    voided = client.post(f"/payments/{made['id']}/void")
    assert voided.status_code == 200, voided.text
    assert (voided.json()["status"], voided.json()["amount"]) == ("cancelled", 3500)
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


def test_a_payment_never_made_here_is_not_found_once_one_is_made(client):
    # (before any is made, every id is answered from the spec: test_kept_never_made_ids.py)
    _made(client, 7, "one")
    answer = client.get("/payments/pay_someone_elses")
    assert answer.status_code == 404, answer.text
    assert client.get("/payments/pay_0000example").json()["id"] == "pay_0000example"  # (the examples' id)


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
    read = client.get(f"/payments/{made['id']}")
    assert read.status_code == 404, read.text  # (an id never made here now, whose read declares its refusal)


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


def test_a_resource_holding_one_object_is_not_taken_for_its_envelope(client):
    """A customer's `tags` is its only object: read as the envelope, the customer fell out of lists."""
    made = client.post("/customers", json={"name": "tagged"}).json()["data"]
    assert client.patch(f"/customers/{made['id']}", json={"name": "tagged twice"}).status_code == 200
    read = client.get(f"/customers/{made['id']}").json()["data"]
    assert read["name"] == "tagged twice" and read["id"] == made["id"]


def test_a_refund_made_under_its_payment_is_a_payment_of_its_own(client):
    """`POST /payments/{id}/refunds` answers a Payment and is listed at its path: a creation, not an action on
    the payment (the refund was answered with the payment's id and amount, and its state written onto it)."""
    paid = _made(client, 7000, "to refund")
    refund = client.post(f"/payments/{paid['id']}/refunds", json={"amount": 2500})
    assert refund.status_code == 201, refund.text
    assert refund.json()["id"] != paid["id"] and refund.json()["amount"] == 2500
    assert client.get(f"/payments/{paid['id']}").json() == paid  # the payment is as it was
    assert client.get(f"/payments/{refund.json()['id']}").json()["amount"] == 2500
    assert [r["id"] for r in client.get(f"/payments/{paid['id']}/refunds").json()["data"]] == [refund.json()["id"]]


def _account(client, customer: str, nickname: str) -> dict:
    answer = client.post("/accounts", json={"customer_id": customer, "nickname": nickname})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_list_of_kept_resources_is_paged_by_offset_and_by_cursor(client):
    made = [_account(client, "cus_pages", f"page {n}")["id"] for n in range(5)]
    first = client.get("/accounts", params={"limit": 2, "offset": 0}).json()
    assert ([a["id"] for a in first["items"]], first["has_more"], first["total_count"]) == (made[:2], True, 5), first
    last = client.get("/accounts", params={"limit": 2, "offset": 4}).json()
    assert ([a["id"] for a in last["items"]], last["has_more"]) == (made[4:], False)
    assert "next_cursor" not in last
    seen, cursor = [], None
    for _ in range(5):  # as an SDK pages: the next cursor while more follow
        page = client.get("/accounts", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [a["id"] for a in page["items"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert seen == made
    assert client.get("/accounts", params={"offset": 5}).json()["items"] == []
    stale = client.get("/accounts", params={"limit": 2, "cursor": "acc_no_such_cursor"}).json()
    assert (stale["items"], stale["has_more"]) == ([], False)  # a cursor naming none: past the end, never page 1


def test_a_list_under_an_owner_holds_what_names_it_in_a_field(client):
    customer = client.post("/customers", json={"name": "account holder"}).json()["data"]["id"]
    mine = _account(client, customer, "mine")
    _account(client, "someone-else", "not mine")
    assert [a["id"] for a in client.get(f"/customers/{customer}/accounts").json()] == [mine["id"]]


def test_an_action_answers_the_state_its_verb_names(client):
    account = _account(client, "cus_verbs", "to freeze")
    frozen = client.post(f"/accounts/{account['id']}/freeze").json()
    assert (frozen["status"], frozen["nickname"]) == ("frozen", "to freeze")
    assert client.get(f"/accounts/{account['id']}").json()["status"] == "frozen"


def test_an_action_naming_no_state_leaves_the_state_as_it_was(client):
    """`refresh` names no state of the account's enum and documents no example: the account stays frozen (its
    state was drawn anew at every action)."""
    account = _account(client, "cus_refresh", "frozen, then refreshed")
    client.post(f"/accounts/{account['id']}/freeze")
    for _ in range(3):
        assert client.post(f"/accounts/{account['id']}/refresh").json()["status"] == "frozen"
    assert client.get(f"/accounts/{account['id']}").json()["status"] == "frozen"


def test_a_delete_that_answers_the_resource_leaves_it_readable_in_that_state(client):
    account = _account(client, "cus_delete", "to close")
    closed = client.delete(f"/accounts/{account['id']}")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["nickname"] == "to close"
    read = client.get(f"/accounts/{account['id']}")
    assert read.status_code == 200 and read.json()["status"] == "closed"


def test_a_delete_that_answers_a_resource_without_a_state_deletes_it(client):
    customer = client.post("/customers", json={"name": "Deleting Notes"}).json()["data"]
    note = client.post(f"/customers/{customer['id']}/notes", json={"text": "to delete"}).json()
    deleted = client.delete(f"/customers/{customer['id']}/notes/{note['id']}")
    assert deleted.status_code == 200 and deleted.json()["text"] == "to delete"
    assert client.get(f"/customers/{customer['id']}/notes/{note['id']}").status_code == 404


def test_the_same_body_sent_twice_without_a_key_makes_two(client):
    first, second = (_made(client, 6100, "twice, no key") for _ in range(2))
    assert first["id"] != second["id"]
    assert client.get(f"/payments/{second['id']}").json()["amount"] == 6100


def test_a_replayed_creation_does_not_bring_back_what_was_deleted(client):
    key = {"Idempotency-Key": "kept-replay-1"}
    made = client.post("/payments", json={"amount": 77, "reference": "replayed"}, headers=key).json()
    assert client.delete(f"/payments/{made['id']}").status_code == 204
    again = client.post("/payments", json={"amount": 77, "reference": "replayed"}, headers=key)
    assert again.status_code == 201 and again.json() == made  # the first answer, as a replay gets
    assert client.get(f"/payments/{made['id']}").status_code == 404


def test_a_map_sent_is_read_back_as_sent(client):
    made = client.post("/payments", json={"amount": 5, "reference": "with metadata", "metadata": {"order": "77"}}).json()
    assert made["metadata"] == {"order": "77"}
    assert client.get(f"/payments/{made['id']}").json()["metadata"] == {"order": "77"}


def test_a_creation_answered_without_a_body_is_read_and_listed_where_location_says(client):
    accepted = client.post("/uploads", json={"name": "statement-2026-11.csv"})
    assert accepted.status_code == 202, accepted.text
    read = client.get(accepted.headers["location"])
    upload_id = accepted.headers["location"].rsplit("/", 1)[1]
    assert read.status_code == 200 and read.json() == {"id": upload_id, "name": "statement-2026-11.csv"}
    assert {"id": upload_id, "name": "statement-2026-11.csv"} in client.get("/uploads").json()


def test_bank_staff_see_the_kept_resources_newest_first_and_page_through_them(admin, client):
    made = [_made(client, 9000 + n, f"seen by staff {n}")["id"] for n in range(3)]
    seen = admin.get("/sandbox/v1/workspaces/default/resources",
                     params={"api": "kept-resources", "kind": "/payments/{paymentId}", "limit": 2})
    assert seen.status_code == 200, seen.text
    first = seen.json()
    assert [r["id"] for r in first["resources"]] == made[::-1][:2] and first["next_cursor"]
    assert first["resources"][0]["sent"] == {"amount": 9002, "reference": "seen by staff 2"}
    assert first["resources"][0]["answer"]["amount"] == 9002 and first["resources"][0]["deleted"] is False
    more = admin.get("/sandbox/v1/workspaces/default/resources",
                     params={"kind": "/payments/{paymentId}", "limit": 1, "cursor": first["next_cursor"]}).json()
    assert [r["id"] for r in more["resources"]] == [made[0]]
    refused = admin.get("/sandbox/v1/workspaces/default/resources", params={"cursor": "not-a-cursor"})
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/problem+json")
    assert admin.get("/sandbox/v1/workspaces/no-such-workspace/resources").status_code == 404


def test_a_verb_that_completes_leaves_the_success_state_where_it_names_none(client):
    """`capture` names no state of `pending, completed, cancelled`: the payment it completes is `completed`."""
    made = _made(client, 4400, "to capture")
    assert client.post(f"/payments/{made['id']}/capture").json()["status"] == "completed"
    assert client.get(f"/payments/{made['id']}").json()["status"] == "completed"


def test_an_actions_body_says_how_to_act_and_leaves_what_the_resource_holds(client):
    """A charge of 3,500 refunded 1,000 was kept as a charge of 1,000 (PAY.JP's `refund amount=1000`)."""
    made = _made(client, 3500, "part capture")
    captured = client.post(f"/payments/{made['id']}/capture", json={"amount": 1000}).json()
    assert (captured["amount"], captured["status"]) == (3500, "completed")
    assert client.get(f"/payments/{made['id']}").json()["amount"] == made["amount"]
