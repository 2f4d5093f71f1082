"""Connectors over real HTTP with real tokens: OAuth flows, check levels, plans, capacity, the kill switch
and the request log (the development header is off on this server, as it is by default)."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError

import live_server
from oauth_flows import (REDIRECT, Form, authorize, bearer, challenge, client_credentials, create_connector, exchange,
                         oauth_client,
                         third_party_token)

V1 = "/sandbox/v1"
TSUBAME = "/banks/tsubame/v1"
KAEDE = "/banks/kaede/corporation/v1"


def kaede_balance(account_id: str) -> str:
    return f"{KAEDE}/accounts/balances?accountId={account_id}"


LIVE_SERVER = {"open_access": False}


@pytest.fixture(scope="module")
def people(admin):
    """Customers of the default workspace by bank and kind, each with its accounts."""
    accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    found = {}
    for account in accounts:
        found.setdefault((account["bank_code"], account["customer_kind"]), {}).setdefault(
            account["customer_id"], []).append(account)
    return found


def customers(people, bank: str, kind: str, count: int = 2, min_accounts: int = 1):
    chosen = [(cid, accs) for cid, accs in people[(bank, kind)].items() if len(accs) >= min_accounts][:count]
    assert len(chosen) == count
    return chosen


def test_metadata_is_discoverable(live):
    meta = httpx.get(f"{live.url}/.well-known/oauth-authorization-server", timeout=30).json()
    assert meta["token_endpoint"] == f"{live.url}/oauth/token"
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert {"kaede:accounts.read", "accounts:read", "hub:read", "payments"} <= set(meta["scopes_supported"])
    assert {"authorization_code", "client_credentials", "refresh_token"} == set(meta["grant_types_supported"])


def test_self_use_token_reaches_only_its_own_company(live, admin, people):
    (own, own_accounts), (other, other_accounts) = customers(people, "0990", "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": own})
    token = client_credentials(live.url, connector)
    with httpx.Client(base_url=live.url, headers=bearer(token), timeout=30) as api:
        mine = api.get(kaede_balance(own_accounts[0]['id']))
        theirs = api.get(kaede_balance(other_accounts[0]['id']))
        listed = api.get(f"{KAEDE}/accounts")
    assert mine.status_code == 200, mine.text
    # Another company's account answers Kaede's own not-found error: existence does not leak.
    assert theirs.status_code == 404 and theirs.json()["errorCode"] == "KB_ERR_4001", theirs.text
    assert {a["accountNumber"] for a in listed.json()["accounts"]} == {a["account_number"] for a in own_accounts}


def test_self_use_connector_must_belong_to_a_corporate_customer(admin, people):
    (individual, _), = customers(people, "0990", "individual", 1)
    response = admin.post(f"{V1}/connectors", json={"workspace": "default", "name": "x", "class": "self-use",
                                                    "customer_id": individual})
    assert response.status_code == 400 and response.json()["code"] == "invalid_request"
    assert "corporate" in response.json()["detail"]


def test_third_party_reaches_only_what_the_customer_consented(live, admin, people):
    (customer, accounts), = customers(people, "0991", "individual", 1, min_accounts=2)
    connector = create_connector(admin, **{"class": "third-party"})
    consented, withheld = accounts[0]["id"], accounts[1]["id"]
    token = third_party_token(live.url, connector, customer, "accounts:read transfers:read transfers:write",
                              accounts=[consented], scopes=["accounts:read"])
    assert token["scope"] == "accounts:read" and "refresh_token" in token
    with httpx.Client(base_url=live.url, headers=bearer(token), timeout=30) as api:
        ok = api.get(f"{TSUBAME}/accounts/{consented}/balance")
        hidden = api.get(f"{TSUBAME}/accounts/{withheld}/balance")
        unconsented_scope = api.get(f"{TSUBAME}/transfers")
    assert ok.status_code == 200 and ok.json()["current"] == accounts[0]["balance"]
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "account_not_found", hidden.text
    assert unconsented_scope.status_code == 403, unconsented_scope.text
    assert unconsented_scope.json()["error"]["code"] == "insufficient_scope", unconsented_scope.text


def test_refresh_rotates_and_revocation_and_consent_withdrawal_stop_tokens(live, admin, people):
    (customer, accounts), = customers(people, "0991", "individual", 1)
    connector = create_connector(admin, **{"class": "third-party"})
    first = third_party_token(live.url, connector, customer, "accounts:read")
    url = f"{live.url}{TSUBAME}/accounts/{accounts[0]['id']}/balance"
    from oauth_flows import oauth_client

    with oauth_client(live.url, connector) as client:
        second = client.refresh_token(f"{live.url}/oauth/token", refresh_token=first["refresh_token"])
        with pytest.raises(OAuthError) as replayed:  # a refresh token works once (rotation)
            client.refresh_token(f"{live.url}/oauth/token", refresh_token=first["refresh_token"])
        assert replayed.value.error == "invalid_grant"
        assert httpx.get(url, headers=bearer(second), timeout=30).status_code == 200
        revoked = client.revoke_token(f"{live.url}/oauth/revoke", token=second["access_token"])
        assert revoked.status_code == 200
        refused = httpx.get(url, headers=bearer(second), timeout=30)
        assert refused.status_code == 401 and "revoked" in refused.text
        introspected = client.introspect_token(f"{live.url}/oauth/introspect", token=second["access_token"])
        assert introspected.json() == {"active": False}
    third = exchange(live.url, connector, authorize(live.url, connector, customer, "accounts:read"))
    grant = admin.get(f"{V1}/connectors/{connector['id']}/grants").json()["grants"][-1]
    assert grant["status"] == "active" and grant["customer_id"] == customer
    assert admin.delete(f"{V1}/connectors/{connector['id']}/grants/{grant['id']}").json()["status"] == "revoked"
    withdrawn = httpx.get(url, headers=bearer(third), timeout=30)
    assert withdrawn.status_code == 401 and withdrawn.json()["error"]["code"] == "invalid_token"


def test_expired_tokens_are_refused(live, admin, people):
    (company, accounts), = customers(people, "0990", "corporate", 1)
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company, "token_ttl": 1})
    token = client_credentials(live.url, connector)
    assert token["expires_in"] == 1
    time.sleep(1.2)
    response = httpx.get(f"{live.url}{kaede_balance(accounts[0]['id'])}", headers=bearer(token), timeout=30)
    assert response.status_code == 401 and "expired" in response.text
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_a_new_token_lifetime_applies_to_tokens_issued_from_then_on(live, admin, people):
    (company, accounts), = customers(people, "0990", "corporate", 1)
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company, "token_ttl": 1})
    first = client_credentials(live.url, connector)
    changed = admin.patch(f"{V1}/connectors/{connector['id']}", json={"token_ttl": 600})
    assert changed.status_code == 200 and changed.json()["token_ttl"] == 600, changed.text
    later = client_credentials(live.url, connector)
    assert (first["expires_in"], later["expires_in"]) == (1, 600)
    time.sleep(1.2)
    url = f"{live.url}{kaede_balance(accounts[0]['id'])}"
    assert httpx.get(url, headers=bearer(first), timeout=30).status_code == 401  # issued before: keeps its second
    assert httpx.get(url, headers=bearer(later), timeout=30).status_code == 200
    audit = admin.get(f"{V1}/connectors/{connector['id']}/audit").json()
    newest = audit["events"][0]  # (newest first)
    assert (newest["event"], newest["reason"]) == ("token_ttl_changed", "1 s -> 600 s"), audit


def test_the_gate_refuses_a_token_it_did_not_issue_or_of_the_wrong_kind(live, admin, people):
    (_, accounts), = customers(people, "0990", "corporate", 1)
    url = f"{live.url}{kaede_balance(accounts[0]['id'])}"
    not_bearer = httpx.get(url, headers={"Authorization": "Basic dXNlcjpwYXNz"}, timeout=30)
    assert not_bearer.status_code == 401 and "Bearer" in not_bearer.text
    assert not_bearer.headers["www-authenticate"] == 'Bearer error="invalid_request"'
    unknown = httpx.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=30)
    assert unknown.status_code == 401 and "not one this sandbox issued" in unknown.text
    assert unknown.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    machine = client_credentials(live.url, create_connector(admin, **{"class": "third-party"}))
    accounts_of_a_customer = f"{live.url}/banks/hoshizora/open-banking/v3.1/aisp/accounts"  # a customer's token only
    wrong_kind = httpx.get(accounts_of_a_customer, headers=bearer(machine), timeout=30)
    assert wrong_kind.status_code == 403 and "a customer's token" in wrong_kind.text, wrong_kind.text


def test_introspection_describes_an_active_token(live, admin, people):
    (customer, accounts), = customers(people, "0991", "individual", 1)
    connector = create_connector(admin, **{"class": "third-party"})
    token = third_party_token(live.url, connector, customer, "accounts:read", accounts=[accounts[0]["id"]])
    from oauth_flows import oauth_client

    with oauth_client(live.url, connector) as client:
        info = client.introspect_token(f"{live.url}/oauth/introspect", token=token["access_token"]).json()
    assert info["active"] is True and info["client_id"] == connector["id"] and info["sub"] == customer
    assert info["accounts"] == [accounts[0]["id"]] and info["scope"] == "accounts:read"


# --- bad token requests: RFC 6749 error codes ------------------------------------------------------------


@pytest.fixture(scope="module")
def third(admin):
    return create_connector(admin, **{"class": "third-party"})


@pytest.fixture(scope="module")
def customer(people):
    (customer_id, _), = customers(people, "0991", "individual", 1)
    return customer_id


def _token_request(live, connector, data, secret=None):
    auth = (connector["client_id"], secret if secret is not None else connector["client_secret"])
    return httpx.post(f"{live.url}/oauth/token", data=data, auth=auth, timeout=30)


def _code(live, third, customer, **kwargs):
    return authorize(live.url, third, customer, "accounts:read", **kwargs)


@pytest.mark.parametrize("case, status, error", [
    ("wrong secret", 401, "invalid_client"),
    ("unknown client", 401, "invalid_client"),
    ("wrong redirect uri", 400, "invalid_grant"),
    ("missing verifier", 400, "invalid_request"),
    ("wrong verifier", 400, "invalid_grant"),
    ("replayed code", 400, "invalid_grant"),
    ("unknown code", 400, "invalid_grant"),
    ("unsupported grant type", 400, "unsupported_grant_type"),
    ("missing code", 400, "invalid_request"),
])
def test_bad_token_requests(live, third, customer, case, status, error):
    flow = _code(live, third, customer)
    data = {"grant_type": "authorization_code", "code": flow["code"], "redirect_uri": REDIRECT,
            "code_verifier": flow["verifier"]}
    connector, secret = third, None
    if case == "wrong secret":
        secret = "not-the-secret"
    elif case == "unknown client":
        connector = {**third, "client_id": "cn_0000000000000000"}
    elif case == "wrong redirect uri":
        data["redirect_uri"] = "http://127.0.0.1:9/elsewhere"
    elif case == "missing verifier":
        del data["code_verifier"]
    elif case == "wrong verifier":
        data["code_verifier"] = "x" * 50
    elif case == "replayed code":
        assert _token_request(live, third, data).status_code == 200
    elif case == "unknown code":
        data["code"] = "no-such-code"
    elif case == "unsupported grant type":
        data["grant_type"] = "password"
    elif case == "missing code":
        del data["code"]
    response = _token_request(live, connector, data, secret)
    assert response.status_code == status, response.text
    assert response.json()["error"] == error


def test_self_use_connector_cannot_use_the_code_flow_and_third_party_pkce_is_s256_when_sent(live, admin, people, third):
    (company, _), = customers(people, "0990", "corporate", 1)
    self_use = create_connector(admin, **{"class": "self-use", "customer_id": company})
    base = {"response_type": "code", "redirect_uri": REDIRECT, "scope": "accounts:read", "state": "s1"}
    unknown_uri = httpx.get(f"{live.url}/oauth/authorize", params={**base, "client_id": self_use["client_id"]}, timeout=30)
    assert unknown_uri.status_code == 400 and "redirect" in unknown_uri.text.lower()  # shown, never redirected
    no_pkce = httpx.get(f"{live.url}/oauth/authorize", params={**base, "client_id": third["client_id"]}, timeout=30)
    assert no_pkce.status_code == 200 and "login_id" in no_pkce.text  # a confidential client may leave PKCE out
    half = httpx.get(f"{live.url}/oauth/authorize", params={**base, "client_id": third["client_id"],
                                                             "code_challenge_method": "S256"}, timeout=30)
    assert half.status_code == 302 and "error=invalid_request" in half.headers["location"]
    plain = httpx.get(f"{live.url}/oauth/authorize", params={**base, "client_id": third["client_id"],
                                                              "code_challenge": "a" * 43, "code_challenge_method": "plain"},
                      timeout=30)
    assert plain.status_code == 302 and "error=invalid_request" in plain.headers["location"]
    good = {**base, "client_id": third["client_id"], "code_challenge": challenge("v" * 50), "code_challenge_method": "S256"}
    bad_scope = httpx.get(f"{live.url}/oauth/authorize", params={**good, "scope": "root"}, timeout=30)
    assert bad_scope.status_code == 302 and "error=invalid_scope" in bad_scope.headers["location"]
    wrong_grant = httpx.post(f"{live.url}/oauth/token", data={"grant_type": "authorization_code", "code": "x"},
                             auth=(self_use["client_id"], self_use["client_secret"]), timeout=30)
    assert wrong_grant.json()["error"] == "unauthorized_client"


def test_a_confidential_client_without_pkce_gets_a_token_and_a_verifier_it_never_challenged_is_refused(
        live, third, customer):
    """RFC 6749's flow as banks' own SDKs send it (GMO Aozora's sends no code_challenge): the secret at the
    token endpoint proves the client. A verifier for a code asked for without a challenge is refused
    (RFC 9700 4.8), and the code is then spent."""
    flow = authorize(live.url, third, customer, "accounts:read", method=None)
    assert flow["code"], flow
    with oauth_client(live.url, third, redirect_uri=REDIRECT) as client:
        token = client.fetch_token(authorization_response=flow["redirect"])
    assert token["access_token"] and token["refresh_token"]
    own = httpx.get(f"{live.url}{TSUBAME}/accounts", headers=bearer(token), timeout=30)
    assert own.status_code == 200, own.text
    second = authorize(live.url, third, customer, "accounts:read", method=None)
    refused = _token_request(live, third, {"grant_type": "authorization_code", "code": second["code"],
                                           "redirect_uri": REDIRECT, "code_verifier": "v" * 50})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_request", refused.text


def test_standard_scopes_are_granted_when_asked_for_whatever_the_banks_declare(live, third, customer):
    """Xero's SDK asks for `offline_access` (and OpenID Connect's scopes) beside the API's own: it was
    refused `invalid_scope`, so the SDK's usual authorization never began."""
    token = third_party_token(live.url, third, customer, "accounts:read offline_access openid")
    assert set(token["scope"].split()) == {"accounts:read", "offline_access", "openid"}, token
    assert token["refresh_token"]
    with oauth_client(live.url, third, redirect_uri=REDIRECT) as client:
        refreshed = client.refresh_token(f"{live.url}/oauth/token", refresh_token=token["refresh_token"])
    assert set(refreshed["scope"].split()) == set(token["scope"].split())
    unknown = httpx.get(f"{live.url}/oauth/authorize", params={
        "response_type": "code", "client_id": third["client_id"], "redirect_uri": REDIRECT, "state": "s",
        "scope": "accounts:read root"}, timeout=30)
    assert unknown.status_code == 302 and "error=invalid_scope" in unknown.headers["location"]


