"""Workspaces on PostgreSQL: one schema each, a pristine copy beside it, and a ready spare for resets.

    control.workspaces   the registry's table (as control.db holds it on SQLite)
    ws_<name>            the live workspace, migrated by the same scripts as a SQLite file
    wp_<name>            the pristine copy taken right after seeding, never written again: bare tables
                         (rows only: no key, index, constraint or trigger, since nothing but copies reads it)
    wn_<name>            a spare copy of the pristine one, made after seeding and after each reset
    wd_<name>            the live schema a reset replaced, until it is dropped (right after the reset)
    wu_<name>            a pristine copy of an older release being brought up to this one's schema

A reset swaps the spare in (rename the live schema aside, rename the spare: catalogue changes only,
so it takes milliseconds however large the workspace) under the workspace's writer lock and bumps
the generation; then, on a background thread, it drops the schema put aside and copies the pristine
schema into a new spare. The drop is kept out of the swap because PostgreSQL flushes its log to disk
at the commit of a transaction that deletes tables' files: most of a reset's time, had it dropped
there. A workspace's first spare is made the same way once it is seeded, but only when this process
seeds no workspace and has finished none for QUIET_S: onboarding many teams at once is not slowed by
copies nobody needs yet, and a workspace seeded alone is ready to swap at its first reset. A reset
while this process still makes the spare waits for it; one that finds no spare (the process that was
to make it ended first, or the reset came before a quiet moment) copies the pristine rows into the
live schema itself. Other processes and replicas see the new rows at their next statement: they look
tables up by schema name.
"""

from __future__ import annotations

import threading
import time
from functools import lru_cache
from pathlib import Path

import psycopg

from ..domain.errors import SandboxError
from . import schema as migrations
from .postgres import CHANNEL, WORKSPACE_PREFIXES, Database, Postgres, announcing, lock_key, schema_name, translate
from .database import immediate
from .schema import migrate, statements
from .workspaces import Registry, WorkspaceRecord

CONTROL = "control"
# Dropping a workspace's schemas can meet a deadlock with a spare being built beside it: how often to try.
DDL_ATTEMPTS = 5
# Every schema of a workspace, by its name's prefix (the module's docstring says what each holds).
PREFIXES = tuple(prefix.rstrip("_") for prefix in WORKSPACE_PREFIXES)
# How long after its last seeding this process waits before it makes the first spares of the
# workspaces it seeded (a batch of teams starts the next one within milliseconds).
QUIET_S = 0.5


