"""Every console page in headless Chromium, in Japanese and in English, at 1280 and 390 px.

One workspace with something on every page (a connector with calls and a refusal, a transfer held
for approval, a scenario pack switched on), then a tour: each page must speak only its language
(no label from the other language's list of known strings), never scroll sideways at 390 px and
log no browser error. Screenshots of every page at both widths go to test-artifacts/console/pages/
for review. The rest checks the staff's reading aids: pages of accounts, the passbook statement,
times in JST, connectors by name, the guided scenario form and the pictures.
"""

from __future__ import annotations

import re
import string
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

import live_server
from console_browser import chromium, sign_in
from oauth_flows import bearer, client_credentials, create_connector
from sandbox.domain.risk import REASONS
from sandbox.http.console_text import TEXT

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "console" / "pages"
V1 = "/sandbox/v1"
KAEDE = "/banks/kaede/corporation/v1"
CONNECTOR_NAME = "経理部の振込連携"
LIVE_SERVER = {"open_access": False}


def _labels(value) -> list[str]:
    """Every string of a TEXT entry, nested dictionaries included."""
    if isinstance(value, dict):
        return [label for item in value.values() for label in _labels(item)]
    return [value] if isinstance(value, str) else []


# English a Japanese page must not show: the English labels (and the raw words the console used to print).
ENGLISH = sorted({label for label in _labels(TEXT["en"]) if re.fullmatch(r"[A-Za-z][A-Za-z '/-]{3,}", label)}
                 - set(_labels(TEXT["ja"])) - {"Webhook"}
                 | {"active", "suspended", "frozen", "executed", "scheduled", "pending_approval", "self-use",
                    "third-party", "calls", "refused", "peak", "matched", "applied", "effect", "connector",
                    "maintenance window", "throttled", "real", "delivered", "workspaces reset", "bank staff"})
# Japanese an English page must not show: the Japanese labels of three characters or more.
JAPANESE = sorted(label for label in _labels(TEXT["ja"]) if len(label) >= 3 and re.search(r"[ぁ-んァ-ヶ一-龯]", label)
                  and "{" not in label)


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def busy(live, admin):
    """A workspace with something on every page: (connector, held transfer id, one customer account id)."""
    listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    corporate = sorted((a for a in listed["accounts"] if a["customer_kind"] == "corporate"), key=lambda a: -a["balance"])
    payer, payee = corporate[0], next(a for a in corporate if a["customer_id"] != corporate[0]["customer_id"])
    connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"],
                                           "name": CONNECTOR_NAME})
    token = client_credentials(live.url, connector)
    for _ in range(3):
        assert httpx.get(f"{live.url}/hub/v1/accounts/{payer['id']}/balance", headers=bearer(token),
                         timeout=30).status_code == 200
    refused = httpx.get(f"{live.url}/hub/v1/accounts/acc_0000000000000000/balance", headers=bearer(token), timeout=30)
    assert refused.status_code == 404
    held = httpx.post(f"{live.url}{KAEDE}/transfer/request", timeout=30, headers={
        **bearer(token), "Idempotency-Key": "pages-1"}, json={
        "accountId": payer["id"], "transferDesignatedDate": "2026-11-05",
        "transfers": [{"itemId": "1", "transferAmount": "6000000", "beneficiaryBankCode": payee["bank_code"],
                       "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
                       "accountNumber": payee["account_number"], "beneficiaryName": payee["holder_kana"]}]})
    assert held.status_code == 202, held.text
    assert admin.post(f"{V1}/workspaces/default/scenarios", json={"pack": "peak-day"}).status_code == 201
    return connector, held.json()["applyNo"], payer["id"]


