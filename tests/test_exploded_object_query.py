"""An object query parameter sent as OpenAPI's defaults say, each property a query field of its own
(tests/published_specs/exploded-object-query/): fincode's SDK sends `?pay_type=Card` for the required object
parameter `クエリ`, and every such call was a 400 "missing query parameter"."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.check import check_folders

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "exploded-object-query",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "exploded-object-query")


def test_the_properties_of_a_required_object_are_the_query_and_are_checked(client):
    answer = client.get("/v1/orders/o1", params={"kind": "card"})
    assert answer.status_code == 200, answer.text
    assert client.get("/v1/orders/o1", params={"kind": "cheque"}).status_code == 400  # checked as its property
    assert client.get("/v1/orders/o1").status_code == 400  # required by the object


def test_an_optional_object_of_all_of_members_takes_each_member_as_a_field(client):
    assert client.get("/v1/orders", params={"limit": 5, "page": 2, "kind": "bank"}).status_code == 200
    assert client.get("/v1/orders").status_code == 200
    assert client.get("/v1/orders", params={"limit": 500}).status_code == 400


def test_check_says_how_it_read_them():
    assert "read as one parameter per property" in str(check_folders([FOLDER / "exploded-object-query"]))