def test_sign_in_page_refuses_a_wrong_password_and_a_denial_redirects_with_access_denied(live, third, customer):
    denied = authorize(live.url, third, customer, "accounts:read", decision="deny")
    assert denied["error"] == "access_denied" and denied["code"] is None
    from oauth_flows import oauth_client

    with oauth_client(live.url, third, scope="accounts:read", redirect_uri=REDIRECT, code_challenge_method="S256") as client:
        url, _ = client.create_authorization_url(f"{live.url}/oauth/authorize", code_verifier="v" * 50)
    with httpx.Client(timeout=30) as browser:
        page = browser.get(url)
        wrong = Form(page.text).submit(browser, live.url, fill={"login_id": customer, "password": "guess"})
    assert wrong.status_code == 401 and "パスワード" in wrong.text


# --- plans, capacity, the kill switch and the log ---------------------------------------------------------


def test_plan_refuses_what_it_does_not_include_and_meters_usage(live, admin, people):
    (company, accounts), = customers(people, "0991", "corporate", 1)
    free = create_connector(admin, **{"class": "self-use", "customer_id": company, "plan": "free"})
    token = client_credentials(live.url, free)
    with httpx.Client(base_url=live.url, headers=bearer(token), timeout=30) as api:
        read = api.get(f"{TSUBAME}/accounts/{accounts[0]['id']}/balance")
        pay = api.post(f"{TSUBAME}/transfers", headers={"Idempotency-Key": "plan-1"}, json={
            "source_account_id": accounts[0]["id"], "amount": 1000,
            "payee": {"bank_code": "0991", "branch_code": "100", "account_type": "ordinary", "account_number": "1234567",
                      "name": "ﾃｽﾄ"}})
    assert read.status_code == 200
    assert pay.status_code == 403 and "free plan" in pay.text, pay.text
    usage = admin.get(f"{V1}/connectors/{free['id']}/usage").json()
    assert usage["calls"] == 2 and usage["refused"] == 1
    assert {line["operation"] for line in usage["lines"]} == {"getBalance", "createTransfer"}
    assert usage["billing_preview"]["total_yen"] == 0


