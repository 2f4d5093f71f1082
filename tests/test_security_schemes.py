"""Security exactly as a bank's spec declares it, over real HTTP with real tokens from the sandbox's OAuth server.

The banks are the hand-written folders in tests/published_specs/, each bound to 楓銀行 (0990):
`keyed` asks for credentials in every way OpenAPI can declare them (an API key in a header, a query
parameter or a cookie, HTTP basic, OAuth 2.0 scopes, alternatives, an operation declared public);
`token_header` declares no scheme but its binding says where the token is; `no_security` declares
nothing at all. The server runs without open access, as it does by default.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

import live_server
from oauth_flows import bearer, client_credentials, create_connector
from sandbox.bindings import BindingError, load_bank

SPECS = Path(__file__).parent / "published_specs"
V1 = "/sandbox/v1"
LIVE_SERVER = {"open_access": False, "specs": tuple(SPECS / name for name in (
    "keyed", "client-key-pair", "token_header", "no_security", "optional-auth", "card-issuer"))}


@pytest.fixture(scope="module")
def companies(admin):
    """Two corporate customers of 0990, each with its accounts (the richest company first)."""
    listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    found: dict[str, list] = {}
    for account in sorted(listed["accounts"], key=lambda a: -a["balance"]):
        if account["customer_kind"] == "corporate":
            found.setdefault(account["customer_id"], []).append(account)
    return list(found.items())[:2]


@pytest.fixture
def connector(admin, companies):
    """A fresh self-use connector of the first company for each test (each has its own capacity)."""
    (company, _), _ = companies
    return create_connector(admin, **{"class": "self-use", "customer_id": company})


@pytest.fixture
def token(live, connector):
    return client_credentials(live.url, connector)["access_token"]


@pytest.fixture(scope="module")
def account(companies):
    (_, accounts), _ = companies
    return accounts[0]


def balance_of(admin, account_id: str) -> int:
    return admin.get(f"{V1}/workspaces/default/accounts/{account_id}").json()["balance"]


def assert_keyed_refusal(response: httpx.Response, status: int, words: str = "") -> None:
    """A refusal in the keyed bank's own error format (not problem+json, not a 500)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["result"] == "NG" and body["errorCode"] == f"KY{status}", body
    assert words in body["errorMessage"], body


@pytest.mark.parametrize("place", ["header", "query", "cookie"])
def test_gate_api_key_carries_the_access_token_where_the_spec_says(live, token, account, place):
    path = {"header": "balances", "query": "query/balances", "cookie": "cookie/balances"}[place]
    url = f"{live.url}/banks/keyed/{path}/{account['id']}"
    given = {"header": {"headers": {"x-access-token": token}}, "query": {"params": {"access_token": token}},
             "cookie": {"headers": {"Cookie": f"keyed_session={token}"}}}[place]
    with httpx.Client(timeout=30) as client:
        ok = client.get(url, **given)
        missing = client.get(url)
        forged = client.get(url, **{"header": {"headers": {"x-access-token": "forged"}},
                                    "query": {"params": {"access_token": "forged"}},
                                    "cookie": {"headers": {"Cookie": "keyed_session=forged"}}}[place])
        elsewhere = client.get(url, headers=bearer({"access_token": token}))  # a bearer header is not this API's key
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"accountId": account["id"], "balance": account["balance"]}
    assert_keyed_refusal(missing, 401)
    assert_keyed_refusal(forged, 401, "not one this sandbox issued")
    assert_keyed_refusal(elsewhere, 401)


@pytest.mark.parametrize("header", ['x=1; $$$=2', "keyed_session", 'keyed_session="unclosed'])
def test_gate_unreadable_cookie_is_a_missing_credential(live, account, header):
    response = httpx.get(f"{live.url}/banks/keyed/cookie/balances/{account['id']}", headers={"Cookie": header},
                         timeout=30)
    assert_keyed_refusal(response, 401)


