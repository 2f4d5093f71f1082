"""The workspace registry: a small control database and one SQLite file per workspace.

Layout of the data directory:
    control.db                 workspace metadata (name, profile, seed, created)
    workspaces/<name>.db       the live workspace
    workspaces/<name>.pristine.db   the snapshot taken right after seeding; reset restores it
Snapshots and restores use SQLite's online backup API, so connections other processes hold on the live
file stay valid and see the restored data on their next read.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from ..domain.errors import SandboxError
from .database import BUSY_TIMEOUT_S

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def check_name(name) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise SandboxError(
            "invalid_request",
            f"workspace name must be 1-63 lower-case letters, digits or '-', starting with a letter or digit; got {name!r}",
            field="name",
        )
    return name


@dataclass(frozen=True)
class WorkspaceRecord:
    name: str
    profile: str
    seed: int
    as_of: str
    created_at: str

    def to_dict(self) -> dict:
        return {"name": self.name, "profile": self.profile, "seed": self.seed, "as_of": self.as_of, "created_at": self.created_at}


class Registry:
    """Where workspaces live on disk, and what the control database knows of them."""

    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self.files = self.data_dir / "workspaces"
        self.files.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.data_dir / "control.db"), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        self.db = sqlite_utils.Database(conn)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS workspaces (name TEXT PRIMARY KEY, profile TEXT NOT NULL, seed INTEGER NOT NULL,"
            " as_of TEXT NOT NULL, created_at TEXT NOT NULL)"
        )

    def path(self, name: str) -> Path:
        return self.files / f"{check_name(name)}.db"

    def pristine_path(self, name: str) -> Path:
        return self.files / f"{check_name(name)}.pristine.db"

    def list(self) -> list[WorkspaceRecord]:
        rows = self.db.conn.execute("SELECT name, profile, seed, as_of, created_at FROM workspaces ORDER BY name")
        return [WorkspaceRecord(*row) for row in rows]

    def get(self, name: str) -> WorkspaceRecord:
        row = self.db.conn.execute(
            "SELECT name, profile, seed, as_of, created_at FROM workspaces WHERE name = ?", (check_name(name),)
        ).fetchone()
        if row is None:
            raise SandboxError("workspace_not_found", f"no workspace named {name!r}", workspace=name)
        return WorkspaceRecord(*row)

    def exists(self, name: str) -> bool:
        return self.db.conn.execute("SELECT 1 FROM workspaces WHERE name = ?", (name,)).fetchone() is not None

    def add(self, record: WorkspaceRecord) -> None:
        try:
            self.db.conn.execute(
                "INSERT INTO workspaces (name, profile, seed, as_of, created_at) VALUES (?, ?, ?, ?, ?)",
                (record.name, record.profile, record.seed, record.as_of, record.created_at),
            )
        except sqlite3.IntegrityError:
            raise SandboxError("workspace_exists", f"a workspace named {record.name!r} already exists", workspace=record.name) from None

    def remove(self, name: str) -> None:
        self.get(name)
        self.db.conn.execute("DELETE FROM workspaces WHERE name = ?", (name,))
        for path in (self.path(name), self.pristine_path(name)):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    def snapshot(self, name: str, live: sqlite3.Connection) -> None:
        """Copy the live workspace into its pristine snapshot."""
        target = sqlite3.connect(str(self.pristine_path(name)))
        try:
            live.backup(target)
        finally:
            target.close()

    def restore(self, name: str, live: sqlite3.Connection) -> None:
        """Overwrite the live workspace with its pristine snapshot, in place."""
        pristine = self.pristine_path(name)
        if not pristine.exists():
            raise SandboxError("workspace_not_found", f"workspace {name!r} has no pristine snapshot", workspace=name)
        source = sqlite3.connect(f"file:{pristine}?mode=ro", uri=True)
        try:
            source.backup(live)
        finally:
            source.close()


def now_iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