def test_capacity_is_published_and_enforced_with_retry_after(live, admin, people):
    (company, accounts), = customers(people, "0990", "corporate", 1)
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company, "plan": "free"})
    published = admin.get(f"{V1}/connectors/{connector['id']}/capacity").json()
    today = date.fromisoformat(published["today"])  # the sandbox clock: 2026-11-05, a peak day (五十日)
    assert published["peak_today"] is (today.day in (5, 10, 15, 20, 25))
    assert published["effective"] == published["peak"] == {"per_second": 2, "per_day": 500}
    assert published["capacity"] == {"per_second": 5, "per_day": 1000}
    assert "2026-11-30" in {day["date"] for day in published["peak_days"]}
    token = client_credentials(live.url, connector)
    limit = published["effective"]["per_second"]
    statuses, refused = [], None
    with httpx.Client(base_url=live.url, headers=bearer(token), timeout=30) as api:
        # A burst inside one wall-clock second: start just after a second begins.
        time.sleep(1 - time.time() % 1 + 0.01)
        for _ in range(limit + 3):
            response = api.get(kaede_balance(accounts[0]['id']))
            statuses.append(response.status_code)
            if response.status_code == 429 and refused is None:
                refused = response
    assert statuses[:limit] == [200] * limit and statuses[limit:] == [429] * 3, statuses
    assert refused.headers["retry-after"] == "1" and refused.headers["ratelimit-remaining"] == "0"
    assert refused.json()["errorCode"] == "KB_ERR_9001", refused.text
    time.sleep(1.05)
    with httpx.Client(base_url=live.url, headers=bearer(token), timeout=30) as api:
        again = api.get(kaede_balance(accounts[0]['id']))
    assert again.status_code == 200 and int(again.headers["ratelimit-limit"]) >= 1


