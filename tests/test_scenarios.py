"""Scenario packs over real HTTP, in every shipped bank's dialect: apply the pack, make the call it targets,
see the effect as that bank words it, clear the pack, see normal service again. Plus the rule schema,
lifetimes, reset and the ledger's invariants after every pack."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from sandbox.bindings import load_bank, render_error
from sandbox.domain.errors import SandboxError
from sandbox.resources import data_dir

V1 = "/sandbox/v1"
PACKS = ["insufficient-funds", "account-frozen", "bank-maintenance", "flaky-network", "lost-response", "peak-day",
         "returned-transfer", "step-up-everything", "name-mismatch"]


class Bank:
    """How one dialect asks for a balance, a name inquiry and a transfer, and words its errors."""

    slug: str
    code: str

    def __init__(self):
        self.api = load_bank(data_dir("specs") / self.slug)

    def expected(self, code: str) -> tuple[int, str]:
        """(HTTP status, the bank's own error code) for a canonical error, as its binding renders it."""
        document = {"path": {}, "query": {}, "headers": {}, "body": None, "now": None, "today": None, "bank": None,
                    "interaction_id": "x"}
        reply = render_error(self.api, SandboxError(code, "x"), document)
        return reply.status, self.error_code_of(reply.body)

    def transfer(self, client, payer, payee, amount, key, name=None) -> httpx.Response:
        raise NotImplementedError

    def refusal(self, response: httpx.Response) -> tuple[int | None, str]:
        """(HTTP status, the bank's own code) of a refused call; the status is None when one item was refused."""
        return response.status_code, self.error_code_of(response.json())


class Kaede(Bank):
    slug, code = "kaede", "0990"
    base = "/banks/kaede/corporation/v1"

    def error_code_of(self, body):
        return body["errorCode"]

    def balance(self, client, account):
        return client.get(f"{self.base}/accounts/balances", params={"accountId": account["id"]})

    def inquire(self, client, payee):
        answer = client.post(f"{self.base}/transfer/beneficiary-inquiry", json={
            "beneficiaryBankCode": payee["bank_code"], "beneficiaryBranchCode": payee["branch_code"],
            "accountTypeCode": payee["account_type"], "accountNumber": payee["account_number"],
            "beneficiaryName": payee["holder_kana"]})
        return answer.json()["nameMatch"] == "1"

    def transfer(self, client, payer, payee, amount, key, name=None):
        return client.post(f"{self.base}/transfer/request", headers={"Idempotency-Key": key}, json={
            "accountId": payer["id"], "transfers": [{
                "itemId": "1", "transferAmount": str(amount), "beneficiaryBankCode": payee["bank_code"],
                "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
                "accountNumber": payee["account_number"], "beneficiaryName": name or payee["holder_kana"]}]})

    def transfer_state(self, client, answer):
        status = client.get(f"{self.base}/transfer/status", params={"applyNo": answer.json()["applyNo"]}).json()
        return {"3": "executed", "6": "returned", "7": "pending_approval"}.get(status["transferStatus"], status["transferStatus"])

    def pending(self, answer):
        return answer.json()["resultCode"] == "7"


class Tsubame(Bank):
    slug, code = "tsubame", "0991"
    base = "/banks/tsubame/v1"

    def error_code_of(self, body):
        return body["error"]["code"]

    def balance(self, client, account):
        return client.get(f"{self.base}/accounts/{account['id']}/balance")

    def inquire(self, client, payee):
        answer = client.post(f"{self.base}/payee-verifications", json={
            "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": "ordinary",
            "account_number": payee["account_number"], "name": payee["holder_kana"]})
        return answer.json()["result"] == "match"

    def transfer(self, client, payer, payee, amount, key, name=None):
        return client.post(f"{self.base}/transfers", headers={"Idempotency-Key": key}, json={
            "source_account_id": payer["id"], "amount": amount, "payee": {
                "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": "ordinary",
                "account_number": payee["account_number"], "name": name or payee["holder_kana"]}})

    def transfer_state(self, client, answer):
        status = client.get(f"{self.base}/transfers/{answer.json()['id']}").json()["status"]
        return {"completed": "executed", "requires_approval": "pending_approval"}.get(status, status)

    def pending(self, answer):
        return answer.json()["status"] == "requires_approval"


class Hub(Bank):
    slug, code = "hub", "0990"
    base = "/hub/v1"

    def error_code_of(self, body):
        return body["code"]

    def balance(self, client, account):
        return client.get(f"{self.base}/accounts/{account['id']}/balance")

    def inquire(self, client, payee):
        answer = client.post(f"{self.base}/beneficiary-inquiries", json={
            "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
            "account_number": payee["account_number"], "name": payee["holder_kana"]})
        return answer.json()["name_matches"] is True

    def transfer(self, client, payer, payee, amount, key, name=None):
        return client.post(f"{self.base}/transfers", headers={"Idempotency-Key": key}, json={
            "from_account_id": payer["id"], "amount": amount, "to": {
                "bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
                "account_number": payee["account_number"], "name": name or payee["holder_kana"]}})

    def transfer_state(self, client, answer):
        return client.get(f"{self.base}/transfers/{answer.json()['id']}").json()["status"]

    def pending(self, answer):
        return answer.json()["status"] == "pending_approval"


class Hoshizora(Bank):
    slug, code = "hoshizora", "0992"
    base = "/banks/hoshizora/open-banking/v3.1"

    def error_code_of(self, body):
        return body["Errors"][0]["ErrorCode"]

    def balance(self, client, account):
        return client.get(f"{self.base}/aisp/accounts/{account['id']}/balances")

    def inquire(self, client, payee):
        answer = client.post(f"{self.base}/cop/payee-verifications", json={"Data": {
            "SchemeName": "JP.Zengin", "Name": payee["holder_kana"],
            "Identification": f"{payee['bank_code']}-{payee['branch_code']}-{payee['account_type']}-{payee['account_number']}"}})
        return answer.json()["Data"]["Result"] == "MATCH"

    def transfer(self, client, payer, payee, amount, key, name=None):
        initiation = {
            "InstructionIdentification": key[:35], "EndToEndIdentification": key[:35],
            "InstructedAmount": {"Amount": str(amount), "Currency": "JPY"},
            "DebtorAccount": {"SchemeName": "JP.HSZ.AccountId", "Identification": payer["id"]},
            "CreditorAccount": {"SchemeName": "JP.Zengin", "Name": name or payee["holder_kana"], "Identification":
                                f"{payee['bank_code']}-{payee['branch_code']}-{payee['account_type']}-{payee['account_number']}"}}
        consent = client.post(f"{self.base}/pisp/domestic-payment-consents", headers={"x-idempotency-key": f"c-{key}"},
                              json={"Data": {"Initiation": initiation}, "Risk": {"PaymentContextCode": "PartyToParty"}})
        if consent.status_code != 201:
            return consent
        self._consents = getattr(self, "_consents", {})
        consent_id = self._consents.setdefault(key, consent.json()["Data"]["ConsentId"])
        return client.post(f"{self.base}/pisp/domestic-payments", headers={"x-idempotency-key": key}, json={
            "Data": {"ConsentId": consent_id, "Initiation": initiation}, "Risk": {"PaymentContextCode": "PartyToParty"}})

    def transfer_state(self, client, answer):
        payment = client.get(f"{self.base}/pisp/domestic-payments/{answer.json()['Data']['DomesticPaymentId']}").json()
        status = payment["Data"]["Status"]
        return {"AcceptedSettlementCompleted": "executed", "Returned": "returned"}.get(status, status)

    def pending(self, answer):
        return False


class Shirakaba(Bank):
    slug, code = "shirakaba", "0993"
    base = "/banks/shirakaba/biz/v2"

    def error_code_of(self, body):
        return body["errCd"]

    def refusal(self, response):
        # A transfer request carries items: a refused item answers its errCd inside a 202, beside the others.
        body = response.json()
        if response.status_code == 202 and body["results"][0]["itemStatus"] == "NG":
            return None, body["results"][0]["errCd"]
        return super().refusal(response)

    def balance(self, client, account):
        return client.get(f"{self.base}/accounts/{account['id']}/balance")

    def inquire(self, client, payee):
        answer = client.post(f"{self.base}/name-inquiry", json={
            "bankCode": payee["bank_code"], "branchCode": payee["branch_code"], "accountType": payee["account_type"],
            "accountNumber": payee["account_number"], "payeeName": payee["holder_kana"]})
        return answer.json()["nameMatched"] is True

    def transfer(self, client, payer, payee, amount, key, name=None):
        return client.post(f"{self.base}/transfers", headers={"Idempotency-Key": key}, json={
            "accountKey": payer["id"], "items": [{
                "seqNo": 1, "bankCode": payee["bank_code"], "branchCode": payee["branch_code"],
                "accountType": payee["account_type"], "accountNumber": payee["account_number"],
                "payeeName": name or payee["holder_kana"], "amount": amount}]})

    def transfer_state(self, client, answer):
        receipt = answer.json()["results"][0]["receiptNo"]
        status = client.get(f"{self.base}/transfers/{receipt}").json()["status"]
        return {"3": "executed", "6": "returned", "7": "pending_approval"}.get(status, status)

    def pending(self, answer):
        return answer.json()["results"][0].get("status") == "7"


BANKS = [Kaede(), Tsubame(), Hub(), Hoshizora(), Shirakaba()]


@pytest.fixture
def admin(admin, live):
    """The module's admin client; after each test the books must balance, then the workspace is reset."""
    yield admin
    assert live.workspaces.verify("default") == []  # the books balance after every pack
    admin.post(f"{V1}/workspaces/default/reset")  # data, rules and clock back to the seeded state


@pytest.fixture
def api(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        yield client


def _people(admin, bank: Bank):
    listed = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": bank.code, "limit": 500}).json()
    individuals = [a for a in listed["accounts"] if a["customer_kind"] == "individual" and a["status"] == "active"]
    payer = max(individuals, key=lambda a: a["balance"])
    payee = next(a for a in individuals if a["customer_id"] != payer["customer_id"])
    return payer, payee


def _balance(admin, account) -> int:
    return admin.get(f"{V1}/workspaces/default/accounts/{account['id']}").json()["balance"]


def _apply(admin, pack: str) -> list:
    added = admin.post(f"{V1}/workspaces/default/scenarios", json={"pack": pack})
    assert added.status_code == 201, added.text
    return added.json()["scenarios"]


def _clear(admin) -> None:
    assert admin.delete(f"{V1}/workspaces/default/scenarios").status_code == 200


def _refused_as(bank: Bank, response: httpx.Response, code: str) -> None:
    status, bank_code = bank.expected(code)
    answered_status, answered_code = bank.refusal(response)
    assert answered_status in (status, None), response.text  # None: an item of a multi-item request was refused
    assert answered_code == bank_code, response.text


@pytest.mark.parametrize("bank", BANKS, ids=[b.slug for b in BANKS])
@pytest.mark.parametrize("pack", PACKS)
def test_pack_in_every_dialect(live, admin, api, bank, pack):
    payer, payee = _people(admin, bank)
    before = _balance(admin, payer)
    logged = admin.get(f"{V1}/workspaces/default/requests", params={"limit": 1}).json()["requests"]
    rules = _apply(admin, pack)
    assert rules and all(rule["pack"] == pack and rule["active"] for rule in rules)
    if pack in ("insufficient-funds", "account-frozen"):
        _refused_as(bank, bank.transfer(api, payer, payee, 1000, f"{pack}-1"),
                    "insufficient_funds" if pack == "insufficient-funds" else "account_frozen")
        assert _balance(admin, payer) == before
        _clear(admin)
        assert bank.transfer(api, payer, payee, 1000, f"{pack}-2").status_code in (200, 201, 202)
    elif pack == "bank-maintenance":
        down = bank.balance(api, payer)
        _refused_as(bank, down, "maintenance")
        assert down.headers["retry-after"] == "600"
        _refused_as(bank, bank.transfer(api, payer, payee, 1000, "maint-1"), "maintenance")
        _clear(admin)
        assert bank.balance(api, payer).status_code == 200
    elif pack in ("flaky-network", "peak-day"):
        code = "maintenance" if pack == "flaky-network" else "rate_limited"

        # The twelve calls at once: the rules decide by each call's place in the sequence, whatever the
        # order they arrive in, and the slow ones are held side by side rather than one after another.
        def timed(_) -> tuple[httpx.Response, float]:
            started = time.monotonic()
            return bank.balance(api, payer), time.monotonic() - started

        with ThreadPoolExecutor(max_workers=12) as pool:
            timings = list(pool.map(timed, range(12)))
        answers = [answer for answer, _ in timings]
        slow = sum(seconds > 0.19 for _, seconds in timings)
        failed = [a for a in answers if a.status_code != 200]
        assert failed and len(failed) < len(answers), [a.status_code for a in answers]
        for answer in failed:
            _refused_as(bank, answer, code)
            assert int(answer.headers["retry-after"]) >= 1
        if pack == "flaky-network":
            assert slow >= 1
        _clear(admin)
        assert all(bank.balance(api, payer).status_code == 200 for _ in range(5))
    elif pack == "lost-response":
        lost = bank.transfer(api, payer, payee, 1000, "lost-1")
        assert lost.status_code == 504, lost.text
        after = _balance(admin, payer)
        assert after < before  # the bank committed before the answer was lost
        retry = bank.transfer(api, payer, payee, 1000, "lost-1")
        assert retry.status_code in (200, 201, 202), retry.text
        assert bank.transfer_state(api, retry) == "executed"
        assert _balance(admin, payer) == after  # the retry moved nothing more
        assert admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"][0]["active"] is False  # times: 1
    elif pack == "returned-transfer":
        sent = bank.transfer(api, payer, payee, 2000, "ret-1")
        assert sent.status_code in (200, 201, 202), sent.text
        assert bank.transfer_state(api, sent) == "executed"
        paid = _balance(admin, payer)
        early = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "set", "to": "2026-11-05T23:00:00+09:00"})
        assert early.json()["returned"] == [] and bank.transfer_state(api, sent) == "executed"  # not before its day
        moved = admin.post(f"{V1}/workspaces/default/clock", json={"mode": "advance", "seconds": 11 * 3600}).json()
        assert len(moved["returned"]) == 1, moved
        assert bank.transfer_state(api, sent) == "returned"
        assert _balance(admin, payer) == paid + 2000  # the amount comes back; the fee stays charged
    elif pack == "step-up-everything":
        held = bank.transfer(api, payer, payee, 1000, "step-1")
        if isinstance(bank, Hoshizora):  # a consent already carries the customer's authority: a refusal instead
            _refused_as(bank, held, "step_up_required")
        else:
            assert held.status_code in (200, 201, 202) and bank.pending(held), held.text
            assert bank.transfer_state(api, held) == "pending_approval"
        assert _balance(admin, payer) == before
        _clear(admin)
        after = bank.transfer(api, payer, payee, 1000, "step-2")
        assert after.status_code in (200, 201, 202) and bank.transfer_state(api, after) == "executed", after.text
    elif pack == "name-mismatch":
        assert bank.inquire(api, payee) is False
        _refused_as(bank, bank.transfer(api, payer, payee, 1000, "name-1"), "beneficiary_name_mismatch")
        _clear(admin)
        assert bank.inquire(api, payee) is True
    # This test's own calls (the log outlives resets): at least one names a rule of the pack.
    since = {"since": logged[0]["id"]} if logged else {}
    log = admin.get(f"{V1}/workspaces/default/requests", params={"limit": 500, "bank": bank.slug, **since}).json()["requests"]
    names = {rule["rule"].get("name") or rule["id"] for rule in rules}
    assert any(name in (entry["scenario"] or "") for entry in log for name in names), "the request log names the rule"


