"""The workspace registry: a small control database and one SQLite file per workspace.

Layout of the data directory:
    control.db                       workspace metadata (name, profile, seed, created, generation)
    workspaces/<name>.pristine.db    the snapshot taken right after seeding, never written again
    workspaces/<name>.<gen>.db       the live workspace of generation <gen>

A reset copies the pristine file to a new generation and bumps the generation in the control
database (the two previous generations' files stay a while, for requests still reading them); every request looks the generation up before it opens its connection, so all workers,
in any process, move to the fresh copy at their next request. Each generation has its own file names
(and so its own -wal and -shm), which is what makes swapping files under open connections safe: an
old connection can never replay its write-ahead log into the new file. Copying a file costs a few
milliseconds where SQLite's backup API, writing every page through the live WAL, costs ten times more.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.errors import SandboxError
from .database import BUSY_TIMEOUT_S, connect, immediate

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
    generation: int = 0
    # Unique per creation: a workspace deleted and created again under the same name (within the same
    # second, or on a frozen clock) is a different incarnation, so no thread keeps the old file open.
    incarnation: str = ""

    def to_dict(self) -> dict:
        return {"name": self.name, "profile": self.profile, "seed": self.seed, "as_of": self.as_of,
                "created_at": self.created_at, "generation": self.generation}


def open_registry(data_dir: Path | str, database_url: str | None = None) -> "Registry":
    """The registry of the SQLite files under `data_dir`, or of the schemas at `database_url` (PostgreSQL)."""
    if database_url:
        from .schemas import SchemaRegistry  # psycopg is imported only by those who use it

        return SchemaRegistry(data_dir, database_url)
    return Registry(data_dir)


class Registry:
    """Where workspaces live on disk, and what the control database knows of them."""

    # What the control database raises when a name is taken already.
    duplicate: type[Exception] = sqlite3.IntegrityError

    def __init__(self, data_dir: Path | str):
        self.data_dir = Path(data_dir)
        self.files = self.data_dir / "workspaces"
        self.files.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._migrate()

    def _migrate(self) -> None:
        with immediate(self.conn) as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS workspaces (name TEXT PRIMARY KEY, profile TEXT NOT NULL, seed INTEGER NOT NULL,"
                " as_of TEXT NOT NULL, created_at TEXT NOT NULL, generation INTEGER NOT NULL DEFAULT 0)"
            )
            columns = {row[1] for row in conn.execute("PRAGMA table_info(workspaces)")}
            if "incarnation" not in columns:  # control databases made before incarnations existed
                conn.execute("ALTER TABLE workspaces ADD COLUMN incarnation TEXT NOT NULL DEFAULT ''")

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection to the control database."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.data_dir / "control.db"), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn, self._local.cache, self._local.version = conn, {}, None
        return conn

    def _cached(self) -> dict:
        """Records this thread has read, dropped whenever another connection has written since.

        Every request looks its workspace up here; `PRAGMA data_version` tells, without reading a table,
        whether any other connection (thread or process) committed a change, such as a reset.
        """
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._local.version:
            self._local.cache.clear()
            self._local.version = version
        return self._local.cache

    def _changed(self) -> None:
        self._local.cache.clear()

    def path(self, name: str, generation: int = 0) -> Path:
        return self.files / f"{check_name(name)}.{generation}.db"

    def pristine_path(self, name: str) -> Path:
        return self.files / f"{check_name(name)}.pristine.db"

    def ready(self, name: str) -> bool:
        """True once the workspace is seeded and its pristine snapshot taken (before that, only its creator opens it)."""
        return self.pristine_path(name).exists()

    def list(self) -> list[WorkspaceRecord]:
        rows = self.conn.execute("SELECT name, profile, seed, as_of, created_at, generation, incarnation FROM workspaces ORDER BY name")
        return [WorkspaceRecord(*row) for row in rows]

    def get(self, name: str) -> WorkspaceRecord:
        cache = self._cached()
        record = cache.get(name)
        if record is None:
            row = self.conn.execute(
                "SELECT name, profile, seed, as_of, created_at, generation, incarnation FROM workspaces WHERE name = ?", (check_name(name),)
            ).fetchone()
            if row is None:
                raise SandboxError("workspace_not_found", f"no workspace named {name!r}", workspace=name)
            record = cache[name] = WorkspaceRecord(*row)
        return record

    def exists(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM workspaces WHERE name = ?", (name,)).fetchone() is not None

    def add(self, record: WorkspaceRecord) -> None:
        try:
            self.conn.execute(
                "INSERT INTO workspaces (name, profile, seed, as_of, created_at, incarnation) VALUES (?, ?, ?, ?, ?, ?)",
                (record.name, record.profile, record.seed, record.as_of, record.created_at, uuid.uuid4().hex),
            )
        except self.duplicate:
            raise SandboxError("workspace_exists", f"a workspace named {record.name!r} already exists", workspace=record.name) from None
        self._changed()

    def remove(self, name: str) -> None:
        self.get(name)
        self.conn.execute("DELETE FROM workspaces WHERE name = ?", (name,))
        self._changed()
        self.remove_files(name)

    def remove_files(self, name: str, keep: Path | None = None) -> None:
        """Delete the workspace's files (all generations and the snapshot), except `keep`."""
        for path in self.files.glob(f"{check_name(name)}.*"):
            if keep is None or not path.name.startswith(keep.name):
                path.unlink(missing_ok=True)

    def open_new(self, name: str):
        """A fresh, empty (migrated) database for workspace `name`, to be seeded."""
        self.remove_files(name)
        return connect(self.path(name))

    # A workspace seeded as one before may be made of that one's image (seeding/images.py).
    takes_images = True

    def image(self, name: str) -> bytes:
        """The pristine snapshot as bytes, for `from_image` to make another workspace of (seeding/images.py)."""
        return self.pristine_path(name).read_bytes()

    def from_image(self, name: str, image: bytes) -> None:
        """Make workspace `name` of a seeded image: its pristine snapshot and its live generation 0.

        The image is a snapshot's file (WAL mode, log checkpointed away), so both copies are what
        `snapshot` and `restore` would have made of the same seeding. The live file is written first and
        the snapshot last: the snapshot's existence is what says the workspace is ready (`ready`), and a
        thread opening it sooner would make an empty file that the image then replaced under its
        connection (SQLite's "disk I/O error" at the next opening).
        """
        self.remove_files(name)
        for target in (self.path(name), self.pristine_path(name)):
            staging = target.with_name(target.name + ".tmp")
            staging.write_bytes(image)
            os.replace(staging, target)

    def open(self, name: str, generation: int):
        """A new connection to generation `generation` of workspace `name`."""
        return connect(self.path(name, generation))

    def close(self, db) -> None:
        """Close a connection to a generation that is no longer the workspace's.

        The last connection to close checkpoints its write-ahead log into a file that is about to be
        thrown away; without `synchronous=OFF` that checkpoint would also fsync it (~25 ms per reset).
        """
        db.conn.execute("PRAGMA synchronous=OFF")
        db.conn.close()

    def snapshot(self, name: str, db) -> None:
        """Copy the freshly seeded workspace into its pristine snapshot.

        The snapshot is a WAL-mode file with its log checkpointed away, so every copy made from it is
        in WAL mode already: workers opening a fresh generation at once never race to switch its
        journal mode, which needs an exclusive lock and fails with "database is locked" when they do.
        """
        live = db.conn
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = sqlite3.connect(str(self.pristine_path(name)))
        try:
            live.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()

    def restore(self, name: str) -> WorkspaceRecord:
        """Make a fresh copy of the pristine snapshot the live workspace (a new generation)."""
        record = self.get(name)
        pristine = self.pristine_path(name)
        if not pristine.exists():
            raise SandboxError("workspace_not_found", f"workspace {name!r} has no pristine snapshot", workspace=name)
        generation = record.generation + 1
        fresh = self.path(name, generation)
        staging = fresh.with_name(fresh.name + ".tmp")
        shutil.copyfile(pristine, staging)
        os.replace(staging, fresh)
        moved = self.conn.execute(
            "UPDATE workspaces SET generation = ? WHERE name = ? AND generation = ?", (generation, name, record.generation)
        ).rowcount
        self._changed()
        if moved != 1:  # another reset (or a delete) got there first; theirs stands
            fresh.unlink(missing_ok=True)
            return self.get(name)
        self._drop_generations(name, keep_from=record.generation - 1)
        return self.get(name)

    def _drop_generations(self, name: str, keep_from: int) -> None:
        """Delete the files of generations before `keep_from`.

        The two generations before the live one are kept: a request that looked one up before a reset
        may still be reading it, and SQLite answers "disk I/O error" to a connection whose files were
        unlinked. Older ones go.
        """
        pattern = re.compile(rf"{re.escape(name)}\.(\d+)\.db(-wal|-shm|-lock|\.tmp)?")
        for path in self.files.glob(f"{name}.*.db*"):
            match = pattern.fullmatch(path.name)
            if match and int(match.group(1)) < keep_from:
                path.unlink(missing_ok=True)


def now_iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