def test_kill_switch_stops_one_connector_at_once_and_resume_restores_it(live, admin, people):
    (company, accounts), (other_company, other_accounts) = customers(people, "0990", "corporate")
    stopped = create_connector(admin, **{"class": "self-use", "customer_id": company})
    carries_on = create_connector(admin, **{"class": "self-use", "customer_id": other_company})
    token, other_token = client_credentials(live.url, stopped), client_credentials(live.url, carries_on)
    url = f"{live.url}{kaede_balance(accounts[0]['id'])}"
    other_url = f"{live.url}{kaede_balance(other_accounts[0]['id'])}"
    assert httpx.get(url, headers=bearer(token), timeout=30).status_code == 200
    suspended = admin.post(f"{V1}/connectors/{stopped['id']}/suspend", json={"reason": "duplicate payments"})
    assert suspended.json()["status"] == "suspended"
    refused = httpx.get(url, headers=bearer(token), timeout=30)
    assert refused.status_code == 403 and refused.json()["errorCode"] == "KB_ERR_5008", refused.text
    assert httpx.get(other_url, headers=bearer(other_token), timeout=30).status_code == 200
    with pytest.raises(OAuthError) as no_token:
        client_credentials(live.url, stopped)
    assert no_token.value.error == "invalid_client"
    admin.post(f"{V1}/connectors/{stopped['id']}/resume", json={"reason": "fixed"})
    assert httpx.get(url, headers=bearer(token), timeout=30).status_code == 200
    # The connector can stop itself with its own credentials; only bank staff resume it.
    own = (stopped["client_id"], stopped["client_secret"])
    emergency = httpx.post(f"{live.url}{V1}/connectors/{stopped['id']}/emergency-stop", auth=own, json={"reason": "bug"},
                           timeout=30)
    assert emergency.status_code == 200 and emergency.json()["status"] == "suspended"
    assert httpx.post(f"{live.url}{V1}/connectors/{stopped['id']}/resume", auth=own, timeout=30).status_code == 401
    events = admin.get(f"{V1}/connectors/{stopped['id']}/audit").json()["events"]
    assert [(e["event"], e["actor"], e["reason"]) for e in events[:3]] == [
        ("suspended", "connector (emergency stop)", "bug"), ("resumed", "bank staff", "fixed"),
        ("suspended", "bank staff", "duplicate payments")]
    others = httpx.get(f"{live.url}{V1}/connectors/{carries_on['id']}", auth=own, timeout=30)
    assert others.status_code == 404  # a connector sees only itself


