"""Lists a connector syncs window by window (tests/published_specs/ranged-lists/): a resource made is dated
the moment it was made; a list asked for between two moments (`created[gte]`, `created[lt]`, in seconds
since 1970 or as date-times) lists the kept ones made within them, paged as asked; `?status=all` filters
nothing; a list of a kind never made, asked for from a moment still to come, is empty (a Singer tap pages
Stripe's events window after window until one is empty). Runs on both engines."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ranged-lists",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ranged-lists")


def _now(answer) -> int:
    return int(datetime.fromisoformat(answer.headers["X-Sandbox-Time"]).timestamp())


def test_a_resource_made_is_dated_the_moment_it_was_made(client):
    made = client.post("/orders", json={"amount": 100})
    now = _now(made)
    assert made.json()["created"] == now
    assert client.get(f"/orders/{made.json()['id']}").json()["created"] == now
    parcel = client.post("/parcels", json={"weight": 3})
    assert datetime.fromisoformat(parcel.json()["created_at"].replace("Z", "+00:00")).timestamp() == _now(parcel)


def test_a_list_between_two_moments_lists_the_kept_ones_made_within(client):
    made = [client.post("/orders", json={"amount": n}) for n in (1, 2, 3)]
    ids, now = [m.json()["id"] for m in made], _now(made[0])
    within = client.get("/orders", params={"created[gte]": now - 60, "created[lt]": now + 60, "limit": 100}).json()
    assert set(ids) <= {o["id"] for o in within["data"]}
    assert all(now - 60 <= o["created"] < now + 60 for o in within["data"])
    assert client.get("/orders", params={"created[gte]": now + 1}).json()["data"] == []
    assert client.get("/orders", params={"created[lt]": now}).json()["data"] == []
    assert client.get("/orders", params={"created[lte]": now, "created[gt]": now - 1}).json()["data"]


def test_a_list_within_a_range_is_paged_to_its_end_without_repeats(client):
    for n in range(3):
        client.post("/orders", json={"amount": 10 + n})
    now = _now(client.get("/orders"))
    seen, after = [], None
    for _ in range(20):
        page = client.get("/orders", params={"created[gte]": now - 60, "created[lt]": now + 60, "limit": 2,
                                             **({"starting_after": after} if after else {})}).json()
        seen += [o["id"] for o in page["data"]]
        if not page["has_more"]:
            break
        after = page["data"][-1]["id"]
    assert len(seen) == len(set(seen)) >= 3 and not page["has_more"]


def test_status_all_filters_nothing(client):
    made = client.post("/orders", json={"amount": 5}).json()
    listed = client.get("/orders", params={"status": "all", "limit": 100}).json()["data"]
    assert made["id"] in {o["id"] for o in listed}
    assert client.get("/orders", params={"status": "shipped"}).json()["data"] == [] or made["status"] == "shipped"


def test_a_list_of_date_times_between_two_moments(client):
    parcel = client.post("/parcels", json={"weight": 7}).json()
    made_at = parcel["created_at"]
    listed = client.get("/parcels", params={"created_at[gte]": made_at}).json()["parcels"]
    assert parcel["id"] in {p["id"] for p in listed}
    assert client.get("/parcels", params={"created_at[gte]": "2999-01-01T00:00:00Z"}).json()["parcels"] == []


def test_a_list_of_a_kind_never_made_is_empty_from_a_moment_still_to_come(client):
    now = _now(client.get("/notices"))
    assert client.get("/notices", params={"created[gte]": now + 86400 * 7, "created[lt]": now + 86400 * 14}).json()["data"] == []
    today = client.get("/notices", params={"created[gte]": now - 86400 * 3, "created[lt]": now + 60}).json()["data"]
    assert all(now - 86400 * 3 <= n["created"] <= now + 86400 for n in today)
