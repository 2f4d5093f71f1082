"""The FAPI 2.0 connection profile, driven through a real server as a connector would drive it.

Authlib's standard client authenticates with `private_key_jwt` and pushes its authorization request
(PAR); DPoP proofs are built with joserfc; the bank's sign-in and consent pages are submitted over
HTTP as a browser would. The bank `strong` is つばめ銀行's published spec in a folder whose binding
says `security_profile: fapi2`; the plan `strong` holds every connector on it to the profile.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
import yaml
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.client import DEFAULT_HEADERS
from authlib.oauth2.rfc7523 import PrivateKeyJWT, private_key_jwt_sign
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from click.testing import CliRunner
from joserfc import jwt
from joserfc.jwk import ECKey

import live_server
from local_sites import QuietHandler, serving
from oauth_flows import PASSWORD, REDIRECT, Form, bearer, client_credentials, create_connector
from sandbox.cli import main

ROOT = Path(__file__).resolve().parents[1]
STRONG = "/banks/strong/v1"
PLAIN = "/banks/tsubame/v1"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The sandbox with one more bank folder on the FAPI 2.0 profile, and a plan that asks for it."""
    specs = tmp_path_factory.mktemp("specs")
    shutil.copytree(ROOT / "specs" / "tsubame", specs / "strong")
    binding = specs / "strong" / "binding.yaml"
    binding.write_text(binding.read_text(encoding="utf-8") + "\nsecurity_profile: fapi2\n", encoding="utf-8")
    plans = yaml.safe_load((ROOT / "fixtures" / "plans.yaml").read_text(encoding="utf-8"))
    plans["plans"]["strong"] = {**plans["plans"]["standard"], "security_profile": "fapi2"}
    plans_file = specs / "plans.yaml"
    plans_file.write_text(yaml.safe_dump(plans, allow_unicode=True), encoding="utf-8")
    with live_server.running(tmp_path_factory.mktemp("fapi"), specs=(specs,), plans=plans_file,
                             open_access=False) as server:
        yield server


class Keys:
    """A connector's signing key (client assertions) and its DPoP key, each its own P-256 key."""

    def __init__(self):
        self.client = ECKey.generate_key("P-256", parameters={"kid": secrets.token_hex(4)})
        self.dpop = ECKey.generate_key("P-256")

    @property
    def jwks(self) -> dict:
        return {"keys": [self.client.as_dict(private=False)]}

    def proof(self, method: str, url: str, token: str | None = None, key=None, **claims) -> str:
        """A DPoP proof for one request (RFC 9449 section 4.2); `claims` override the defaults."""
        key = key or self.dpop
        body = {"jti": secrets.token_urlsafe(12), "htm": method, "htu": url, "iat": int(time.time())}
        if token is not None:
            body["ath"] = _ath(token)
        return jwt.encode({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)},
                          {**body, **claims}, key)


def _ath(token: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(token.encode()).digest()).rstrip(b"=").decode()


def fapi_client(base: str, connector: dict, keys: Keys, **kwargs) -> OAuth2Client:
    """Authlib's client authenticating with private_key_jwt (ES256) at the token and PAR endpoints."""
    client = OAuth2Client(connector["client_id"], keys.client, token_endpoint=f"{base}/oauth/token",
                          token_endpoint_auth_method="private_key_jwt", timeout=30, **kwargs)
    client.register_client_auth_method(PrivateKeyJWT(f"{base}/oauth/token", alg="ES256"))
    return client


def push(base: str, connector: dict, keys: Keys, scope: str = "accounts:read", **extra) -> tuple[httpx.Response, str]:
    """POST the authorization request to /oauth/par; the answer and the PKCE verifier."""
    verifier = generate_token(64)
    params = {"response_type": "code", "client_id": connector["client_id"], "redirect_uri": REDIRECT, "scope": scope,
              "state": generate_token(16), "code_challenge": create_s256_code_challenge(verifier),
              "code_challenge_method": "S256", **extra}
    with fapi_client(base, connector, keys) as client:
        answer = client.post(f"{base}/oauth/par", data=params, auth=client.client_auth("private_key_jwt"))
    return answer, verifier