def test_suspended_connectors_scheduled_transfers_are_held_until_resumed(tmp_path):
    server = live_server.start(tmp_path, open_access=False)
    try:
        server.workspaces.ensure("default")
        with server.admin() as admin:
            accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
            corporate = [a for a in accounts["accounts"] if a["customer_kind"] == "corporate"]
            payer, payee = corporate[0], next(a for a in corporate if a["customer_id"] != corporate[0]["customer_id"])
            connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"]})
            token = client_credentials(server.url, connector)
            created = httpx.post(f"{server.url}{KAEDE}/transfer/request", headers={**bearer(token), "Idempotency-Key": "held-1"},
                                 json=_kaede_transfer(payer, payee, "2026-11-06"), timeout=30)
            assert created.status_code in (200, 201, 202), created.text
            admin.post(f"{V1}/connectors/{connector['id']}/suspend", json={})
            advanced = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "set", "to": "2026-11-06T10:00:00+09:00"})
            assert advanced.json()["executed"] == [] and len(advanced.json()["held"]) == 1, advanced.text
            before = admin.get(f"{V1}/workspaces/default/accounts/{payer['id']}").json()["balance"]
            assert before == payer["balance"]
            admin.post(f"{V1}/connectors/{connector['id']}/resume", json={})
            ran = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": 60}).json()
            assert ran["executed"] == advanced.json()["held"]
            assert server.workspaces.verify("default") == []
    finally:
        server.stop()


def _kaede_transfer(payer, payee, execution_date):
    return {"accountId": payer["id"], "transferDesignatedDate": execution_date,
            "transfers": [{"itemId": "1", "transferAmount": "5000", "beneficiaryBankCode": payee["bank_code"],
                           "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
                           "accountNumber": payee["account_number"], "beneficiaryName": payee["holder_kana"]}]}


