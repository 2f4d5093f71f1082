"""Business-logic abuse rules over a real server: a misbehaving connector trips each rule, an honest one does not.

Every rule is driven through つばめ銀行's API (or the token endpoint) by a standard client: the alert is
recorded with its figures and evidence, the rule's action is applied (throttle, step-up, suspension)
and the connector meets it as a documented error code in the bank's dialect. Each test uses its own
connector and accounts, so the windows of one test never count another's calls.
"""

from __future__ import annotations

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from oauth_flows import (
    bearer,
    client_credentials,
    create_connector,
    third_party_token,
)

V1 = "/sandbox/v1"
TSUBAME = "/banks/tsubame/v1"
LIVE_SERVER = {"open_access": False}
# The bank calls the helpers below make, hundreds in this module, share one client: a client per call
# would build its own TLS context each time (some 20 ms of CPU, even for plain HTTP).
BANK = httpx.Client(timeout=30)


def _accounts(admin, bank_code="0991") -> list[dict]:
    listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": bank_code, "limit": 500})
    assert listed.status_code == 200, listed.text
    return [a for a in listed.json()["accounts"] if a.get("customer_id") and str(a["account_type"]) in "124"]


def _self_use(live, admin, kind="corporate", rank=0, **body):
    """A self-use connector of the `rank`-th richest customer of that kind, its token and its account."""
    accounts = sorted((a for a in _accounts(admin) if a["customer_kind"] == kind), key=lambda a: -a["balance"])
    account = accounts[rank]
    body = {"class": "self-use", "customer_id": account["customer_id"], "plan": "premium", **body}
    connector = create_connector(admin, **body)
    return connector, client_credentials(live.url, connector), account


def _alerts(admin, **params) -> list[dict]:
    listed = admin.get(f"{V1}/workspaces/default/alerts", params=params)
    assert listed.status_code == 200, listed.text
    return listed.json()["alerts"]


def _evidence(admin, alert: dict) -> dict:
    shown = admin.get(f"{V1}/workspaces/default/alerts/{alert['id']}")
    assert shown.status_code == 200, shown.text
    return shown.json()


def _inquire(live, token, account: dict, number: str | None = None, name: str | None = None):
    kind = {"1": "ordinary", "2": "current", "4": "savings"}.get(str(account["account_type"]), account["account_type"])
    body = {"bank_code": account["bank_code"], "branch_code": account["branch_code"], "account_type": kind,
            "account_number": number or account["account_number"]}
    if name:
        body["name"] = name
    return BANK.post(f"{live.url}{TSUBAME}/payee-verifications", json=body, headers=bearer(token))


def _missing_numbers(admin, branch_code: str, count: int) -> list[str]:
    """`count` consecutive account numbers that no account of the branch has."""
    taken = {a["account_number"] for a in _accounts(admin) if a["branch_code"] == branch_code}
    start = 9_000_000
    while any(f"{n:07d}" in taken for n in range(start, start + count)):
        start += count
    return [f"{n:07d}" for n in range(start, start + count)]


# --- name_inquiry_enumeration ------------------------------------------------------------------------------

def test_abuse_name_inquiry_enumeration_throttles_the_connector(live, admin):
    connector, token, own = _self_use(live, admin, rank=1)
    numbers = _missing_numbers(admin, own["branch_code"], 25)
    answers = [_inquire(live, token, own, number) for number in numbers[:20]]
    assert {a.status_code for a in answers} == {404}, [a.text for a in answers]
    refused = _inquire(live, token, own, numbers[20])
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["code"] == "suspicious_activity" and int(refused.headers["retry-after"]) > 60
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["action"], alert["status"]) == ("name_inquiry_enumeration", "throttle", "open")
    assert alert["figures"]["count"] == 20 and alert["figures"]["misses"] == 20
    shown = _evidence(admin, alert)
    assert len(shown["evidence"]["interaction_ids"]) == 20 and len(shown["evidence"]["request_ids"]) == 20


