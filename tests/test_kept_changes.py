"""A kept resource changed the ways APIs change them: a JSON Patch (RFC 6902) answered 204, a PUT that replaces
what was sent, and a batch envelope (`{"Widgets": [...]}`) that makes, reads, lists and updates one at a time
(tests/published_specs/kept-changes/). A JSON Patch changed nothing; a batch's widget was kept under the
envelope's id, so it was read as the spec's example, and an update lost the name an earlier one kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.changes import patched

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-changes",)}
UNITS = [{"reference_id": "default", "amount": {"value": "100.00", "currency_code": "JPY"}},
         {"reference_id": "gift", "amount": {"value": "5.00", "currency_code": "JPY"}}]


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-changes")


def test_a_json_patch_changes_the_kept_order_and_picks_list_items_by_selector(client):
    made = client.post("/orders", json={"note": "before", "purchase_units": UNITS}).json()
    operations = [{"op": "replace", "path": "/purchase_units/@reference_id=='default'/amount/value", "value": "120.00"},
                  {"op": "replace", "path": "/note", "value": "after"}]
    answer = client.patch(f"/orders/{made['id']}", json=operations, headers={"Content-Type": "application/json-patch+json"})
    assert answer.status_code == 204, answer.text
    read = client.get(f"/orders/{made['id']}").json()
    assert read["note"] == "after" and [u["amount"]["value"] for u in read["purchase_units"]] == ["120.00", "5.00"]
    assert read["id"] == made["id"] and read["status"] == made["status"]


def test_a_put_replaces_what_was_sent_and_keeps_what_the_server_owns(client):
    made = client.post("/orders", json={"note": "kept?", "buyer": "山田", "purchase_units": UNITS[:1]}).json()
    replaced = client.put(f"/orders/{made['id']}", json={"buyer": "佐藤", "purchase_units": UNITS[1:]}).json()
    read = client.get(f"/orders/{made['id']}").json()
    for order in (replaced, read):
        assert (order["id"], order["status"], order["buyer"]) == (made["id"], made["status"], "佐藤"), order
        assert order["purchase_units"] == UNITS[1:] and order.get("note") != "kept?", order


def test_a_widget_made_in_a_batch_is_read_listed_and_updated_as_one(client):
    made = client.put("/Widgets", json={"Widgets": [{"Name": "Mine", "Colour": "blue"}]})
    assert made.status_code == 200, made.text
    [widget] = made.json()["Widgets"]
    read = client.get(f"/Widgets/{widget['WidgetID']}").json()["Widgets"]
    assert [(w["WidgetID"], w["Name"], w["Colour"]) for w in read] == [(widget["WidgetID"], "Mine", "blue")]
    assert widget["WidgetID"] in [w["WidgetID"] for w in client.get("/Widgets").json()["Widgets"]]
    client.post(f"/Widgets/{widget['WidgetID']}", json={"Widgets": [{"Name": "Renamed"}]})
    client.post(f"/Widgets/{widget['WidgetID']}", json={"Widgets": [{"Status": "ARCHIVED"}]})
    [read] = client.get(f"/Widgets/{widget['WidgetID']}").json()["Widgets"]
    assert (read["Name"], read["Colour"], read["Status"]) == ("Renamed", "blue", "ARCHIVED")


def test_an_empty_form_value_removes_a_field(client):
    """A form has no null: Stripe removes a metadata key sent empty (`metadata[tier]=`); it was kept as ""."""
    made = client.post("/customers", data={"email": "a@example.jp", "metadata[tier]": "gold", "metadata[crm]": "42"}).json()
    assert made["metadata"] == {"tier": "gold", "crm": "42"}, made
    client.post(f"/customers/{made['id']}", data={"metadata[tier]": ""})
    read = client.get(f"/customers/{made['id']}").json()
    assert (read["email"], read["metadata"]) == ("a@example.jp", {"crm": "42"}), read


def test_json_patch_operations_follow_rfc_6902():
    document = {"a": {"b": [1, 2]}, "c": "x"}
    assert patched(document, [{"op": "add", "path": "/a/b/-", "value": 3}]) == {"a": {"b": [1, 2, 3]}, "c": "x"}
    assert patched(document, [{"op": "remove", "path": "/c"}]) == {"a": {"b": [1, 2]}}
    assert patched(document, [{"op": "move", "from": "/c", "path": "/d"}]) == {"a": {"b": [1, 2]}, "d": "x"}
    assert patched(document, [{"op": "copy", "from": "/c", "path": "/a/e"}])["a"]["e"] == "x"
    assert patched(document, [{"op": "add", "path": "/n/m", "value": 1}])["n"] == {"m": 1}  # below a new field
    assert patched(document, [{"op": "replace", "path": "/a/b/7", "value": 0}]) == document  # leads nowhere
    assert patched(document, [{"op": "test", "path": "/c", "value": "x"}]) == document
    assert patched({"a~b": {"c/d": 1}}, [{"op": "replace", "path": "/a~0b/c~1d", "value": 2}]) == {"a~b": {"c/d": 2}}
    assert document == {"a": {"b": [1, 2]}, "c": "x"}  # never changed in place