def test_gate_http_bearer_and_openid_connect_take_the_token_in_authorization(live, connector, token, account):
    narrow = client_credentials(live.url, connector, scope="keyed:payments")["access_token"]
    with httpx.Client(base_url=f"{live.url}/banks/keyed", timeout=30) as client:
        by_bearer = client.get(f"/bearer/balances/{account['id']}", headers=bearer({"access_token": token}))
        by_openid = client.get(f"/openid/balances/{account['id']}", headers=bearer({"access_token": token}))
        openid_without_scope = client.get(f"/openid/balances/{account['id']}", headers=bearer({"access_token": narrow}))
        as_api_key = client.get(f"/bearer/balances/{account['id']}", headers={"x-access-token": token})
    assert by_bearer.status_code == 200 and by_bearer.json()["balance"] == account["balance"], by_bearer.text
    assert by_openid.status_code == 200, by_openid.text
    assert_keyed_refusal(openid_without_scope, 403, "keyed:accounts")
    assert_keyed_refusal(as_api_key, 401)


def test_gate_basic_takes_the_connectors_client_id_and_secret(live, connector, token, companies):
    (_, mine), (_, theirs) = companies
    url = f"{live.url}/banks/keyed/basic/balances"
    own = (connector["client_id"], connector["client_secret"])
    with httpx.Client(timeout=30) as client:
        ok = client.get(f"{url}/{mine[0]['id']}", auth=own)
        other_company = client.get(f"{url}/{theirs[0]['id']}", auth=own)
        wrong_secret = client.get(f"{url}/{mine[0]['id']}", auth=(connector["client_id"], "guess"))
        a_token = client.get(f"{url}/{mine[0]['id']}", headers=bearer({"access_token": token}))
    assert ok.status_code == 200 and ok.json()["balance"] == mine[0]["balance"], ok.text
    # The connector calls as itself: its company's accounts, no other (not found, as the bank says it).
    assert_keyed_refusal(other_company, 404)
    assert_keyed_refusal(wrong_secret, 401, "client id and secret")
    assert wrong_secret.headers["www-authenticate"].startswith("Basic")
    assert_keyed_refusal(a_token, 401, "Basic")


def test_gate_basic_takes_an_access_token_as_the_user_name_with_no_password(live, token, companies):
    """HTTP Basic with the API key as the user name and an empty password (`curl -u <key>:`), as APIs that
    call their key a Basic credential document it: the token is the credential, as it is after Bearer."""
    (_, mine), _ = companies
    url = f"{live.url}/banks/keyed/basic/balances/{mine[0]['id']}"
    with httpx.Client(timeout=30) as client:
        ok = client.get(url, auth=(token, ""))
        prefixed = client.get(url, auth=("sk_test_" + token, ""))
        unknown = client.get(url, auth=("nope" + token, ""))
    assert ok.status_code == 200 and ok.json()["balance"] == mine[0]["balance"], ok.text
    assert prefixed.status_code == 200, prefixed.text
    assert_keyed_refusal(unknown, 401)


def test_gate_alternative_schemes_each_work_and_the_plans_limit_is_a_429_whichever_is_used(live, admin, companies):
    """basic | bearer, as card APIs declare it: a Bearer token is not refused by the Basic alternative
    ('send ... Basic', 401, which Connexion ranks above any other status) when the plan's capacity runs out."""
    (company, mine), _ = companies
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company, "plan": "free"})
    token = client_credentials(live.url, connector)["access_token"]
    url = f"{live.url}/banks/keyed/either/balances/{mine[0]['id']}"
    own = (connector["client_id"], connector["client_secret"])
    with httpx.Client(timeout=30) as client:
        assert client.get(url, auth=(connector["client_id"], "guess")).status_code == 401
        assert client.get(url, headers=bearer({"access_token": "not-a-token"})).status_code == 401
        time.sleep(1 - time.time() % 1 + 0.01)  # a burst inside one wall-clock second
        by_basic = client.get(url, auth=own)
        statuses = [by_basic.status_code] + [client.get(url, headers=bearer({"access_token": token})).status_code
                                             for _ in range(5)]
    assert by_basic.json()["balance"] == mine[0]["balance"], by_basic.text
    limit = admin.get(f"{V1}/connectors/{connector['id']}/capacity").json()["effective"]["per_second"]
    assert statuses == [200] * limit + [429] * (6 - limit), statuses


