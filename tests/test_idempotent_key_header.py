"""An idempotency key under another spelling of its name (fincode's SDK sends `idempotent_key`): the same key,
the same creation. Only names with `idempotency` in them were read, and the same key twice made two payments.
The folder is tests/published_specs/next-path-pages (songs made with a POST)."""

from __future__ import annotations

import base64
from pathlib import Path

import httpx


LIVE_SERVER = {"open_access": False, "specs": (Path(__file__).parent / "published_specs" / "next-path-pages",)}


def test_an_idempotent_key_header_makes_one_resource(live, token_as_user):
    songs = f"{live.url}/banks/next-path-pages/songs"
    # its spec's scheme is Basic: the token as the user name, as Recurly's
    auth = {"Authorization": "Basic " + base64.b64encode(f"{token_as_user[0]}:".encode()).decode()}
    answer = httpx.post(songs, json={"title": "once"}, headers={**auth, "idempotent_key": "k-1"}, timeout=30)
    assert answer.status_code in (200, 201), answer.text
    first = answer.json()
    again = httpx.post(songs, json={"title": "once"}, headers={**auth, "idempotent_key": "k-1"}, timeout=30).json()
    other = httpx.post(songs, json={"title": "once"}, headers={**auth, "idempotent_key": "k-2"}, timeout=30).json()
    assert first["id"] == again["id"] != other["id"]
    listed = httpx.get(songs, params={"limit": 100}, headers=auth, timeout=30).json()["data"]
    assert [song["id"] for song in listed].count(first["id"]) == 1
