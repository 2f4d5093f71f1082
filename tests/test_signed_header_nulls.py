"""A spec that asks for an `access_key` header on every operation and declares no security, whose generated
SDK writes every optional field it was not given as JSON null, and whose answers hold an object listing its
alternatives only as `required` lists beside its own properties (as Rapyd's published spec and its SDK do).

Before: the key was not read as a credential (no call was a connector's, so nothing it made was kept), the
nulls were a 400 on every creation, and the voucher was drawn from its bare branch (placeholder text for a
number), so no drawn answer fit and the whole answer was `{}`. The folder is
tests/published_specs/signed-header-nulls.
"""

from __future__ import annotations

import random
from pathlib import Path

import httpx
import pytest

from oauth_flows import self_use_token
from sandbox.bindings import load_bank
from sandbox.bindings.fallback import generate
from sandbox.bindings.schemas import schemas_of

SPECS = Path(__file__).parent / "published_specs"
FOLDER = SPECS / "signed-header-nulls"
LIVE_SERVER = {"open_access": False, "specs": (FOLDER,)}
GADGETS = "/banks/signed-header-nulls/gadgets"


def test_an_access_key_header_is_where_the_token_goes():
    assert load_bank(FOLDER).auth == {"type": "apiKey", "in": "header", "name": "access_key"}


def test_an_object_whose_alternatives_only_require_its_own_fields_is_drawn_whole():
    spec = load_bank(FOLDER).spec
    schema = {"$ref": "#/components/schemas/GadgetAnswer"}
    for seed in range(3):
        drawn = generate(spec, schema, random.Random(seed))
        assert schemas_of(spec).fits(schema, drawn), drawn
        assert isinstance(drawn["data"]["voucher"]["amount_off"], (int, float)), drawn
        assert drawn["data"]["voucher"]["period"] in ("once", "always"), drawn
        assert "percent_off" not in drawn["data"]["voucher"], drawn  # it fits one alternative, not both


def test_nulls_of_optional_fields_are_read_as_not_sent():
    from sandbox.http.validation import unset_nulls

    schema = {"type": "object", "required": ["label"], "properties": {
        "label": {"type": "string", "nullable": False}, "tags": {"type": "array", "items": {"type": "string"}},
        "memo": {"type": "string", "nullable": True}, "anything": {},
        "notes": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}, "colour": {"type": "string"}}}}}
    body = {"label": None, "tags": None, "memo": None, "anything": None, "notes": {"text": None, "colour": None}}
    assert unset_nulls(schema, body) == {"label": None, "memo": None, "anything": None, "notes": {"text": None}}
    assert body["tags"] is None  # not changed in place


@pytest.fixture
def token(live, admin):
    return self_use_token(live.url, admin)


def test_the_sdk_s_nulls_make_a_gadget_that_is_read_back(live, token):
    headers = {"access_key": token, "signature": "not checked"}
    made = httpx.post(f"{live.url}{GADGETS}", headers=headers, timeout=30,
                      json={"label": "lamp", "tags": None, "voucher": None, "notes": None})
    assert made.status_code == 200, made.text
    gadget = made.json()["data"]
    assert gadget["label"] == "lamp", gadget
    read = httpx.get(f"{live.url}{GADGETS}/{gadget['id']}", headers=headers, timeout=30)
    assert read.status_code == 200, read.text
    assert read.json()["data"]["label"] == "lamp", read.text  # kept: the call was the connector's
    refused = httpx.get(f"{live.url}{GADGETS}/{gadget['id']}", headers={**headers, "access_key": "made-up"}, timeout=30)
    assert refused.status_code == 401, refused.text


def test_the_control_plane_still_refuses_a_null_its_schema_does_not_take(admin):
    """Only a bank's bodies read an SDK's null as not sent: the control plane keeps what it is sent (a filed
    readiness report as sent), so a null there is a 400, not a report answered 500 for its null `summary`."""
    report = {"plan": "p", "bank": "b", "connector": "c", "started_at": "2026-12-01T00:00:00+09:00", "checks": [],
              "summary": None}
    answer = admin.post("/sandbox/v1/readiness/runs", json=report)
    assert answer.status_code == 400, answer.text
    assert "summary" in answer.json()["detail"]


def test_a_null_for_a_required_field_is_still_refused_and_makes_nothing(live, token, admin):
    """Only optional fields' nulls read as not sent: `label: null` is bad input, a 400 that keeps nothing."""
    headers = {"access_key": token, "signature": "not checked"}
    before = admin.get("/sandbox/v1/workspaces/default/resources", params={"api": "signed-header-nulls"}).json()
    assert "resources" in before, before
    refused = httpx.post(f"{live.url}{GADGETS}", headers=headers, timeout=30, json={"label": None, "tags": None})
    assert refused.status_code == 400, refused.text
    assert "label" in refused.text
    after = admin.get("/sandbox/v1/workspaces/default/resources", params={"api": "signed-header-nulls"}).json()
    assert after == before
