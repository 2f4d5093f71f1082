"""Related resources answered whole where the request asks with `expand`, ids elsewhere
(tests/published_specs/expandable-fields/): a charge's `customer` is the kept customer under `expand[]=customer`
(a read's query, a creation's form, a list's `data.customer`), its `latest_refund`, never made here, one drawn
with the id it names. `expand` was not honoured: the id stayed, and a client reading `charge.customer.email`
broke; a text beside an object was drawn by its field's name (`latest_refund` as an amount, "192642.44")."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sandbox.bindings.fallback import generate
from sandbox.bindings.loader import load_bank

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "expandable-fields",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "expandable-fields")


@pytest.fixture(scope="module")
def customer(client):
    answer = client.post("/v1/customers", data={"email": "hanako@example.jp", "name": "花子"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_read_expands_the_field_it_names_to_the_kept_resource(client, customer):
    charge = client.post("/v1/charges", data={"amount": 1200, "customer": customer["id"]}).json()
    assert charge["customer"] == customer["id"]  # not asked: the id
    read = client.get(f"/v1/charges/{charge['id']}", params={"expand[]": "customer"}).json()
    assert read["customer"]["id"] == customer["id"] and read["customer"]["email"] == "hanako@example.jp"
    assert read["amount"] == 1200 and isinstance(read["latest_refund"], (str, type(None)))
    assert client.get(f"/v1/charges/{charge['id']}").json()["customer"] == customer["id"]  # kept as the id


def test_a_creation_expands_what_its_form_asks_and_keeps_the_id(client, customer):
    made = client.post("/v1/charges", data={"amount": 500, "customer": customer["id"], "expand[0]": "customer"})
    assert made.status_code == 200, made.text
    assert made.json()["customer"]["email"] == "hanako@example.jp"
    assert client.get(f"/v1/charges/{made.json()['id']}").json()["customer"] == customer["id"]


def test_a_list_expands_each_item_through_data(client, customer):
    client.post("/v1/charges", data={"amount": 700, "customer": customer["id"]})
    page = client.get("/v1/charges", params={"expand[]": "data.customer", "limit": 100}).json()
    mine = [charge for charge in page["data"] if isinstance(charge["customer"], dict)]
    assert mine and all(charge["customer"]["email"] == "hanako@example.jp" for charge in mine)


def test_a_resource_never_made_here_is_drawn_with_the_id_it_was_named_by(client):
    charge = client.post("/v1/charges", data={"amount": 300, "customer": "cus_elsewhere"}).json()
    assert charge["latest_refund"] is None, charge  # a new charge has no refund: none was made (may be null)
    read = client.get(f"/v1/charges/{charge['id']}", params={"expand[]": "customer"}).json()
    assert read["customer"]["id"] == "cus_elsewhere" and read["customer"]["object"] == "customer"


def test_an_id_beside_an_object_is_drawn_as_an_id_not_by_its_name():
    api = load_bank(FOLDER / "expandable-fields")
    field = api.spec["components"]["schemas"]["charge"]["properties"]["latest_refund"]
    for seed in range(20):
        value = generate(api.spec, field, random.Random(seed), name="latest_charge")  # (a name read as money)
        assert value is None or (isinstance(value, str) and "." not in value), value
