"""Traits of subscription-billing specs (tests/published_specs/versioned-accept-type, flagged-delimited-pattern,
null-examples). Each test failed on the code before: a client asking for its API version by media type
(`Accept: application/vnd.<api>.v<date>`) was refused 406 on every call; a pattern written `/.../i` matched
nothing, so every answer holding the field was a 500; `example: null` on every field was replaced by a value
drawn at load ("sample"), so every creation answered the same id and none echoed what was sent.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from live_server import bank_client

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": tuple(SPECS / name for name in (
    "versioned-accept-type", "flagged-delimited-pattern", "null-examples", "free-text-object-kinds", "moment-forms",
    "literal-refs", "image-answers"))}


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def test_an_accept_of_a_versioned_vendor_type_gets_the_json_answer(client):
    answer = client.get("/banks/versioned-accept-type/gadgets/g1", headers={"Accept": "application/vnd.acme.v2021-02-25"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json") and answer.json()["id"] == "g1"
    assert client.get("/banks/versioned-accept-type/gadgets/g1", headers={"Accept": "application/vnd.acme.v3"}).status_code == 200
    # a type the operation cannot give is still refused
    assert client.get("/banks/versioned-accept-type/gadgets/g1", headers={"Accept": "text/html"}).status_code == 406
    assert client.get("/banks/versioned-accept-type/gadgets/g1",
                      headers={"Accept": "application/vnd.ms-excel"}).status_code == 406


def test_a_delimited_pattern_with_a_flag_is_read_with_that_flag(client):
    read = client.get("/banks/flagged-delimited-pattern/tiers/t1")
    assert read.status_code == 200, read.text
    assert re.fullmatch(r"[A-Za-z0-9_-]+", read.json()["handle"])
    made = client.post("/banks/flagged-delimited-pattern/tiers", json={"handle": "Gold_Tier", "title": "Gold"})
    assert made.status_code == 201, made.text
    assert made.json()["handle"] == "Gold_Tier"
    assert client.post("/banks/flagged-delimited-pattern/tiers", json={"handle": "no spaces"}).status_code == 400


def test_null_examples_are_no_examples(client):
    made = [client.post("/banks/null-examples/members", data={"nickname": name}) for name in ("ada", "bob")]
    assert [m.status_code for m in made] == [200, 200], made[0].text
    first, second = (m.json()["member"] for m in made)
    assert first["id"] != second["id"] and "sample" not in (first["id"], second["id"]), (first, second)


def test_a_free_text_object_type_answers_the_kind_its_schema_names(live):
    """A free-text `object` field the spec calls the object's type answers the kind (a client picks its model
    by it: drawn as text, every answer was an untyped map and no page could be followed)."""
    for client in bank_client(live, "free-text-object-kinds"):
        made = client.post("/billing_infos", json={"holder": "Ada"}).json()
        assert made["object"] == "billing_info"
        assert client.get(f"/billing_infos/{made['id']}").json()["object"] == "billing_info"
        page = client.get("/billing_infos").json()
        assert page["object"] == "list" and [item["object"] for item in page["data"]] == ["billing_info"]


def test_moments_are_drawn_as_the_specs_examples_write_them(live):
    """A drawn moment is written as the spec's examples write theirs (UTC's `Z`, whole seconds): SDKs parse one
    form (`%Y-%m-%dT%H:%M:%S%z` takes no fraction), and milliseconds with an offset broke every model holding one."""
    for client in bank_client(live, "moment-forms"):
        thing = client.get("/things/t1").json()
        for field in ("created_at", "updated_at"):
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", thing[field]), thing


def test_an_answer_holding_literal_ref_keys_is_kept_under_an_idempotency_key(live):
    """An answer from the spec holding an example's literal `$ref` key (data, tests/published_specs/literal-refs/)
    made under an idempotency key: storing it for the replay was a 500 (its key is text of another type)."""
    for client in bank_client(live, "literal-refs"):
        sent = {"key": "colour", "schema": {"type": "string"}}
        first = client.post("/attribute-definitions", json=sent, headers={"Idempotency-Key": "k-literal-1"})
        assert first.status_code == 201, first.text
        again = client.post("/attribute-definitions", json=sent, headers={"Idempotency-Key": "k-literal-1"})
        assert again.status_code == 201 and again.json() == first.json()


def test_an_image_of_any_type_is_answered_as_one(live):
    """An answer declared `image/*` only is an image (an SVG), not JSON: as JSON it failed response validation."""
    for client in bank_client(live, "image-answers"):
        answer = client.get("/avatars/a1")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("image/svg+xml")
        assert answer.text.startswith("<svg")
