"""The control plane over real HTTP: workspaces, resets, accounts for staff, auth, and problem documents."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

import live_server
from sandbox.actions import transfers
from sandbox.http.app import clock_from
from sandbox.settings import Settings
from sandbox.workspaces import Workspaces

BIN = Path(sys.executable).parent / "bank-sandbox"
V1 = "/sandbox/v1"
AS_OF = "2026-11-04"  # the day before the server's frozen business morning


def assert_problem(response, status: int, code: str) -> dict:
    """Every refusal of the control plane is an RFC 7807 document with the canonical code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status, body
    assert body["code"] == code, body
    assert body["type"] == f"urn:bank-sandbox:error:{code}", body
    assert isinstance(body["title"], str) and body["title"], body
    assert isinstance(body["detail"], str) and body["detail"], body
    return body


def pages(admin, path: str, key: str, limit: int, **params) -> list:
    """Every item of a paged list, following next_cursor to the end."""
    items, cursor = [], None
    while True:
        response = admin.get(path, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page[key]) <= limit
        items += page[key]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page[key]) == limit  # only a full page says there is more


def all_accounts(admin, ws: str = "default", limit: int = 500, **params) -> list:
    return pages(admin, f"{V1}/workspaces/{ws}/accounts", "accounts", limit, **params)


def full_statement(admin, ws: str, account_id: str, limit: int = 500, **params) -> list:
    return pages(admin, f"{V1}/workspaces/{ws}/accounts/{account_id}/statement", "lines", limit, **params)


def observable(admin) -> tuple:
    """What a refused request must leave untouched: the workspace list and every balance of `default`."""
    return (admin.get(f"{V1}/workspaces").json(),
            {a["id"]: a["balance"] for a in all_accounts(admin)})


def to(account: dict) -> dict:
    """The payee coordinates of an account, as a transfer request names them."""
    return {key: account[key] for key in ("bank_code", "branch_code", "account_type", "account_number")} | {
        "name": account["holder_kana"]}


def dump(db) -> str:
    """A digest of every row of a workspace database."""
    return hashlib.sha256("\n".join(db.conn.iterdump()).encode()).hexdigest()


def pairs(accounts: list, count: int) -> list:
    """`count` (payer, payee) pairs of active individual accounts, the payers with money to spare."""
    active = [a for a in accounts if a["status"] == "active" and a["customer_kind"] == "individual"]
    payers = [a for a in active if a["available_balance"] > 50_000][:count]
    payees = [a for a in active if a not in payers][:count]
    assert len(payers) == len(payees) == count
    return list(zip(payers, payees))


def move_money(ctx, accounts: list, count: int) -> list:
    """Transfer 5,000 yen within each of `pairs(accounts, count)`, executed at once; return the pairs."""
    chosen = pairs(accounts, count)
    for payer, payee in chosen:
        assert transfers.create(ctx, from_account_id=payer["id"], amount=5_000, to=to(payee))["status"] == "executed"
    return chosen


# -- health and auth -----------------------------------------------------------------------------


def test_control_plane_health_needs_no_token(live):
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = httpx.get(f"{live.url}/healthz", headers=headers)
        assert response.status_code == 200 and response.json() == {"status": "ok"}


OPERATIONS = [
    ("GET", "/workspaces", None),
    ("POST", "/workspaces", {"name": "sneaky"}),
    ("GET", "/workspaces/default", None),
    ("DELETE", "/workspaces/default", None),
    ("POST", "/workspaces/default/reset", None),
    ("GET", "/workspaces/default/accounts", None),
    ("GET", "/workspaces/default/accounts/acc_0000000000000000", None),
    ("GET", "/workspaces/default/accounts/acc_0000000000000000/statement", None),
    ("GET", "/workspaces/default/clock", None),
    ("POST", "/workspaces/default/clock", {"mode": "freeze"}),
    ("GET", "/profiles", None),
]
CREDENTIALS = {
    "no token": {},
    "wrong token": {"Authorization": f"Bearer {live_server.ADMIN_TOKEN}x"},
    "bearer without a token": {"Authorization": "Bearer"},
    "basic": {"Authorization": "Basic eDp5"},
    "token without scheme": {"Authorization": live_server.ADMIN_TOKEN},
}