def consent(base: str, query: dict, customer_id: str) -> httpx.Response:
    """The customer signs in and approves on the bank's page; the redirect back to the connector."""
    with httpx.Client(timeout=30, follow_redirects=False) as browser:
        page = browser.get(f"{base}/oauth/authorize?{urlencode(query)}")
        assert page.status_code == 200, page.text
        signed_in = Form(page.text).submit(browser, base, fill={"login_id": customer_id, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        return Form(signed_in.text).submit(browser, base, button="approve")


def token_request(base: str, connector: dict, keys: Keys, location: str, verifier: str, proof: str | None = "make"):
    """Exchange the code at /oauth/token with private_key_jwt and, unless `proof` is None, a DPoP proof."""
    headers = dict(DEFAULT_HEADERS)
    if proof is not None:
        headers["DPoP"] = keys.proof("POST", f"{base}/oauth/token") if proof == "make" else proof
    with fapi_client(base, connector, keys, redirect_uri=REDIRECT) as client:
        return client.fetch_token(authorization_response=location, code_verifier=verifier, headers=headers)


@pytest.fixture(scope="module")
def customer(admin) -> str:
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 50}).json()
    return next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "individual")


@pytest.fixture(scope="module")
def corporate(admin) -> str:
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 200}).json()
    return next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")


@pytest.fixture(scope="module")
def party(live, admin, customer):
    """A FAPI 2.0 third-party connector that went through PAR, consent and a DPoP-bound code exchange."""
    keys = Keys()
    connector = create_connector(admin, **{"class": "third-party", "security_profile": "fapi2", "jwks": keys.jwks})
    answer, verifier = push(live.url, connector, keys)
    assert answer.status_code == 201, answer.text
    pushed = answer.json()
    redirect = consent(live.url, {"client_id": connector["client_id"], "request_uri": pushed["request_uri"]}, customer)
    assert redirect.status_code in (302, 303), redirect.text
    token = token_request(live.url, connector, keys, redirect.headers["location"], verifier)
    return {"connector": connector, "keys": keys, "token": token, "pushed": pushed,
            "redirect": redirect.headers["location"]}


def call(base: str, path: str, keys: Keys, token: str, *, scheme: str = "DPoP", proof: str | None = "make"):
    url = f"{base}{path}"
    headers = {"Authorization": f"{scheme} {token}"}
    if proof is not None:
        headers["DPoP"] = keys.proof("GET", url, token) if proof == "make" else proof
    return httpx.get(url, headers=headers, timeout=30)


def challenge_of(response: httpx.Response) -> str:
    return response.headers.get("www-authenticate", "")


# -- the happy path ------------------------------------------------------------------------------------


def test_fapi_metadata_advertises_the_profile(live):
    meta = httpx.get(f"{live.url}/.well-known/oauth-authorization-server").json()
    assert meta["pushed_authorization_request_endpoint"] == f"{live.url}/oauth/par"
    assert "private_key_jwt" in meta["token_endpoint_auth_methods_supported"]
    assert {"ES256", "PS256", "EdDSA"} <= set(meta["dpop_signing_alg_values_supported"])
    assert "RS256" not in meta["token_endpoint_auth_signing_alg_values_supported"]
    assert meta["authorization_response_iss_parameter_supported"] is True
    assert meta["code_challenge_methods_supported"] == ["S256"]