def test_scenario_packs_are_listed_with_descriptions(admin):
    packs = admin.get(f"{V1}/scenario-packs").json()["packs"]
    assert sorted(p["name"] for p in packs) == sorted(PACKS)
    assert all(len(p["description"]) > 40 and p["rules"] for p in packs)


@pytest.mark.parametrize("rule, field", [
    ({}, "(the rule)"),
    ({"effect": {"type": "explode"}}, "effect/type"),
    ({"effect": {"type": "error"}}, "effect"),
    ({"effect": {"type": "error", "code": "no_such_code"}}, "effect/code"),
    ({"effect": {"type": "latency"}}, "effect"),
    ({"effect": {"type": "latency", "ms": -1}}, "effect/ms"),
    ({"effect": {"type": "response", "status": 99}}, "effect/status"),
    ({"match": {"probability": 2}, "effect": {"type": "name_mismatch"}}, "match/probability"),
    ({"match": {"amount": {"min": 10, "max": 1}}, "effect": {"type": "name_mismatch"}}, "match/amount"),
    ({"match": {"colour": "red"}, "effect": {"type": "name_mismatch"}}, "match"),
    ({"effect": {"type": "account", "account": "acc_x", "change": "set_balance"}}, "effect/balance"),
    ({"effect": {"type": "name_mismatch"}, "lifetime": {"times": 0}}, "lifetime/times"),
    ({"effect": {"type": "name_mismatch"}, "lifetime": {"until": "tomorrow"}}, "lifetime/until"),
    ({"effect": {"type": "name_mismatch"}, "lifetime": {"until": "2026-11-05t10:00:00z"}}, "lifetime/until"),
])
def test_a_bad_rule_is_refused_clearly_and_changes_nothing(admin, rule, field):
    refused = admin.post(f"{V1}/workspaces/default/scenarios", json=rule)
    assert refused.status_code == 400, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["details"]["field"] == field, refused.json()
    assert admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"] == []


