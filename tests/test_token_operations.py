"""A published spec's own token operations hand out real sandbox tokens, over HTTP, without open access.

Aggregators and payment APIs issue tokens from an operation of their own spec (`POST
/api/v2/token/new/` with a secret id and key; an OAuth-style form at the token URL their spec names),
and their SDKs call it first. Answered from the schema alone it gave a made-up token that every other
operation refused, so such an SDK got no further than its first call. The folders are
tests/published_specs/secret-pair-tokens and oauth-token-operation.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from joserfc.jwk import ECKey

from oauth_flows import REDIRECT, authorize, create_connector
from sandbox.bindings import load_bank, token_operations
from sandbox.bindings.check import check_folders
from sandbox.http.token_exchange import _shaped

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": tuple(SPECS / name for name in (
    "oauth-token-operation", "secret-pair-tokens", "undeclared-scheme", "header-pair-token-exchange",
    "customer-token-operation", "token-url-only"))}
PAIR = "/banks/secret-pair-tokens/api/v2"
OAUTH = "/banks/oauth-token-operation"


@pytest.fixture
def connector(admin):
    return create_connector(admin, **{"class": "third-party"})


@pytest.fixture
def client(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def form_token(client: httpx.Client, url: str, connector: dict, secret: str | None = None, basic: bool = True,
               **form) -> httpx.Response:
    """A client-credentials form posted to a spec's token URL, the client proving itself in HTTP Basic or
    in the form's `client_id` and `client_secret`."""
    secret = connector["client_secret"] if secret is None else secret
    if basic:
        return client.post(url, data={"grant_type": "client_credentials", **form}, auth=(connector["client_id"], secret))
    return client.post(url, data={"grant_type": "client_credentials", "client_id": connector["client_id"],
                                  "client_secret": secret, **form})


def pair(client: httpx.Client, connector: dict, **kwargs) -> httpx.Response:
    given = {"secret_id": connector["client_id"], "secret_key": connector["client_secret"]}
    if kwargs.pop("form", False):
        return client.post(f"{PAIR}/token/new/", data=given)
    return client.post(f"{PAIR}/token/new/", json=given)


def institutions(client: httpx.Client, access: str) -> httpx.Response:
    return client.get(f"{PAIR}/institutions/", params={"country": "JP"}, headers={"Authorization": f"Bearer {access}"})


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_a_secret_pair_gets_a_token_that_the_other_operations_take(client, connector, form):
    answer = pair(client, connector, form=form)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["access_expires"] == 3600 and body["refresh_expires"] == 30 * 86400, body
    assert answer.headers["cache-control"] == "no-store"
    assert institutions(client, body["access"]).status_code == 200
    assert institutions(client, "made-up").status_code == 401


def test_a_refresh_token_buys_new_access_tokens_and_keeps_working_when_the_answer_has_no_new_one(client, connector):
    first = pair(client, connector).json()
    accesses = []
    for _ in range(2):  # the refresh answer has no refresh field: the same refresh token works again
        answer = client.post(f"{PAIR}/token/refresh/", json={"refresh": first["refresh"]})
        assert answer.status_code == 200, answer.text
        assert set(answer.json()) == {"access", "access_expires"}
        accesses.append(answer.json()["access"])
    assert len({first["access"], *accesses}) == 3
    assert all(institutions(client, access).status_code == 200 for access in accesses)


def test_refusals_are_in_the_specs_own_error_shape_and_hand_out_nothing(client, connector, admin):
    wrong = client.post(f"{PAIR}/token/new/", json={"secret_id": connector["client_id"], "secret_key": "guess"})
    unknown = client.post(f"{PAIR}/token/new/", json={"secret_id": "cn_nobody", "secret_key": "guess"})
    refresh = client.post(f"{PAIR}/token/refresh/", json={"refresh": "never-issued"})
    for answer in (wrong, unknown, refresh):
        assert answer.status_code == 401, answer.text
        body = answer.json()
        assert body["status_code"] == 401 and "access" not in body, body
    assert "client id and secret" in wrong.json()["detail"]
    assert "refresh token" in refresh.json()["detail"]

    given = pair(client, connector).json()
    suspended = admin.post(f"/sandbox/v1/connectors/{connector['client_id']}/suspend", json={"reason": "test"})
    assert suspended.status_code == 200, suspended.text
    assert pair(client, connector).status_code == 403
    assert client.post(f"{PAIR}/token/refresh/", json={"refresh": given["refresh"]}).status_code == 403