def test_fapi_par_consent_and_dpop_token_reach_the_bank(live, party):
    assert party["pushed"]["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    assert 0 < party["pushed"]["expires_in"] < 600
    query = parse_qs(urlparse(party["redirect"]).query)
    assert query["iss"] == [live.url]  # RFC 9207
    token = party["token"]
    assert token["token_type"] == "DPoP"
    answer = call(live.url, f"{STRONG}/accounts", party["keys"], token["access_token"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]


def test_fapi_dpop_token_is_checked_at_every_bank(live, party):
    keys, token = party["keys"], party["token"]["access_token"]
    assert call(live.url, f"{PLAIN}/accounts", keys, token).status_code == 200
    refused = call(live.url, f"{PLAIN}/accounts", keys, token, scheme="Bearer", proof=None)
    assert refused.status_code == 401 and 'error="invalid_token"' in challenge_of(refused)


def test_fapi_introspection_shows_the_key_binding(live, party):
    connector, keys = party["connector"], party["keys"]
    with fapi_client(live.url, connector, keys) as client:
        answer = client.post(f"{live.url}/oauth/introspect", data={"token": party["token"]["access_token"]},
                             auth=client.client_auth("private_key_jwt"))
    info = answer.json()
    assert info["active"] is True and info["token_type"] == "DPoP"
    assert info["cnf"] == {"jkt": keys.dpop.thumbprint()}


def test_fapi_codes_live_sixty_seconds(live, party):
    stored = live.app.sandbox.governance.store.conn.execute(
        "SELECT count(*) FROM codes WHERE connector_id = ?", (party["connector"]["client_id"],)).fetchone()[0]
    assert stored == 0  # the one code was used
    keys, connector = party["keys"], party["connector"]
    answer, _ = push(live.url, connector, keys)
    query = {"client_id": connector["client_id"], "request_uri": answer.json()["request_uri"]}
    customer = live.app.sandbox.governance.tokens.grants(connector_id=connector["client_id"])[0].customer_id
    assert consent(live.url, query, customer).status_code in (302, 303)
    expires_at = live.app.sandbox.governance.store.conn.execute(
        "SELECT max(expires_at) FROM codes WHERE connector_id = ?", (connector["client_id"],)).fetchone()[0]
    assert 50 < expires_at - time.time() <= 60


# -- refusals at the authorization server -----------------------------------------------------------------


def test_fapi_request_uri_works_for_one_answer(live, party):
    query = {"client_id": party["connector"]["client_id"], "request_uri": party["pushed"]["request_uri"]}
    page = httpx.get(f"{live.url}/oauth/authorize?{urlencode(query)}")
    assert page.status_code == 400 and "invalid_request_uri" in page.text


def test_fapi_authorization_without_par_is_refused(live, party):
    connector = party["connector"]
    query = {"response_type": "code", "client_id": connector["client_id"], "redirect_uri": REDIRECT,
             "scope": "accounts:read", "state": "s", "code_challenge": create_s256_code_challenge("v" * 50),
             "code_challenge_method": "S256"}
    page = httpx.get(f"{live.url}/oauth/authorize?{urlencode(query)}")
    assert page.status_code == 400 and "/oauth/par" in page.text
    assert "location" not in page.headers


def test_fapi_par_checks_the_request_as_authorize_would(live, party):
    answer, _ = push(live.url, party["connector"], party["keys"], code_challenge_method="plain")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
    answer, _ = push(live.url, party["connector"], party["keys"], redirect_uri="http://127.0.0.1:9/elsewhere")
    assert answer.status_code == 400


def test_fapi_client_secret_is_refused_as_invalid_client(live, party):
    connector = party["connector"]
    answer = httpx.post(f"{live.url}/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(connector["client_id"], connector["client_secret"]),
                        headers={"DPoP": party["keys"].proof("POST", f"{live.url}/oauth/token")})
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"
    answer = httpx.post(f"{live.url}/oauth/par", data={"response_type": "code"},
                        auth=(connector["client_id"], connector["client_secret"]))
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_fapi_assertion_from_another_key_is_refused(live, party):
    stranger = Keys()
    with fapi_client(live.url, party["connector"], stranger) as client:
        answer = client.post(f"{live.url}/oauth/token", data={"grant_type": "client_credentials"},
                             auth=client.client_auth("private_key_jwt"),
                             headers={"DPoP": stranger.proof("POST", f"{live.url}/oauth/token")})
    # 400, not 401: the client authenticated in the body, not in an Authorization header (RFC 6749 5.2)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"


@pytest.mark.parametrize("proof", [None, "not-a-jwt", "wrong-url", "wrong-method", "stale", "private-jwk"])
def test_fapi_token_request_without_a_valid_proof_is_refused(live, admin, customer, proof):
    keys = Keys()
    connector = create_connector(admin, **{"class": "third-party", "security_profile": "fapi2", "jwks": keys.jwks})
    answer, verifier = push(live.url, connector, keys)
    redirect = consent(live.url, {"client_id": connector["client_id"], "request_uri": answer.json()["request_uri"]},
                       customer)
    token_url = f"{live.url}/oauth/token"
    sent = {"not-a-jwt": "not-a-jwt", "wrong-url": keys.proof("POST", f"{live.url}/oauth/par"),
            "wrong-method": keys.proof("GET", token_url), "stale": keys.proof("POST", token_url, iat=int(time.time()) - 600),
            "private-jwk": jwt.encode({"typ": "dpop+jwt", "alg": "ES256", "jwk": keys.dpop.as_dict(private=True)},
                                      {"jti": "x", "htm": "POST", "htu": token_url, "iat": int(time.time())}, keys.dpop),
            None: None}[proof]
    with pytest.raises(Exception) as refused:
        token_request(live.url, connector, keys, redirect.headers["location"], verifier, proof=sent)
    assert "invalid_dpop_proof" in str(refused.value)
    # the code was not spent on a refused proof: with a good one it still works
    assert token_request(live.url, connector, keys, redirect.headers["location"], verifier)["token_type"] == "DPoP"


# -- refusals at the bank --------------------------------------------------------------------------------


def test_fapi_bound_token_sent_as_bearer_is_invalid_token(live, party):
    refused = call(live.url, f"{STRONG}/accounts", party["keys"], party["token"]["access_token"], scheme="Bearer")
    assert refused.status_code == 401
    assert challenge_of(refused).startswith('DPoP error="invalid_token"')


@pytest.mark.parametrize("case", ["missing", "garbage", "other-key", "wrong-url", "wrong-ath", "no-ath"])
def test_fapi_bank_call_without_a_valid_proof_is_refused(live, party, case):
    keys, token = party["keys"], party["token"]["access_token"]
    url = f"{live.url}{STRONG}/accounts"
    proof = {"missing": None, "garbage": "a.b.c", "other-key": keys.proof("GET", url, token, key=ECKey.generate_key("P-256")),
             "wrong-url": keys.proof("GET", f"{live.url}{STRONG}/transfers", token),
             "wrong-ath": keys.proof("GET", url, "another-token"), "no-ath": keys.proof("GET", url)}[case]
    refused = call(live.url, f"{STRONG}/accounts", keys, token, proof=proof)
    assert refused.status_code == 401, refused.text
    assert challenge_of(refused).startswith('DPoP error="invalid_dpop_proof"')
    assert refused.json()["error"]["code"]  # the bank's own error body


def test_fapi_replayed_proof_is_refused(live, party):
    keys, token = party["keys"], party["token"]["access_token"]
    proof = keys.proof("GET", f"{live.url}{STRONG}/accounts", token)
    assert call(live.url, f"{STRONG}/accounts", keys, token, proof=proof).status_code == 200
    replayed = call(live.url, f"{STRONG}/accounts", keys, token, proof=proof)
    assert replayed.status_code == 401
    assert 'error="invalid_dpop_proof"' in challenge_of(replayed) and "jti" in challenge_of(replayed)


def test_fapi_bank_refuses_plain_bearer_tokens(live, admin, corporate):
    plain = create_connector(admin, **{"class": "self-use", "customer_id": corporate})
    token = client_credentials(live.url, plain, "accounts:read")
    assert token["token_type"] == "Bearer"
    assert httpx.get(f"{live.url}{PLAIN}/accounts", headers=bearer(token)).status_code == 200
    refused = httpx.get(f"{live.url}{STRONG}/accounts", headers=bearer(token))
    assert refused.status_code == 401 and challenge_of(refused).startswith('DPoP error="invalid_token"')
    # a token that is not bound cannot be passed off as a DPoP one
    keys = Keys()
    refused = call(live.url, f"{PLAIN}/accounts", keys, token["access_token"])
    assert refused.status_code == 401 and 'error="invalid_token"' in challenge_of(refused)


# -- registration ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, field", [
    ({"security_profile": "fapi2"}, "jwks"),
    ({"security_profile": "fapi2", "jwks": {"keys": [ECKey.generate_key("P-256").as_dict(private=True)]}}, "jwks"),
    ({"security_profile": "fapi2", "jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0c2VjcmV0c2VjcmV0"}]}}, "jwks"),
    ({"security_profile": "fapi2", "jwks_uri": "ftp://127.0.0.1/keys"}, "jwks_uri"),
    ({"plan": "strong"}, "jwks"),
])
def test_fapi_registration_refuses_missing_or_bad_keys(admin, customer, body, field):
    answer = admin.post("/sandbox/v1/connectors", json={"workspace": "default", "name": "strong app",
                                                        "class": "third-party", "redirect_uris": [REDIRECT],
                                                        "registration_number": "関東財務局長（電代）第12号", **body})
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in answer.text
    assert not [c for c in admin.get("/sandbox/v1/connectors").json()["connectors"] if c["name"] == "strong app"]


