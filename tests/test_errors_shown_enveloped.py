"""An error is answered in the object the spec's own prose shows its errors in, where its schema declares the
error's fields flat and requires none (tests/published_specs/errors-shown-enveloped/): `{"error": {"type": ...,
"message": ...}}`. Answered flat, Recurly's client, which reads `body["error"]`, raised a KeyError for every refusal
instead of its NotFoundError or BadRequestError."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "errors-shown-enveloped",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "errors-shown-enveloped")


def test_a_refused_request_is_answered_in_the_object_the_guide_shows(client):
    refused = client.get("/gadgets", params={"limit": "many"})
    assert refused.status_code == 400, refused.text
    assert set(refused.json()) == {"error"} and refused.json()["error"]["type"] == "bad_request", refused.text
    assert "limit" in refused.json()["error"]["message"]


def test_an_unknown_path_is_answered_so_too(client):
    missing = client.get("/gizmos")
    assert missing.status_code == 404, missing.text
    assert missing.json() == {"error": {"type": "not_found", "message": missing.json()["error"]["message"]}}


def test_the_prose_is_read_once_whatever_nulls_its_lists_hold():
    # A null among a list's values (an enum's `[null, ...]`) was read as no node given: the walk started again at
    # the spec's top, once more for each null passed, and Mollie's and Stripe's first refusal never answered.
    from sandbox.bindings.fallback import _shown_wrapped

    shown = "```\n{\"error\": {\"type\": \"not_found\", \"message\": \"gone\"}}\n```"
    spec = {"info": {"description": shown}, "components": {"schemas": {
        "Kind": {"type": "string", "nullable": True, "enum": [None, "a", None]},
        "Other": {"type": "string", "nullable": True, "enum": ["b", None, None]}}}}
    assert list(_shown_wrapped(spec)) == [("error", frozenset({"type", "message"}))]