def test_gate_an_api_key_pair_of_client_id_and_secret_takes_the_connectors_own(live, connector, token):
    """A spec that keys every call by a client id, a secret and its API version (three API keys, all
    required, as aggregators declare them): the connector's client id and secret are those keys, as they
    are with HTTP Basic, and the version is no credential. An access token in the keys works as before."""
    url = f"{live.url}/banks/client-key-pair/accounts/get"
    body = {"access_token": "access-sandbox-1"}
    own = {"AGG-CLIENT-ID": connector["client_id"], "AGG-SECRET": connector["client_secret"], "Agg-Version": "2020-09-14"}
    with httpx.Client(timeout=30) as client:
        ok = client.post(url, json=body, headers=own)
        no_version = client.post(url, json=body, headers={k: v for k, v in own.items() if k != "Agg-Version"})
        wrong_secret = client.post(url, json=body, headers={**own, "AGG-SECRET": "guess"})
        no_secret = client.post(url, json=body, headers={k: v for k, v in own.items() if k != "AGG-SECRET"})
        by_token = client.post(url, json=body, headers={"AGG-CLIENT-ID": token, "AGG-SECRET": token, "Agg-Version": token})
    assert ok.status_code == 200 and ok.json()["accounts"], ok.text
    assert no_version.status_code == 200, no_version.text
    assert wrong_secret.status_code == 401 and "client id and secret" in wrong_secret.text
    assert no_secret.status_code == 401, no_secret.text
    assert by_token.status_code == 200, by_token.text


def _keyed_transfer(payer: dict, payee: dict, amount: int = 1000) -> dict:
    return {"fromAccount": payer["id"], "toBank": payee["bank_code"], "toBranch": payee["branch_code"],
            "toType": payee["account_type"], "toNumber": payee["account_number"], "toName": payee["holder_kana"],
            "amount": amount}


def test_gate_any_alternative_passes_and_one_requirement_needs_all_its_schemes(live, admin, connector, token, companies):
    (_, mine), (other_company, theirs) = companies
    payer, payee = mine[0], theirs[0]
    url = f"{live.url}/banks/keyed/transfers"
    body = _keyed_transfer(payer, payee)
    basic = httpx.BasicAuth(connector["client_id"], connector["client_secret"])
    narrow = client_credentials(live.url, connector, scope="kaede:accounts.read")["access_token"]
    stranger = create_connector(admin, **{"class": "self-use", "customer_id": other_company})
    before = balance_of(admin, payer["id"])
    with httpx.Client(timeout=30) as client:
        by_oauth = client.post(url, json=body, headers=bearer({"access_token": token}))
        by_header_and_basic = client.post(url, json=body, headers={"x-access-token": token}, auth=basic)
        header_only = client.post(url, json=body, headers={"x-access-token": token})
        without_scope = client.post(url, json=body, headers=bearer({"access_token": narrow}))
        mixed = client.post(url, json=body, headers={"x-access-token": token},
                            auth=(stranger["client_id"], stranger["client_secret"]))
    assert by_oauth.status_code == 201 and by_oauth.json()["state"] == "executed", by_oauth.text
    assert by_header_and_basic.status_code == 201 and by_header_and_basic.json()["state"] == "executed"
    assert_keyed_refusal(header_only, 401)
    assert_keyed_refusal(without_scope, 403, "keyed:payments")
    assert_keyed_refusal(mixed, 401, "different connectors")
    # Exactly the two accepted transfers moved money.
    paid = by_oauth.json()["amount"] + by_oauth.json()["fee"] + by_header_and_basic.json()["amount"] + \
        by_header_and_basic.json()["fee"]
    assert balance_of(admin, payer["id"]) == before - paid
    assert live.workspaces.verify("default") == []


def test_gate_operation_declared_public_needs_no_credentials(live):
    response = httpx.get(f"{live.url}/banks/keyed/branches", timeout=30)
    assert response.status_code == 200 and response.json() == [{"code": "001", "name": "ﾎﾝﾃﾝ"}]


