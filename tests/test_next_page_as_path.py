"""A list's `next` its schema calls a path is answered as one (trait folder next-page-as-path).

- next-page-as-path: Recurly's `next` is "Path to subsequent page of results.": its SDK's pager sends it as the
  request target on its own connection (`conn.request("GET", page.next)`). Answered as an absolute URL, a
  client prefixing its mount asked `/banks/recurlyhttp://...` (404) and on the vendor's host the target was a URL.
  A `next` described as a URL stays one. The last page keeps `next` (empty where the schema types it as text
  only): the pager reads `page.next` of every page, and a last page without it raised AttributeError.
"""

from __future__ import annotations

from pathlib import Path

import httpx

import live_server

SPECS = Path(__file__).parent / "published_specs"
PLANS = live_server.roomy_plans()  # a sync makes hundreds of calls a second
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "next-page-as-path",), "plans": PLANS}


def test_a_next_called_a_path_is_a_path_a_pager_follows_to_the_end(live, token_as_user):
    auth = token_as_user  # the token as the Basic user name
    base = f"{live.url}/banks/next-page-as-path"
    made = [httpx.post(f"{base}/songs", auth=auth, json={"title": t}, timeout=30).json()["id"] for t in "abcde"]
    listed, target = [], "/banks/next-page-as-path/songs?limit=2"
    for _ in range(6):
        page = httpx.get(live.url + target, auth=auth, timeout=30)
        assert page.status_code == 200, page.text
        listed += [song["id"] for song in page.json()["data"]]
        if not page.json().get("has_more"):
            break
        target = page.json()["next"]
        assert target.startswith("/banks/next-page-as-path/songs?"), target  # a path, no scheme or host
    assert listed == made
    assert page.json().get("next") == ""  # the last page still has it (its SDK reads page.next of every page)


def test_a_next_called_a_url_stays_a_url(live, token_as_user):
    auth = token_as_user  # the token as the Basic user name
    base = f"{live.url}/banks/next-page-as-path"
    for t in "abc":
        httpx.post(f"{base}/albums", auth=auth, json={"title": t}, timeout=30)
    page = httpx.get(f"{base}/albums?limit=2", auth=auth, timeout=30).json()
    assert page["has_more"] and page["next"].startswith("http"), page
