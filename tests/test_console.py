"""The web console in a real browser: Playwright driving Debian's headless Chromium (no browser download).

Screenshots of each step go to test-artifacts/console/. The test skips, saying why, when the system
Chromium is not installed (`.ci/run` installs it: `apt-get install chromium`).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

import live_server
from console_browser import chromium
from local_sites import QuietHandler, serving
from oauth_flows import bearer, client_credentials, create_connector

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "console"


LIVE_SERVER = {"open_access": False}


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
    context.close()


def submit(page, locator) -> None:
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        locator.click()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, live) -> None:
    page.goto(f"{live.url}/console/")
    assert "/console/sign-in" in page.url
    page.fill("#token", "not-the-token")
    submit(page, page.locator("main button[type=submit]"))
    assert page.locator(".error").first.is_visible()
    page.fill("#token", live_server.ADMIN_TOKEN)
    submit(page, page.locator("main button[type=submit]"))
    page.wait_for_selector("#workspaces")


@pytest.mark.slow
def test_console_staff_tasks_in_a_browser(live, page):
    with live.admin() as admin:
        listed = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
        company = next(a for a in listed["accounts"] if a["customer_kind"] == "corporate")
        connector = create_connector(admin, **{"class": "self-use", "customer_id": company["customer_id"],
                                               "name": "console test"})
    token = client_credentials(live.url, connector)
    balance_url = f"{live.url}/hub/v1/accounts/{company['id']}/balance"
    assert httpx.get(balance_url, headers=bearer(token), timeout=30).status_code == 200

    # Sign in, in Japanese; switch to English and back.
    sign_in(page, live)
    assert "ワークスペース" in page.content()
    submit(page, page.locator("#switch-language"))
    assert "Workspaces" in page.content()
    shot(page, "01-workspaces-en")
    submit(page, page.locator("#switch-language"))

    # Reset a workspace.
    submit(page, page.locator("tr[data-workspace=default] button[name=reset]"))
    assert page.locator("p.ok").first.inner_text().startswith("default をリセットしました")
    shot(page, "02-reset")

    # Switch a scenario pack on and see it among the active rules.
    page.goto(f"{live.url}/console/workspaces/default/scenarios")
    submit(page, page.locator("tr[data-pack=bank-maintenance] button"))
    assert page.locator("tr[data-pack=bank-maintenance] button").get_attribute("aria-pressed") == "true"
    assert page.locator("#rules tr[data-rule-pack=bank-maintenance]").count() == 1
    shot(page, "03-pack-on")
    down = httpx.get(balance_url, headers=bearer(token), timeout=30)
    assert down.status_code == 503
    submit(page, page.locator("tr[data-pack=bank-maintenance] button"))  # and off again
    assert page.locator("#rules tr[data-rule-pack=bank-maintenance]").count() == 0

    # Suspend the connector (with confirmation) and see its next API call refused.
    page.goto(f"{live.url}/console/workspaces/default/connectors")
    row = page.locator(f"tr[data-connector={connector['id']}]")
    row.locator("input[name=reason]").fill("ブラウザから停止")
    submit(page, row.locator("button"))
    assert page.locator("p.error").first.is_visible()  # no confirmation ticked: nothing happened
    row = page.locator(f"tr[data-connector={connector['id']}]")
    assert row.locator(".status").inner_text() == "有効"
    row.locator("input[name=reason]").fill("ブラウザから停止")
    row.locator("input[name=confirm]").check()
    submit(page, row.locator("button"))
    row = page.locator(f"tr[data-connector={connector['id']}]")
    assert row.locator(".status").inner_text() == "停止中"
    assert "ブラウザから停止" in page.content()  # in the audit trail
    shot(page, "04-suspended")
    refused = httpx.get(balance_url, headers=bearer(token), timeout=30)
    assert refused.status_code == 403 and refused.json()["code"] == "connector_suspended"

    # Find that refusal in the request log, and open it.
    page.goto(f"{live.url}/console/workspaces/default/requests")
    page.fill("input[name=error_code]", "connector_suspended")
    submit(page, page.locator("#filter"))
    rows = page.locator("#log tr[data-request]")
    assert rows.count() == 1 and "403" in rows.first.inner_text()
    shot(page, "05-log")
    submit(page, rows.first.locator("a"))
    assert '"error_code": "connector_suspended"' in page.locator("#entry").inner_text()
    shot(page, "06-request")


def test_console_accounts_clock_and_teams(live, page):
    sign_in(page, live)
    page.goto(f"{live.url}/console/workspaces/default?bank_code=0991")
    first = page.locator("#accounts tr").nth(1)
    submit(page, first.locator("a"))
    submit(page, page.locator("#freeze"))
    assert page.locator("#status").inner_text() == "凍結"
    shot(page, "07-frozen")
    submit(page, page.locator("#unfreeze"))
    assert page.locator("#status").inner_text() == "有効"
    page.goto(f"{live.url}/console/workspaces/default/clock")
    before = page.locator("#now").inner_text()
    submit(page, page.locator("#advance"))
    assert page.locator("#now").inner_text() != before
    shot(page, "08-clock")
    page.goto(f"{live.url}/console/")
    page.fill("form[action='/console/teams'] input[name=name]", "team-console")
    submit(page, page.locator("#create-team"))
    sheet = page.locator("#sheet").inner_text()
    assert "# Team team-console" in sheet and "client_secret" in sheet
    shot(page, "09-team-sheet")


def test_console_webhook_deliveries_and_redelivery(live, page):
    import time as clock

    received = []

    class Receiver(QuietHandler):
        def do_POST(self):
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

    with serving(Receiver) as site:
        with live.admin() as admin:
            listed = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
            companies = [a for a in listed["accounts"] if a["customer_kind"] == "corporate"]
            payer = max(companies, key=lambda a: a["balance"])
            payee = next(a for a in companies if a["customer_id"] != payer["customer_id"])
            connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"],
                                                   "name": "hooks"})
            hooked = admin.post(f"/sandbox/v1/connectors/{connector['id']}/webhooks", json={
                "url": f"{site}/hook", "events": ["transfer.*"]})
            assert hooked.status_code == 201, hooked.text
        token = client_credentials(live.url, connector)
        sent = httpx.post(f"{live.url}/hub/v1/transfers", headers={**bearer(token), "Idempotency-Key": "hook-1"}, json={
            "from_account_id": payer["id"], "amount": 1000, "to": {
                "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
                "account_number": payee["account_number"], "name": payee["holder_kana"]}}, timeout=30)
        assert sent.status_code == 201, sent.text
        deadline = clock.monotonic() + 10
        while len(received) < 2 and clock.monotonic() < deadline:
            clock.sleep(0.1)
        assert len(received) >= 2  # transfer.created and transfer.executed
        sign_in(page, live)
        page.goto(f"{live.url}/console/workspaces/default/connectors")
        deliveries = page.locator("table.deliveries tr[data-delivery]")  # the only connector with webhooks
        assert deliveries.count() >= 2 and "配信済み" in deliveries.first.inner_text()
        shot(page, "10-webhook-deliveries")
        before = len(received)
        submit(page, deliveries.first.locator("button"))
        assert page.locator("p.ok").first.is_visible()
        deadline = clock.monotonic() + 10
        while len(received) == before and clock.monotonic() < deadline:
            clock.sleep(0.1)
        assert len(received) == before + 1  # the redelivery arrived


def test_console_connectors_rules_and_workspaces_in_english(live, page):
    with live.admin() as admin:
        admin.post("/sandbox/v1/workspaces", json={"name": "doomed", "seed": 5})
        listed = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0991", "limit": 500}).json()
        company = next(a for a in listed["accounts"] if a["customer_kind"] == "corporate")
    sign_in(page, live)
    submit(page, page.locator("#switch-language"))
    page.goto(f"{live.url}/console/workspaces/default/connectors")
    form = page.locator("form[action='/console/workspaces/default/connectors']")
    form.locator("input[name=name]").fill("from the console")
    form.locator("input[name=customer_id]").fill(company["customer_id"])
    form.locator("select[name=plan]").select_option("free")
    submit(page, page.locator("#create-connector"))
    assert page.locator("p.ok").first.inner_text().startswith("client secret of cn_")
    with live.admin() as admin:
        made = [c for c in admin.get("/sandbox/v1/connectors", params={"workspace": "default"}).json()["connectors"]
                if c["name"] == "from the console"]
    assert len(made) == 1 and made[0]["plan"] == "free" and made[0]["customer_id"] == company["customer_id"]
    plan_form = page.locator(f"form[action='/console/connectors/{made[0]['id']}/plan']")
    plan_form.locator("select").select_option("premium")
    submit(page, plan_form.locator("button"))
    with live.admin() as admin:
        assert admin.get(f"/sandbox/v1/connectors/{made[0]['id']}").json()["plan"] == "premium"
    shot(page, "11-connector-created")
    page.goto(f"{live.url}/console/workspaces/default/scenarios")
    page.locator("#rule-form summary").click()  # the advanced way: the rule as JSON
    page.fill("textarea[name=rule]", '{"name": "kaede refuses big transfers", "match": {"bank": "kaede", '
              '"amount": {"min": 1000000}}, "effect": {"type": "error", "code": "limit_exceeded"}}')
    submit(page, page.locator("#add-rule"))
    assert page.locator("#rules").inner_text().count("kaede refuses big transfers") == 1
    submit(page, page.locator("#rules button").first)
    assert "kaede refuses big transfers" not in page.locator("#rules").inner_text()
    page.goto(f"{live.url}/console/")
    row = page.locator("tr[data-workspace=doomed]")
    row.locator("input[name=confirm]").check()
    submit(page, row.locator("button[name=delete]"))
    assert page.locator("tr[data-workspace=doomed]").count() == 0
    shot(page, "12-deleted")


def test_console_refuses_a_bad_number_of_hours_without_moving_the_clock(live):
    """Plain HTTP (no browser): the clock form's hours are checked before anything is asked of the API."""
    with httpx.Client(base_url=live.url, timeout=30, follow_redirects=False) as console, live.admin() as admin:
        token = re.search(r'name="csrf_token" value="([^"]+)"', console.get("/console/sign-in").text).group(1)
        signed_in = console.post("/console/sign-in", data={"token": live_server.ADMIN_TOKEN, "csrf_token": token})
        assert signed_in.status_code in (302, 303) and "sandbox_console" in console.cookies
        before = admin.get("/sandbox/v1/workspaces/default/clock").json()
        token = re.search(r'name="csrf_token" value="([^"]+)"', console.get("/console/?lang=en").text).group(1)
        for hours in ("abc", "inf", "nan"):
            answer = console.post("/console/workspaces/default/clock", data={"mode": "advance", "hours": hours,
                                                                             "csrf_token": token})
            assert answer.status_code in (302, 303), (hours, answer.status_code)
            page = console.get(answer.headers["location"])
            assert page.status_code == 200 and "is not a number of hours" in page.text
        assert admin.get("/sandbox/v1/workspaces/default/clock").json() == before