def test_an_oauth_form_at_the_specs_token_url_gets_a_token_in_the_answers_envelope(client, connector):
    answer = client.post(f"{OAUTH}/oauth2/token", data={"grant_type": "client_credentials"},
                         auth=(connector["client_id"], connector["client_secret"]))
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["token_type"] == "bearer" and data["scope"] == "payments:read", data
    expires = datetime.fromisoformat(data["expires_at"])
    assert 3500 < (expires - datetime.now(timezone.utc)).total_seconds() <= 3600
    paid = client.get(f"{OAUTH}/payments/pm_1", headers={"Authorization": f"Bearer {data['access_token']}"})
    assert paid.status_code == 200, paid.text

    in_body = client.post(f"{OAUTH}/oauth2/token", data={"grant_type": "client_credentials",
                                                        "client_id": connector["client_id"],
                                                        "client_secret": connector["client_secret"]})
    assert in_body.status_code == 200 and in_body.json()["data"]["access_token"] != data["access_token"]

    code = client.post(f"{OAUTH}/oauth2/token", data={"grant_type": "authorization_code", "code": "abc"})
    assert code.status_code == 401 and "invalid_client" in code.json()["error"]["message"], code.text  # no client
    guessed = client.post(f"{OAUTH}/oauth2/token", data={"grant_type": "authorization_code", "code": "abc"},
                          auth=(connector["client_id"], connector["client_secret"]))
    assert guessed.status_code == 400 and "invalid_grant" in guessed.json()["error"]["message"], guessed.text
    nothing = client.post(f"{OAUTH}/oauth2/token", data={"grant_type": "client_credentials"})
    assert nothing.status_code == 400 and "client id and secret" in nothing.json()["error"]["message"]


UNDECLARED = "/banks/undeclared-scheme"


@pytest.mark.parametrize("how", ["form", "basic"])
def test_a_token_endpoint_asking_for_an_undeclared_basic_scheme_takes_the_form_or_basic(client, connector, how):
    """The spec's token operation asks for `basicAuth`, declared nowhere, and its form declares only
    grant_type: the server once answered 500 to every call, /healthz included; an SDK posting its client
    id and secret in the form (RFC 6749 2.3.1) was then refused 401 by the Basic requirement."""
    assert client.get("/healthz").status_code == 200
    answer = form_token(client, f"{UNDECLARED}/token", connector, basic=how == "basic")
    assert answer.status_code == 200, answer.text
    access = answer.json()["access_token"]
    customer = client.get(f"{UNDECLARED}/customers/c-1", headers={"Authorization": f"Bearer {access}"})
    assert customer.status_code == 200, customer.text
    assert client.get(f"{UNDECLARED}/customers/c-1").status_code == 401
    wrong = form_token(client, f"{UNDECLARED}/token", connector, secret="guess", basic=False)
    assert wrong.status_code == 401 and "access_token" not in wrong.text, wrong.text
    assert set(wrong.json()) == {"code", "message"}