def test_oauth_server_offers_the_scopes_the_specs_declare(live):
    meta = httpx.get(f"{live.url}/.well-known/oauth-authorization-server", timeout=30).json()
    # An OAuth2 flow's scope, and one only an OpenID Connect requirement names.
    assert {"keyed:payments", "keyed:accounts"} <= set(meta["scopes_supported"])


def test_gate_binding_says_where_the_token_is_when_the_spec_declares_no_scheme(live, admin, token, companies):
    (_, mine), (_, theirs) = companies
    payer, payee = mine[0], theirs[0]
    base = f"{live.url}/banks/token_header"
    transfer = {"accountId": payer["id"], "amount": "2000",
                "beneficiary": {"bankCode": payee["bank_code"], "branchCode": payee["branch_code"],
                                "accountTypeCode": payee["account_type"], "accountNumber": payee["account_number"],
                                "name": payee["holder_kana"]}}
    before = balance_of(admin, payer["id"])
    with httpx.Client(base_url=base, timeout=30) as client:
        ok = client.get(f"/accounts/{payer['id']}/balance", headers={"x-access-token": token})
        paid = client.post("/transfers", json=transfer, headers={"x-access-token": token})
        missing = client.post("/transfers", json=transfer)
        forged = client.get(f"/accounts/{payer['id']}/balance", headers={"x-access-token": "forged"})
    assert ok.status_code == 200 and ok.json() == {"accountId": payer["id"], "balance": str(before)}, ok.text
    assert paid.status_code == 201 and paid.json()["status"] == "executed", paid.text
    # Without the token: the bank's 401 in its own format, not a 400 about a missing workspace.
    for refused in (missing, forged):
        assert refused.status_code == 401, refused.text
        assert refused.json()["errors"][0]["errorCode"] == "TH-unauthorized", refused.text
    latest = admin.get(f"{V1}/workspaces/default/transfers", params={"limit": 1}).json()["transfers"][0]
    assert latest["id"] == paid.json()["applyNo"]
    assert balance_of(admin, payer["id"]) == before - latest["total"]  # the one accepted transfer, nothing more
    assert httpx.get(f"{live.url}/banks/token_header/openapi.json", timeout=30).json()["security"] == [
        {"sandboxToken": []}]


def test_gate_refuses_an_api_that_declares_no_security_without_open_access(live, token, account):
    with httpx.Client(base_url=f"{live.url}/banks/no_security", timeout=30) as client:
        anonymous = client.get(f"/accounts/{account['id']}/balance")
        forged = client.get(f"/accounts/{account['id']}/balance", headers=bearer({"access_token": "made-up"}))
        # A credential sent anyway is checked, as the bank whose spec left its security out checks it: a
        # connector's token makes the call that connector's.
        with_token = client.get(f"/accounts/{account['id']}/balance", headers=bearer({"access_token": token}))
    assert anonymous.status_code == 401, anonymous.text
    error = anonymous.json()["errors"][0]
    assert error["errorCode"] == "NS-unauthorized" and "SANDBOX_OPEN_ACCESS" in error["errorMessage"]
    assert forged.status_code == 401 and forged.json()["errors"][0]["errorCode"] == "NS-unauthorized", forged.text
    assert with_token.status_code == 200 and with_token.json()["accountId"] == account["id"], with_token.text
    index = {api["slug"]: api for api in httpx.get(f"{live.url}/", timeout=30).json()["apis"]}
    assert (index["no_security"]["security"], index["token_header"]["security"], index["keyed"]["security"]) == (
        "undeclared", "binding", "declared")


