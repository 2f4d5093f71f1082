"""A spec holding nulls in its lists (tests/published_specs/nulls-in-lists/: `enum: [..., null]`, as Plaid writes
its nullable enums) whose prose shows its errors wrapped (`{"fault": {...}}`): the search of its prose for that
wrapper, made at its first refusal, read each null as the spec itself and walked it whole again, and again below,
so the first refusal never came back and the server answered nothing more. It is found at once."""

from __future__ import annotations

import threading
from pathlib import Path

from sandbox.bindings import fallback, loader

FOLDER = Path(__file__).parent / "published_specs" / "nulls-in-lists"


def test_the_errors_shown_in_prose_are_found_past_nulls_at_once():
    api = loader.load_bank(FOLDER)
    found = []
    walk = threading.Thread(target=lambda: found.extend(fallback._shown_wrapped(api.spec)), daemon=True)
    walk.start()
    walk.join(timeout=5)
    assert not walk.is_alive(), "the walk of the spec did not end"
    assert found == [("fault", frozenset({"kind", "detail"}))]