@pytest.fixture(scope="module")
def jwks_server():
    """A connector's own key endpoint on 127.0.0.1, serving whatever key set the test puts in it."""
    served = {"keys": []}

    class Handler(QuietHandler):
        def do_GET(self):
            self.send_body(200, json.dumps(served).encode(), "application/json")

    with serving(Handler) as url:
        yield f"{url}/jwks.json", served


def test_fapi_plan_profile_and_jwks_uri_for_client_credentials(live, admin, corporate, jwks_server):
    uri, served = jwks_server
    keys = Keys()
    served["keys"] = keys.jwks["keys"]
    connector = create_connector(admin, **{"class": "self-use", "customer_id": corporate, "plan": "strong",
                                           "jwks_uri": uri})
    assert connector["security_profile"] == "plain" and connector["jwks_uri"] == uri
    with pytest.raises(Exception) as refused:
        client_credentials(live.url, connector, "accounts:read")  # the plan asks for private_key_jwt
    assert "invalid_client" in str(refused.value)
    with fapi_client(live.url, connector, keys, scope="accounts:read") as client:
        token = client.fetch_token(grant_type="client_credentials",
                                   headers={**DEFAULT_HEADERS, "DPoP": keys.proof("POST", f"{live.url}/oauth/token")})
    assert token["token_type"] == "DPoP"
    answer = call(live.url, f"{STRONG}/accounts", keys, token["access_token"])
    assert answer.status_code == 200, answer.text