def test_unknown_pack_is_a_clear_404(admin):
    missing = admin.post(f"{V1}/workspaces/default/scenarios", json={"pack": "meteor-strike"})
    assert missing.status_code == 404 and "bank-maintenance" in missing.json()["detail"]


def test_rules_match_on_bank_amount_and_nth_call_and_stop_after_their_lifetime(admin, api):
    bank = Hub()
    payer, payee = _people(admin, bank)
    admin.post(f"{V1}/workspaces/default/scenarios", json={
        "name": "big hub transfers", "match": {"bank": "hub", "action": "transfers.create", "amount": {"min": 5000}},
        "effect": {"type": "error", "code": "limit_exceeded", "message": "too big today"}, "lifetime": {"times": 2}})
    admin.post(f"{V1}/workspaces/default/scenarios", json={
        "match": {"bank": "tsubame", "nth": 2}, "effect": {"type": "response", "status": 418, "body": {"teapot": True}}})
    assert bank.transfer(api, payer, payee, 1000, "small").status_code == 201  # under the amount range
    for key in ("big-1", "big-2"):
        _refused_as(bank, bank.transfer(api, payer, payee, 6000, key), "limit_exceeded")
    assert bank.transfer(api, payer, payee, 6000, "big-3").status_code == 201  # its two times are spent
    tsubame = Tsubame()
    first, second, third = (tsubame.balance(api, payer) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (404, 418, 404)  # payer is a 0990 account
    assert second.json() == {"teapot": True}
    listed = admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"]
    assert (listed[0]["applied"], listed[0]["active"], listed[0]["remaining"]) == (2, False, {"times": 0})


def test_account_changes_are_made_and_undone(admin, api):
    bank = Tsubame()
    payer, payee = _people(admin, bank)
    frozen = admin.post(f"{V1}/workspaces/default/scenarios", json={
        "effect": {"type": "account", "account": payer["id"], "change": "freeze"}}).json()["scenarios"][0]
    _refused_as(bank, bank.transfer(api, payer, payee, 1000, "frozen-1"), "account_frozen")
    rich = admin.post(f"{V1}/workspaces/default/scenarios", json={
        "effect": {"type": "account", "account": payee["id"], "change": "set_balance", "balance": 12345678}})
    assert _balance(admin, payee) == 12345678 and rich.status_code == 201
    admin.delete(f"{V1}/workspaces/default/scenarios/{frozen['id']}")
    assert bank.transfer(api, payer, payee, 1000, "thawed-1").status_code == 201
    _clear(admin)
    assert _balance(admin, payee) == payee["balance"] + 1000  # the set balance is undone; the transfer stays


@pytest.mark.slow
def test_timeout_holds_the_connection_past_the_clients_patience(admin, live):
    bank = Hub()
    payer, _ = _people(admin, bank)
    admin.post(f"{V1}/workspaces/default/scenarios", json={"effect": {"type": "timeout", "hold_s": 3},
                                                           "lifetime": {"times": 1}})
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{live.url}/hub/v1/accounts/{payer['id']}/balance", timeout=1)
    time.sleep(2.2)
    assert httpx.get(f"{live.url}/hub/v1/accounts/{payer['id']}/balance", timeout=5).status_code == 200


def test_commit_then_drop_the_connection(admin, live, api):
    bank = Hub()
    payer, payee = _people(admin, bank)
    before = _balance(admin, payer)
    admin.post(f"{V1}/workspaces/default/scenarios", json={"match": {"action": "transfers.create"},
                                                           "effect": {"type": "commit_then_fail", "drop": True},
                                                           "lifetime": {"times": 1}})
    with pytest.raises(httpx.RemoteProtocolError):
        bank.transfer(api, payer, payee, 1000, "dropped-1")
    moved = before - _balance(admin, payer)
    assert moved > 0
    assert bank.transfer(api, payer, payee, 1000, "dropped-1").status_code == 201
    assert before - _balance(admin, payer) == moved  # the retry answered the first transfer; nothing moved twice


def test_reset_clears_rules_and_the_clock_and_keeps_connectors(admin, live):
    _apply(admin, "bank-maintenance")
    admin.post(f"{V1}/workspaces/default/clock", json={"mode": "set", "to": "2027-01-08T16:00:00+09:00"})
    connector = admin.post(f"{V1}/connectors", json={"workspace": "default", "name": "kept", "class": "third-party",
                                                      "registration_number": "関東財務局長（電代）第7号",
                                                      "redirect_uris": ["http://127.0.0.1:9/cb"]}).json()
    admin.post(f"{V1}/workspaces/default/reset")
    assert admin.get(f"{V1}/workspaces/default/scenarios").json()["scenarios"] == []
    assert admin.get(f"{V1}/workspaces/default/clock").json()["now"].startswith("2026-11-05T10:00")  # the server's time
    assert admin.get(f"{V1}/connectors/{connector['id']}").status_code == 200
    wiped = admin.post(f"{V1}/workspaces/default/reset", params={"connectors": "wipe"}).json()
    assert wiped["connectors_deleted"] >= 1
    assert admin.get(f"{V1}/connectors/{connector['id']}").status_code == 404
