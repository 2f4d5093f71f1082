"""Workspace lifecycle: create from a profile, list, delete, reset to the pristine snapshot, and open.

This is where storage, seeding and the clock are wired together for the HTTP layer and the CLI.
Connections are kept one per thread and workspace, since a sqlite3 connection must not be shared
by two threads at once.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import sqlite_utils

from .actions import Context
from .actions import scenarios as scenario_actions
from .actions.clock import workspace_clock
from .domain.calendar import parse_date
from .domain.clock import Clock, SystemClock
from .domain.errors import SandboxError
from .governance.recent import MAX_AGE_S
from .seeding import load_profile, seed_workspace
from .seeding.images import IMAGES, Images
from .store import ledger
from .store.database import announced
from .store.workspaces import WorkspaceRecord, check_name, open_registry

DEFAULT_SEED = 42
# Seeded history reaches back decades from the as-of date (accounts opened up to ~19 years before,
# customers born up to 85 years before), and the holiday calendar starts in 1948.
AS_OF_RANGE = (date(1970, 1, 1), date(2099, 12, 31))


class Workspaces:
    def __init__(self, data_dir: Path | str, clock: Clock | None = None, profile_dirs: tuple[Path, ...] = (),
                 extra_banks: tuple[dict, ...] = (), database_url: str | None = None, images: Images | None = IMAGES):
        # SQLite files under `data_dir`, or schemas in the PostgreSQL server at `database_url`.
        self.registry = open_registry(data_dir, database_url)
        self.database_url = database_url
        self.clock = clock or SystemClock()
        self.profile_dirs = tuple(Path(p) for p in profile_dirs)
        # Banks declared by bank folders (bindings.declared_banks): every new workspace gets them.
        self.extra_banks = tuple(extra_banks)
        # Seeded workspaces remembered as images (seeding/images.py), where the store can be made of one;
        # None seeds every workspace.
        self.images = images if self.registry.takes_images else None
        self._local = threading.local()
        self._kept: dict[str, tuple[tuple, Kept]] = {}  # workspace -> (its generation's key, what is kept of it)

    # -- lifecycle -------------------------------------------------------------------------
    def create(self, name: str, profile: str = "default", seed=None, as_of=None, progress=None) -> dict:
        """Create and seed workspace `name`, then take its pristine snapshot."""
        check_name(name)
        seed = DEFAULT_SEED if seed is None else seed
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
            raise SandboxError("invalid_request", f"seed must be a whole number from 0 to 2^63-1, got {seed!r}", field="seed")
        chosen = load_profile(profile, self.profile_dirs).with_banks(self.extra_banks)
        as_of = parse_date(as_of, "as_of") if as_of else _profile_as_of(chosen) or self.clock.now().date()
        if not AS_OF_RANGE[0] <= as_of <= AS_OF_RANGE[1]:
            raise SandboxError("invalid_date", f"as_of must be from {AS_OF_RANGE[0]} to {AS_OF_RANGE[1]}, got {as_of}",
                               field="as_of")
        record = WorkspaceRecord(name, chosen.name, seed, as_of.isoformat(), self.clock.now().isoformat(timespec="seconds"))
        self.registry.add(record)  # reserves the name first, so two creators cannot both seed it
        key = Images.key(chosen.data, seed, as_of)
        image = self.images.get(key) if self.images is not None else None
        try:
            if image is not None:
                self.registry.from_image(name, image.data)
                counts = image.counts
                if progress:
                    progress(counts["customers"])  # every customer is there at once
            else:
                db = self.registry.open_new(name)
                counts = seed_workspace(db, chosen, seed, as_of, progress)
                self.registry.snapshot(name, db)
                db.conn.close()
                if self.images is not None:
                    self.images.put(key, self.registry.image(name), counts)
        except BaseException:
            self.registry.remove(name)
            raise
        return {**self.get(name), "postings": counts["postings"]}

    def list(self) -> list[dict]:
        return [record.to_dict() for record in self.registry.list()]

    def get(self, name: str) -> dict:
        record = self.registry.get(name)
        db = self.database(name)
        counts = dict(db.conn.execute(
            "SELECT 'accounts', count(*) FROM accounts WHERE kind = 'customer' UNION ALL "
            "SELECT 'customers', count(*) FROM customers UNION ALL SELECT 'transfers', count(*) FROM transfers"
        ).fetchall())
        banks = [{"code": c, "slug": s, "name": n} for c, s, n in db.conn.execute("SELECT code, slug, name FROM banks ORDER BY code")]
        return {**record.to_dict(), **counts, "banks": banks}

    def delete(self, name: str) -> None:
        self.registry.get(name)
        self._forget(name)
        self.registry.remove(name)

    def reset(self, name: str) -> dict:
        """Restore the workspace to its pristine snapshot, in place, and say how long it took."""
        started = time.perf_counter()
        record = self.registry.restore(name)
        self._forget(name)
        return {"name": name, "generation": record.generation, "elapsed_ms": round((time.perf_counter() - started) * 1000, 2)}

    def ensure(self, name: str = "default", profile: str = "default") -> bool:
        """Create workspace `name` unless it exists; True when it was created now."""
        if self.registry.exists(name):
            return False
        try:
            self.create(name, profile)
        except SandboxError as error:
            if error.code != "workspace_exists":  # another worker won the race
                raise
            return False
        return True

    # -- use ---------------------------------------------------------------------------------
    def database(self, name: str) -> sqlite_utils.Database:
        """This thread's connection to workspace `name` (refuses unknown workspaces)."""
        return self._database(self.registry.get(name))

    def _database(self, record: WorkspaceRecord) -> sqlite_utils.Database:
        name = record.name
        cache = self._local.__dict__.setdefault("connections", {})
        key = (name, record.incarnation, record.generation)
        db = cache.get(key)
        if db is None:
            self._forget(name)
            db = cache[key] = self.registry.open(name, record.generation)
        return db

    def context(self, name: str, connector_id: str | None = None) -> Context:
        record = self.registry.get(name)
        db = self._database(record)
        key = (record.incarnation, record.generation)
        known = self._kept.get(name)
        if known is None or known[0] != key:
            known = self._kept[name] = (key, Kept())
        kept = known[1]
        clock, armed = kept.moment(db, self.clock)
        return Context(db, clock, name, connector_id, armed=armed, _banks=kept.banks, _internal=kept.internal,
                       seeded=kept.seeded)

    def verify(self, name: str) -> list[str]:
        return ledger.verify(self.database(name))

    def _forget(self, name: str) -> None:
        """Close this thread's connections to a generation that is no longer the workspace's."""
        cache = self._local.__dict__.get("connections", {})
        for key in [k for k in cache if k[0] == name]:
            self.registry.close(cache.pop(key))


