"""A page whose next cursor is in a field named as the query parameter that takes it (`cursor`, as Square's lists
answer and its SDK's pager sends back as `?cursor=`), where the page's example holds a cursor of its own: a page of
kept resources that is not the last carries the cursor of the next one, and the last carries none. Before, the
example's cursor came back on every page: the pager's second page named nothing kept, and two of three tickets were
never listed. The folder is tests/published_specs/echoed-cursor."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "echoed-cursor",)}
TICKETS = "/banks/echoed-cursor/tickets"


@pytest.fixture
def headers(live, admin):
    return {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}


def test_a_pager_following_the_cursor_field_lists_every_ticket_and_stops(live, headers):
    made = []
    for subject in ("printer", "coffee", "badge"):
        answer = httpx.post(f"{live.url}{TICKETS}", headers=headers, json={"subject": subject}, timeout=30)
        assert answer.status_code == 200, answer.text
        made.append(answer.json()["id"])
    listed, query = [], {"limit": 1}
    for _ in range(5):
        page = httpx.get(f"{live.url}{TICKETS}", headers=headers, params=query, timeout=30)
        assert page.status_code == 200, page.text
        listed += [ticket["id"] for ticket in page.json()["tickets"]]
        if not page.json().get("cursor"):
            break
        query = {"limit": 1, "cursor": page.json()["cursor"]}
    assert listed == made
    assert page.json().get("cursor") in (None, "")