def test_abuse_name_inquiry_of_payees_the_customer_entered_raises_no_alert(live, admin):
    connector, token, own = _self_use(live, admin, rank=2)
    payees = [a for a in _accounts(admin) if a["customer_id"] != own["customer_id"]][:8]
    for _ in range(4):  # the same few payees, asked again before each payment
        for payee in payees:
            answer = _inquire(live, token, payee, name=payee["holder_kana"])
            assert answer.status_code == 200 and answer.json()["result"] == "match", answer.text
    assert _inquire(live, token, payees[0], number=_missing_numbers(admin, payees[0]["branch_code"], 1)[0]).status_code == 404
    assert _alerts(admin, connector_id=connector["id"]) == []


def _unwatched_company(admin, skip: int = 0) -> dict:
    """An account of a company whose customer no other test's connector acts for (its windows are its own)."""
    companies = sorted((a for a in _accounts(admin) if a["customer_kind"] == "corporate"), key=lambda a: -a["balance"])
    used = {a["customer_id"] for a in companies[:13]}  # the ranks _self_use hands out
    return [a for a in companies if a["customer_id"] not in used][skip]


def _connectors_of(live, admin, account: dict, count: int) -> list[tuple[dict, dict]]:
    """`count` self-use connectors of the account's customer, each with its token."""
    made = [create_connector(admin, **{"class": "self-use", "customer_id": account["customer_id"], "plan": "premium"})
            for _ in range(count)]
    return [(connector, client_credentials(live.url, connector)) for connector in made]


def test_abuse_name_inquiry_enumeration_counts_per_customer_across_its_connectors(live, admin):
    """Ten inquiries from each of a company's two connectors: neither connector trips the rule, the company does."""
    own = _unwatched_company(admin)
    (first, first_token), (second, second_token) = _connectors_of(live, admin, own, 2)
    numbers = _missing_numbers(admin, own["branch_code"], 21)
    for n, number in enumerate(numbers[:20]):
        answer = _inquire(live, first_token if n < 10 else second_token, own, number)
        assert answer.status_code == 404, answer.text
    assert _alerts(admin, connector_id=first["id"]) == []
    [alert] = _alerts(admin, connector_id=second["id"])  # the connector whose inquiry tripped the company's window
    assert (alert["rule"], alert["action"], alert["subject"]) == ("name_inquiry_enumeration", "throttle",
                                                                  own["customer_id"])
    assert (alert["figures"]["count"], alert["figures"]["misses"]) == (20, 20)
    assert len(_evidence(admin, alert)["evidence"]["request_ids"]) == 20  # both connectors' inquiries
    refused = _inquire(live, second_token, own, numbers[20])
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "suspicious_activity", refused.text


def test_abuse_name_inquiry_of_entered_payees_by_one_customers_connectors_raises_no_alert(live, admin):
    """A company's eight payees and eight mistyped numbers, checked from both its connectors, twice: each
    account counts once for the company, so sixteen stay under the rule's twenty, misses or not."""
    own = _unwatched_company(admin, skip=1)
    payees = [a for a in _accounts(admin) if a["customer_id"] != own["customer_id"]][:8]
    mistyped = _missing_numbers(admin, payees[0]["branch_code"], 24)[::3]
    connectors = _connectors_of(live, admin, own, 2)
    for connector, token in connectors * 2:
        for payee in payees:
            answer = _inquire(live, token, payee, name=payee["holder_kana"])
            assert answer.status_code == 200 and answer.json()["result"] == "match", answer.text
        for number in mistyped:
            assert _inquire(live, token, payees[0], number=number).status_code == 404
    assert [_alerts(admin, connector_id=connector["id"]) for connector, _ in connectors] == [[], []]


# --- credential_stuffing -----------------------------------------------------------------------------------

def test_abuse_credential_stuffing_locks_the_client(live, admin):
    connector, _, _ = _self_use(live, admin)
    for _ in range(10):
        with pytest.raises(OAuthError) as refused:
            client_credentials(live.url, {**connector, "client_secret": "guess"})
        assert refused.value.error == "invalid_client"
    locked = httpx.post(f"{live.url}/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(connector["client_id"], connector["client_secret"]), timeout=30)
    assert locked.status_code == 429 and locked.json()["error"] == "abuse_throttled", locked.text
    assert int(locked.headers["retry-after"]) > 60
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["action"], alert["figures"]["count"]) == ("credential_stuffing", "throttle", 10)


