"""A resource named in its path by another of its fields, under the prefix its parameter's description gives
(tests/published_specs/prefixed-other-address/, as Recurly's `code-bob` for the account whose code is `bob`), is
the kept one: read, changed and removed by it, and a second one made with a value of it taken is refused 422.
Before, `GET /members/handle-bravo-9` answered a drawn member, and two members of one handle were made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "prefixed-other-address",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "prefixed-other-address")


@pytest.fixture(scope="module")
def made(client):
    answer = client.post("/members", json={"handle": "bravo-9", "email": "bravo@example.com"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_member_is_read_changed_and_removed_by_its_handle(client, made):
    read = client.get("/members/handle-bravo-9")
    assert read.status_code == 200, read.text
    assert read.json() == made
    changed = client.put("/members/handle-bravo-9", json={"email": "new@example.com"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["id"], changed.json()["handle"], changed.json()["email"]) == (
        made["id"], "bravo-9", "new@example.com")
    assert client.get(f"/members/{made['id']}").json()["email"] == "new@example.com"
    other = client.post("/members", json={"handle": "charlie"}).json()
    assert client.delete("/members/handle-charlie").status_code == 204
    assert client.get(f"/members/{other['id']}").status_code == 404
    assert client.get("/members/handle-bravo-9").json()["id"] == made["id"]


def test_a_second_member_of_a_handle_taken_is_refused(client, made):
    before = client.get("/members").json()["data"]
    again = client.post("/members", json={"handle": "bravo-9", "email": "twin@example.com"})
    assert again.status_code == 422, again.text
    assert again.json()["error"]["type"] == "validation"
    assert "bravo-9" in again.json()["error"]["message"]
    assert client.get("/members").json()["data"] == before
    assert client.post("/members", json={"handle": "delta"}).status_code == 201  # (another handle is made)

def test_a_body_not_fitting_its_schema_lists_the_field_refused(client):
    refused = client.post("/members", json={"handle": "h" * 30})
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["type"] == "validation"
    assert [item["param"] for item in error["params"]] == ["handle"]
    assert "too long" in error["params"][0]["message"]


def test_a_handle_taken_is_listed_as_the_field_refused(client, made):
    again = client.post("/members", json={"handle": "bravo-9"})
    assert again.status_code == 422, again.text
    assert [item["param"] for item in again.json()["error"]["params"]] == ["handle"]
