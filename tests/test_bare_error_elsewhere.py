"""A refusal with a status the operation does not declare (a 400 for a bad idempotency key, where Modern
Treasury's `POST /api/payment_actions` declares 201 and 422), where the first other operation to declare that
status declares it without content and later ones declare the API's JSON error: the refusal is that JSON
error. Before, the bare declaration was taken: the answer was a 400 with no body and no Content-Type, and the
SDK's exception said nothing. The folder is tests/published_specs/bare-error-elsewhere."""

from __future__ import annotations

from pathlib import Path

import httpx

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "bare-error-elsewhere",)}
MOUNT = "/banks/bare-error-elsewhere"


def test_a_refusal_undeclared_here_takes_the_json_error_declared_elsewhere(live, admin):
    headers = {"Authorization": f"Bearer {self_use_token(live.url, admin)}", "Idempotency-Key": "k" * 300}
    answer = httpx.post(f"{live.url}{MOUNT}/actions", headers=headers, json={"text": "hello"}, timeout=30)
    assert answer.status_code == 400, answer.text
    assert answer.headers.get("content-type", "").startswith("application/json"), answer.headers
    assert "idempotency key" in answer.json()["errors"]["message"]
