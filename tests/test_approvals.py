"""Transfers waiting for a customer's approval, as bank staff see them: the control plane and the console.

A real connector (a company's self-use connector, client-credentials token) asks 楓銀行 for a transfer
above the company approval threshold; the bank's policy holds it. The control plane lists it under
`status=pending_approval` and the console shows it, in a real headless Chromium.
"""

from __future__ import annotations

import httpx
import pytest

from console_browser import chromium, sign_in
from oauth_flows import bearer, client_credentials, create_connector

V1 = "/sandbox/v1"
KAEDE = "/banks/kaede/corporation/v1"
LIVE_SERVER = {"open_access": False}


@pytest.fixture(scope="module")
def held(live, admin):
    """A transfer of 6,000,000 yen from the richest company, held for its approver: (payer, response body)."""
    listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    corporate = sorted((a for a in listed["accounts"] if a["customer_kind"] == "corporate"), key=lambda a: -a["balance"])
    payer = corporate[0]
    payee = next(a for a in corporate if a["customer_id"] != payer["customer_id"])
    connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"]})
    token = client_credentials(live.url, connector)
    body = {"accountId": payer["id"], "transferDesignatedDate": "2026-11-05",
            "transfers": [{"itemId": "1", "transferAmount": "6000000", "beneficiaryBankCode": payee["bank_code"],
                           "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
                           "accountNumber": payee["account_number"], "beneficiaryName": payee["holder_kana"]}]}
    answer = httpx.post(f"{live.url}{KAEDE}/transfer/request", json=body, timeout=30,
                        headers={**bearer(token), "Idempotency-Key": "approvals-1"})
    assert answer.status_code == 202 and answer.json()["resultCode"] == "7", answer.text
    return payer, answer.json()


def test_control_plane_lists_transfers_waiting_for_approval(live, admin, held):
    payer, answer = held
    listed = admin.get(f"{V1}/workspaces/default/transfers", params={"status": "pending_approval"})
    assert listed.status_code == 200, listed.text
    waiting = listed.json()["transfers"]
    assert [t["id"] for t in waiting] == [answer["applyNo"]]
    transfer = waiting[0]
    assert (transfer["status"], transfer["amount"], transfer["from_account_id"]) == (
        "pending_approval", 6_000_000, payer["id"])
    approval = transfer["approval"]
    assert approval["reasons"] == ["corporate_approval"] and approval["status"] == "pending"
    assert approval["url"] == answer["approvalUrl"] and approval["url"].startswith("/oauth/approve?")
    assert approval["expires_at"].startswith("2026-11-05T10:30")  # the policy's 30 minutes on the frozen clock
    # The held transfer is not a transfer yet: no other status lists it, and nothing moved.
    for status in ("scheduled", "executed"):
        others = admin.get(f"{V1}/workspaces/default/transfers", params={"status": status})
        assert others.status_code == 200 and answer["applyNo"] not in {t["id"] for t in others.json()["transfers"]}
    assert admin.get(f"{V1}/workspaces/default/accounts/{payer['id']}").json()["balance"] == payer["balance"]
    unknown = admin.get(f"{V1}/workspaces/default/transfers", params={"status": "waiting"})
    assert unknown.status_code == 400 and unknown.headers["content-type"].startswith("application/problem+json")


def test_control_plane_pending_approvals_page_with_a_cursor(live, admin, held):
    first = admin.get(f"{V1}/workspaces/default/transfers", params={"status": "pending_approval", "limit": 1}).json()
    assert len(first["transfers"]) == 1 and first["next_cursor"] is None
    bad = admin.get(f"{V1}/workspaces/default/transfers", params={"status": "pending_approval", "cursor": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_request"


def test_console_shows_transfers_waiting_for_approval(live, held):
    _, answer = held
    with chromium() as browser:
        page = browser.new_context(locale="ja-JP").new_page()
        sign_in(page, live.url)
        page.goto(f"{live.url}/console/workspaces/default")
        with page.expect_navigation():
            page.get_by_role("link", name="承認待ちの振込").click()
        row = page.locator(f"#approval-{answer['applyNo']}")
        assert row.is_visible()
        assert "6,000,000" in row.inner_text() and "法人の承認者による承認が必要" in row.inner_text()
        assert row.get_by_role("link").get_attribute("href") == answer["approvalUrl"]
        page.goto(f"{live.url}/console/workspaces/default/approvals?lang=en")
        assert "needs the company's approver" in page.locator(f"#approval-{answer['applyNo']}").inner_text()


def test_a_connector_lists_only_the_transfers_it_reaches(live, admin, held):
    """A transfer list without an account filter is the caller's: another company's transfers stay hidden."""
    payer, answer = held
    listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    others = [a for a in listed["accounts"] if a["customer_kind"] == "corporate" and a["customer_id"] != payer["customer_id"]]
    other, payee = others[0], others[1]
    stranger = create_connector(admin, **{"class": "self-use", "customer_id": other["customer_id"]})
    token = client_credentials(live.url, stranger)
    paid = httpx.post(f"{live.url}/hub/v1/transfers", timeout=30, headers={**bearer(token), "Idempotency-Key": "reach-1"},
                      json={"from_account_id": other["id"], "amount": 1_000, "to": {
                          "bank_code": payee["bank_code"], "branch_code": payee["branch_code"],
                          "account_type": payee["account_type"], "account_number": payee["account_number"],
                          "name": payee["holder_kana"]}})
    assert paid.status_code == 201, paid.text
    third = create_connector(admin, **{"class": "self-use", "customer_id": payee["customer_id"]})
    theirs = httpx.post(f"{live.url}/hub/v1/transfers", timeout=30,
                        headers={**bearer(client_credentials(live.url, third)), "Idempotency-Key": "reach-2"},
                        json={"from_account_id": payee["id"], "amount": 2_000, "to": {
                            "bank_code": other["bank_code"], "branch_code": other["branch_code"],
                            "account_type": other["account_type"], "account_number": other["account_number"],
                            "name": other["holder_kana"]}})
    assert theirs.status_code == 201, theirs.text
    for status in (None, "pending_approval"):
        seen = httpx.get(f"{live.url}/hub/v1/transfers", headers=bearer(token), timeout=30,
                         params={"status": status} if status else {})
        assert seen.status_code == 200, seen.text
        ids = {t["id"] for t in seen.json()["transfers"]}
        assert answer["applyNo"] not in ids and theirs.json()["id"] not in ids  # other companies' transfers
        assert {t["from_account_id"] for t in seen.json()["transfers"]} <= {a["id"] for a in listed["accounts"]
                                                                          if a["customer_id"] == other["customer_id"]}
        if status is None:
            assert paid.json()["id"] in ids
    # Bank staff see both.
    everything = admin.get(f"{V1}/workspaces/default/transfers", params={"status": "pending_approval"}).json()
    assert answer["applyNo"] in {t["id"] for t in everything["transfers"]}


# Last in this module: it moves the workspace clock past the held transfer's approval deadline.
def test_control_plane_no_longer_lists_an_approval_that_lapsed(live, admin, held):
    _, answer = held
    moved = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": 31 * 60})
    assert moved.status_code == 200, moved.text
    listed = admin.get(f"{V1}/workspaces/default/transfers", params={"status": "pending_approval"}).json()
    assert answer["applyNo"] not in {t["id"] for t in listed["transfers"]}
