"""What a data connector's sync needs of a list of kept resources (Airbyte's Recurly and Paystack sources, run
unchanged against published specs):

- next-path-pages: a list that says `has_more` and the path of its `next` page, and declares no cursor
  parameter, answers the next page's path with a cursor of the sandbox's own (before: `next` stayed drawn,
  "sample", beside `has_more: true`, and a pager following it asked a path that is no page);
- sorted-time-bounds: a bound that names no field (`begin_time`) bounds the moment field the list is sorted by
  (`sort=updated_at`), and the list runs in that field's order (before: it bounded `created_at`, and an
  incremental sync missed every resource changed since its last run);
- answered-moment-forms: moments are answered as the spec's answer examples write them, not as the examples
  of what clients send, and a moment written at a zero offset (`+00:00`) is in UTC, `Z` (before:
  `2026-...T10:00:00+09:00`, which sources parsing `%Y-%m-%dT%H:%M:%S.%fZ` or `%SZ` refused)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

import live_server

SPECS = Path(__file__).parent / "published_specs"
PLANS = live_server.roomy_plans()  # a sync makes hundreds of calls a second
LIVE_SERVER = {"open_access": False, "specs": tuple(SPECS / name for name in (
    "next-path-pages", "sorted-time-bounds", "answered-moment-forms")), "plans": PLANS}


def test_a_pager_following_the_next_path_lists_every_song_once_and_stops(live, token_as_user):
    auth = token_as_user  # the token as the Basic user name
    songs = f"{live.url}/banks/next-path-pages/songs"
    made = [httpx.post(songs, auth=auth, json={"title": t}, timeout=30).json()["id"] for t in ("a", "b", "c", "d", "e")]
    listed, url = [], f"{songs}?limit=2"
    for _ in range(6):
        page = httpx.get(url, auth=auth, timeout=30)
        assert page.status_code == 200, page.text
        listed += [song["id"] for song in page.json()["data"]]
        if not page.json().get("has_more"):
            break
        url = page.json()["next"]
        assert url.startswith(("http://", "/")), url  # a path or URL, not a drawn word
        url = url if url.startswith("http") else live.url + url
    assert listed == made
    assert not page.json().get("has_more")


def test_a_time_bound_of_a_list_sorted_by_updated_at_bounds_when_each_last_changed(live, token_as_user, admin):
    auth = token_as_user  # the token as the Basic user name
    boats = f"{live.url}/banks/sorted-time-bounds/boats"
    first = httpx.post(boats, auth=auth, json={"name": "Ada"}, timeout=30).json()
    assert admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": 60}).status_code == 200
    second = httpx.post(boats, auth=auth, json={"name": "Bea"}, timeout=30).json()
    assert admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": 60}).status_code == 200
    changed = httpx.put(f"{boats}/{first['id']}", auth=auth, json={"name": "Ada II"}, timeout=30).json()
    assert changed["updated_at"] > second["updated_at"] and changed["created_at"] < second["created_at"]
    ids = lambda answer: [boat["id"] for boat in answer.json()["data"] if boat["id"] in (first["id"], second["id"])]
    # sorted by when each last changed: the one changed last comes last
    assert ids(httpx.get(boats, auth=auth, params={"sort": "updated_at", "order": "asc"}, timeout=30)) == [
        second["id"], first["id"]]
    # since a moment after the second was made: the first, changed since, and not the second
    since = httpx.get(boats, auth=auth, params={"sort": "updated_at", "order": "asc", "begin_time": changed["updated_at"]},
                      timeout=30)
    assert ids(since) == [first["id"]]
    # the same bound on when each was made: neither
    made = httpx.get(boats, auth=auth, params={"sort": "created_at", "begin_time": changed["updated_at"]}, timeout=30)
    assert ids(made) == []


def test_moments_are_answered_as_the_answer_examples_write_them_in_utc(live, token_as_user):
    auth = token_as_user  # the token as the Basic user name
    kites = f"{live.url}/banks/answered-moment-forms/kites"
    made = httpx.post(kites, auth=auth, json={"colour": "red"}, timeout=30)
    assert made.status_code == 201, made.text
    utc_milliseconds = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
    # (`updated_at`, drawn from its own example, `+00:00`, stays in UTC in that form)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", made.json()["updated_at"]), made.json()
    assert utc_milliseconds.fullmatch(made.json()["createdAt"]), made.json()  # a bare string named as a moment too
    listed = httpx.get(kites, auth=auth, timeout=30).json()["data"]
    assert all(utc_milliseconds.fullmatch(kite["createdAt"]) for kite in listed), listed


def test_a_full_sync_pages_past_two_hundred_kept(live, token_as_user):
    """A list cut its kept resources at the 200 made last: a sync paging 100 at a time saw no third page, and
    the oldest it had made were never listed."""
    auth = token_as_user  # the token as the Basic user name
    songs = f"{live.url}/banks/next-path-pages/songs"
    with httpx.Client(auth=auth, timeout=30) as http:
        before = set()
        url = f"{songs}?limit=100"
        while url:
            page = http.get(url).json()
            before.update(song["id"] for song in page["data"])
            url = page["next"] if page.get("has_more") else None
            url = url if not url or url.startswith("http") else live.url + url
        made = [http.post(songs, json={"title": f"song {n}"}).json()["id"] for n in range(230)]
        listed, url = [], f"{songs}?limit=100"
        while url:
            page = http.get(url).json()
            listed += [song["id"] for song in page["data"]]
            url = page["next"] if page.get("has_more") else None
            url = url if not url or url.startswith("http") else live.url + url
    assert len(listed) == len(set(listed)) and set(made) <= set(listed), (len(listed), len(set(made) - set(listed)))
    assert set(listed) == before | set(made)
