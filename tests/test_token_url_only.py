"""A spec whose OAuth2 token URL is relative to its own server, and no operation of it.

PayPal's published specs declare `tokenUrl: /v1/oauth2/token` and no such path; their official SDK
posts client credentials to `<base>/v1/oauth2/token` before any call. The mount answered 404 there, and
the SDK went no further. The folder is tests/published_specs/token-url-only.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import httpx
import pytest

from oauth_flows import create_connector
from sandbox.bindings import load_bank, token_operations
from sandbox.bindings import fallback

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS,)}
MOUNT = "/banks/token-url-only"


@pytest.fixture
def connector(admin):
    return create_connector(admin, **{"class": "third-party"})


def test_the_token_url_under_the_mount_hands_out_tokens_the_api_takes(live, connector):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        answer = client.post(f"{MOUNT}/v1/oauth2/token", data={"grant_type": "client_credentials"},
                             auth=(connector["client_id"], connector["client_secret"]))
        assert answer.status_code == 200, answer.text
        token = answer.json()["access_token"]
        created = client.post(f"{MOUNT}/v1/orders", headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201, created.text
        wrong = client.post(f"{MOUNT}/v1/oauth2/token", data={"grant_type": "client_credentials"},
                            auth=(connector["client_id"], "guess"))
        assert wrong.status_code == 401


def test_which_token_urls_no_operation_serves():
    spec = load_bank(SPECS / "token-url-only").spec
    assert token_operations.unserved_token_paths(spec) == {"/v1/oauth2/token"}
    served = {**spec, "paths": {**spec["paths"], "/v1/oauth2/token": {}}}
    assert token_operations.unserved_token_paths(served) == set()
    elsewhere = {**spec, "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {
        "tokenUrl": "https://auth.other.example/token", "scopes": {}}}}}}}
    assert token_operations.unserved_token_paths(elsewhere) == set()


def test_a_field_under_a_vendor_format_is_named_by_its_name_and_fits_its_pattern():
    """PayPal's e-mail fields carry a vendor format and a pattern of nested repeats: drawn from the pattern
    alone they were tens of thousands of characters of control codes, seconds a field (an order took 100 s)."""
    schema = load_bank(SPECS / "token-url-only").spec["components"]["schemas"]["Order"]["properties"]["payer_email"]
    values = [fallback._string(schema, random.Random(seed), None, name="payer_email") for seed in range(20)]
    assert all(re.search(schema["pattern"], v) and 3 <= len(v) <= 254 for v in values), values
    assert all(v.isascii() and v.isprintable() for v in values), values  # an address a person could type


def test_an_example_that_breaks_format_uri_is_repaired_at_load():
    api = load_bank(SPECS / "token-url-only")
    assert any("website" in warning and "uri" in warning for warning in api.warnings), api.warnings
