"""Where a sandbox keeps readiness runs and open sessions: JSON files under its data directory.

A file per run and per session, written whole and renamed into place, so every worker process reads
the same state and a half-written file is never seen. A session's file holds its connector's client
secret (the `secrets` check looks for it in URLs) and is deleted when the session finishes.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

from ..domain.errors import SandboxError

_ID = re.compile(r"^(run|rds)_[0-9a-f]{16}$")


class Archive:
    def __init__(self, folder: Path):
        self.runs = Path(folder) / "runs"
        self.sessions = Path(folder) / "sessions"

    # -- runs ------------------------------------------------------------------------------------
    def add_run(self, report: dict) -> dict:
        run = {"id": f"run_{secrets.token_hex(8)}", **report}
        _write(self.runs / f"{run['id']}.json", run)
        return run

    def run(self, run_id: str) -> dict:
        return _read(self.runs, run_id, "readiness run")

    def list_runs(self) -> list[dict]:
        """Newest first: what a run was, without its evidence."""
        runs = [json.loads(path.read_text(encoding="utf-8")) for path in self.runs.glob("run_*.json")]
        runs.sort(key=lambda run: run.get("started_at") or "", reverse=True)
        return [{key: run.get(key) for key in ("id", "plan", "bank", "connector", "started_at", "summary")}
                for run in runs]

    # -- sessions --------------------------------------------------------------------------------
    def new_session_id(self) -> str:
        return f"rds_{secrets.token_hex(8)}"

    def save_session(self, session: dict) -> None:
        _write(self.sessions / f"{session['id']}.json", session)

    def session(self, session_id: str) -> dict:
        return _read(self.sessions, session_id, "readiness session")

    def close_session(self, session_id: str) -> None:
        (self.sessions / f"{session_id}.json").unlink(missing_ok=True)


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def _read(folder: Path, item_id: str, what: str) -> dict:
    path = folder / f"{item_id}.json"
    if not (isinstance(item_id, str) and _ID.match(item_id) and path.is_file()):
        raise SandboxError("not_found", f"no {what} {item_id!r}")
    return json.loads(path.read_text(encoding="utf-8"))
