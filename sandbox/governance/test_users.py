"""The sandbox's test users: how every seeded customer signs in on a bank's pages, and approves.

Documented in docs/connectors.md and printed on team sheets; the sign-in, consent and approval pages
check against these and nothing else.
"""

from __future__ import annotations

import hmac

# Every customer signs in with its customer id (cus_...) and this password.
PASSWORD = "sandbox"
# The one-time code that approves a transfer on the approval page (no device needed).
ONE_TIME_CODE = "123456"


def password_ok(given: str) -> bool:
    return hmac.compare_digest(given.encode(), PASSWORD.encode())


def one_time_code_ok(given: str) -> bool:
    return hmac.compare_digest(given.encode(), ONE_TIME_CODE.encode())