class Kept:
    """What every request to one generation of a workspace shares in this process, so that a request
    reads from the database only what it is about.

    Banks, internal accounts, branches and the accounts each customer owns are seeded and never written
    again within a generation (a reset starts a new one): kept until the generation changes. The clock and
    whether any scenario rule is armed change through the control plane, on any replica: kept while
    the workspace's mark of announced changes stays put (`store.database.announced`: PostgreSQL's
    LISTEN/NOTIFY, moved at once by this process's own writes; on SQLite, whatever was committed since)
    and for MAX_AGE_S at most.
    """

    def __init__(self):
        self.banks: dict = {}
        self.internal: dict = {}
        self.seeded: dict = {}
        self._moment: tuple | None = None  # (announced mark, when read, clock, armed)

    def moment(self, db, base) -> tuple:
        """The workspace's clock and whether a scenario rule is armed."""
        count, now = announced(db), time.monotonic()
        kept = self._moment
        if kept is not None and kept[0] == count and now - kept[1] <= MAX_AGE_S:
            return kept[2], kept[3]
        clock = workspace_clock(db, base)
        armed = scenario_actions.active(Context(db, clock))
        self._moment = (count, now, clock, armed)
        return clock, armed


def _profile_as_of(profile) -> date | None:
    value = profile.data.get("as_of")
    return parse_date(str(value), "as_of") if value else None