@pytest.mark.parametrize(("path", "code"), [
    ("/banks/kaede/corporation/v1/accounts", lambda body: body["errorCode"] == "KB_ERR_9003"),
    ("/banks/tsubame/v1/accounts", lambda body: body["error"]["code"] == "suspicious_activity"),
    ("/banks/shirakaba/biz/v2/accounts", lambda body: body["errCd"] == "SB9003"),
    ("/hub/v1/accounts", lambda body: body["code"] == "abuse_throttled"),
], ids=["kaede", "tsubame", "shirakaba", "hub"])
def test_abuse_a_locked_client_meets_each_banks_own_code(live, admin, path, code):
    connector, token, _ = _self_use(live, admin)
    assert httpx.get(f"{live.url}{path}", headers=bearer(token), timeout=30).status_code == 200
    for _ in range(10):
        with pytest.raises(OAuthError):
            client_credentials(live.url, {**connector, "client_secret": "guess"})
    refused = httpx.get(f"{live.url}{path}", headers=bearer(token), timeout=30)  # a token issued before the lock
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 60, refused.text
    assert code(refused.json()), refused.text


def test_abuse_a_mistyped_secret_then_the_right_one_raises_no_alert(live, admin):
    connector, _, _ = _self_use(live, admin)
    for _ in range(2):
        with pytest.raises(OAuthError):
            client_credentials(live.url, {**connector, "client_secret": "typo"})
    assert client_credentials(live.url, connector)["access_token"]
    assert _alerts(admin, connector_id=connector["id"]) == []


# --- structuring and new_payee_velocity: the transfer waits for the customer's approval ---------------------

def _third_party(live, admin, rank: int):
    """A third-party connector acting for the `rank`-th richest individual of つばめ銀行: (connector, token, account)."""
    accounts = sorted((a for a in _accounts(admin) if a["customer_kind"] == "individual"), key=lambda a: -a["balance"])
    account = accounts[rank]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    token = third_party_token(live.url, connector, account["customer_id"], "transfers:write transfers:read",
                              accounts=[account["id"]])
    return connector, token, account


def _pay(live, token, account: dict, payee: dict, amount: int, key: str, **extra):
    kind = {"1": "ordinary", "2": "current", "4": "savings"}[str(payee["account_type"])]
    body = {"source_account_id": account["id"], "amount": amount, **extra,
            "payee": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": kind,
                      "account_number": payee["account_number"], "name": payee["holder_kana"]}}
    return BANK.post(f"{live.url}{TSUBAME}/transfers", json=body, headers={**bearer(token), "Idempotency-Key": key})


def _payees(admin, account: dict, count: int, skip: int = 0) -> list[dict]:
    return [a for a in _accounts(admin) if a["customer_id"] != account["customer_id"]][skip:skip + count]


def test_abuse_structuring_steps_the_transfer_up(live, admin):
    connector, token, account = _third_party(live, admin, rank=0)
    payee = _payees(admin, account, 1)[0]
    # つばめ銀行 asks approval above 300,000 yen: three transfers just under it, to one payee.
    answers = [_pay(live, token, account, payee, 290_000, f"structuring-{n}") for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
    reasons = [a.json()["approval"]["reasons"] for a in answers]
    assert [("structuring" in why) for why in reasons] == [False, False, True], reasons
    assert answers[2].json()["status"] == "requires_approval"
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["action"], alert["subject"]) == ("structuring", "step_up", account["id"])
    assert alert["figures"]["total"] == 870_000 and alert["figures"]["threshold_amount"] == 300_000
    assert len(_evidence(admin, alert)["evidence"]["request_ids"]) == 3


