"""Where a sandbox keeps readiness runs and open sessions: rows of the store, seen by every server.

A run is filed once, whole, and read back by any worker or replica (`store/server.py`: server.db on
SQLite, the `server` schema on PostgreSQL). A session's row holds its connector's client secret (the
`secrets` check looks for it in URLs) and is deleted when the session finishes.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

from ..domain.errors import SandboxError
from ..store.server import ServerStore

_ID = re.compile(r"^(run|rds)_[0-9a-f]{16}$")
# What a list of runs shows of each.
LISTED = ("id", "plan", "bank", "connector", "started_at", "summary")


class Archive:
    def __init__(self, store: ServerStore):
        self.store = store

    # -- runs ------------------------------------------------------------------------------------
    def add_run(self, report: dict) -> dict:
        run = {"id": f"run_{secrets.token_hex(8)}", **report}
        self._file(run)
        return run

    def run(self, run_id: str) -> dict:
        return _found(self.store.run(run_id) if _ID.match(str(run_id)) else None, run_id, "readiness run")

    def list_runs(self) -> list[dict]:
        """Newest first: what a run was, without its evidence."""
        return [json.loads(listing) for listing in self.store.run_listings()]

    def import_files(self, folder: Path) -> int:
        """File the runs an older release kept as JSON files under `folder` (once: the files are renamed)."""
        count = 0
        for path in sorted(Path(folder).glob("run_*.json")):
            try:  # another worker process, starting at the same moment, may have taken it first
                run = json.loads(path.read_text(encoding="utf-8"))
                path.rename(path.with_suffix(".imported"))
            except FileNotFoundError:
                continue
            if _ID.match(str(run.get("id"))):
                self._file(run)
                count += 1
        return count

    def _file(self, run: dict) -> None:
        listing = {key: run.get(key) for key in LISTED}
        self.store.add_run(run["id"], str(run.get("started_at") or ""), json.dumps(listing, ensure_ascii=False),
                           json.dumps(run, ensure_ascii=False))

    # -- sessions --------------------------------------------------------------------------------
    def new_session_id(self) -> str:
        return f"rds_{secrets.token_hex(8)}"

    def save_session(self, session: dict) -> None:
        self.store.save_readiness_session(session["id"], json.dumps(session, ensure_ascii=False))

    def session(self, session_id: str) -> dict:
        found = self.store.readiness_session(session_id) if _ID.match(str(session_id)) else None
        return _found(found, session_id, "readiness session")

    def close_session(self, session_id: str) -> None:
        self.store.close_readiness_session(session_id)


def _found(document: str | None, item_id, what: str) -> dict:
    if document is None:
        raise SandboxError("not_found", f"no {what} {item_id!r}")
    return json.loads(document)