class SchemaRegistry(Registry):
    """The registry of workspace schemas in one PostgreSQL database."""

    duplicate = psycopg.errors.UniqueViolation
    # A schema is copied inside the server (`_clone`): each workspace is seeded, none made of an image.
    takes_images = False

    def __init__(self, data_dir: Path | str, url: str):
        self.data_dir = Path(data_dir)
        self.engine = Postgres.at(url)
        self._local = threading.local()
        self.engine.ensure_schema(CONTROL)
        self._migrate()
        self._spares: dict[str, threading.Thread] = {}
        # First spares waiting for a quiet moment (an ordered set), the one being made, and who makes them.
        self._first: dict[str, None] = {}
        self._making: str | None = None
        self._quiet_at = 0.0
        self._seeding: set[str] = set()
        self._first_made = threading.Condition()
        self._first_maker: threading.Thread | None = None

    @property
    def conn(self):
        local = self._local
        if not hasattr(local, "cache"):
            local.cache, local.version = {}, None
        return self.engine.connection(CONTROL)

    # -- opening ---------------------------------------------------------------------------------
    def open_new(self, name: str) -> Database:
        self.remove_files(name)
        with self._first_made:
            self._seeding.add(name)  # no first spare is made while a workspace is seeded
        return self._open(schema_name("ws", name))

    def open(self, name: str, generation: int) -> Database:
        return self._open(schema_name("ws", name))

    def close(self, db) -> None:
        """Connections belong to the thread, not to a workspace: nothing to close."""

    def _open(self, schema: str) -> Database:
        self.engine.ensure_schema(schema)
        db = Database(self.engine.connection(schema, "workspace"))
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")  # the schema's writer lock: one process builds it
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                # A new schema gets every migration in one round trip and one transaction, not a
                # transaction per migration and a round trip per statement: most of a new workspace's DDL time.
                conn._run(lambda raw: raw.execute(_fresh_script(tuple(migrations.MIGRATIONS))))
                self.engine.announcing_already(schema)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        migrate(db)  # a schema made by an older release is brought up to date one migration at a time
        return db

    def remove_files(self, name: str, keep: Path | None = None) -> None:
        """Drop the workspace's schemas (live, pristine, spare): no row of it is left.

        Under the DDL lock, so a spare being finished elsewhere either lands before (and is dropped
        here) or finds the workspace gone and drops itself.
        """
        builder = self._spares.pop(name, None)
        if builder is not None:
            builder.join()
        self._no_first_spare(name)
        with self._first_made:
            self._seeding.discard(name)  # its seeding failed, or it is deleted
        admin = self.engine.connection("public")
        for attempt in range(DDL_ATTEMPTS):
            admin.execute("BEGIN IMMEDIATE")
            try:
                admin.execute(f"SELECT pg_advisory_xact_lock({lock_key(schema_name('ws', name))})")  # writers finish first
                self.engine.drop_schemas(*(schema_name(prefix, name) for prefix in PREFIXES))
            except psycopg.errors.DeadlockDetected:
                # A spare being built by another process (or an earlier command's thread) creates tables
                # in the staging schema outside the DDL lock; PostgreSQL undid this attempt, try again.
                admin.execute("ROLLBACK")
                if attempt == DDL_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
                continue
            except BaseException:
                admin.execute("ROLLBACK")
                raise
            admin.execute("COMMIT")
            return

    # -- snapshots and resets ----------------------------------------------------------------------
    def snapshot(self, name: str, db) -> None:
        """Copy the freshly seeded workspace into its pristine schema, and make its first spare later.

        The pristine copy is each table's rows as a bare table (`CREATE TABLE ... AS`), in one statement
        and one transaction: it is only ever read whole, into a schema the migrations made, so it needs
        no key, index or trigger, and making those had been a third of a new team's time on the server
        (48 ms of DDL and 80 ms of copying against 24 ms; 200 teams make 200 such schemas).
        Later means once this process seeds nothing and has finished no seeding for QUIET_S
        (`_make_first_spares`): making one per new workspace at once would double onboarding's DDL
        while teams wait for theirs.
        """
        live, pristine = schema_name("ws", name), schema_name("wp", name)
        admin = self.engine.connection("public")
        tables = [*self._tables(admin, live), "schema_version"]
        with immediate(admin):
            if admin.execute(f'SELECT 1 FROM "{CONTROL}".workspaces WHERE name = ?', (name,)).fetchone() is not None:
                admin._run(lambda conn: conn.execute(";\n".join(
                    [f'DROP SCHEMA IF EXISTS "{pristine}" CASCADE', f'CREATE SCHEMA "{pristine}"']
                    + [f'CREATE TABLE "{pristine}".{table} AS TABLE "{live}".{table}' for table in tables])))
        self.engine.forget(pristine)
        with self._first_made:
            self._seeding.discard(name)
            self._first[name] = None
            self._quiet_at = time.monotonic() + QUIET_S
            if self._first_maker is None:
                self._first_maker = threading.Thread(target=self._make_first_spares, name="sandbox-first-spares",
                                                     daemon=True)
                self._first_maker.start()

    def _current_pristine(self, name: str) -> None:
        """Bring a pristine copy taken by an older release up to this release's schema.

        The migrations are written for a whole schema, and a pristine copy is bare tables: its rows are
        put into a schema the migrations made at the copy's version, that schema is migrated as a live
        one is (data migrations included), and it becomes the pristine copy. One process does it at a
        time (a session lock); a copy at the latest version is left as it is.
        """
        pristine, staging = schema_name("wp", name), schema_name("wu", name)
        admin = self.engine.connection("public")
        latest = len(migrations.MIGRATIONS)
        if not self._exists(admin, pristine) or self._version(admin, pristine) >= latest:
            return
        key = lock_key(f"{pristine} upgrade")  # not a schema's own lock: the copy's transactions take those
        admin.execute("SELECT pg_advisory_lock(?)", (key,))
        try:
            version = self._version(admin, pristine)
            if version >= latest:  # another process upgraded it meanwhile
                return
            self.engine.drop_schemas(staging)
            self.engine.ensure_schema(staging)
            db = Database(self.engine.connection(staging, "workspace"))
            with immediate(db.conn):
                db.conn._run(lambda raw: raw.execute(_fresh_script(tuple(migrations.MIGRATIONS[:version]))))
            with immediate(admin):
                self._copy_rows(admin, pristine, staging, empty=True)
            migrate(db)
            with immediate(admin):
                admin.execute(f'DROP SCHEMA "{pristine}" CASCADE')
                admin.execute(f'ALTER SCHEMA "{staging}" RENAME TO "{pristine}"')
            self.engine.forget(staging, pristine)
        finally:
            admin.execute("SELECT pg_advisory_unlock(?)", (key,))

    def _make_first_spares(self) -> None:
        """Make the first spare of each workspace seeded here, one at a time, once seeding has paused
        (and take the planner's statistics of its live schema)."""
        while True:
            with self._first_made:
                wait = QUIET_S if self._seeding else self._quiet_at - time.monotonic()
                if wait <= 0:
                    if not self._first:
                        self._first_maker = None
                        return
                    self._making = next(iter(self._first))
                    del self._first[self._making]
            if wait > 0:
                time.sleep(wait)
                continue
            try:
                admin = self.engine.connection("public")  # the seeded live schema's statistics, out of onboarding's way
                admin._run(lambda conn: conn.execute(";\n".join(_analyze(schema_name("ws", self._making)))))
                self._clone(self._making)
            except Exception:  # its first reset copies rows instead; nothing is lost
                pass
            finally:
                with self._first_made:
                    self._making = None
                    self._first_made.notify_all()

    def _no_first_spare(self, name: str) -> None:
        """Take `name` off the first spares still to make, and wait for the one being made now."""
        with self._first_made:
            self._first.pop(name, None)
            self._first_made.wait_for(lambda: self._making != name)

    def restore(self, name: str) -> WorkspaceRecord:
        record = self.get(name)
        live, pristine, spare, aside = (schema_name(prefix, name) for prefix in ("ws", "wp", "wn", "wd"))
        admin = self.engine.connection("public")
        builder = self._spares.get(name)
        if builder is not None:
            builder.join()  # a spare half made is no spare
        self._no_first_spare(name)
        self._current_pristine(name)  # a snapshot taken by an older release is brought up to date
        admin.execute("BEGIN IMMEDIATE")  # the DDL lock: no spare is built or dropped meanwhile
        try:
            admin.execute(f"SELECT pg_advisory_xact_lock({lock_key(live)})")  # the workspace's writers wait
            present = {row[0] for row in admin.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname IN (?, ?, ?)", (pristine, spare, aside))}
            if pristine not in present:
                raise SandboxError("workspace_not_found", f"workspace {name!r} has no pristine snapshot", workspace=name)
            if spare in present and self._version(admin, spare) == self._version(admin, pristine):
                if aside in present:  # left by a process that ended before dropping it
                    admin.execute(f'DROP SCHEMA "{aside}" CASCADE')
                admin.execute(f'ALTER SCHEMA "{live}" RENAME TO "{aside}"')
                admin.execute(f'ALTER SCHEMA "{spare}" RENAME TO "{live}"')
            else:
                self._copy_rows(admin, pristine, live)
            moved = admin.execute(f'UPDATE "{CONTROL}".workspaces SET generation = ? WHERE name = ? AND generation = ?',
                                  (record.generation + 1, name, record.generation)).rowcount
            # A swap writes no row of the new live schema: say so, for what replicas keep of it (its clock).
            admin.execute("SELECT pg_notify(?, ?)", (CHANNEL, live))
            admin.execute("COMMIT" if moved == 1 else "ROLLBACK")
        except BaseException:
            if admin.in_transaction:
                admin.execute("ROLLBACK")
            raise
        for schema in (CONTROL, live):  # this process's own caches need not wait for the announcements
            self.engine.changed(schema)
        self._changed()
        if moved == 1:  # the spare was used, or there was none (its builder's process ended): make the next
            self._build_spare(name)
        return self.get(name)

    def _build_spare(self, name: str) -> None:
        """Copy the pristine schema into the next reset's spare, on a thread of its own."""
        self._spares[name] = thread = threading.Thread(target=self._rebuild_spare, args=(name,), daemon=True)
        thread.start()

    def _rebuild_spare(self, name: str) -> None:
        try:
            self.engine.drop_schemas(schema_name("wd", name))
            self._clone(name)
        except Exception:  # the next reset copies rows instead; nothing is lost
            pass

    def _clone(self, name: str) -> None:
        """Make the spare of workspace `name` (`wn_`), a copy of its pristine schema.

        The copy is built under another name (`wb_`: the same migrations, then the rows) and renamed
        to the spare's in the transaction that fills it, so a reset never swaps in a half-made spare.
        """
        source, target, staging = (schema_name(prefix, name) for prefix in ("wp", "wn", "wb"))
        self._current_pristine(name)  # at the latest version, as the copy will be
        self.engine.drop_schemas(staging)
        self._open(staging)
        admin = self.engine.connection("public")
        admin.execute("BEGIN IMMEDIATE")
        try:
            if admin.execute(f'SELECT 1 FROM "{CONTROL}".workspaces WHERE name = ?', (name,)).fetchone() is None:
                admin.execute(f'DROP SCHEMA "{staging}" CASCADE')  # deleted meanwhile
            else:
                self._copy_rows(admin, source, staging, empty=True)
                admin.execute(f'DROP SCHEMA IF EXISTS "{target}" CASCADE')
                admin.execute(f'ALTER SCHEMA "{staging}" RENAME TO "{target}"')
        except BaseException:
            admin.execute("ROLLBACK")
            raise
        admin.execute("COMMIT")
        self.engine.forget(staging, target)

    def _copy_rows(self, admin, source: str, target: str, empty: bool = False) -> None:
        """Replace every row of `target` with those of `source` (same schema version), in the caller's transaction.

        The ledger's triggers stay off while rows that already passed them are copied, and identity
        columns continue after the highest copied value. `empty`: `target` was just made by the
        migrations, so there is nothing to truncate (which would give every table and index new files:
        50 ms of a spare's 350).
        """
        tables = self._tables(admin, source)
        # The rows passed every check when they were first written: checking each foreign key again
        # row by row would be most of the copy's time. The keys are taken off and put back NOT VALID
        # (enforced for every new row, the copied ones trusted), and the ledger's triggers are off.
        keys = admin.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = ?", (target,)).fetchall()
        identities = admin.execute(
            "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = ? AND a.attidentity <> ''",  # information_schema is slow with many schemas
            (target,)).fetchall()
        # The bulky tables' indexes (their keys' too) are built after their rows are in: one sort each,
        # instead of an insert into every index for every row.
        bulky = [table for table in tables if table in SEEDED_IN_BULK]
        unique = admin.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE c.contype IN ('p', 'u') AND n.nspname = ? AND t.relname = ANY(?)", (target, bulky)).fetchall()
        indexes = admin.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
            "WHERE n.nspname = ? AND t.relname = ANY(?) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", (target, bulky)).fetchall()
        script = [f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' for table, name, _ in keys]
        script += [f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' for table, name, _ in unique]
        script += [f"DROP INDEX {index}" for index, _ in indexes]
        if not empty:
            script.append("TRUNCATE " + ", ".join(f'"{target}".{table}' for table in tables))
        script += [f'ALTER TABLE "{target}".{table} DISABLE TRIGGER USER' for table in TRIGGERED]
        script += [f'INSERT INTO "{target}".{table} OVERRIDING SYSTEM VALUE SELECT * FROM "{source}".{table}'
                   for table in tables]
        script += [f'ALTER TABLE "{target}".{table} ENABLE TRIGGER USER' for table in TRIGGERED]
        script += [definition for _, definition in indexes]
        script += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in unique]
        script += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID' for table, name, definition in keys]
        script += [f"SELECT setval(pg_get_serial_sequence('\"{target}\".{table}', '{column}'), coalesce(max({column}), 0) + 1, "
                   f'false) FROM "{target}".{table}' for table, column in identities]
        if not target.startswith("wp_"):  # the pristine copy is only ever read whole
            script += _analyze(target)
        # No parameters: the server runs the whole copy as one multi-statement query, one round trip.
        admin._run(lambda conn: conn.execute(";\n".join(script)))

    @staticmethod
    def _tables(admin, schema: str) -> list[str]:
        return [row[0] for row in admin.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = ? AND tablename <> 'schema_version' ORDER BY tablename",
            (schema,))]

    def ready(self, name: str) -> bool:
        return self._exists(self.conn, schema_name("wp", name))

    @staticmethod
    def _exists(admin, schema: str) -> bool:
        return admin.execute("SELECT 1 FROM pg_namespace WHERE nspname = ?", (schema,)).fetchone() is not None

    @staticmethod
    def _version(admin, schema: str) -> int:
        return admin.execute(f'SELECT version FROM "{schema}".schema_version').fetchone()[0]


