"""A spec whose paths repeat its server's path, answered under the vendor's host name.

tests/published_specs/server-path-in-paths names `https://api.ledgerline.test/v1/reports` and writes its
paths whole (`/v1/reports/balances`), as PayPal's Transaction Search spec does. Its mount serves them whole
(`<mount>/v1/reports/balances`: `server_prefixes` strips no base a path already holds); under the vendor's
host the router stripped the base anyway and sent `GET /v1/reports/balances` to `<mount>/balances`: 404,
so a connector writing the vendor's URLs (Airbyte's source-paypal-transaction) could read neither stream.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "server-path-in-paths"
LIVE_SERVER = {"open_access": False, "specs": (FOLDER,)}


def _under(live, host: str, path: str, **kwargs) -> httpx.Response:
    port = live.url.rsplit(":", 1)[1]
    headers = {**kwargs.pop("headers", {}), "Host": f"{host}:{port}"}
    return httpx.get(f"{live.url}{path}", headers=headers, timeout=30, **kwargs)


def test_paths_that_repeat_the_servers_path_are_answered_under_the_vendors_host(live, admin):
    bearer = {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}
    mounted = httpx.get(f"{live.url}/banks/server-path-in-paths/v1/reports/balances", headers=bearer, timeout=30)
    assert mounted.status_code == 200, mounted.text
    for path in ("/v1/reports/balances", "/v1/reports/entries?since=2026-01-01T00:00:00Z"):
        answered = _under(live, "api.ledgerline.test", path, headers=bearer)
        assert answered.status_code == 200, (path, answered.text)
    assert "balances" in _under(live, "api.ledgerline.test", "/v1/reports/balances", headers=bearer).json()
    # A path the spec does not have is still its bank's 404, not the sandbox's page.
    assert _under(live, "api.ledgerline.test", "/v1/reports/nothing", headers=bearer).status_code == 404