def test_request_log_records_calls_for_staff_and_for_the_connector_without_secrets(live, admin, people):
    (company, accounts), = customers(people, "0991", "corporate", 1)
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    token = client_credentials(live.url, connector)
    with httpx.Client(base_url=live.url, headers={**bearer(token), "x-request-id": "trace-42"}, timeout=30) as api:
        api.get(f"{TSUBAME}/accounts/{accounts[0]['id']}/balance")
        api.get(f"{TSUBAME}/accounts/acc_nope/balance")
    log = admin.get(f"{V1}/workspaces/default/requests", params={"connector_id": connector["id"]}).json()["requests"]
    assert [(e["operation_id"], e["status"], e["error_code"], e["bank"]) for e in log] == [
        ("getBalance", 404, "account_not_found", "tsubame"), ("getBalance", 200, None, "tsubame")]
    assert all(e["latency_ms"] > 0 and e["workspace"] == "default" for e in log)
    failed = admin.get(f"{V1}/workspaces/default/requests", params={"error_code": "account_not_found",
                                                                     "connector_id": connector["id"]}).json()["requests"]
    assert [e["id"] for e in failed] == [log[0]["id"]]
    detail = admin.get(f"{V1}/workspaces/default/requests/{log[0]['id']}").json()
    assert detail == log[0]
    own = httpx.get(f"{live.url}{V1}/connectors/{connector['id']}/requests",
                    auth=(connector["client_id"], connector["client_secret"]), timeout=30).json()["requests"]
    assert [e["id"] for e in own] == [e["id"] for e in log]
    stored = (live.settings.data_dir / "governance.db").read_bytes()
    for secret in (token["access_token"], connector["client_secret"]):
        assert secret.encode() not in stored


def test_credentials_survive_a_workspace_reset(live, admin, people):
    (company, accounts), = customers(people, "0990", "corporate", 1)
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    token = client_credentials(live.url, connector)
    assert admin.post(f"{V1}/workspaces/default/reset").status_code == 200
    assert httpx.get(f"{live.url}{kaede_balance(accounts[0]['id'])}", headers=bearer(token),
                     timeout=30).status_code == 200
    assert client_credentials(live.url, connector)["access_token"]


@pytest.mark.parametrize("body, field", [
    ({"class": "third-party", "redirect_uris": [REDIRECT]}, "registration_number"),
    ({"class": "third-party", "registration_number": "第12号", "redirect_uris": [REDIRECT]}, "registration_number"),
    ({"class": "third-party", "registration_number": "関東財務局長（電代）第12号"}, "redirect_uris"),
    ({"class": "third-party", "registration_number": "関東財務局長（電代）第12号", "redirect_uris": ["ftp://x"]},
     "redirect_uris"),
    ({"class": "self-use"}, "customer_id"),
    ({"class": "self-use", "customer_id": "cus_nope"}, None),
    ({"class": "third-party", "plan": "gold", "registration_number": "関東財務局長（電代）第12号",
      "redirect_uris": [REDIRECT]}, "plan"),
])
def test_connector_registration_refuses_bad_input(admin, body, field):
    response = admin.post(f"{V1}/connectors", json={"workspace": "default", "name": "bad", **body})
    assert response.status_code in (400, 404), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field:
        assert response.json()["details"]["field"] == field


def test_connector_changes_and_usage_refuse_bad_input_and_change_nothing(admin):
    connector = create_connector(admin, **{"class": "third-party"})
    path = f"{V1}/connectors/{connector['client_id']}"
    before = admin.get(path).json()
    for body, field in (({"redirect_uris": []}, "redirect_uris"), ({"redirect_uris": ["ftp://x"]}, "redirect_uris"),
                        ({"plan": "gold"}, "plan"), ({"token_ttl": 0}, None), ({"token_ttl": 86401}, None),
                        ({"token_ttl": "60"}, None)):
        refused = admin.patch(path, json=body)
        assert refused.status_code == 400, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        # (the spec's own bounds refuse a token lifetime before the connector is read: the detail names the field)
        assert refused.json()["details"]["field"] == field if field else "token_ttl" in refused.json()["detail"]
    assert admin.get(path).json() == before
    for query, field in (("date_from=x", "date_from"), ("date_to=2026-02-30", "date_to"),
                         ("date_from=2026-11-05&date_to=2026-11-01", "date_from")):
        refused = admin.get(f"{path}/usage?{query}")
        assert refused.status_code == 400 and refused.json()["code"] == "invalid_date", refused.text
        assert refused.json()["details"]["field"] == field
    assert admin.get(f"{path}/usage?date_from=2026-11-01&date_to=2026-11-05").status_code == 200


# --- risk-based approval --------------------------------------------------------------------------------


def _tsubame_transfer(payer, payee, amount, key):
    return {"source_account_id": payer["id"], "amount": amount, "note": "approval", "reference": key,
            "payee": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": "ordinary",
                      "account_number": payee["account_number"], "name": payee["holder_kana"]}}


def _approve(base: str, url: str, customer_id: str, code: str = "123456", decision: str = "approve") -> httpx.Response:
    with httpx.Client(timeout=30) as browser:
        page = browser.get(f"{base}{url}")
        assert page.status_code == 200, page.text
        return Form(page.text).submit(browser, base, fill={"login_id": customer_id, "password": "sandbox", "code": code},
                                      button=decision)