def test_fapi_plain_connector_may_bind_its_tokens(live, admin, corporate):
    """DPoP is open to every connector: a plain one that sends a proof gets a bound token."""
    connector = create_connector(admin, **{"class": "self-use", "customer_id": corporate})
    keys = Keys()
    answer = httpx.post(f"{live.url}/oauth/token", data={"grant_type": "client_credentials", "scope": "accounts:read"},
                        auth=(connector["client_id"], connector["client_secret"]),
                        headers={"DPoP": keys.proof("POST", f"{live.url}/oauth/token")})
    assert answer.status_code == 200 and answer.json()["token_type"] == "DPoP"
    assert call(live.url, f"{STRONG}/accounts", keys, answer.json()["access_token"]).status_code == 200


def test_fapi_cli_registers_a_connector_with_its_keys(live, tmp_path):
    keys = Keys()
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(keys.jwks), encoding="utf-8")
    args = ["connector", "create", "--name", "cli strong app", "--class", "third-party",
            "--registration-number", "関東財務局長（電代）第12号", "--redirect-uri", REDIRECT,
            "--security-profile", "fapi2", "--json", "--data-dir", str(live.settings.data_dir)]
    created = CliRunner().invoke(main, [*args, "--jwks", str(jwks)])
    assert created.exit_code == 0, created.output
    connector = json.loads(created.output)
    assert connector["security_profile"] == "fapi2" and connector["jwks"] == keys.jwks
    answer, _ = push(live.url, connector, keys)
    assert answer.status_code == 201, answer.text
    refused = CliRunner().invoke(main, args)  # no keys
    assert refused.exit_code != 0 and "jwks" in refused.output


