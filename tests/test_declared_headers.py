"""A spec that declares the credential's own header among its parameters (open banking specs declare
`Authorization` as a required header on every operation): the security scheme answers for it.

With open access, a call without any credential is the development caller's, as on every other spec, not
a 400 for a missing `Authorization` parameter; a credential that is sent is checked as always.
"""

from __future__ import annotations

from pathlib import Path

import httpx

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "authorization-parameter",)}  # open access, as live servers of the tests run
URL = "/banks/authorization-parameter/accounts"


def test_open_access_needs_no_authorization_header_even_where_the_spec_declares_it_required(live):
    answer = httpx.get(f"{live.url}{URL}", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["Data"]["Account"][0]["AccountId"]


def test_a_credential_sent_in_the_declared_header_is_still_checked(live):
    unknown = httpx.get(f"{live.url}{URL}", headers={"Authorization": "Bearer not-issued-here"}, timeout=30)
    assert unknown.status_code == 401
    malformed = httpx.get(f"{live.url}{URL}", headers={"Authorization": "Basic Zm9vOmJhcg=="}, timeout=30)
    assert malformed.status_code in (400, 401), malformed.text
