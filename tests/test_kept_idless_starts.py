"""A resource made by a call that answers no id of it (Paystack's `POST /transaction/initialize` answers
`{data: {authorization_url, access_code, reference}}`; its transactions are read at `/transaction/{id}`, an
integer), listed by a data connector's sync (Airbyte's Paystack source), run unchanged against the published spec:

- idless-starts: the id it is kept under takes the form its read's path parameter declares (a whole number;
  a pattern), each listed item carries its own (before: kept under a UUID that no integer `id` took, every
  listed item showed the one drawn id, and a sync saw duplicates), and says it was made when it was kept
  (before: a drawn `createdAt`);
- the reference the server makes for it differs from one made to the next (before: `"sample"` for all);
- a page counter typed a number or its text (`perPage: anyOf [string, integer]`) says the page size asked for
  (before: `"sample"`), and `skipped` how many items the pages before hold (before: drawn, 654 on page 1)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

import live_server

SPECS = Path(__file__).parent / "published_specs"
PLANS = live_server.roomy_plans()  # a sync makes hundreds of calls a second
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "idless-starts",), "plans": PLANS}


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _start_two(base, auth, admin) -> tuple[datetime, list]:
    """Two things started an hour apart (the sandbox clock set back a day), their answers."""
    when = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
    clock = "/sandbox/v1/workspaces/default/clock"
    assert admin.post(clock, json={"mode": "set", "to": when.isoformat()}).status_code == 200
    try:
        first = httpx.post(f"{base}/things/start", auth=auth, json={"email": "a@example.com", "amount": 100}, timeout=30)
        assert admin.post(clock, json={"mode": "advance", "seconds": 3600}).status_code == 200
        second = httpx.post(f"{base}/things/start", auth=auth, json={"email": "b@example.com", "amount": 200}, timeout=30)
    finally:
        admin.post(clock, json={"mode": "real"})
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    return when, [first.json()["data"], second.json()["data"]]


def test_things_started_without_an_id_are_listed_once_each_under_readable_integer_ids(live, token_as_user, admin):
    auth = token_as_user  # the token as the Basic user name
    base = f"{live.url}/banks/idless-starts"
    when, started = _start_two(base, token_as_user, admin)
    page = httpx.get(f"{base}/things", auth=auth, timeout=30)
    assert page.status_code == 200, page.text
    items = page.json()["data"]
    assert [item["reference"] for item in items] == [thing["reference"] for thing in started]
    ids = [item["id"] for item in items]
    assert all(isinstance(i, int) and not isinstance(i, bool) for i in ids), ids
    assert len(set(ids)) == 2, ids
    assert [_moment(item["createdAt"]) for item in items] == [when, when + timedelta(hours=1)]
    for item in items:  # each listed id reads back the thing listed, made when it was listed made
        read = httpx.get(f"{base}/things/{item['id']}", auth=auth, timeout=30)
        assert read.status_code == 200, read.text
        assert read.json()["data"]["id"] == item["id"]
        assert read.json()["data"]["reference"] == item["reference"]
        assert _moment(read.json()["data"]["createdAt"]) == _moment(item["createdAt"])


def test_the_reference_the_server_makes_differs_from_one_thing_to_the_next(live, token_as_user, admin):
    _, started = _start_two(f"{live.url}/banks/idless-starts", token_as_user, admin)
    assert started[0]["reference"] != started[1]["reference"], started  # each its own, not the draw's one word


def test_page_counters_typed_a_number_or_its_text_say_the_page_asked_for(live, token_as_user, admin):
    auth = token_as_user  # the token as the Basic user name
    base = f"{live.url}/banks/idless-starts"
    _start_two(base, token_as_user, admin)
    page = httpx.get(f"{base}/things", auth=auth, params={"perPage": 5}, timeout=30).json()
    assert (page["meta"]["perPage"], page["meta"]["skipped"], page["meta"]["page"]) == (5, 0, 1), page["meta"]
    second = httpx.get(f"{base}/things", auth=auth, params={"perPage": 1, "page": 2}, timeout=30).json()
    assert len(second["data"]) == 1
    assert (second["meta"]["perPage"], second["meta"]["skipped"], second["meta"]["page"]) == (1, 1, 2), second["meta"]


def test_gadgets_made_without_an_id_are_kept_under_ids_of_their_reads_pattern(live, token_as_user):
    auth = token_as_user  # the token as the Basic user name
    base = f"{live.url}/banks/idless-starts"
    for label in ("left", "right"):
        made = httpx.post(f"{base}/gadgets", auth=auth, json={"label": label}, timeout=30)
        assert made.status_code == 200, made.text
    listed = httpx.get(f"{base}/gadgets", auth=auth, timeout=30)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [item["label"] for item in items] == ["left", "right"]
    assert all(re.fullmatch(r"gd_[a-z0-9]{12}", item["id"]) for item in items), items
    assert items[0]["id"] != items[1]["id"]
    for item in items:
        read = httpx.get(f"{base}/gadgets/{item['id']}", auth=auth, timeout=30)
        assert read.status_code == 200, read.text
        assert read.json()["label"] == item["label"]