def test_the_served_spec_names_the_sandboxs_own_oauth_endpoints(client):
    spec = client.get(f"{OAUTH}/openapi.json").json()
    flow = spec["components"]["securitySchemes"]["oauth"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == f"{client.base_url}/oauth/token".replace("//oauth", "/oauth")
    assert flow["scopes"] == {"payments:read": "read payments"}


def test_which_operations_hand_out_tokens():
    found = token_operations.find
    api = load_bank(SPECS / "secret-pair-tokens")
    assert set(found(api.spec, api.spec_operations())) == {"obtainNewAccessRefreshTokenPair", "getANewAccessToken"}

    def spec(request: dict, answer: dict, path: str = "/x", method: str = "post", **extra) -> dict:
        body = {"content": {"application/json": {"schema": {"type": "object", "properties": request}}}}
        ok = {"200": {"description": "", "content": {"application/json": {"schema": {
            "type": "object", "properties": answer}}}}}
        return {"paths": {path: {method: {"operationId": "op", "requestBody": body, "responses": ok}}}, **extra}

    text = {"type": "string"}
    def ops(document):
        return [("op", m, p, o) for p, item in document["paths"].items() for m, o in item.items()]

    login = spec({"username": text, "password": text}, {"token": text})
    assert set(found(login, ops(login))) == {"op"}
    tokenised_card = spec({"card_number": text, "expiry": text}, {"token": text})
    assert found(tokenised_card, ops(tokenised_card)) == {}
    read = spec({"client_id": text, "client_secret": text}, {"access_token": text}, method="get")
    assert found(read, ops(read)) == {}
    declared = spec({"assertion": text}, {"access_token": text}, path="/auth/token", servers=[{"url": "https://h/api"}],
                    components={"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {
                        "tokenUrl": "https://h/api/auth/token", "scopes": {}}}}}})
    assert set(found(declared, ops(declared))) == {"op"}


def test_check_says_which_operations_hand_out_sandbox_tokens():
    report = check_folders([SPECS / "secret-pair-tokens"])
    rows = {row["operation"]: row for row in report["banks"][0]["operations"]}
    assert rows["obtainNewAccessRefreshTokenPair"]["served_from"] == "tokens"
    assert "secret_id and secret_key" in rows["obtainNewAccessRefreshTokenPair"]["detail"]
    assert "refresh token (refresh)" in rows["getANewAccessToken"]["detail"]
    assert rows["retrieveAllSupportedInstitutionsInAGivenCountry"]["served_from"] == "fallback"


def test_an_operation_that_documents_only_its_errors_succeeds_and_its_refusals_say_why(client, connector):
    access = pair(client, connector).json()["access"]
    url = f"{PAIR}/accounts/3fa85f64-5717-4562-b3fc-2c963f66afa6/balances/"
    ok = client.get(url, headers={"Authorization": f"Bearer {access}"})
    assert ok.status_code == 200 and ok.json() == {}, ok.text  # it was the 400 example
    asked = client.get(url, headers={"Authorization": f"Bearer {access}", "Prefer": "code=400"})
    assert asked.status_code == 400 and asked.json()["summary"] == "Incorrect date range"
    refused = client.get(f"{PAIR}/accounts/not-a-uuid/balances/", headers={"Authorization": f"Bearer {access}"})
    assert refused.status_code == 400
    assert refused.json()["summary"] != "Incorrect date range" and "uuid" in refused.json()["detail"], refused.json()


def test_one_resource_asked_for_by_its_id_is_answered_with_its_own_example(client, connector):
    headers = {"Authorization": f"Bearer {pair(client, connector).json()['access']}"}
    n26 = client.get(f"{PAIR}/institutions/N26_NTSBDEB1/", headers=headers).json()
    assert n26 == {"id": "N26_NTSBDEB1", "name": "N26 Bank", "bic": "NTSBDEB1"}
    other = client.get(f"{PAIR}/institutions/SOME_BANK/", headers=headers).json()
    assert other["id"] == "SOME_BANK" and other["name"] == "ABN AMRO"  # the first example, about the id asked for


def test_a_connector_on_the_fapi_profile_is_sent_to_the_oauth_server(client, admin):
    key = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    fapi = create_connector(admin, **{"class": "third-party", "security_profile": "fapi2",
                                     "jwks": {"keys": [key.as_dict(private=False)]}})
    refused = pair(client, fapi)
    assert refused.status_code == 401 and "/oauth/token" in refused.json()["detail"], refused.text
    assert "access" not in refused.json()


def test_guessing_a_secret_locks_the_client_out_even_with_the_right_one(client, connector):
    wrong = {"secret_id": connector["client_id"], "secret_key": "guess"}
    statuses = [client.post(f"{PAIR}/token/new/", json=wrong).status_code for _ in range(10)]
    assert statuses == [401] * 10, statuses
    locked = pair(client, connector)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0, locked.text
    assert "access" not in locked.json()


HEADER_PAIR = "/banks/header-pair-token-exchange"


