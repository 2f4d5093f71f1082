"""The control plane over real HTTP: workspaces, resets, accounts for staff, auth, and problem documents."""

from __future__ import annotations

import threading

import httpx
import pytest

import live_server
from sandbox.actions import transfers


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = live_server.start(tmp_path_factory.mktemp("control"))
    server.workspaces.ensure("default")
    yield server
    server.stop()


def assert_problem(response, status: int, code: str | None) -> dict:
    """Every refusal of the control plane is an RFC 7807 document with the canonical code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and "type" in body
    if code is not None:
        assert body["code"] == code, body
    return body


def test_control_plane_health_needs_no_token(live):
    assert httpx.get(f"{live.url}/healthz").json() == {"status": "ok"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}])
def test_control_plane_refuses_without_the_admin_token(live, headers):
    assert_problem(httpx.get(f"{live.url}/sandbox/v1/workspaces", headers=headers), 401, "unauthorized")


def test_control_plane_workspace_lifecycle(live):
    with live.admin() as admin:
        created = admin.post("/sandbox/v1/workspaces", json={"name": "team-01", "seed": 7, "as_of": "2026-11-04"})
        assert created.status_code == 201
        assert created.json()["accounts"] > 250 and len(created.json()["banks"]) == 3
        assert "team-01" in [w["name"] for w in admin.get("/sandbox/v1/workspaces").json()["workspaces"]]
        assert admin.get("/sandbox/v1/workspaces/team-01").json()["seed"] == 7
        assert admin.delete("/sandbox/v1/workspaces/team-01").status_code == 204
        assert_problem(admin.get("/sandbox/v1/workspaces/team-01"), 404, "workspace_not_found")
        assert admin.post("/sandbox/v1/workspaces", json={"name": "team-01", "seed": 8}).status_code == 201
        profiles = admin.get("/sandbox/v1/profiles").json()["profiles"]
        assert {"default", "large"} <= {p["name"] for p in profiles}


def test_control_plane_accounts_filters_and_pages(live):
    with live.admin() as admin:
        page = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 10}).json()
        assert len(page["accounts"]) == 10 and {a["bank_code"] for a in page["accounts"]} == {"0991"}
        rest = admin.get("/sandbox/v1/workspaces/default/accounts",
                         params={"bank_code": "0991", "limit": 10, "cursor": page["next_cursor"]}).json()
        assert not {a["id"] for a in page["accounts"]} & {a["id"] for a in rest["accounts"]}
        kana = page["accounts"][0]["holder_kana"][:3]
        found = admin.get("/sandbox/v1/workspaces/default/accounts", params={"kana": kana}).json()["accounts"]
        assert found and all(a["holder_kana"].replace(" ", "").startswith(kana.replace(" ", "")) for a in found)
        account = admin.get(f"/sandbox/v1/workspaces/default/accounts/{page['accounts'][0]['id']}").json()
        assert account["balance"] == page["accounts"][0]["balance"]
        lines = admin.get(f"/sandbox/v1/workspaces/default/accounts/{account['id']}/statement", params={"limit": 5}).json()
        assert len(lines["lines"]) == 5 and lines["next_cursor"]


BAD = [
    ("post", "/sandbox/v1/workspaces", {"name": "Bad Name"}, 400, "invalid_request"),
    ("post", "/sandbox/v1/workspaces", {"name": "ok-name", "profile": "nope"}, 404, "profile_not_found"),
    ("post", "/sandbox/v1/workspaces", {"name": "ok-name", "seed": -1}, 400, "invalid_request"),
    ("post", "/sandbox/v1/workspaces", {"name": "ok-name", "seed": "x"}, 400, "invalid_request"),
    ("post", "/sandbox/v1/workspaces", {"name": "ok-name", "colour": "blue"}, 400, "invalid_request"),
    ("post", "/sandbox/v1/workspaces", {"name": "ok-name", "as_of": "someday"}, 400, "invalid_date"),
    ("post", "/sandbox/v1/workspaces", {"name": "default"}, 409, "workspace_exists"),
    ("get", "/sandbox/v1/workspaces/nope", None, 404, "workspace_not_found"),
    ("post", "/sandbox/v1/workspaces/nope/reset", None, 404, "workspace_not_found"),
    ("get", "/sandbox/v1/workspaces/default/accounts/acc_nope", None, 404, "account_not_found"),
    ("get", "/sandbox/v1/workspaces/default/accounts?limit=0", None, 400, "invalid_request"),
    ("get", "/sandbox/v1/workspaces/default/accounts?limit=501", None, 400, "invalid_request"),
    ("get", "/sandbox/v1/workspaces/default/accounts?limit=x", None, 400, "invalid_request"),
    ("get", "/sandbox/v1/workspaces/default/accounts?bank_code=12", None, 400, "invalid_request"),
]


@pytest.mark.parametrize("method, path, body, status, code", BAD, ids=[f"{m} {p} {c}" for m, p, _, _, c in BAD])
def test_control_plane_bad_input_changes_nothing(live, method, path, body, status, code):
    with live.admin() as admin:
        before = admin.get("/sandbox/v1/workspaces").json()
        balances = {a["id"]: a["balance"] for a in admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]}
        response = admin.request(method.upper(), path, json=body)
        assert_problem(response, status, code)
        assert admin.get("/sandbox/v1/workspaces").json() == before
        after = {a["id"]: a["balance"] for a in admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]}
        assert after == balances


def test_control_plane_statement_dates_in_the_wrong_order(live):
    with live.admin() as admin:
        account = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 1}).json()["accounts"][0]
        response = admin.get(f"/sandbox/v1/workspaces/default/accounts/{account['id']}/statement",
                             params={"date_from": "2026-11-05", "date_to": "2026-11-01"})
        assert_problem(response, 400, "invalid_date")


def test_control_plane_reset_brings_every_balance_back_exactly(live):
    with live.admin() as admin:
        admin.post("/sandbox/v1/workspaces", json={"name": "reset-me", "as_of": "2026-11-04"})
        seeded = admin.get("/sandbox/v1/workspaces/reset-me/accounts", params={"limit": 500}).json()["accounts"]
        ctx = live.workspaces.context("reset-me")
        for payer, payee in zip(seeded[:20], seeded[20:40]):
            if payer["customer_kind"] == "individual" and payer["available_balance"] > 10_000:
                transfers.create(ctx, from_account_id=payer["id"], amount=5_000, to={
                    "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
                    "account_number": payee["account_number"], "name": payee["holder_kana"]})
        moved = admin.get("/sandbox/v1/workspaces/reset-me/accounts", params={"limit": 500}).json()["accounts"]
        assert moved != seeded
        assert admin.post("/sandbox/v1/workspaces/reset-me/reset").status_code == 200
        assert admin.get("/sandbox/v1/workspaces/reset-me/accounts", params={"limit": 500}).json()["accounts"] == seeded
        assert admin.get("/sandbox/v1/workspaces/reset-me").json()["transfers"] == 0


def test_control_plane_resets_while_serving_never_fail(live):
    errors = []
    stop = threading.Event()

    def reader():
        with live.admin() as admin:
            while not stop.is_set():
                response = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 50})
                if response.status_code != 200:
                    errors.append(response.text)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    with live.admin() as admin:
        for _ in range(10):
            assert admin.post("/sandbox/v1/workspaces/default/reset").status_code == 200
            stop.wait(0.02)  # an organiser's pace, not a tight loop
    stop.set()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]


def test_control_plane_clock_runs_what_falls_due_on_the_right_business_day(live):
    """Friday 16:00 before a Monday holiday: a transfer from a bank without モアタイム waits for Tuesday."""
    with live.admin() as admin:
        admin.post("/sandbox/v1/workspaces", json={"name": "clockwork", "as_of": "2027-01-07"})
        assert admin.get("/sandbox/v1/workspaces/clockwork/clock").json()["mode"] == "real"
        moved = admin.post("/sandbox/v1/workspaces/clockwork/clock", json={"mode": "set", "to": "2027-01-08T16:00:00+09:00"})
        assert moved.json()["now"] == "2027-01-08T16:00:00+09:00" and moved.json()["mode"] == "frozen"
        accounts = admin.get("/sandbox/v1/workspaces/clockwork/accounts", params={"limit": 500}).json()["accounts"]
        payer = max((a for a in accounts if a["bank_code"] == "0992" and a["customer_kind"] == "individual"),
                    key=lambda a: a["balance"])
        payee = next(a for a in accounts if a["bank_code"] == "0990")
        hub = httpx.Client(base_url=live.url, headers={"X-Sandbox-Workspace": "clockwork"})
        created = hub.post("/hub/v1/transfers", json={"from_account_id": payer["id"], "amount": 50_000, "to": {
            "bank_code": "0990", "branch_code": payee["branch_code"], "account_type": payee["account_type"],
            "account_number": payee["account_number"], "name": payee["holder_kana"]}})
        assert created.headers["x-sandbox-time"] == "2027-01-08T16:00:00+09:00"
        transfer = created.json()
        assert transfer["status"] == "scheduled" and transfer["execution_date"] == "2027-01-12"
        monday = admin.post("/sandbox/v1/workspaces/clockwork/clock", json={"mode": "advance", "seconds": 3 * 86400 - 6 * 3600})
        assert monday.json()["now"] == "2027-01-11T10:00:00+09:00" and monday.json()["executed"] == []
        assert hub.get(f"/hub/v1/transfers/{transfer['id']}").json()["status"] == "scheduled"
        tuesday = admin.post("/sandbox/v1/workspaces/clockwork/clock", json={"mode": "advance", "seconds": 23 * 3600})
        assert tuesday.json()["executed"] == [transfer["id"]]
        done = hub.get(f"/hub/v1/transfers/{transfer['id']}").json()
        assert done["status"] == "executed" and done["executed_at"].startswith("2027-01-12T09:00")
        assert_problem(admin.post("/sandbox/v1/workspaces/clockwork/clock", json={"mode": "advance", "seconds": 0}), 400, "invalid_request")
        assert admin.post("/sandbox/v1/workspaces/clockwork/reset").status_code == 200
        assert admin.get("/sandbox/v1/workspaces/clockwork/clock").json()["mode"] == "real"
        hub.close()
    assert live.workspaces.verify("clockwork") == []