def test_a_third_party_transfer_to_a_new_payee_waits_for_the_customers_approval(live, admin, people):
    (customer, accounts), = customers(people, "0991", "individual", 1)
    payer = max(accounts, key=lambda a: a["balance"])
    payee = next(a for a in people[("0991", "individual")][customers(people, "0991", "individual", 2)[1][0]])
    connector = create_connector(admin, **{"class": "third-party"})
    token = third_party_token(live.url, connector, customer, "accounts:read transfers:read transfers:write",
                              accounts=[payer["id"]])
    with httpx.Client(base_url=live.url, headers=bearer(token), timeout=30) as api:
        created = api.post(f"{TSUBAME}/transfers", headers={"Idempotency-Key": "approve-1"},
                           json=_tsubame_transfer(payer, payee, 12000, "approve-1"))
        assert created.status_code == 201, created.text
        transfer = created.json()
        assert transfer["status"] == "requires_approval" and transfer["approval"]["reasons"] == ["new_payee"]
        assert api.get(f"{TSUBAME}/accounts/{payer['id']}/balance").json()["current"] == payer["balance"]  # nothing moved
        assert api.get(f"{TSUBAME}/transfers/{transfer['id']}").json()["status"] == "requires_approval"
        url = transfer["approval"]["approve_url"]
        wrong_code = _approve(live.url, url, customer, code="000000")
        assert wrong_code.status_code == 401 and "ワンタイムパスワード" in wrong_code.text
        stranger = customers(people, "0991", "individual", 2)[1][0]
        assert _approve(live.url, url, stranger).status_code == 401  # only the paying customer approves
        undecided = httpx.post(f"{live.url}{url}", timeout=30, data={
            "login_id": customer, "password": "sandbox", "code": "123456", "decision": "maybe"})
        assert undecided.status_code == 400 and "invalid_request" in undecided.text  # nothing decided
        approved = _approve(live.url, url, customer)
        assert approved.status_code == 200 and "executed" in approved.text, approved.text
        after = api.get(f"{TSUBAME}/transfers/{transfer['id']}").json()
        assert after["status"] == "completed" and after["id"] == transfer["id"]
        balance = api.get(f"{TSUBAME}/accounts/{payer['id']}/balance").json()["current"]
        assert balance == payer["balance"] - after["total"]
        # The same payee again: no longer new, no approval.
        again = api.post(f"{TSUBAME}/transfers", headers={"Idempotency-Key": "approve-2"},
                         json=_tsubame_transfer(payer, payee, 1000, "approve-2"))
        assert again.json()["status"] == "completed", again.text
        # The retry of the first request answers the first result, as idempotency keys promise.
        retry = api.post(f"{TSUBAME}/transfers", headers={"Idempotency-Key": "approve-1"},
                         json=_tsubame_transfer(payer, payee, 12000, "approve-1"))
        assert retry.json()["id"] == transfer["id"]
    decided = httpx.get(f"{live.url}{url}", timeout=30)
    assert decided.status_code == 409 and "approved" in decided.text  # an answered approval cannot be answered again
    for query, status, code in (("workspace=default&transfer=trf_nope", 404, "approval_not_found"),
                                ("workspace=nowhere&transfer=" + transfer["id"], 404, "workspace_not_found"),
                                ("", 400, "invalid_request")):
        refused = httpx.get(f"{live.url}/oauth/approve?{query}", timeout=30)
        assert refused.status_code == status and code in refused.text, refused.text
    assert live.workspaces.verify("default") == []


def test_approval_expires_and_a_company_transfer_needs_an_approver(tmp_path):
    server = live_server.start(tmp_path, open_access=False)
    try:
        server.workspaces.ensure("default")
        with server.admin() as admin:
            listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
            corporate = sorted((a for a in listed["accounts"] if a["customer_kind"] == "corporate"),
                               key=lambda a: -a["balance"])
            payer = corporate[0]
            payee = next(a for a in corporate if a["customer_id"] != payer["customer_id"])
            assert payer["balance"] > 6_000_000
            connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"]})
            token = client_credentials(server.url, connector)
            body = _kaede_transfer(payer, payee, "2026-11-05")
            body["transfers"][0]["transferAmount"] = "6000000"
            with httpx.Client(base_url=server.url, headers=bearer(token), timeout=30) as api:
                held = api.post(f"{KAEDE}/transfer/request", headers={"Idempotency-Key": "big-1"}, json=body)
                assert held.status_code == 202 and held.json()["resultCode"] == "7", held.text
                apply_no, url = held.json()["applyNo"], held.json()["approvalUrl"]
                small = dict(body, transfers=[dict(body["transfers"][0], transferAmount="5000")])
                assert api.post(f"{KAEDE}/transfer/request", headers={"Idempotency-Key": "small-1"},
                                json=small).json()["resultCode"] == "1"  # small company transfers need no approver
                status = api.get(f"{KAEDE}/transfer/status", params={"applyNo": apply_no}).json()
                assert (status["transferStatus"], status["transferStatusName"]) == ("7", "承認待ち")
                admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": 31 * 60})
                status = api.get(f"{KAEDE}/transfer/status", params={"applyNo": apply_no}).json()
                assert (status["transferStatus"], status["transferStatusName"]) == ("8", "承認期限切れ")
            with httpx.Client(timeout=30) as browser:
                lapsed = browser.get(f"{server.url}{url}")
            assert lapsed.status_code == 409 and "expired" in lapsed.text
            balance = admin.get(f"{V1}/workspaces/default/accounts/{payer['id']}").json()["balance"]
            assert balance == payer["balance"] - 5000 - 0 - _fee(admin, payer, payee)
            assert server.workspaces.verify("default") == []
    finally:
        server.stop()


