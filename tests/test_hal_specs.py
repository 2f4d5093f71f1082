"""A HAL API as Finix publishes its own (tests/published_specs/hal-payments): descriptions kept in markdown
files (Stoplight's `description: {$ref: docs/x.md}`), `parameters: null`, an SDK that asks for
`application/hal+json` of operations declared `application/json`, errors under `_embedded.errors`,
offset pages `page: {offset, limit, count}`, alphabetically listed states and type-prefixed ids."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sandbox.bindings import spec as spec_module

FOLDER = Path(__file__).parent / "published_specs" / "hal-payments"
LIVE_SERVER = {"specs": (FOLDER.parent,)}


@pytest.fixture
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/hal-payments", timeout=30,
                      headers={"Accept": "application/hal+json"}) as client:
        yield client


def test_markdown_descriptions_and_null_parameters_are_read():
    read = spec_module.read(FOLDER)
    assert read.document["tags"][0]["description"] == "Payments move money.\n"
    assert read.document["info"]["description"] == ""
    assert "parameters" not in read.document["paths"]["/payments/{payment_id}/receipt"]["post"]
    assert any("missing-intro.md" in w for w in read.warnings), read.warnings
    assert any("null where a list belongs" in w for w in read.warnings), read.warnings


def test_a_client_asking_for_hal_json_is_answered_json(client):
    answer = client.get("/payments/PMhw2BGAqyFZcrjTYXq4qTvY")  # (an id its examples show: an id never made is a 404)
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == "PMhw2BGAqyFZcrjTYXq4qTvY" and answer.headers["content-type"].startswith("application/json")


def test_an_error_under_embedded_errors_carries_its_code_and_message(client):
    answer = client.get("/payments/PMx", headers={"Prefer": "code=404"})
    assert answer.status_code == 404
    error = answer.json()["_embedded"]["errors"][0]
    assert error["code"] == "NOT_FOUND" and error["message"], answer.text
    refused = client.post("/payments", json={"amount": "ten"})
    assert refused.status_code == 422
    assert refused.json()["_embedded"]["errors"][0]["code"] == "INVALID_FIELD", refused.text
    assert refused.json()["_embedded"]["errors"][0]["field"] == "amount", refused.text  # the field refused


def test_an_offset_page_says_where_it_is_and_that_it_is_the_last(client):
    page = client.get("/payments", params={"limit": 2, "offset": 4}).json()["page"]
    assert page == {"offset": 4, "limit": 2, "count": 2}, page  # the items it lists: a client paging on it stops


def test_a_new_resource_starts_pending_with_an_id_of_its_kind(client):
    first = client.post("/payments", json={"amount": 5, "idempotency_id": "k1"}).json()
    second = client.post("/payments", json={"amount": 5, "idempotency_id": "k2"}).json()
    assert first["state"] == second["state"] == "PENDING"
    assert first["id"] != second["id"] and first["id"].startswith("PM") and second["id"].startswith("PM"), (first, second)


def test_links_under_a_singular_link_say_the_page_is_the_last(client):
    """Adyen's mandate lists name their links `link`: a drawn `next` pointed out of the sandbox, forever."""
    page = client.get("/mandates", params={"limit": 1}).json()
    assert "next" not in page["link"] and page["link"]["self"]["href"].endswith("/banks/hal-payments/mandates?limit=1"), page


def test_a_page_holds_no_more_items_than_the_size_asked(client):
    """The example's two payments answered `?limit=1` (Adyen's transfers): a client checking its page failed."""
    page = client.get("/payments", params={"limit": 1, "offset": 0}).json()
    assert len(page["_embedded"]["payments"]) == 1 and page["page"]["count"] == 1, page
    assert len(client.get("/payments", params={"limit": 5}).json()["_embedded"]["payments"]) == 2  # never padded