def test_abuse_new_payee_velocity_steps_the_transfer_up(live, admin):
    connector, token, account = _third_party(live, admin, rank=1)
    answers = [_pay(live, token, account, payee, 1_000, f"fan-out-{n}")
               for n, payee in enumerate(_payees(admin, account, 6, skip=5))]
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    reasons = [a.json()["approval"]["reasons"] for a in answers]
    assert [("new_payee_velocity" in why) for why in reasons] == [False] * 5 + [True], reasons
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["figures"]["count"]) == ("new_payee_velocity", 6)


def test_abuse_varied_payments_to_a_few_payees_raise_no_alert(live, admin):
    connector, token, account = _third_party(live, admin, rank=2)
    payees = _payees(admin, account, 3, skip=12)
    for n, amount in enumerate((12_000, 48_500, 3_300, 150_000, 9_800, 27_000)):
        answer = _pay(live, token, account, payees[n % 3], amount, f"honest-{n}")
        assert answer.status_code == 201, answer.text
        assert not {"structuring", "new_payee_velocity"} & set((answer.json()["approval"] or {}).get("reasons", []))
    assert _alerts(admin, connector_id=connector["id"]) == []


# --- cancel_cycling and idempotency_mismatch: alerts for bank staff -------------------------------------------

def test_abuse_cancel_cycling_raises_an_alert(live, admin):
    connector, token, account = _self_use(live, admin, rank=3)
    payee = _payees(admin, account, 1, skip=20)[0]
    for n in range(8):
        made = _pay(live, token, account, payee, 10_000 + n, f"cycle-{n}", scheduled_on="2026-11-09")
        assert made.status_code == 201 and made.json()["status"] == "scheduled", made.text
        cancelled = httpx.post(f"{live.url}{TSUBAME}/transfers/{made.json()['id']}/cancel", headers=bearer(token),
                               timeout=30)
        assert cancelled.status_code == 200, cancelled.text
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["action"], alert["figures"]["count"]) == ("cancel_cycling", "alert", 8)
    assert _pay(live, token, account, payee, 5_000, "after-cycling").status_code == 201  # alert only: nothing held back


def test_abuse_idempotency_mismatch_raises_an_alert(live, admin):
    connector, token, account = _self_use(live, admin, rank=4)
    payee = _payees(admin, account, 1, skip=21)[0]
    assert _pay(live, token, account, payee, 2_000, "one-key").status_code == 201
    for n in range(5):
        reused = _pay(live, token, account, payee, 2_001 + n, "one-key")
        assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused", reused.text
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["figures"]["count"]) == ("idempotency_mismatch", 5)
    # A retry with the same body is the key's purpose: it gets the first answer and counts nothing.
    other, token2, account2 = _self_use(live, admin, rank=5)
    for _ in range(6):
        assert _pay(live, token2, account2, payee, 2_000, "retried").status_code == 201
    assert _alerts(admin, connector_id=other["id"]) == []


# --- retry_storm and scope_probing ----------------------------------------------------------------------------

def test_abuse_retry_storm_throttles_the_connector(live, admin):
    connector, token, account = _self_use(live, admin, rank=6, plan="free")  # 5 calls a second
    url = f"{live.url}{TSUBAME}/accounts/{account['id']}/balance"
    with httpx.Client(headers=bearer(token), timeout=30) as client:
        statuses = []
        while not _alerts(admin, connector_id=connector["id"]) and len(statuses) < 1000:
            statuses += [client.get(url).status_code for _ in range(20)]
        refused = client.get(url)
    assert 429 in statuses
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["action"]) == ("retry_storm", "throttle")
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "suspicious_activity", refused.text


def test_abuse_a_client_that_honours_retry_after_raises_no_alert(live, admin):
    connector, token, account = _self_use(live, admin, rank=7, plan="free")
    url = f"{live.url}{TSUBAME}/accounts/{account['id']}/balance"
    with httpx.Client(headers=bearer(token), timeout=30) as client:
        for _ in range(12):
            answer = client.get(url)
            if answer.status_code == 429:
                import time

                time.sleep(int(answer.headers["retry-after"]))
    assert _alerts(admin, connector_id=connector["id"]) == []


