"""A vendor's consent URL that names no `response_type` asks for a code (trait folder consent-url-without-response-type).

Square documents its authorization page as `https://connect.squareup.com/oauth2/authorize?client_id=...&scope=...
&session=False&state=...`: no `response_type` (its page knows only codes). Routed by its host to the sandbox's
authorization endpoint, an OAuth 2 one, the seller's browser was sent back to the app with
`error=unsupported_response_type` instead of the sign-in page.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import httpx
import yaml

from oauth_flows import create_connector
from sandbox.http.hosts import VendorHosts

FOLDER = Path(__file__).parent / "published_specs" / "consent-url-without-response-type"
LIVE_SERVER = {"open_access": False, "specs": (FOLDER,)}


def _route(query: bytes, path: str = "/oauth2/authorize") -> dict:
    spec = yaml.safe_load((FOLDER / "openapi.yaml").read_text())
    hosts = VendorHosts([SimpleNamespace(api=SimpleNamespace(spec=spec, mount="/banks/ember", hosts=()))])
    return hosts.route({"type": "http", "path": path, "raw_path": path.encode(), "query_string": query,
                        "headers": [(b"host", b"connect.embertills.test")]})


def test_the_documented_consent_url_asks_for_a_code_and_one_that_names_its_response_type_is_left_alone():
    routed = _route(b"client_id=cn_1&scope=TILLS_READ&session=False&state=s1")
    assert routed["path"] == "/oauth/authorize"
    assert parse_qs(routed["query_string"].decode())["response_type"] == ["code"]
    assert _route(b"client_id=cn_1&response_type=token")["query_string"] == b"client_id=cn_1&response_type=token"
    assert _route(b"")["query_string"] == b"response_type=code"
    # the API's own operations keep their queries
    assert _route(b"a=1", "/v2/tills/t1")["query_string"] == b"a=1"


def test_the_sellers_browser_at_the_documented_consent_url_gets_the_sign_in_page(live, admin):
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    port = live.url.rsplit(":", 1)[1]
    page = httpx.get(f"{live.url}/oauth2/authorize", follow_redirects=False, timeout=30,
                     params={"client_id": connector["client_id"], "scope": "TILLS_READ", "session": "False",
                             "state": "s1", "redirect_uri": connector["redirect_uris"][0]},
                     headers={"Host": f"connect.embertills.test:{port}"})
    error = parse_qs(urlsplit(page.headers.get("location", "")).query).get("error")
    assert page.status_code == 200 and not error, (page.status_code, page.headers.get("location"), page.text[:300])
    assert "<form" in page.text
