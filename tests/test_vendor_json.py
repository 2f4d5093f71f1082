"""A HAL-style API declared in vendor JSON types, as Dwolla publishes its own, driven over HTTP.

Its SDK sends every write as `application/json`, reads each new resource at the `Location` a 201
answers, and follows `_links` maps that the spec writes without a type. The folder is
tests/published_specs/vendor-json.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "vendor-json",)}
VENDOR = "application/vnd.example.v1.hal+json"


@pytest.fixture
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/vendor-json", timeout=30) as client:
        yield client


@pytest.mark.parametrize("media_type", ["application/json", VENDOR, "application/json; charset=utf-8"])
def test_a_vendor_json_body_is_taken_as_application_json_too(client, media_type):
    answer = client.post("/customers", content=b'{"firstName": "Hanako", "email": "hanako@example.jp"}',
                         headers={"Content-Type": media_type})
    assert answer.status_code == 201, answer.text


def test_a_vendor_json_body_is_still_checked_against_its_schema(client):
    missing = client.post("/customers", json={"firstName": "Hanako"})
    assert missing.status_code == 400, missing.text
    assert client.post("/customers", content=b"firstName=Hanako", headers={"Content-Type": "text/plain"}
                       ).status_code == 415


def test_a_creations_location_reads_the_resource_it_made(client):
    first = client.post("/customers", json={"firstName": "Hanako", "email": "hanako@example.jp"},
                        headers={"Idempotency-Key": "k-1"})
    second = client.post("/customers", json={"firstName": "Hanako", "email": "hanako@example.jp"},
                         headers={"Idempotency-Key": "k-2"})
    again = client.post("/customers", json={"firstName": "Hanako", "email": "hanako@example.jp"},
                        headers={"Idempotency-Key": "k-1"})
    where = first.headers["location"]
    assert where.startswith(f"{client.base_url}/customers/".replace("//customers", "/customers")), where
    assert again.headers["location"] == where != second.headers["location"]
    customer = httpx.get(where, timeout=30)
    assert customer.status_code == 200, customer.text
    assert customer.json()["id"] == str(uuid.UUID(where.rsplit("/", 1)[1]))


def test_a_sub_resources_location_is_where_its_kind_is_read(client):
    made = client.post("/customers/c-1/funding-sources", json={"name": "Payroll"})
    assert made.status_code == 201, made.text
    where = made.headers["location"]
    assert "/banks/vendor-json/funding-sources/" in where, where
    assert httpx.get(where, timeout=30).json()["id"] == where.rsplit("/", 1)[1]


def test_links_written_without_a_type_are_a_map_of_links(client):
    customer = client.get("/customers/c-1", headers={"Accept": VENDOR})
    assert customer.status_code == 200, customer.text
    assert customer.headers["content-type"].startswith(VENDOR)
    links = customer.json()["_links"]
    assert isinstance(links, dict) and all("href" in link for link in links.values()), links


def test_a_path_with_empty_segments_is_the_path_without_them(live):
    """An SDK joining its base URL (ending in a slash) and a path (starting with one) asks for
    `<mount>//customers/...`: it named nothing, and every call of Dwolla's SDK so configured was a 404."""
    doubled = httpx.get(httpx.URL(f"{live.url}/banks/vendor-json//customers//c-1"), headers={"Accept": VENDOR},
                        timeout=30)
    assert doubled.status_code == 200 and doubled.json()["id"] == "c-1", doubled.text


def test_a_body_that_fits_several_overlapping_alternatives_is_taken(client):
    """Dwolla's customer update is a `oneOf` whose branches overlap: an update of the e-mail address fits
    two of them, and JSON Schema's "exactly one" refused it 400."""
    updated = client.post("/customers/c-1", json={"email": "hanako@example.jp"})
    assert updated.status_code == 200, updated.text
    assert client.post("/customers/c-1", json={"email": "not an address"}).status_code == 400