def test_a_token_operation_takes_the_client_id_and_secret_its_security_already_checked_in_headers(client, connector):
    """An aggregator's SDK sends its client id and secret as API keys in headers on every call, and only the
    public token in the body: the exchange answers a token rather than asking for the pair again."""
    keys = {"AGG-CLIENT-ID": connector["client_id"], "AGG-SECRET": connector["client_secret"]}
    answer = client.post(f"{HEADER_PAIR}/item/public_token/exchange", json={"public_token": "public-1"}, headers=keys)
    assert answer.status_code == 200, answer.text
    assert answer.json()["access_token"]
    wrong = client.post(f"{HEADER_PAIR}/item/public_token/exchange", json={"public_token": "public-1"},
                        headers={**keys, "AGG-SECRET": "wrong"})
    assert wrong.status_code == 401, wrong.text


def test_a_lifetime_typed_as_text_is_seconds_not_a_moment():
    """PolishAPI types `expires_in` as a string of seconds: a date-time there broke `int(expires_in)`."""
    assert _shaped(3600, {"type": "string"}, 1_000_000.0, "expires") == "3600"
    assert _shaped(3600, {"type": "integer"}, 1_000_000.0, "expires") == 3600
    assert _shaped(3600, {"type": "string", "format": "date-time"}, 0.0, "expires").startswith("1970-01-01T01:00:00")
    assert _shaped(3600, {"type": "string"}, 0.0, "expires_at").startswith("1970-01-01T01:00:00")
    assert _shaped(3600, {"type": "integer"}, 1_000_000.0, "expires_at") == 1_003_600


CUSTOMER = "/banks/customer-token-operation"


@pytest.fixture
def merchant(admin):
    listed = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 500}).json()
    return next(a["customer_id"] for a in listed["accounts"] if a["customer_kind"] == "individual")