@pytest.mark.parametrize("credentials", CREDENTIALS, ids=list(CREDENTIALS))
@pytest.mark.parametrize("method, path, body", OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_control_plane_every_operation_needs_the_admin_token(live, admin, method, path, body, credentials):
    before = observable(admin)
    response = httpx.request(method, f"{live.url}{V1}{path}", json=body, headers=CREDENTIALS[credentials])
    assert_problem(response, 401, "unauthorized")
    assert observable(admin) == before


def test_control_plane_the_right_token_is_let_in(live):
    response = httpx.get(f"{live.url}{V1}/workspaces", headers={"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert "default" in [w["name"] for w in response.json()["workspaces"]]


# -- workspaces -----------------------------------------------------------------------------------


def test_control_plane_workspace_lifecycle(live, admin):
    created = admin.post(f"{V1}/workspaces", json={"name": "team-01", "profile": "default", "seed": 7, "as_of": AS_OF})
    assert created.status_code == 201, created.text
    workspace = created.json()
    assert {k: workspace[k] for k in ("name", "profile", "seed", "as_of", "generation")} == {
        "name": "team-01", "profile": "default", "seed": 7, "as_of": AS_OF, "generation": 0}
    assert workspace["created_at"].startswith("2026-11-05T10:00:00")  # the server's sandbox clock
    # The profile's three banks (180 customers) and 白樺銀行, declared by its folder (specs/shirakaba/bank.yaml: 60).
    assert workspace["accounts"] > 250 and workspace["customers"] == 180 + 60 and workspace["transfers"] == 0
    assert workspace["postings"] > 0
    assert {b["code"] for b in workspace["banks"]} == {"0990", "0991", "0992", "0993"}

    listed = admin.get(f"{V1}/workspaces").json()["workspaces"]
    assert [w["name"] for w in listed] == sorted(w["name"] for w in listed)
    assert {k: v for k, v in workspace.items() if k in listed[0]} in listed
    shown = admin.get(f"{V1}/workspaces/team-01").json()
    assert {k: v for k, v in shown.items()} == {k: v for k, v in workspace.items() if k != "postings"}

    reset = admin.post(f"{V1}/workspaces/team-01/reset")
    assert reset.status_code == 200
    assert reset.json()["name"] == "team-01" and reset.json()["generation"] == 1 and reset.json()["elapsed_ms"] > 0
    assert admin.get(f"{V1}/workspaces/team-01").json()["generation"] == 1

    deleted = admin.delete(f"{V1}/workspaces/team-01")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_problem(admin.get(f"{V1}/workspaces/team-01"), 404, "workspace_not_found")
    assert_problem(admin.delete(f"{V1}/workspaces/team-01"), 404, "workspace_not_found")
    assert "team-01" not in [w["name"] for w in admin.get(f"{V1}/workspaces").json()["workspaces"]]
    assert not list((live.settings.data_dir / "workspaces").glob("team-01.*"))


def test_control_plane_create_uses_the_defaults(admin):
    created = admin.post(f"{V1}/workspaces", json={"name": "defaults-only"})
    assert created.status_code == 201, created.text
    assert (created.json()["profile"], created.json()["seed"]) == ("default", 42)
    assert admin.delete(f"{V1}/workspaces/defaults-only").status_code == 204


def test_control_plane_delete_then_create_the_same_name(live, admin):
    name = "phoenix"
    assert admin.post(f"{V1}/workspaces", json={"name": name, "seed": 5, "as_of": AS_OF}).status_code == 201
    seeded = all_accounts(admin, name)
    move_money(live.workspaces.context(name), seeded, 3)
    assert all_accounts(admin, name) != seeded
    assert admin.delete(f"{V1}/workspaces/{name}").status_code == 204
    again = admin.post(f"{V1}/workspaces", json={"name": name, "seed": 5, "as_of": AS_OF})
    assert again.status_code == 201, again.text
    assert again.json()["generation"] == 0 and again.json()["transfers"] == 0
    assert all_accounts(admin, name) == seeded  # the same seed gives the same data, none of the old money moves
    assert live.workspaces.verify(name) == []


def test_control_plane_delete_then_create_is_seen_by_every_server_thread(live, admin):
    name = "lazarus"
    assert admin.post(f"{V1}/workspaces", json={"name": name, "as_of": AS_OF}).status_code == 201
    seeded = all_accounts(admin, name)
    stale, failures = [], []

    def read(times):
        with live.admin() as client:
            for _ in range(times):
                response = client.get(f"{V1}/workspaces/{name}/accounts", params={"limit": 500})
                if response.status_code != 200:
                    failures.append(response.status_code)
                elif response.json()["accounts"] != seeded:
                    stale.append(response.json()["accounts"])

    def many_readers(times):
        threads = [threading.Thread(target=read, args=(times,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    many_readers(5)  # several server threads open the workspace
    move_money(live.workspaces.context(name), seeded, 2)
    stale.clear()
    assert admin.delete(f"{V1}/workspaces/{name}").status_code == 204
    assert admin.post(f"{V1}/workspaces", json={"name": name, "as_of": AS_OF}).status_code == 201
    many_readers(10)
    assert not failures
    assert not stale, f"{len(stale)} of 80 reads saw the deleted workspace"


def test_control_plane_profiles(admin):
    response = admin.get(f"{V1}/profiles")
    assert response.status_code == 200
    profiles = {p["name"]: p["description"] for p in response.json()["profiles"]}
    assert {"default", "large"} <= set(profiles) and all(profiles.values())


# -- accounts and statements ----------------------------------------------------------------------


def test_control_plane_accounts_page_to_the_end(admin):
    everything = all_accounts(admin)
    assert len(everything) > 250 and len({a["id"] for a in everything}) == len(everything)
    assert [a["id"] for a in everything] == sorted(a["id"] for a in everything)
    in_sevens = all_accounts(admin, limit=7)
    assert in_sevens == everything
    first = admin.get(f"{V1}/workspaces/default/accounts").json()
    assert len(first["accounts"]) == 100 and first["next_cursor"] == first["accounts"][-1]["id"]  # default limit
    last = admin.get(f"{V1}/workspaces/default/accounts", params={"cursor": everything[-2]["id"]}).json()
    assert last == {"accounts": [everything[-1]], "next_cursor": None}


def test_control_plane_accounts_filter_by_bank_code(admin):
    everything = all_accounts(admin)
    by_bank = {code: all_accounts(admin, bank_code=code, limit=25) for code in ("0990", "0991", "0992", "0993")}
    for code, found in by_bank.items():
        assert found and {a["bank_code"] for a in found} == {code}
        assert found == [a for a in everything if a["bank_code"] == code]
    assert all_accounts(admin, bank_code="0001") == []


def test_control_plane_accounts_filter_by_kana(admin):
    everything = all_accounts(admin)
    holder = next(a for a in everything if " " in a["holder_kana"])
    family = holder["holder_kana"].split(" ")[0]
    for prefix in (family, family + " ", holder["holder_kana"], holder["holder_kana"].replace(" ", "")):
        found = all_accounts(admin, kana=prefix, limit=3)
        expected = [a for a in everything if a["holder_kana"].replace(" ", "").startswith(prefix.replace(" ", ""))]
        assert holder in found and found == expected, prefix
    assert all_accounts(admin, kana="ｦｦｦｦｦ") == []
    both = all_accounts(admin, kana=family, bank_code=holder["bank_code"])
    assert holder in both and all(a["bank_code"] == holder["bank_code"] for a in both)


def test_control_plane_get_account(admin):
    account = all_accounts(admin)[0]
    response = admin.get(f"{V1}/workspaces/default/accounts/{account['id']}")
    assert response.status_code == 200 and response.json() == account
    assert {"id", "bank_code", "branch_code", "account_type", "account_number", "holder_name", "holder_kana",
            "status", "balance"} <= set(account)


def _busiest(admin, ws="default") -> dict:
    """The account with the most statement lines (so date ranges and pages have something to cut)."""
    candidates = [a for a in all_accounts(admin, ws) if a["customer_kind"] == "corporate"][:10]
    return max(candidates, key=lambda a: len(full_statement(admin, ws, a["id"])))


def test_control_plane_statement_pages_and_balances(admin):
    account = _busiest(admin)
    lines = full_statement(admin, "default", account["id"])
    assert len(lines) > 10
    assert [line["line_id"] for line in lines] == sorted(line["line_id"] for line in lines)
    assert [line["date"] for line in lines] == sorted(line["date"] for line in lines)  # oldest first
    assert full_statement(admin, "default", account["id"], limit=3) == lines
    running = 0
    for line in lines:
        running += line["signed_amount"]
        assert line["balance_after"] == running
        assert line["amount"] == abs(line["signed_amount"]) and line["direction"] == ("credit" if line["signed_amount"] > 0 else "debit")
    assert running == account["balance"]
    page = admin.get(f"{V1}/workspaces/default/accounts/{account['id']}/statement", params={"limit": 4}).json()
    assert page["account_id"] == account["id"] and page["account"] == account and page["currency"] == "JPY"
    assert page["lines"] == lines[:4] and page["next_cursor"] == str(lines[3]["line_id"])
    assert (page["date_from"], page["date_to"]) == (None, None)


def test_control_plane_statement_date_range(admin):
    account = _busiest(admin)
    lines = full_statement(admin, "default", account["id"])
    dates = sorted({line["date"] for line in lines})
    assert len(dates) >= 4
    start, end = dates[1], dates[-2]
    ranged = full_statement(admin, "default", account["id"], limit=2, date_from=start, date_to=end)
    assert ranged == [line for line in lines if start <= line["date"] <= end]
    assert ranged and ranged != lines
    one_day = full_statement(admin, "default", account["id"], date_from=start, date_to=start)
    assert one_day and {line["date"] for line in one_day} == {start}
    assert full_statement(admin, "default", account["id"], date_from=end) == [l for l in lines if l["date"] >= end]
    assert full_statement(admin, "default", account["id"], date_to=start) == [l for l in lines if l["date"] <= start]
    assert full_statement(admin, "default", account["id"], date_from="2030-01-01") == []
    echoed = admin.get(f"{V1}/workspaces/default/accounts/{account['id']}/statement",
                       params={"date_from": start, "date_to": end}).json()
    assert (echoed["date_from"], echoed["date_to"]) == (start, end)


# -- bad input: a clear 4xx, the canonical code, and nothing changed -----------------------------

ACCOUNT = "{account}"  # replaced by a real account of `default`
BAD = [
    ("bad workspace name", "POST", "/workspaces", {"name": "Bad Name"}, 400, "invalid_request"),
    ("workspace name too long", "POST", "/workspaces", {"name": "a" * 64}, 400, "invalid_request"),
    ("workspace name missing", "POST", "/workspaces", {"seed": 1}, 400, "invalid_request"),
    ("unknown profile", "POST", "/workspaces", {"name": "ok-name", "profile": "nope"}, 404, "profile_not_found"),
    ("negative seed", "POST", "/workspaces", {"name": "ok-name", "seed": -1}, 400, "invalid_request"),
    ("seed too big", "POST", "/workspaces", {"name": "ok-name", "seed": 2**63}, 400, "invalid_request"),
    ("seed not an integer", "POST", "/workspaces", {"name": "ok-name", "seed": "x"}, 400, "invalid_request"),
    ("seed a fraction", "POST", "/workspaces", {"name": "ok-name", "seed": 1.5}, 400, "invalid_request"),
    ("unknown field", "POST", "/workspaces", {"name": "ok-name", "colour": "blue"}, 400, "invalid_request"),
    ("as_of not a date", "POST", "/workspaces", {"name": "ok-name", "as_of": "someday"}, 400, "invalid_date"),
    ("as_of impossible date", "POST", "/workspaces", {"name": "ok-name", "as_of": "2026-02-30"}, 400, "invalid_date"),
    ("as_of in antiquity", "POST", "/workspaces", {"name": "ok-name", "as_of": "0055-11-13"}, 400, "invalid_date"),
    ("as_of past 2099", "POST", "/workspaces", {"name": "ok-name", "as_of": "2100-01-01"}, 400, "invalid_date"),
    ("body not JSON", "POST", "/workspaces", b"{name: ok-name", 400, "invalid_request"),
    ("duplicate name", "POST", "/workspaces", {"name": "default"}, 409, "workspace_exists"),
    ("unknown workspace", "GET", "/workspaces/nope", None, 404, "workspace_not_found"),
    ("bad workspace name in path", "GET", "/workspaces/NOPE", None, 400, "invalid_request"),
    ("delete unknown workspace", "DELETE", "/workspaces/nope", None, 404, "workspace_not_found"),
    ("reset unknown workspace", "POST", "/workspaces/nope/reset", None, 404, "workspace_not_found"),
    ("accounts of unknown workspace", "GET", "/workspaces/nope/accounts", None, 404, "workspace_not_found"),
    ("unknown account", "GET", "/workspaces/default/accounts/acc_nope", None, 404, "account_not_found"),
    ("statement of unknown account", "GET", "/workspaces/default/accounts/acc_nope/statement", None, 404, "account_not_found"),
    ("limit 0", "GET", "/workspaces/default/accounts?limit=0", None, 400, "invalid_request"),
    ("limit 501", "GET", "/workspaces/default/accounts?limit=501", None, 400, "invalid_request"),
    ("limit x", "GET", "/workspaces/default/accounts?limit=x", None, 400, "invalid_request"),
    ("bank_code not 4 digits", "GET", "/workspaces/default/accounts?bank_code=12", None, 400, "invalid_request"),
    ("kana too long", "GET", "/workspaces/default/accounts?kana=" + "ｱ" * 49, None, 400, "invalid_request"),
    ("malformed accounts cursor", "GET", "/workspaces/default/accounts?cursor=garbage", None, 400, "invalid_request"),
    ("statement limit 0", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?limit=0", None, 400, "invalid_request"),
    ("statement limit 501", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?limit=501", None, 400, "invalid_request"),
    ("statement limit x", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?limit=x", None, 400, "invalid_request"),
    ("malformed statement cursor", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?cursor=abc", None, 400, "invalid_request"),
    ("date_from after date_to", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?date_from=2026-11-05&date_to=2026-11-01",
     None, 400, "invalid_date"),
    ("date_from not a date", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?date_from=yesterday", None, 400, "invalid_date"),
    ("date_to impossible date", "GET", f"/workspaces/default/accounts/{ACCOUNT}/statement?date_to=2026-04-31", None, 400, "invalid_date"),
    ("clock mode unknown", "POST", "/workspaces/default/clock", {"mode": "rewind"}, 400, "invalid_request"),
    ("clock advance by nothing", "POST", "/workspaces/default/clock", {"mode": "advance", "seconds": 0}, 400, "invalid_request"),
    ("clock advance by no seconds", "POST", "/workspaces/default/clock", {"mode": "advance"}, 400, "invalid_request"),
    ("clock set to no time", "POST", "/workspaces/default/clock", {"mode": "set", "to": "soon"}, 400, "invalid_request"),
    ("clock set without a time", "POST", "/workspaces/default/clock", {"mode": "set"}, 400, "invalid_date"),
    ("reset keeping connectors badly", "POST", "/workspaces/default/reset?connectors=maybe", None, 400, "invalid_request"),
    ("unknown path", "GET", "/nothing-here", None, 404, "not_found"),
    ("method not allowed", "PUT", "/workspaces", None, 405, "method_not_allowed"),
]


def _id(row):
    return row.id if hasattr(row, "id") else row[0]


@pytest.mark.parametrize("label, method, path, body, status, code", BAD, ids=[_id(row) for row in BAD])
def test_control_plane_bad_input_is_refused_and_changes_nothing(live, admin, label, method, path, body, status, code):
    before = observable(admin)
    clock_before = admin.get(f"{V1}/workspaces/default/clock").json()
    account = before[1] and min(before[1])
    path = V1 + path.replace(ACCOUNT, account)
    if isinstance(body, bytes):
        response = admin.request(method, path, content=body, headers={"Content-Type": "application/json"})
    else:
        response = admin.request(method, path, json=body)
    assert_problem(response, status, code)
    assert observable(admin) == before
    assert admin.get(f"{V1}/workspaces/default/clock").json() == clock_before
    assert not list((live.settings.data_dir / "workspaces").glob("ok-name*"))


# -- resets ----------------------------------------------------------------------------------------


def test_control_plane_reset_brings_every_balance_back_exactly(live, admin):
    name = "reset-me"
    assert admin.post(f"{V1}/workspaces", json={"name": name, "as_of": AS_OF}).status_code == 201
    seeded = all_accounts(admin, name)
    seeded_books = dump(live.workspaces.database(name))
    chosen = pairs(seeded, 15)
    watched = [chosen[0][0]["id"], chosen[0][1]["id"], chosen[7][0]["id"], chosen[-1][1]["id"]]
    statements = {account_id: full_statement(admin, name, account_id) for account_id in watched}
    for generation in (1, 2):  # a second round: a reset workspace resets as well as a fresh one
        move_money(live.workspaces.context(name), seeded, 15)
        assert all_accounts(admin, name) != seeded
        assert admin.get(f"{V1}/workspaces/{name}").json()["transfers"] == 15
        for account_id, lines in statements.items():
            assert len(full_statement(admin, name, account_id)) > len(lines)

        response = admin.post(f"{V1}/workspaces/{name}/reset")
        assert response.status_code == 200 and response.json()["generation"] == generation

        assert all_accounts(admin, name) == seeded
        for account_id, lines in statements.items():
            assert full_statement(admin, name, account_id) == lines
        shown = admin.get(f"{V1}/workspaces/{name}").json()
        assert shown["transfers"] == 0 and shown["generation"] == generation
        assert dump(live.workspaces.database(name)) == seeded_books
        assert live.workspaces.verify(name) == []


def test_control_plane_resets_while_serving_never_fail(live, admin):
    statuses, failures = [], []
    stop = threading.Event()

    def reader():
        with live.admin() as client:
            while not stop.is_set():
                try:
                    response = client.get(f"{V1}/workspaces/default/accounts", params={"limit": 50})
                except httpx.HTTPError as error:  # a dropped connection is a failure too
                    failures.append(repr(error))
                    continue
                statuses.append(response.status_code)
                if response.status_code != 200:
                    failures.append(response.text)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        generation = admin.get(f"{V1}/workspaces/default").json()["generation"]
        for round_ in range(1, 11):
            response = admin.post(f"{V1}/workspaces/default/reset")
            assert response.status_code == 200, response.text
            assert response.json()["generation"] == generation + round_
            stop.wait(0.02)  # an organiser's pace, not a tight loop
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not [s for s in statuses if s >= 500]
    assert not failures, failures[:3]
    assert len(statuses) > 10


# -- the workspace clock ---------------------------------------------------------------------------


def test_control_plane_clock_runs_what_falls_due_on_the_right_business_day(live, admin):
    """Friday 16:00 before a Monday holiday: a transfer from a bank without モアタイム waits for Tuesday."""
    admin.post(f"{V1}/workspaces", json={"name": "clockwork", "as_of": "2027-01-07"})
    assert admin.get(f"{V1}/workspaces/clockwork/clock").json()["mode"] == "real"
    moved = admin.post(f"{V1}/workspaces/clockwork/clock", json={"mode": "set", "to": "2027-01-08T16:00:00+09:00"})
    assert moved.json()["now"] == "2027-01-08T16:00:00+09:00" and moved.json()["mode"] == "frozen"
    accounts = all_accounts(admin, "clockwork")
    payer = max((a for a in accounts if a["bank_code"] == "0992" and a["customer_kind"] == "individual"),
                key=lambda a: a["balance"])
    payee = next(a for a in accounts if a["bank_code"] == "0990")
    with httpx.Client(base_url=live.url, headers={"X-Sandbox-Workspace": "clockwork"}) as hub:
        created = hub.post("/hub/v1/transfers", json={"from_account_id": payer["id"], "amount": 50_000, "to": to(payee)})
        assert created.headers["x-sandbox-time"] == "2027-01-08T16:00:00+09:00"
        transfer = created.json()
        assert transfer["status"] == "scheduled" and transfer["execution_date"] == "2027-01-12"
        monday = admin.post(f"{V1}/workspaces/clockwork/clock", json={"mode": "advance", "seconds": 3 * 86400 - 6 * 3600})
        assert monday.json()["now"] == "2027-01-11T10:00:00+09:00" and monday.json()["executed"] == []
        assert hub.get(f"/hub/v1/transfers/{transfer['id']}").json()["status"] == "scheduled"
        tuesday = admin.post(f"{V1}/workspaces/clockwork/clock", json={"mode": "advance", "seconds": 23 * 3600})
        assert tuesday.json()["executed"] == [transfer["id"]]
        done = hub.get(f"/hub/v1/transfers/{transfer['id']}").json()
        assert done["status"] == "executed" and done["executed_at"].startswith("2027-01-12T09:00")
    assert_problem(admin.post(f"{V1}/workspaces/clockwork/clock", json={"mode": "advance", "seconds": 0}), 400, "invalid_request")
    assert admin.post(f"{V1}/workspaces/clockwork/reset").status_code == 200
    assert admin.get(f"{V1}/workspaces/clockwork/clock").json()["mode"] == "real"
    assert live.workspaces.verify("clockwork") == []


# -- a real multi-process server ------------------------------------------------------------------


@pytest.mark.slow
def test_control_plane_reset_is_seen_by_every_worker_process(tmp_path):
    """`bank-sandbox serve --workers 2`: a reset through one request holds for whichever worker answers next."""
    port, token = live_server.free_port(), "two-workers-admin-token-of-32-chars-or-more"
    base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
    env = {**os.environ, "SANDBOX_ADMIN_TOKEN": token}
    env.pop("SANDBOX_DATA_DIR", None)
    process = subprocess.Popen(
        [str(BIN), "serve", "--workers", "2", "--port", str(port), "--data-dir", str(tmp_path),
         "--clock", live_server.BUSINESS_MORNING],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert live_server.wait_healthy(base, 90), "the server did not start"
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            assert [w["name"] for w in client.get(f"{V1}/workspaces").json()["workspaces"]] == ["default"]
            assert_problem(httpx.get(f"{base}{V1}/workspaces"), 401, "unauthorized")
            seeded = client.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]

            # Money moves in the shared data dir (this process is a third writer, like another replica).
            spaces = Workspaces(tmp_path, clock_from(Settings(clock=live_server.BUSINESS_MORNING)))
            payer = move_money(spaces.context("default"), seeded, 2)[0][0]
            spaces.database("default").conn.close()
            for _ in range(10):
                moved = client.get(f"{V1}/workspaces/default/accounts/{payer['id']}").json()
                assert moved["balance"] < payer["balance"]

            reset = client.post(f"{V1}/workspaces/default/reset")
            assert reset.status_code == 200 and reset.json()["generation"] == 1
            for _ in range(20):  # whichever worker answers, it reads the fresh generation
                assert client.get(f"{V1}/workspaces/default/accounts/{payer['id']}").json()["balance"] == payer["balance"]
                assert client.get(f"{V1}/workspaces/default").json()["generation"] == 1
            assert client.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"] == seeded
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr, stderr


def test_control_plane_a_request_line_routed_before_goes_to_the_same_operation_with_its_own_parameters(admin):
    # Routing remembers each request line (sandbox.http.app._RememberedRoutes): the second time round, each
    # account's path still reaches its own account, the query still counts, and what reached no operation
    # before (a method the path does not have, a path nobody serves) is refused as it was the first time.
    first, second = all_accounts(admin, limit=500)[:2]
    for _ in range(2):
        assert admin.get(f"{V1}/workspaces/default/accounts/{first['id']}").json()["id"] == first["id"]
        assert admin.get(f"{V1}/workspaces/default/accounts/{second['id']}").json()["id"] == second["id"]
        for limit in (1, 2):
            page = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": limit})
            assert page.status_code == 200 and len(page.json()["accounts"]) == limit
        assert admin.delete(f"{V1}/workspaces/default/accounts/{first['id']}").status_code == 405
        assert admin.get(f"{V1}/workspaces/default/no-such-thing").status_code == 404


def test_control_plane_each_request_body_is_judged_on_its_own_after_its_operation_was_seen(admin):
    # Validation keeps what depends only on the operation and the media type (sandbox.http.validation's
    # _RequestChecks, _ResponseChecks): good, badly typed and malformed requests to one operation, in turn,
    # are each answered as the first of their kind was.
    made = admin.post(f"{V1}/workspaces", json={"name": "judged-each"})
    assert made.status_code == 201, made.text
    clock = f"{V1}/workspaces/judged-each/clock"
    for round_ in range(2):
        good = admin.post(clock, json={"mode": "set", "to": f"2027-01-0{4 + round_}T10:00:00+09:00"})
        assert good.status_code == 200 and good.json()["now"] == f"2027-01-0{4 + round_}T10:00:00+09:00", good.text
        typed = admin.post(clock, content=b'{"mode": "freeze"}', headers={"Content-Type": "text/plain"})
        assert typed.status_code == 415 and typed.headers["content-type"] == "application/problem+json", typed.text
        malformed = admin.post(clock, json={"mode": "sideways"})
        assert malformed.status_code == 400 and "sideways" in malformed.text, malformed.text
        unknown = admin.post(clock, json={"mode": "freeze", "speed": 2})
        assert unknown.status_code == 400, unknown.text
        assert admin.get(clock).json()["now"] == f"2027-01-0{4 + round_}T10:00:00+09:00"
    assert admin.delete(f"{V1}/workspaces/judged-each").status_code in (200, 204)
