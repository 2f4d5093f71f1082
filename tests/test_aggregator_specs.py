"""Traits of published aggregator and payment-provider specs (Yapily, Mollie) that stopped their SDKs:
a property named `$ref`, OpenAPI 3.1's `required: []`, and HAL answers (`application/hal+json` read by a
JSON client, `_links` paging, read-only fields required only of answers, a body idempotency id, one
example shared by error schemas it does not all fit, lists the draw left out echoed). The folders are
tests/published_specs/schema-named-ref, empty-required and hal-answers.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sandbox.bindings import load_bank
from sandbox.http.spec_checks import refusal

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "hal-answers",)}


@pytest.mark.parametrize("name", ["schema-named-ref", "empty-required", "hal-answers"])
def test_connexion_takes_the_folder(name):
    assert refusal(load_bank(SPECS / name)) is None


@pytest.fixture(scope="module")
def hal(live):
    with httpx.Client(base_url=f"{live.url}/banks/hal-answers", timeout=30) as client:
        yield client


def test_a_json_client_reads_hal_json(hal):
    answer = hal.get("/v2/payments", headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    assert hal.get("/v2/payments", headers={"Accept": "text/html"}).status_code == 406


def test_hal_list_is_one_page(hal, live):
    links = hal.get("/v2/payments?limit=2").json()["_links"]
    assert links.get("next") is None
    assert links["self"]["href"] == f"{live.url}/banks/hal-answers/v2/payments?limit=2"


def test_read_only_required_fields_are_not_asked_of_a_request(hal):
    answer = hal.post("/v2/payments", json={"amount": "10.00"})
    assert answer.status_code == 201, answer.text
    assert hal.post("/v2/payments", json={}).status_code == 422  # `amount` is still required


def test_a_link_type_stays_a_media_type_in_a_refusal(hal):
    refused = hal.post("/v2/payments", json={"amount": 5})
    assert refused.status_code == 422
    assert refused.json()["_links"]["documentation"]["type"] == "text/html"


def test_a_body_idempotency_field_makes_two_creations(hal):
    ids = [hal.post("/v2/transfers", json={"transferIdempotencyId": key, "amount": 3}).json()["data"]
           for key in ("k1", "k2", "k1")]
    assert ids[0]["id"] != ids[1]["id"] and ids[0]["id"] == ids[2]["id"]
    assert [item["transferIdempotencyId"] for item in ids] == ["k1", "k2", "k1"]  # declared, not drawn: echoed


def test_a_shared_example_fits_every_schema_it_is_served_under(hal):
    answer = hal.get("/v1/strict", headers={"Prefer": "code=401"})
    assert answer.status_code == 401
    assert "tracingId" in answer.json()


def test_a_list_of_objects_the_draw_left_out_is_echoed_not_a_500(hal):
    answer = hal.post("/v2/payments", json={"amount": "1.00", "lines": [{"sku": "a"}, {"sku": "b"}]})
    assert answer.status_code == 201, answer.text


def test_a_refusal_names_the_field_it_refused(hal):
    """Mollie's 422 carries a `field`: it named the example's (`description`), not the one refused."""
    refused = hal.post("/v2/payments", json={"lines": []})
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "amount", refused.text
