"""A small connector: an accounting tool that pays a company's monthly rent through the sandbox hub API.

It gets a client-credentials token, checks the payee's name before paying (受取人名照会), sends the
transfer with an idempotency key derived from the month (so a retry after a lost answer never pays
twice), and retries on 5xx and 429 with backoff.
"""

from __future__ import annotations

import time

import httpx


class RentPayer:
    def __init__(self, base_url: str, client_id: str, client_secret: str, *, retries: int = 5):
        self.base_url, self.client_id, self.client_secret, self.retries = base_url, client_id, client_secret, retries

    def _token(self) -> str:
        answer = httpx.post(f"{self.base_url}/oauth/token", data={"grant_type": "client_credentials", "scope": "hub:read hub:transfers"},
                            auth=(self.client_id, self.client_secret), timeout=10)
        answer.raise_for_status()
        return answer.json()["access_token"]

    def pay_rent(self, from_account_id: str, landlord: dict, amount: int, month: str) -> dict:
        """Pay `amount` yen of rent for `month` (YYYY-MM); the result is the hub's transfer."""
        with httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self._token()}"}, timeout=5) as api:
            check = self._call(api, "POST", "/hub/v1/beneficiary-inquiries", json={
                "bank_code": landlord["bank_code"], "branch_code": landlord["branch_code"],
                "account_type": landlord["account_type"], "account_number": landlord["account_number"],
                "name": landlord["name"]})
            if not check.json().get("name_matches"):
                raise ValueError(f"the landlord's name does not match the account: {check.json().get('holder_kana')}")
            answer = self._call(api, "POST", "/hub/v1/transfers", headers={"Idempotency-Key": f"rent-{month}-{from_account_id}"},
                                json={"from_account_id": from_account_id, "amount": amount, "memo": f"{month} rent",
                                      "to": {key: landlord[key] for key in ("bank_code", "branch_code", "account_type",
                                                                            "account_number", "name")}})
            return answer.json()

    def _call(self, api: httpx.Client, method: str, path: str, **kwargs) -> httpx.Response:
        delay = 0.1
        for attempt in range(self.retries):
            try:
                answer = api.request(method, path, **kwargs)
            except httpx.TransportError:
                answer = None
            if answer is not None and answer.status_code < 500 and answer.status_code != 429:
                answer.raise_for_status()
                return answer
            wait = float(answer.headers.get("retry-after", delay)) if answer is not None else delay
            time.sleep(min(wait, 2.0))
            delay *= 2
        raise RuntimeError(f"{method} {path} kept failing after {self.retries} attempts")
