"""A list parameter whose items are any value (tests/published_specs/untyped-list-parameters/), as VTEX's checkout
declares `allowedOutdatedData: {type: array, items: {}, default: [paymentData]}`: its items are read as text, which
is what a query string carries. Connexion reads each item by its schema's type, and every call of the operation was
a 500, whether the list was sent or its default stood in."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings import load_bank

FOLDER = Path(__file__).parent / "published_specs" / "untyped-list-parameters"
LIVE_SERVER = {"specs": (FOLDER,)}
ITEMS = {"items": [{"sku": "TEA-01", "quantity": 2}]}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "untyped-list-parameters")


def test_the_items_are_read_as_text_with_a_warning():
    api = load_bank(FOLDER)
    parameter = api.spec["paths"]["/carts/{cartId}/items"]["post"]["parameters"][0]
    assert parameter["schema"]["items"] == {"type": "string"}
    assert any("/post/parameters/0/schema/items" in w and "read as text" in w
               for w in api.warnings), api.warnings


@pytest.mark.parametrize("query", [{}, {"staleAllowed": "paymentData"}, {"staleAllowed": ["paymentData", "7"]}])
def test_an_operation_with_such_a_list_answers_whether_the_list_is_sent_or_not(client, query):
    answered = client.post("/carts/cart_1/items", params=query, json=ITEMS)
    assert answered.status_code == 200, answered.text


@pytest.mark.parametrize("query", [{}, {"sections": "items,totals"}])
def test_a_read_with_such_a_list_answers(client, query):
    answered = client.get("/carts/cart_1", params=query)
    assert answered.status_code == 200, answered.text


def test_a_bad_body_beside_such_a_list_is_still_refused(client):
    refused = client.post("/carts/cart_1/items", params={"staleAllowed": "paymentData"}, json={"items": [{"sku": "x"}]})
    assert refused.status_code == 400, refused.text


def test_items_whose_type_a_reference_or_a_combination_says_are_left_as_written(tmp_path):
    import json

    from sandbox.bindings.spec import read

    listed = {"type": "array", "items": {"$ref": "#/components/schemas/Section"}}
    either = {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/carts": {"get": {"parameters": [
                    {"name": "sections", "in": "query", "schema": listed},
                    {"name": "ids", "in": "query", "schema": either}],
                    "responses": {"200": {"description": "ok"}}}}},
                "components": {"schemas": {"Section": {"type": "string", "enum": ["items", "totals"]}}}}
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    published = read(tmp_path)
    parameters = published.document["paths"]["/carts"]["get"]["parameters"]
    assert parameters[0]["schema"]["items"] == {"$ref": "#/components/schemas/Section"}
    assert parameters[1]["schema"]["items"] == {"anyOf": [{"type": "integer"}, {"type": "string"}]}
    assert not any("read as text" in w for w in published.warnings)