@pytest.fixture
def page(browser, live):
    """A signed-in console tab that records every browser error."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.errors = []
    opened.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
    opened.on("pageerror", lambda error: opened.errors.append(str(error)))
    sign_in(opened, live.url)
    yield opened
    context.close()


def pages(account_id: str) -> dict[str, str]:
    ws = "/console/workspaces/default"
    return {"workspaces": "/console/", "workspace": ws, "account": f"{ws}/accounts/{account_id}",
            "scenarios": f"{ws}/scenarios", "clock": f"{ws}/clock", "approvals": f"{ws}/approvals",
            "alerts": f"{ws}/alerts", "connectors": f"{ws}/connectors", "requests": f"{ws}/requests",
            "readiness": "/console/readiness", "sign-in": "/console/sign-in"}


def words_of(text: str, known: list[str]) -> list[str]:
    """The known strings that occur in `text` as words of their own."""
    return [w for w in known if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_console_pages_speak_one_language_fit_390px_and_log_no_errors(live, busy, page, lang):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live.url}/console/?lang={lang}")
    problems = []
    for name, path in pages(busy[2]).items():
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live.url}{path}")
            page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}-{width}.png"), full_page=True)
            if width == 390 and page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                problems.append(f"{name}: the page scrolls sideways at 390 px")
        # Identifiers (error codes, marked translate="no") stay as they are; the language switch names the other.
        text = page.evaluate("""() => { const body = document.body.cloneNode(true);
            body.querySelectorAll('[translate=no], #switch-language').forEach(e => e.remove());
            return body.innerText; }""")
        foreign = words_of(text, ENGLISH) if lang == "ja" else [w for w in JAPANESE if w in text]
        if foreign:
            problems.append(f"{name}: {foreign}")
    assert problems == [] and page.errors == []


def test_console_accounts_come_in_pages_with_a_count(live, busy, page):
    total = httpx.get(f"{live.url}{V1}/workspaces/default", timeout=30,
                      headers={"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"}).json()["accounts"]
    page.goto(f"{live.url}/console/workspaces/default?lang=en")
    assert page.locator("#pager").inner_text().startswith(f"1–50 of {total}")
    first = page.locator("#accounts tr").nth(1).inner_text()
    with page.expect_navigation():
        page.locator("#pager a.next-page").click()
    assert page.locator("#pager").inner_text().startswith(f"51–100 of {total}")
    assert page.locator("#accounts tr").nth(1).inner_text() != first
    with page.expect_navigation():
        page.locator("#pager a.first-page").click()
    assert page.locator("#accounts tr").nth(1).inner_text() == first
    page.goto(f"{live.url}/console/?lang=en")
    assert page.locator("tr[data-workspace=default] td").nth(3).inner_text() == str(total)


def test_console_statement_reads_like_a_passbook(live, busy, page):
    page.goto(f"{live.url}/console/workspaces/default/accounts/{busy[2]}?lang=ja")
    headers = page.locator("#statement th").all_inner_texts()
    assert headers == ["日付", "摘要", "出金", "入金", "残高"]
    rows = page.locator("#statement tr").all()[1:]
    assert rows
    for row in rows:  # each line fills exactly one of the two money columns
        out, into = row.locator("td.withdrawal").inner_text(), row.locator("td.deposit").inner_text()
        assert bool(out) != bool(into) and re.fullmatch(r"[\d,]+", out or into)


def test_console_times_are_jst_with_offset_and_connectors_named(live, busy, page, admin):
    newest = admin.get(f"{V1}/workspaces/default/requests", params={"limit": 1}).json()["requests"][0]
    page.goto(f"{live.url}/console/workspaces/default/requests?lang=ja")
    first = page.locator(f"#log tr[data-request='{newest['id']}'] td")
    at = datetime.fromisoformat(newest["at"]).astimezone(timezone(timedelta(hours=9)))  # the log keeps UTC
    assert first.nth(0).inner_text() == at.strftime("%Y-%m-%d %H:%M:%S+09:00")
    assert first.nth(6).inner_text() == CONNECTOR_NAME
    page.goto(f"{live.url}/console/workspaces/default/connectors")
    created = admin.get(f"{V1}/connectors/{busy[0]['id']}/audit").json()["events"][-1]
    at = datetime.fromisoformat(created["at"]).astimezone(timezone(timedelta(hours=9)))
    assert f"{at:%Y-%m-%d %H:%M:%S}+09:00 登録" in page.locator("#connectors").inner_text()
    page.goto(f"{live.url}/console/workspaces/default/clock")
    assert re.fullmatch(r"2026-11-05 10:\d\d:\d\d\+09:00", page.locator("#now").inner_text())


def test_console_pictures_calls_refusals_and_transfers(live, busy, page):
    connector = busy[0]
    page.goto(f"{live.url}/console/workspaces/default/connectors?lang=en")
    chart = page.locator(f"#calls-{connector['id']}")
    assert chart.locator("rect.bar").count() == 28  # 14 days, calls and their refused part
    assert chart.locator("line.limit").count() == 14 and chart.locator("text.peak-mark").count() >= 2
    assert "2026-11-05: 5" in chart.locator("rect.bar title").all_text_contents()  # today's five calls
    page.goto(f"{live.url}/console/workspaces/default/requests")
    assert "account_not_found" in page.locator("#refusals-chart").text_content()
    page.goto(f"{live.url}/console/workspaces/default")
    transfers = page.locator("#transfers-chart").text_content()
    assert "awaiting approval" in transfers and re.search(r"awaiting approval\s*1", transfers)


def test_console_scenario_form_is_guided_and_empty(live, busy, page, admin):
    page.goto(f"{live.url}/console/workspaces/default/scenarios?lang=ja")
    assert page.locator("textarea[name=rule]").input_value() == ""
    assert "混雑による流量制限" in page.locator("#rules").inner_text()  # the peak-day pack's rule, in Japanese
    assert "五十日" in page.locator("tr[data-pack=peak-day]").inner_text()
    form = page.locator("#rule-form")
    form.locator("input[name=name]").fill("楓銀行の高額振込を拒否")
    form.locator("select[name=bank]").select_option("kaede")
    form.locator("select[name=action]").select_option("transfers.create")
    form.locator("input[name=min_amount]").fill("1000000")
    form.locator("select[name=code]").select_option("limit_exceeded")
    form.locator("input[name=times]").fill("3")
    with page.expect_navigation():
        page.locator("#add-rule").click()
    added = [r["rule"] for r in admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"]
             if r["rule"].get("name") == "楓銀行の高額振込を拒否"]
    assert added == [{"name": "楓銀行の高額振込を拒否", "match": {
        "bank": "kaede", "action": "transfers.create", "amount": {"min": 1000000}},
        "effect": {"type": "error", "code": "limit_exceeded"}, "lifetime": {"times": 3}}]
    assert "エラーを返す" in page.locator("#rules").inner_text()


def test_console_guided_rule_with_a_bad_number_is_refused_and_adds_nothing(live, admin):
    """Plain HTTP (no browser): a field that is not a number gets a clear message, and no rule."""
    with httpx.Client(base_url=live.url, timeout=30, follow_redirects=True) as console:
        token = re.search(r'name="csrf_token" value="([^"]+)"', console.get("/console/sign-in?lang=en").text).group(1)
        console.post("/console/sign-in", data={"token": live_server.ADMIN_TOKEN, "csrf_token": token})
        token = re.search(r'name="csrf_token" value="([^"]+)"', console.get("/console/").text).group(1)
        before = admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"]
        answer = console.post("/console/workspaces/default/scenarios/rules", data={
            "csrf_token": token, "name": "bad", "effect": "error", "code": "limit_exceeded", "min_amount": "1e3x"})
        assert answer.status_code == 200 and "A field is not a number" in answer.text
        assert admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"] == before


def _shape(value, at=()):
    """Each label's place in a TEXT entry and the `{fields}` it fills in, so two languages can be compared."""
    if isinstance(value, dict):
        return {place for key, item in value.items() for place in _shape(item, (*at, key))}
    return {(at, frozenset(field for _, field, _, _ in string.Formatter().parse(value) if field))}


def test_console_text_has_every_label_in_both_languages_with_the_same_fields():
    """A label missing in one language, or filled in with other fields, would fail its page there (a KeyError)."""
    assert _shape(TEXT["ja"]) == _shape(TEXT["en"])
    assert (("calls_line",), frozenset({"calls", "refused"})) in _shape(TEXT["en"])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_console_text_names_every_reason_a_transfer_waits_for_approval(lang):
    assert set(REASONS) <= set(TEXT[lang]["approval_reasons"])
