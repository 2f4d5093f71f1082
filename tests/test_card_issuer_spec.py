"""A card issuer's Swagger 2.0 spec served from its schemas, read as its official SDK reads it (Marqeta's
Python SDK was driven against Marqeta's published Core API spec). The spec
(tests/published_specs/card-issuer/) is hand-written with the traits that broke the SDK:

- lists are offset pages, `{count, start_index, end_index, is_more, data}`, and the SDK reads
  `data[i] for i in range(count)` and pages `while is_more`: a drawn `count: 174` beside one item raised
  IndexError in every list call, and a drawn `is_more: true` would have paged forever;
- ids are named `token`: every created resource was answered with the token "sample";
- sub-resources hang off a parameter named only `{token}` (`/members/{token}/remarks`,
  `/wallets/member/{token}`): a remark, and each wallet of a member, carried the member's token as its own,
  and the edit of remark R7 was answered as remark <member token>.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "card-issuer",
))}
BASE = "/banks/card-issuer/v9"


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=live.url + BASE, timeout=30) as client:
        yield client


@pytest.mark.parametrize("start", [0, 10])
def test_an_offset_page_counts_the_items_it_lists_and_is_the_last(client, start):
    page = client.get("/members", params={"count": 5, "start_index": start})
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["count"] == len(body["data"]), body
    assert body["start_index"] == start and body["end_index"] == start + len(body["data"]) - 1, body
    assert body["is_more"] is False, body
    assert client.get("/wallets/member/M1").json()["is_more"] is False


def test_a_token_named_id_is_one_of_its_own_per_creation(client):
    made = [client.post("/members", json={"name": name}).json()["token"] for name in ("Ann", "Ben")]
    assert len(set(made)) == 2 and "sample" not in made, made
    assert client.get(f"/members/{made[0]}").json()["token"] == made[0]


def test_a_parameter_named_only_token_names_the_owner_not_the_sub_resource(client):
    remark = client.post("/members/M1/remarks", json={"text": "hi"}).json()
    assert remark["token"] != "M1", remark
    edited = client.put("/members/M1/remarks/R7", json={"text": "hello"}).json()
    assert edited["token"] == "R7", edited
    wallets = client.get("/wallets/member/M1").json()["data"]
    assert wallets and all(w["token"] != "M1" and w["member_token"] == "M1" for w in wallets), wallets

