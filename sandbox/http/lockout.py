"""Failed authentications counted per client address: past the limit, the address waits (429 + Retry-After).

Guessing the admin token (control plane and console sign-in) and a customer's password (the bank
sign-in page) costs attempts, and only failures count, so a right answer is never slowed. Each
surface counts on its own (`surface` names it). The limit is a moving window in `limits` notation
("10/minute"); each failure is a row of the store (`store/server.py`), so every worker process and
every replica counts the same failures: N servers allow the limit once, not N times.
"""

from __future__ import annotations

import math
import time

from limits import parse

from ..store.server import ServerStore

# Failed attempts allowed per client address and surface, in `limits` notation.
DEFAULT_LIMIT = "10/minute"


class Lockout:
    def __init__(self, store: ServerStore, limit: str = DEFAULT_LIMIT):
        self.store = store
        parsed = parse(limit)
        self.allowed, self.window_s = parsed.amount, parsed.get_expiry()

    def wait(self, surface: str, address: str | None) -> int | None:
        """Seconds `address` must wait before trying `surface` again; None when it may try now."""
        now = time.time()
        # Locked while `allowed` failures fall inside the window: until the oldest of them leaves it.
        oldest = self.store.nth_latest_failure(surface, address or "-", now - self.window_s, self.allowed)
        if oldest is None:
            return None
        return max(1, math.ceil(oldest + self.window_s - now))

    def failed(self, surface: str, address: str | None) -> None:
        """Count one failed attempt from `address`."""
        now = time.time()
        self.store.add_failure(surface, address or "-", now, forget_before=now - self.window_s)
