"""Failed authentications counted per client address: past the limit, the address waits (429 + Retry-After).

Guessing the admin token (control plane and console sign-in) and a customer's password (the bank
sign-in page) costs attempts, and only failures count, so a right answer is never slowed. Each
surface counts on its own (`surface` names it). The moving windows live in the worker's memory
(the `limits` package): each worker process counts for itself, so N workers allow N times the limit.
"""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies

# Failed attempts allowed per client address and surface, in `limits` notation.
DEFAULT_LIMIT = "10/minute"


class Lockout:
    def __init__(self, limit: str = DEFAULT_LIMIT):
        self.limit = parse(limit)
        self.windows = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def wait(self, surface: str, address: str | None) -> int | None:
        """Seconds `address` must wait before trying `surface` again; None when it may try now."""
        if self.windows.test(self.limit, surface, address or "-"):
            return None
        reset_at = self.windows.get_window_stats(self.limit, surface, address or "-").reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def failed(self, surface: str, address: str | None) -> None:
        """Count one failed attempt from `address`."""
        self.windows.hit(self.limit, surface, address or "-")
