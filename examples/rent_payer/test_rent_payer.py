"""The rent payer's own tests, written against the bank sandbox's pytest plugin (fixture `bank_sandbox`)."""

from __future__ import annotations

import pytest

from rent_payer import RentPayer


@pytest.fixture
def setup(bank_sandbox):
    company = next(user for user in bank_sandbox.users if user["kind"] == "corporate")
    payer = max(company["accounts"], key=lambda account: account["balance"])
    landlord_account = next(a for a in bank_sandbox.accounts(bank_code="0991") if a["customer_kind"] == "individual")
    landlord = {"bank_code": landlord_account["bank_code"], "branch_code": landlord_account["branch_code"],
                "account_type": landlord_account["account_type"], "account_number": landlord_account["account_number"],
                "name": landlord_account["holder_kana"], "id": landlord_account["id"]}
    payer_app = RentPayer(bank_sandbox.url, bank_sandbox.self_use["client_id"], bank_sandbox.self_use["client_secret"])
    return payer_app, payer, landlord


def test_pays_rent_once(bank_sandbox, setup):
    app, payer, landlord = setup
    transfer = app.pay_rent(payer["id"], landlord, 85_000, "2026-11")
    assert transfer["status"] == "executed" and transfer["amount"] == 85_000
    assert bank_sandbox.account(payer["id"])["balance"] == payer["balance"] - transfer["total"]
    again = app.pay_rent(payer["id"], landlord, 85_000, "2026-11")  # the same month: the same transfer
    assert again["id"] == transfer["id"]
    assert bank_sandbox.account(payer["id"])["balance"] == payer["balance"] - transfer["total"]


def test_survives_a_lost_response(bank_sandbox, setup):
    app, payer, landlord = setup
    bank_sandbox.apply_pack("lost-response")  # the bank pays, the answer is lost (504): the retry must not pay twice
    transfer = app.pay_rent(payer["id"], landlord, 85_000, "2026-12")
    assert bank_sandbox.account(payer["id"])["balance"] == payer["balance"] - transfer["total"]
    assert [r["status"] for r in bank_sandbox.requests(operation_id="createTransfer")][-1] == 504


def test_waits_out_maintenance_and_throttling(bank_sandbox, setup):
    app, payer, landlord = setup
    bank_sandbox.add_rule({"match": {"bank": "hub"}, "effect": {"type": "maintenance", "retry_after": 1},
                           "lifetime": {"times": 2}})
    transfer = app.pay_rent(payer["id"], landlord, 1_000, "2027-01")
    assert transfer["status"] == "executed"
    assert len(bank_sandbox.requests(status=503)) == 2


def test_refuses_to_pay_a_wrong_name(bank_sandbox, setup):
    app, payer, landlord = setup
    with pytest.raises(ValueError, match="does not match"):
        app.pay_rent(payer["id"], {**landlord, "name": "ﾀﾆﾝ ﾉ ﾅﾏｴ"}, 85_000, "2026-11")
    assert bank_sandbox.account(payer["id"])["balance"] == payer["balance"]


def test_a_returned_rent_comes_back_when_the_clock_moves(bank_sandbox, setup):
    app, payer, landlord = setup
    bank_sandbox.apply_pack("returned-transfer")
    transfer = app.pay_rent(payer["id"], landlord, 50_000, "2027-02")
    moved = bank_sandbox.advance(days=1)
    assert transfer["id"] in moved["returned"]
    assert bank_sandbox.account(payer["id"])["balance"] == payer["balance"] - transfer["fee"]