@pytest.mark.parametrize("pkce", ["S256", None])
def test_a_specs_token_operation_exchanges_the_code_of_the_sandboxs_authorization(client, connector, merchant, pkce):
    """Square's ObtainToken and PolishAPI's token operation take the authorization code itself: it was
    refused 400 (codes only at /oauth/token), and client credentials bought a token that every operation
    of a customer-only API refused. The code is checked exactly as at /oauth/token."""
    flow = authorize(client.base_url.__str__().rstrip("/"), connector, merchant, "MERCHANT_PROFILE_READ", method=pkce)
    body = {"client_id": connector["client_id"], "client_secret": connector["client_secret"],
            "grant_type": "authorization_code", "code": flow["code"], "redirect_uri": REDIRECT,
            "requestHeader": {"requestId": "req-31"}, **({"code_verifier": flow["verifier"]} if pkce else {})}
    answer = client.post(f"{CUSTOMER}/oauth2/token", json=body)
    assert answer.status_code == 200, answer.text
    token = answer.json()
    assert token["responseHeader"]["requestId"] == "req-31", token  # PolishAPI's clients correlate on it
    assert token["access_token"] and token["refresh_token"], token
    locations = client.get(f"{CUSTOMER}/v2/locations", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert locations.status_code == 200, locations.text
    replayed = client.post(f"{CUSTOMER}/oauth2/token", json=body)
    assert replayed.status_code == 400 and "invalid_grant" in replayed.text, replayed.text
    refreshed = client.post(f"{CUSTOMER}/oauth2/token", json={
        "client_id": connector["client_id"], "client_secret": connector["client_secret"],
        "grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    again = client.get(f"{CUSTOMER}/v2/locations", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
    assert again.status_code == 200, again.text
    revoked = client.post(f"{CUSTOMER}/oauth2/revoke", json={"client_id": connector["client_id"],
                                                            "access_token": refreshed.json()["access_token"]})
    assert revoked.status_code == 200, revoked.text
    after = client.get(f"{CUSTOMER}/v2/locations", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
    assert after.status_code == 401, after.text  # Square's RevokeToken had answered success and revoked nothing


def test_a_customer_only_api_refuses_client_credentials_at_its_token_operation(client, connector):
    answer = client.post(f"{CUSTOMER}/oauth2/token", json={
        "client_id": connector["client_id"], "client_secret": connector["client_secret"], "grant_type": "client_credentials"})
    assert answer.status_code == 400 and "/oauth/authorize" in answer.text, answer.text
    assert "access_token" not in answer.json()


def test_a_code_exchange_with_a_wrong_secret_or_verifier_is_refused(client, connector, merchant):
    flow = authorize(str(client.base_url).rstrip("/"), connector, merchant, "MERCHANT_PROFILE_READ")
    base = {"client_id": connector["client_id"], "grant_type": "authorization_code", "code": flow["code"],
            "redirect_uri": REDIRECT}
    wrong_secret = client.post(f"{CUSTOMER}/oauth2/token", json={**base, "client_secret": "guess",
                                                                 "code_verifier": flow["verifier"]})
    assert wrong_secret.status_code == 401, wrong_secret.text
    wrong_verifier = client.post(f"{CUSTOMER}/oauth2/token", json={**base, "client_secret": connector["client_secret"],
                                                                   "code_verifier": "v" * 50})
    assert wrong_verifier.status_code == 400 and "invalid_grant" in wrong_verifier.text, wrong_verifier.text


def test_check_says_which_operation_revokes_tokens():
    report = check_folders([SPECS / "customer-token-operation"])
    rows = {row["operation"]: row for row in report["banks"][0]["operations"]}
    assert rows["RevokeToken"]["served_from"] == "tokens" and "access_token" in rows["RevokeToken"]["detail"]
    assert "authorization code" in rows["ObtainToken"]["detail"]


TOKEN_URL_ONLY = "/banks/token-url-only"


def test_a_token_url_no_operation_serves_hands_out_tokens_under_the_mount(client, connector):
    """PayPal's specs declare `tokenUrl: /v1/oauth2/token` and no such path; their official SDK posts client
    credentials to `<base>/v1/oauth2/token` before any call. The mount answered 404 there, and the SDK went
    no further. The folder is tests/published_specs/token-url-only."""
    answer = form_token(client, f"{TOKEN_URL_ONLY}/v1/oauth2/token", connector)
    assert answer.status_code == 200, answer.text
    created = client.post(f"{TOKEN_URL_ONLY}/v1/orders", headers={"Authorization": f"Bearer {answer.json()['access_token']}"})
    assert created.status_code == 201, created.text
    assert form_token(client, f"{TOKEN_URL_ONLY}/v1/oauth2/token", connector, secret="guess").status_code == 401


def test_which_token_urls_no_operation_serves():
    spec = load_bank(SPECS / "token-url-only").spec
    assert token_operations.unserved_token_paths(spec) == {"/v1/oauth2/token"}
    served = {**spec, "paths": {**spec["paths"], "/v1/oauth2/token": {}}}
    assert token_operations.unserved_token_paths(served) == set()
    elsewhere = {**spec, "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {
        "tokenUrl": "https://auth.other.example/token", "scopes": {}}}}}}}
    assert token_operations.unserved_token_paths(elsewhere) == set()


def test_guessed_codes_lock_the_client_out_of_a_specs_code_exchange_as_at_oauth_token(client, connector, merchant):
    """The code exchange is /oauth/token's, lockout included: after ten guessed codes the right one is a 429,
    with the Retry-After the token endpoint gives."""
    flow = authorize(str(client.base_url).rstrip("/"), connector, merchant, "MERCHANT_PROFILE_READ")
    base = {"client_id": connector["client_id"], "client_secret": connector["client_secret"],
            "grant_type": "authorization_code", "redirect_uri": REDIRECT, "code_verifier": flow["verifier"]}
    statuses = [client.post(f"{CUSTOMER}/oauth2/token", json={**base, "code": f"guess-{n}"}).status_code for n in range(10)]
    assert statuses == [400] * 10, statuses
    locked = client.post(f"{CUSTOMER}/oauth2/token", json={**base, "code": flow["code"]})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0, locked.text
    assert "access_token" not in locked.text
    revoked = client.post(f"{CUSTOMER}/oauth2/revoke", json={"client_id": connector["client_id"], "access_token": "made-up"})
    assert revoked.status_code == 200, revoked.text  # a token never issued is no error (RFC 7009 2.2)
