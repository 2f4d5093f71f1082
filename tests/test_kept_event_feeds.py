"""A spec's event feed tells what happened to the resources a connector made (tests/published_specs/event-feed/,
typed-event-feed/): each creation, change, action and deletion is one event, in the spec's words (free text
joined as its example joins it, or a value of its enum), carrying the resource as it was then (and what an
update changed) or naming it by id and type; listed, filtered, bounded, paged and read back as kept resources
are. Drawn, every event named a resource nobody made, and a connector syncing by events never saw its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "enveloped-event-feed", "event-feed", "typed-event-feed",
))}


@pytest.fixture(scope="module")
def plans(live):
    yield from bank_client(live, "event-feed")


@pytest.fixture(scope="module")
def accounts(live):
    yield from bank_client(live, "typed-event-feed")


def _after(client, seen: set) -> list:
    """The events listed that were not in `seen` (another test of the module may have written some)."""
    return [event for event in client.get("/v1/events", params={"limit": 100}).json()["data"] if event["id"] not in seen]


def test_each_thing_that_happens_to_a_kept_resource_is_one_event_in_the_specs_words(plans):
    seen = {event["id"] for event in plans.get("/v1/events", params={"limit": 100}).json()["data"]}
    plan = plans.post("/v1/plans", data={"nickname": "basic", "amount": 500}).json()
    plans.post(f"/v1/plans/{plan['id']}", data={"nickname": "plus"})
    plans.post(f"/v1/plans/{plan['id']}/pause")
    plans.delete(f"/v1/plans/{plan['id']}")
    events = _after(plans, seen)
    assert [event["type"] for event in events] == ["plan.created", "plan.updated", "plan.paused", "plan.deleted"]
    assert {event["data"]["object"]["id"] for event in events} == {plan["id"]}
    created, updated, paused, deleted = events
    assert created["data"]["object"]["nickname"] == "basic" and not created["data"].get("previous_attributes")
    assert updated["data"]["object"]["nickname"] == "plus"
    assert updated["data"]["previous_attributes"] == {"nickname": "basic"}
    assert paused["data"]["object"]["status"] == "paused" and deleted["data"]["object"]["nickname"] == "plus"
    assert len({event["id"] for event in events}) == 4 and all(event["object"] == "event" for event in events)
    assert created["created"] >= plan["created"]  # on the sandbox clock, in the field's own form (epoch seconds)
    read = plans.get(f"/v1/events/{updated['id']}")
    assert read.status_code == 200 and read.json() == updated


def test_events_are_filtered_by_type_by_several_types_and_by_a_pattern(plans):
    plan = plans.post("/v1/plans", data={"nickname": "filtered"}).json()
    plans.post(f"/v1/plans/{plan['id']}", data={"nickname": "filtered again"})
    mine = lambda page: [e for e in page.json()["data"] if e["data"]["object"]["id"] == plan["id"]]  # noqa: E731
    assert [e["type"] for e in mine(plans.get("/v1/events", params={"type": "plan.updated"}))] == ["plan.updated"]
    both = plans.get("/v1/events", params={"types[0]": "plan.created", "types[1]": "plan.updated"})
    assert [e["type"] for e in mine(both)] == ["plan.created", "plan.updated"]
    assert [e["type"] for e in mine(plans.get("/v1/events", params={"type": "plan.*"}))] == ["plan.created",
                                                                                          "plan.updated"]
    assert plans.get("/v1/events", params={"type": "coupon.created"}).json()["data"] == []
    assert all(e["type"].startswith("plan.") for e in plans.get("/v1/events", params={"type": "plan.*"}).json()["data"])


def test_events_are_bounded_and_paged_as_kept_lists_are(plans):
    plans.post("/v1/plans", data={"nickname": "paged"})
    everything = plans.get("/v1/events", params={"limit": 100}).json()["data"]
    first = plans.get("/v1/events", params={"limit": 2}).json()
    assert first["has_more"] is True and first["data"] == everything[:2]
    second = plans.get("/v1/events", params={"limit": 2, "starting_after": first["data"][-1]["id"]}).json()
    assert second["data"] == everything[2:4]
    last = everything[-1]["created"]
    assert plans.get("/v1/events", params={"created[gte]": last + 1}).json()["data"] == []
    assert everything[-1] in plans.get("/v1/events", params={"created[gte]": last, "limit": 100}).json()["data"]


def test_a_typed_feed_names_the_resource_by_id_and_writes_only_what_its_enum_has(accounts):
    account = accounts.post("/accounts", json={"name": "main"}).json()
    accounts.patch(f"/accounts/{account['id']}", json={"name": "renamed"})
    accounts.post(f"/accounts/{account['id']}/close")
    card = accounts.post("/cards", json={"account_id": account["id"]}).json()
    accounts.patch(f"/cards/{card['id']}", json={"description": "no card.updated in the enum"})
    accounts.post("/limits", json={"amount": 100})  # no category speaks of limits
    events = accounts.get("/events", params={"limit": 100}).json()["data"]
    assert [(e["category"], e["associated_object_id"], e["associated_object_type"]) for e in events] == [
        ("account.created", account["id"], "account"), ("account.updated", account["id"], "account"),
        ("account.closed", account["id"], "account"), ("card.created", card["id"], "card")]
    assert all(e["type"] == "event" for e in events)  # the event's own constant type is left as declared
    cards = accounts.get("/events", params={"category.in": ["card.created", "account.closed"]}).json()["data"]
    assert [e["category"] for e in cards] == ["account.closed", "card.created"]
    assert accounts.get(f"/events/{events[1]['id']}").json() == events[1]



@pytest.fixture(scope="module")
def customers(live):
    yield from bank_client(live, "enveloped-event-feed")


def test_an_enveloped_feed_carries_each_resource_as_its_read_answers_it(customers):
    made = customers.post("/customers", data={"first_name": "Ada"}).json()["customer"]
    customers.post(f"/customers/{made['id']}", data={"first_name": "Ada L."})
    customers.post(f"/customers/{made['id']}/delete")
    events = [item["event"] for item in customers.get("/events", params={"limit": 100}).json()["list"]]
    assert [e["event_type"] for e in events] == ["customer_created", "customer_changed", "customer_deleted"]
    assert [e["content"]["customer"]["id"] for e in events] == [made["id"]] * 3
    assert events[1]["content"]["customer"]["first_name"] == "Ada L."
    assert events[0]["occurred_at"] >= made["created_at"]  # when it happened, on the sandbox clock
    assert customers.get(f"/events/{events[2]['id']}").json() == {"event": events[2]}


def test_check_says_where_events_are_written_and_what_each_operation_keeps():
    from sandbox.bindings.check import check_folders

    report = check_folders([Path(__file__).parent / "published_specs" / "event-feed"])
    bank = report["banks"][0]
    assert bank["events"] == {"read": "/v1/events/{id}", "says": "type", "types": []}
    kept = {op["operation"]: op.get("kept") for op in bank["operations"]}
    assert kept["createPlan"] == {"role": "create", "kind": "/v1/plans/{plan}"}
    assert kept["pausePlan"]["role"] == "action" and kept["listEvents"]["role"] == "list"
    assert check_folders([Path(__file__).parent / "published_specs" / "kept-changes"])["banks"][0]["events"] is None