def test_abuse_scope_probing_suspends_the_connector(live, admin):
    connector, token, account = _self_use(live, admin, rank=8, plan="free")  # reference APIs only
    payee = _payees(admin, account, 1, skip=22)[0]
    for n in range(30):
        refused = _pay(live, token, account, payee, 1_000, f"probe-{n}")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "plan_not_allowed", refused.text
    stopped = httpx.get(f"{live.url}{TSUBAME}/accounts/{account['id']}/balance", headers=bearer(token), timeout=30)
    assert stopped.status_code == 403 and stopped.json()["error"]["code"] == "client_suspended", stopped.text
    [alert] = _alerts(admin, connector_id=connector["id"])
    assert (alert["rule"], alert["action"], alert["figures"]["count"]) == ("scope_probing", "suspend", 30)
    audit = admin.get(f"{V1}/connectors/{connector['id']}/audit").json()
    assert any(event.get("reason") == "scope_probing" for event in audit["events"]), audit


# --- honest traffic: a day of varied work raises no alert ---------------------------------------------------

def test_abuse_a_day_of_varied_honest_work_raises_no_alert(live, admin):
    """Balances, statements, inquiries of entered payees, payments, a cancellation, a retried request, a
    mistaken scope and a mistyped secret, spread over a working day by the sandbox clock."""
    connector, token, account = _self_use(live, admin, rank=12)
    payees = _payees(admin, account, 4, skip=30)
    with httpx.Client(base_url=f"{live.url}{TSUBAME}", headers=bearer(token), timeout=30) as client:
        for hour in range(8):
            assert client.get(f"/accounts/{account['id']}/balance").status_code == 200
            assert client.get(f"/accounts/{account['id']}/transactions").status_code == 200
            payee = payees[hour % len(payees)]
            assert _inquire(live, token, payee, name=payee["holder_kana"]).status_code == 200
            paid = _pay(live, token, account, payee, 8_000 + hour * 1_500, f"day-{hour}")
            assert paid.status_code == 201, paid.text
            assert _pay(live, token, account, payee, 8_000 + hour * 1_500, f"day-{hour}").json() == paid.json()
            if hour == 3:
                later = _pay(live, token, account, payee, 20_000, "day-later", scheduled_on="2026-11-30")
                assert client.post(f"/transfers/{later.json()['id']}/cancel").status_code == 200
            assert admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": 3600}).status_code == 200
    narrow = client_credentials(live.url, connector, scope="accounts:read")
    assert _pay(live, narrow, account, payees[0], 1_000, "wrong-scope").status_code == 403  # then fixed
    with pytest.raises(OAuthError):
        client_credentials(live.url, {**connector, "client_secret": "typo"})
    assert _alerts(admin, connector_id=connector["id"]) == []


# --- alerts on the control plane: filters, paging, bad input ---------------------------------------------------