def _fee(admin, payer, payee) -> int:
    same_branch = payer["branch_code"] == payee["branch_code"]
    return 0 if same_branch else 110  # 楓銀行, same bank, under 30,000 yen


def test_client_secrets_are_kept_as_salted_hashes_and_older_pbkdf2_hashes_still_work(live, admin, people):
    import hashlib

    (company, _), = customers(people, "0990", "corporate", 1)
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    store = live.app.sandbox.governance.connectors.store
    kept = store.conn.execute("SELECT secret_hash FROM connectors WHERE id = ?", (connector["id"],)).fetchone()[0]
    scheme, salt, digest = kept.split("$")
    assert scheme == "sha256" and connector["client_secret"] not in kept
    assert digest == hashlib.sha256(f"{salt}{connector['client_secret']}".encode()).hexdigest()
    assert client_credentials(live.url, connector)  # the token endpoint checks it
    # A secret an older release hashed with PBKDF2 keeps working, and a wrong one is refused either way.
    older = "pbkdf2_sha256$60000$0a1b$" + hashlib.pbkdf2_hmac(
        "sha256", connector["client_secret"].encode(), b"0a1b", 60000).hex()
    store.conn.execute("UPDATE connectors SET secret_hash = ? WHERE id = ?", (older, connector["id"]))
    assert client_credentials(live.url, connector)
    with pytest.raises(OAuthError):
        secret = connector["client_secret"]  # (a secret ending in `x` made no wrong one of its last letter)
        client_credentials(live.url, {**connector, "client_secret": secret[:-1] + ("x" if secret[-1] != "x" else "y")})


@pytest.mark.parametrize("stored, given", [
    ("garbage", "secret"),                            # no scheme at all
    ("md5$salt$d41d8cd98f00b204e9800998ecf8427e", "secret"),  # a scheme the sandbox never wrote
    ("sha256$onlyonepart", "secret"),                 # too few parts
    ("sha256$a$b$c", "secret"),                       # too many
    ("pbkdf2_sha256$many$salt$00", "secret"),         # rounds that are not a number
    ("pbkdf2_sha256$1$salt", "secret"),               # too few parts
])
def test_a_malformed_stored_secret_verifies_nothing(stored, given):
    from sandbox.governance.connectors import verify_secret

    assert verify_secret(stored, given) is False


def test_an_empty_or_non_text_secret_never_verifies():
    from sandbox.governance.connectors import hash_secret, verify_secret

    kept = hash_secret("right")
    assert verify_secret(kept, "right") is True
    for given in ("", None, 42, b"right", "Right"):
        assert verify_secret(kept, given) is False


def test_tokens_are_letters_and_digits_as_sdks_that_check_their_keys_expect(live, third, customer, admin, people):
    """Mollie's SDK checks the key it is given against `\\w+`: a URL-safe token's `-` failed it half the time."""
    import re

    token = third_party_token(live.url, third, customer, "accounts:read")
    (company, _), = customers(people, "0990", "corporate", 1)
    own = client_credentials(live.url, create_connector(admin, **{"class": "self-use", "customer_id": company}))
    for value in (token["access_token"], token["refresh_token"], own["access_token"]):
        assert re.fullmatch(r"[A-Za-z0-9]{40,}", value), value


@pytest.mark.parametrize("prefix", ["test_", "live_", "access_"])
def test_a_token_written_after_a_prefix_is_the_token(live, admin, people, prefix):
    """Mollie's SDK takes only keys that start `test_` or `live_` (access tokens `access_`): a sandbox token
    after such a word is the token; anything else after it is not."""
    (company, _), = customers(people, "0991", "corporate", 1)
    token = client_credentials(live.url, create_connector(admin, **{"class": "self-use", "customer_id": company}))
    ok = httpx.get(f"{live.url}{TSUBAME}/accounts", headers={"Authorization": f"Bearer {prefix}{token['access_token']}"},
                   timeout=30)
    assert ok.status_code == 200, ok.text
    made_up = httpx.get(f"{live.url}{TSUBAME}/accounts", headers={"Authorization": f"Bearer {prefix}{'0' * 64}"}, timeout=30)
    assert made_up.status_code == 401, made_up.text