# The seeded tables that requests look rows up in and that requests do not grow: the planner's statistics
# are taken of these (`_analyze`).
REFERENCE_TABLES = ("accounts", "banks", "branches", "customers")


def _analyze(schema: str) -> list[str]:
    """Statistics for the planner on a seeded or copied workspace's reference tables.

    A seeded or copied schema has none until autovacuum gets to it (a minute or more, and never for
    a spare that nobody writes), and without them the planner guesses: it read a customer account by
    walking a partial index of every customer's coordinates (0.2 ms) instead of its key (0.015 ms).
    Renaming a schema keeps its tables' statistics, so a spare swapped in has them. The tables that
    requests grow (movements, postings, transfers, ...) are left to autovacuum: statistics taken while
    they were small led the plans that PostgreSQL caches per connection (the ledger's triggers, its
    foreign keys) to scan them whole, and a transfer on a busy workspace cost twice as much.
    """
    return [f'ANALYZE "{schema}".{table}' for table in REFERENCE_TABLES]


@lru_cache(maxsize=2)
def _fresh_script(scripts: tuple) -> str:
    """The `scripts` (every migration of this release) as one PostgreSQL script, ending at its schema version.

    Sent without parameters, so the server runs it as one multi-statement query.
    """
    body = [translate(statement)[0].rstrip().rstrip(";") for script in scripts if isinstance(script, str)
            for statement in statements(script)]
    return ";\n".join([*body, announcing(), f"UPDATE schema_version SET version = {len(scripts)}"])


# The tables whose triggers guard the ledger (lifted while rows already checked are copied).
TRIGGERED = ("postings", "movements")
# The tables seeding fills with thousands of rows: a copy builds their indexes after loading them
# (151,000 postings of `large`: 360 ms with the indexes in place, 160 ms loaded bare and indexed after).
SEEDED_IN_BULK = ("accounts", "customers", "postings")
