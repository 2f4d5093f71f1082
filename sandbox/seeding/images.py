"""Seeded workspaces remembered as images: a workspace seeded as one before is copied, not seeded again.

Seeding is a function of the profile's data, the seed and the as-of date alone: the same three give the
same database byte for byte, whatever the workspace is called and whatever the clock says
(tests/test_seed_images.py checks it). So a server onboarding a hackathon's teams with one profile, or
a test suite that makes a workspace per test, seeds the first and makes the others from its image: a
file written instead of customers named and postings loaded.

Images live in this process's memory, the most recently used kept first, within a byte budget (an image
larger than the budget is never kept, so a server seeding large profiles holds no more memory than
before). Only stores whose pristine snapshot is one file give images (SQLite); PostgreSQL copies its
schemas server-side and seeds as before.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

BUDGET_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Image:
    """A seeded workspace's pristine snapshot, and the counts its seeding answered."""

    data: bytes
    counts: dict


class Images:
    """Images by what seeded them, the least recently used dropped first once over the budget."""

    def __init__(self, budget: int = BUDGET_BYTES):
        self.budget = budget
        self._kept: OrderedDict[str, Image] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(profile_data: dict, seed: int, as_of: date) -> str:
        """What a seeding depends on, as one digest: the profile's data (not its file's name), the seed, the day."""
        text = json.dumps([profile_data, seed, as_of.isoformat()], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> Image | None:
        with self._lock:
            image = self._kept.get(key)
            if image is not None:
                self._kept.move_to_end(key)
            return image

    def put(self, key: str, data: bytes | None, counts: dict) -> None:
        if data is None or len(data) > self.budget:
            return
        with self._lock:
            self._kept[key] = Image(data, dict(counts))
            self._kept.move_to_end(key)
            while sum(len(image.data) for image in self._kept.values()) > self.budget:
                self._kept.popitem(last=False)


# One per process: workspaces of every data directory this process serves or tests share it.
IMAGES = Images()