@pytest.mark.parametrize("header", [{"jwk": "abc"}, {"jwk": {"kty": "oct", "k": "c2VjcmV0c2VjcmV0"}}, {"alg": "HS256"},
                                    {"typ": "JWT"}])
def test_fapi_proof_with_a_symmetric_or_odd_header_is_refused(live, party, header):
    keys, token = party["keys"], party["token"]["access_token"]
    url = f"{live.url}{STRONG}/accounts"
    signed = keys.proof("GET", url, token)
    _, _, rest = signed.partition(".")
    fields = {"typ": "dpop+jwt", "alg": "ES256", "jwk": keys.dpop.as_dict(private=False), **header}
    forged = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode() + "." + rest
    refused = call(live.url, f"{STRONG}/accounts", keys, token, proof=forged)
    assert refused.status_code == 401 and 'error="invalid_dpop_proof"' in challenge_of(refused)


def test_fapi_par_refuses_odd_input_cleanly(live, party):
    for extra in ({"request_uri": "urn:x"}, {"state": "a\x00b"}, {"client_id": "cn_someone_else"}, {"scope": "nope"}):
        answer, _ = push(live.url, party["connector"], party["keys"], **extra)
        assert answer.status_code == 400, (extra, answer.text)
        assert answer.json()["error"] in ("invalid_request", "invalid_scope")


def test_fapi_docs_example_runs(live, corporate):
    """The runnable example in docs/connectors.md, run as it stands against this server."""
    text = (ROOT / "docs" / "connectors.md").read_text(encoding="utf-8")
    block = text.split("<!-- fapi-example -->", 1)[1].split("<!-- /fapi-example -->", 1)[0]
    code = block.strip().removeprefix("```python").removesuffix("```")
    env = {**os.environ, "SANDBOX_URL": live.url, "SANDBOX_ADMIN_TOKEN": live_server.ADMIN_TOKEN,
           "CUSTOMER_ID": corporate}
    ran = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env,
                         timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert "token type: DPoP" in ran.stdout and "bank answered: 200" in ran.stdout


def test_fapi_replayed_client_assertion_is_refused(live, party):
    keys, token_url = party["keys"], f"{live.url}/oauth/token"
    assertion = private_key_jwt_sign(keys.client, party["connector"]["client_id"], token_url, alg="ES256")
    body = {"grant_type": "client_credentials", "client_assertion": assertion,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
    first = httpx.post(token_url, data=body, headers={"DPoP": keys.proof("POST", token_url)})
    assert first.status_code == 200, first.text
    again = httpx.post(token_url, data=body, headers={"DPoP": keys.proof("POST", token_url)})
    assert again.status_code == 400 and again.json()["error"] == "invalid_client"


def test_fapi_plan_change_needs_keys(admin, corporate):
    connector = create_connector(admin, **{"class": "self-use", "customer_id": corporate})
    refused = admin.patch(f"/sandbox/v1/connectors/{connector['client_id']}", json={"plan": "strong"})
    assert refused.status_code == 400 and "jwks" in refused.text
    assert admin.get(f"/sandbox/v1/connectors/{connector['client_id']}").json()["plan"] == "standard"
