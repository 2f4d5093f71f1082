"""`nullable: true` beside `anyOf`/`oneOf` without a `type` takes null (tests/published_specs/nullable-anyof/):
OpenAPI 3.0.3 lets `nullable` widen only a `type` of its own schema, so the validator refused every null a
client sent there (a 400) and every null the bank answers there (Stripe declares hundreds of such links)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.loader import load_bank
from sandbox.bindings.schemas import schemas_of

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "nullable-anyof",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "nullable-anyof")


def test_null_fits_the_link():
    api = load_bank(FOLDER / "nullable-anyof")
    assert schemas_of(api.spec).fits({"$ref": "#/components/schemas/parcel"}, {"weight": 3, "depot": None})
    assert any("nullable: true` beside anyOf" in warning for warning in api.warnings)


def test_a_client_sends_null_there(client):
    made = client.post("/parcels", json={"weight": 3, "depot": None})
    assert made.status_code == 200, made.text
    assert made.json()["depot"] is None
