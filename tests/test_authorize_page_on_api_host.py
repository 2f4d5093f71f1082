"""An OAuth2 authorization page on the API's own host, which no path of the spec takes, is the sandbox's.

tests/published_specs/authorize-page-on-api-host serves `https://api.lanternpay.test` and declares
`authorizationUrl: https://api.lanternpay.test/oauth2/authorize` (a browser page) beside a token URL that
is an operation of the spec (`POST /oauth2/token`). Before, only OAuth URLs on hosts no server names were
routed to the sandbox's OAuth server: the app that sent its user to the vendor's consent URL got the
bank's 404 (Square's `https://connect.squareup.com/oauth2/authorize`, its squareup SDK's flow).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import httpx
import yaml

from sandbox.http.hosts import VendorHosts, host_names

FOLDER = Path(__file__).parent / "published_specs" / "authorize-page-on-api-host"
LIVE_SERVER = {"open_access": False, "specs": (FOLDER,)}


def _hosts() -> VendorHosts:
    spec = yaml.safe_load((FOLDER / "openapi.yaml").read_text())
    return VendorHosts([SimpleNamespace(api=SimpleNamespace(spec=spec, mount="/banks/lantern", hosts=()))])


def _scope(path: str) -> dict:
    return {"type": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "headers": [(b"host", b"api.lanternpay.test")]}


def test_the_consent_page_on_the_apis_host_is_the_sandboxs_and_the_token_operation_stays_the_apis():
    hosts = _hosts()
    assert hosts.route(_scope("/oauth2/authorize"))["path"] == "/oauth/authorize"
    assert hosts.route(_scope("/oauth2/token"))["path"] == "/banks/lantern/oauth2/token"  # the spec's operation
    assert hosts.route(_scope("/v1/lamps/l1"))["path"] == "/banks/lantern/v1/lamps/l1"


def test_under_the_vendors_host_the_consent_url_answers_the_sandboxs_sign_in_page(live):
    port = live.url.rsplit(":", 1)[1]
    page = httpx.get(f"{live.url}/oauth2/authorize", params={"client_id": "cn_unknown", "response_type": "code"},
                     headers={"Host": f"api.lanternpay.test:{port}"}, timeout=30)
    # The sandbox's authorization endpoint (an unknown client is its own error page), not the bank's 404.
    assert page.status_code != 404 and "not_found" not in page.text, page.text
    assert "api.lanternpay.test" in host_names([SimpleNamespace(spec=yaml.safe_load((FOLDER / "openapi.yaml").read_text()), hosts=())])