def test_gate_serves_an_api_that_declares_no_security_with_open_access(tmp_path):
    server = live_server.start(tmp_path, open_access=True, specs=(SPECS,))
    try:
        server.workspaces.ensure("default")
        with server.admin() as admin:
            account = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 1}).json()[
                "accounts"][0]
        response = httpx.get(f"{server.url}/banks/no_security/accounts/{account['id']}/balance",
                             headers={"X-Sandbox-Workspace": "default"}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json()["balance"] == str(account["balance"])
        assert httpx.get(f"{server.url}/", timeout=30).json()["open_access"] is True
    finally:
        server.stop()


# --- the binding's `auth` key, checked when the folder loads ------------------------------------------


def _folder(tmp_path, spec_from: str, auth_line: str) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "openapi.yaml").write_text((SPECS / spec_from / "openapi.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "binding.yaml").write_text(f'bank: "0990"\n{auth_line}\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("spec_from, auth_line, words", [
    ("keyed", "auth: {in: header, name: x-access-token}", "declares its own security"),
    ("no_security", "auth: {in: body, name: token}", "auth.in must be one of header, query, cookie"),
    ("no_security", "auth: {in: header}", "auth.name"),
    ("no_security", "auth: {type: http, scheme: digest}", "bearer or basic"),
    ("no_security", "auth: x-access-token", "must be a mapping"),
])
def test_binding_auth_that_cannot_work_stops_loading(tmp_path, spec_from, auth_line, words):
    with pytest.raises(BindingError) as refused:
        load_bank(_folder(tmp_path, spec_from, auth_line))
    assert words in str(refused.value) and "binding.yaml:2:" in str(refused.value)


def test_a_read_only_scope_is_carried_by_the_scope_it_narrows():
    """Xero's reads require `accounting.transactions` and `accounting.transactions.read` in one requirement:
    a token holding the read-write scope was refused every read the real API answers."""
    from sandbox.bindings.security import scope_missing

    required = ["accounting.transactions", "accounting.transactions.read"]
    assert scope_missing(["accounting.transactions"], required) == []
    assert scope_missing(["accounting.transactions.read"], required) == ["accounting.transactions"]
    assert scope_missing(["files"], ["files.readonly", "files:read"]) == []
    assert scope_missing(["accounting"], ["accounting.transactions.read"]) == ["accounting.transactions.read"]
    assert scope_missing(["payments"], ["payments:write"]) == ["payments:write"]


@pytest.mark.parametrize("bank, path", [("optional-auth", "/v1/consents/c-1/status"), ("card-issuer", "/v9/members/M1")])
def test_a_credential_sent_where_none_is_required_is_checked_and_makes_the_call_its_connectors(
        live, admin, connector, token, bank, path):
    """NextGenPSD2 makes its tokens optional (`security: [{}, {bearer: []}]`) and Marqeta's spec declares no
    security at all: a made-up token passed, and no call, however authenticated, was any connector's."""
    url = f"{live.url}/banks/{bank}{path}"
    assert httpx.get(url, timeout=30).status_code == 200  # nothing sent: served, as the spec allows
    forged = httpx.get(url, headers={"Authorization": "Bearer made-up"}, timeout=30)
    assert forged.status_code == 401, forged.text
    wrong_pair = httpx.get(url, auth=(connector["client_id"], "not-the-secret"), timeout=30)
    assert wrong_pair.status_code == 401, wrong_pair.text
    for auth in ({"headers": bearer({"access_token": token})}, {"auth": (connector["client_id"], connector["client_secret"])}):
        answer = httpx.get(url, timeout=30, **auth)
        assert answer.status_code == 200, answer.text
    logged = admin.get(f"{V1}/workspaces/default/requests", params={"connector_id": connector["id"]}).json()["requests"]
    ends = path.removeprefix("/v9")  # the log shows the path served, without the base path the SDK writes
    assert [entry["status"] for entry in logged if entry["path"].endswith(ends)].count(200) == 2, logged


def test_an_apis_root_lists_its_paths_and_checks_a_credential_sent(live, connector):
    """Belvo's SDK logs in with `GET /api/` (its API's root, no operation of the spec): a 404 stopped it."""
    root = f"{live.url}/banks/card-issuer/v9/"
    listed = httpx.get(root, auth=(connector["client_id"], connector["client_secret"]), timeout=30)
    assert listed.status_code == 200 and "/banks/card-issuer/members" in listed.json()["paths"], listed.text
    assert httpx.get(f"{live.url}/banks/card-issuer/wallets/", timeout=30).status_code == 404  # not the root
    refused = httpx.get(root, auth=(connector["client_id"], "not-the-secret"), timeout=30)
    assert refused.status_code == 401, refused.text
    assert httpx.get(f"{live.url}/banks/card-issuer/nothing/", timeout=30).status_code == 404
    assert httpx.post(root, timeout=30).status_code in (404, 405)
