"""An operation served on another host (its own `servers`: a payee's public page, Pix's
`GET /rec/{recUrlAccessToken}` on the receiving PSP's domain) whose path has the same shape as one of the API's
own (`GET /rec/{idRec}`), and is declared before it: both are mounted under the bank's one base URL, so the
router must not let the foreign page shadow the API's own read. Before, `GET <mount>/rec/<id>` with the API's
token answered the page (`application/jose`, the page's example) instead of the recurrence, and the read the
SDK calls was unreachable. The folder is tests/published_specs/foreign-host-operation."""

from __future__ import annotations

from pathlib import Path

import httpx

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "foreign-host-operation",)}
MOUNT = "/banks/foreign-host-operation"


def test_the_apis_own_read_is_not_shadowed_by_a_foreign_host_page(live, admin):
    headers = {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}
    answer = httpx.get(f"{live.url}{MOUNT}/mandates/MD-1", headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json"), answer.headers["content-type"]
    assert set(answer.json()) >= {"mandateId", "payer"}


def test_the_apis_own_read_still_asks_for_its_token(live):
    answer = httpx.get(f"{live.url}{MOUNT}/mandates/MD-1", timeout=30)
    assert answer.status_code == 401, answer.text
