"""A naive payment connector: it works on a good day, and shows what a readiness report catches.

Its habits, each one a check it fails or is warned about:
- a new token for every call (token-expiry: warning);
- no Idempotency-Key on the payment (idempotency-key: warning; lost-response: pays twice); where the
  bank will not take a payment without one (楓銀行), a new key on every try, which protects nothing;
- retries anything that is not an immediate success, five times, 0.2 s apart, whatever Retry-After says
  (rate-limited, maintenance, business-refusal, approval: a second transfer);
- keeps going when the bank says its access is suspended (suspended);
- never asks the beneficiary name inquiry (name-mismatch: warning).
Speaks the hub's and 楓銀行's (kaede) dialects. Exit 0 when a payment answered executed, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
import time
import uuid

import httpx

ENV = os.environ
PAYEE = {key: ENV[f"SANDBOX_PAYEE_{key.upper()}"] for key in ("bank_code", "branch_code", "account_type", "account_number")}
PAYER, AMOUNT, NAME = ENV["SANDBOX_PAYER_ACCOUNT_ID"], ENV["SANDBOX_AMOUNT"], ENV["SANDBOX_PAYEE_NAME_KANA"]

# Per dialect: the balance read, the payment, how its answer says "done", and where its status is read.
DIALECTS = {
    "hub": {
        "balance": ("GET", f"/accounts/{PAYER}/balance", {}),
        "pay": ("POST", "/transfers", {"json": {"from_account_id": PAYER, "amount": int(AMOUNT), "to": {**PAYEE, "name": NAME}}}),
        "done": lambda body: body.get("status") == "executed",
        "status": lambda body: ("GET", f"/transfers/{body['id']}", {}),
    },
    "kaede": {
        "balance": ("GET", "/corporation/v1/accounts/balances", {"params": {"accountId": PAYER}}),
        "pay": ("POST", "/corporation/v1/transfer/request", {"json": {"accountId": PAYER, "transfers": [{
            "itemId": "1", "transferAmount": AMOUNT, "beneficiaryBankCode": PAYEE["bank_code"],
            "beneficiaryBranchCode": PAYEE["branch_code"], "accountTypeCode": PAYEE["account_type"],
            "accountNumber": PAYEE["account_number"], "beneficiaryName": NAME}]}, "fresh_key": True}),
        "done": lambda body: body.get("resultCode") == "1",
        "status": lambda body: ("GET", "/corporation/v1/transfer/status", {"params": {"applyNo": body["applyNo"]}}),
    },
}


def call(method: str, path: str, fresh_key: bool = False, **kwargs) -> httpx.Response | None:
    """Every call with a brand-new token (and a brand-new Idempotency-Key where the bank insists on one)."""
    token = httpx.post(ENV["SANDBOX_TOKEN_URL"], data={"grant_type": "client_credentials", "scope": ENV["SANDBOX_SCOPE"]},
                       auth=(ENV["SANDBOX_CLIENT_ID"], ENV["SANDBOX_CLIENT_SECRET"]), timeout=10)
    if token.status_code != 200:
        print(f"no token ({token.status_code}); trying anyway later", flush=True)
        return None
    try:
        return httpx.request(method, ENV["SANDBOX_API_BASE_URL"] + path, timeout=10,
                             headers={"Authorization": f"Bearer {token.json()['access_token']}",
                                      **({"Idempotency-Key": str(uuid.uuid4())} if fresh_key else {})}, **kwargs)
    except httpx.TransportError:
        return None


def until_ok(request, accept=lambda body: True) -> httpx.Response | None:
    """Five tries, 0.2 s apart, for anything that is not a success."""
    answer = None
    for _ in range(5):
        answer = call(*request[:2], **request[2])
        if answer is not None and answer.status_code < 400 and accept(answer.json()):
            return answer
        print(f"{request[0]} {request[1]}: {answer.status_code if answer is not None else 'no answer'}; again", flush=True)
        time.sleep(0.2)
    return None


def main() -> int:
    dialect = DIALECTS[ENV["SANDBOX_BANK"]]
    until_ok(dialect["balance"])
    paid = until_ok(dialect["pay"], dialect["done"])
    if paid is None:
        print("payment failed", flush=True)
        return 1
    until_ok(dialect["status"](paid.json()))
    print("paid", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