def test_abuse_alerts_filter_and_page_with_a_cursor(live, admin):
    everything = _alerts(admin, limit=500)
    assert {a["rule"] for a in everything} >= {"name_inquiry_enumeration", "credential_stuffing", "scope_probing"}
    probing = _alerts(admin, rule="scope_probing")
    assert probing and {a["rule"] for a in probing} == {"scope_probing"}
    seen, cursor = [], None
    while True:
        page = admin.get(f"{V1}/workspaces/default/alerts", params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        seen += [a["id"] for a in page.json()["alerts"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == [a["id"] for a in everything]  # newest first, each once


def test_abuse_alert_resolve_closes_it_once(live, admin):
    alert = _alerts(admin, rule="cancel_cycling", status="open")[0]
    resolved = admin.post(f"{V1}/workspaces/default/alerts/{alert['id']}/resolve", json={"note": "a test connector"})
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["status"], resolved.json()["note"]) == ("resolved", "a test connector")
    assert resolved.json()["resolved_at"].endswith("+09:00")
    assert alert["id"] in {a["id"] for a in _alerts(admin, status="resolved")}
    again = admin.post(f"{V1}/workspaces/default/alerts/{alert['id']}/resolve", json={})
    assert again.status_code == 409 and again.json()["code"] == "alert_resolved"


def test_abuse_cli_lists_shows_and_resolves_alerts(live, admin):
    import json

    from click.testing import CliRunner

    from sandbox.cli import main

    data = ["--data-dir", str(live.settings.data_dir)]
    alert = _alerts(admin, rule="idempotency_mismatch", status="open")[0]
    listed = CliRunner().invoke(main, ["alerts", "list", "--rule", "idempotency_mismatch", "--json", *data])
    assert listed.exit_code == 0, listed.output
    assert alert["id"] in {a["id"] for a in json.loads(listed.output)["alerts"]}
    shown = CliRunner().invoke(main, ["alerts", "show", alert["id"], *data])
    assert shown.exit_code == 0 and len(json.loads(shown.output)["evidence"]["request_ids"]) == 5, shown.output
    resolved = CliRunner().invoke(main, ["alerts", "resolve", alert["id"], "--note", "checked", *data])
    assert resolved.exit_code == 0 and admin.get(f"{V1}/workspaces/default/alerts/{alert['id']}").json()["note"] == "checked"
    again = CliRunner().invoke(main, ["alerts", "resolve", alert["id"], *data])
    assert again.exit_code == 1 and "alert_resolved" in again.output
    missing = CliRunner().invoke(main, ["alerts", "show", "alr_none", *data])
    assert missing.exit_code == 1 and "alert_not_found" in missing.output


@pytest.mark.parametrize(("method", "path", "params", "body", "status", "code"), [
    ("GET", "/workspaces/default/alerts", {"status": "closed"}, None, 400, "invalid_request"),
    ("GET", "/workspaces/default/alerts", {"cursor": "x"}, None, 400, "invalid_request"),
    ("GET", "/workspaces/default/alerts", {"limit": 0}, None, 400, "invalid_request"),
    ("GET", "/workspaces/nowhere/alerts", {}, None, 404, "workspace_not_found"),
    ("GET", "/workspaces/default/alerts/alr_none", {}, None, 404, "alert_not_found"),
    ("POST", "/workspaces/default/alerts/alr_none/resolve", {}, {}, 404, "alert_not_found"),
    ("POST", "/workspaces/default/alerts/alr_none/resolve", {}, {"note": "x" * 501}, 400, "invalid_request"),
    ("POST", "/workspaces/default/alerts/alr_none/resolve", {}, {"note": 5}, 400, "invalid_request"),
    ("POST", "/workspaces/default/alert-webhooks", {}, {"url": "ftp://example.jp"}, 400, "invalid_request"),
    ("DELETE", "/workspaces/default/alert-webhooks/ahk_none", {}, None, 404, "not_found"),
])
def test_abuse_alert_endpoints_refuse_bad_input(live, admin, method, path, params, body, status, code):
    before = _alerts(admin, limit=500)
    answer = admin.request(method, f"{V1}{path}", params=params, json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json") and answer.json()["code"] == code
    assert _alerts(admin, limit=500) == before


# --- alert.raised, sent to an endpoint bank staff registered ---------------------------------------------------

def test_abuse_alert_raised_webhook_reaches_a_real_receiver(live, admin):
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from sandbox.governance.webhooks import verify

    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_):
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        hook = admin.post(f"{V1}/workspaces/default/alert-webhooks",
                          json={"url": f"http://127.0.0.1:{receiver.server_port}/alerts"})
        assert hook.status_code == 201, hook.text
        assert "secret" not in admin.get(f"{V1}/workspaces/default/alert-webhooks").json()["endpoints"][0]
        connector, token, account = _self_use(live, admin, rank=9)
        payee = _payees(admin, account, 1, skip=23)[0]
        assert _pay(live, token, account, payee, 3_000, "hooked").status_code == 201
        for n in range(5):
            assert _pay(live, token, account, payee, 3_001 + n, "hooked").status_code == 409
        deadline = time.monotonic() + 10
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        [(headers, body)] = received
        assert verify(hook.json()["secret"], headers["Sandbox-Signature"], body, time.time())
        event = httpx.Response(200, content=body).json()
        assert (event["type"], headers["Sandbox-Event-Type"]) == ("alert.raised", "alert.raised")
        assert (event["data"]["rule"], event["data"]["connector_id"]) == ("idempotency_mismatch", connector["id"])
        assert admin.delete(f"{V1}/workspaces/default/alert-webhooks/{hook.json()['id']}").status_code == 204
    finally:
        receiver.shutdown()


# --- the console: alerts with their evidence, resolve, lift a suspension -----------------------------------------

@pytest.mark.slow
def test_abuse_console_shows_resolves_and_lifts_in_a_browser(live, admin):
    import shutil

    import live_server

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no system Chromium (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    alert = _alerts(admin, rule="scope_probing", status="open")[0]
    assert admin.get(f"{V1}/connectors/{alert['connector_id']}").json()["status"] == "suspended"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_context(locale="ja-JP").new_page()
            page.goto(f"{live.url}/console/sign-in")
            page.fill("#token", live_server.ADMIN_TOKEN)
            with page.expect_navigation():
                page.locator("main button[type=submit]").click()
            page.goto(f"{live.url}/console/workspaces/default")
            with page.expect_navigation():
                page.locator("#alerts-link").click()
            row = page.locator(f"#alert-{alert['id']}")
            assert "権限外 API の呼び出し" in row.inner_text() and "接続停止" in row.inner_text()
            assert "+09:00" in row.inner_text() and "未対応" in row.inner_text()  # sandbox time, in JST
            with page.expect_navigation():
                row.get_by_role("link").click()
            evidence = page.locator("#evidence a")
            assert evidence.count() == 20  # the latest twenty requests of the window, each linked to the log
            with page.expect_navigation():
                evidence.first.click()
            assert "plan_forbidden" in page.content()
            page.go_back()
            with page.expect_navigation():
                page.locator("#lift button").click()
            assert admin.get(f"{V1}/connectors/{alert['connector_id']}").json()["status"] == "active"
            page.fill("#resolve input[name=note]", "確認済み: テスト用の接続")
            with page.expect_navigation():
                page.locator("#resolve button").click()
            assert "対応済み" in page.locator("#alert-status").inner_text()
            page.goto(f"{live.url}/console/workspaces/default/alerts?lang=en&status=resolved")
            assert "scope probing" in page.locator(f"#alert-{alert['id']}").inner_text()
        finally:
            browser.close()


# --- the sandbox clock drives the windows; a reset clears alerts and windows ------------------------------------

def test_abuse_windows_expire_when_the_clock_moves_on(live, admin):
    connector, token, account = _self_use(live, admin, rank=10)
    payee = _payees(admin, account, 1, skip=24)[0]
    assert _pay(live, token, account, payee, 4_000, "spread").status_code == 201
    for n in range(4):
        assert _pay(live, token, account, payee, 4_001 + n, "spread").status_code == 409
    moved = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": 600})
    assert moved.status_code == 200, moved.text
    for n in range(4):  # four more, in the next ten minutes: never five in one window
        assert _pay(live, token, account, payee, 4_010 + n, "spread").status_code == 409
    assert _alerts(admin, connector_id=connector["id"]) == []


def test_abuse_reset_clears_alerts_and_windows(live, admin):
    connector, token, account = _self_use(live, admin, rank=11)
    payee = _payees(admin, account, 1, skip=25)[0]
    assert _pay(live, token, account, payee, 5_000, "before-reset").status_code == 201
    for n in range(4):
        assert _pay(live, token, account, payee, 5_001 + n, "before-reset").status_code == 409
    assert _alerts(admin)
    assert admin.post(f"{V1}/workspaces/default/reset").status_code == 200
    assert _alerts(admin) == []
    # The four refusals before the reset no longer count: one more (after the reset) does not trip the rule.
    assert _pay(live, token, account, payee, 5_000, "before-reset").status_code == 201
    assert _pay(live, token, account, payee, 5_100, "before-reset").status_code == 409
    assert _alerts(admin, connector_id=connector["id"]) == []
