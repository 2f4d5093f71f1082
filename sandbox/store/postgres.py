"""PostgreSQL as the store: one connection layer that speaks the sqlite3 subset the code uses.

Every query in the sandbox is written once, in SQLite's dialect, against a sqlite3-like connection
(`execute`, `executemany`, cursors with `fetchone`/`fetchall`/`rowcount`/`lastrowid`, `in_transaction`).
On PostgreSQL the same calls go through `Connection`, a view of one thread's psycopg 3 connection on
one schema, which translates each statement once (`translate`, cached per SQL text) and keeps sqlite3's
habits where the code leans on them:

- placeholders: `?` and `?N` become psycopg's `%s` (numbered ones reordered per call; one only tested
  for NULL is sent as text, whose type the server could not infer);
- `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`; an upsert's `DO UPDATE` names its table before
  bare columns (PostgreSQL finds them ambiguous with EXCLUDED); a subquery in FROM gets a name; the
  reserved word `window` is quoted; `NOT INDEXED` hints go;
- the few SQLite functions the queries call (json_array, json_insert, json_remove, json_array_length,
  json_extract, json_each, two-argument max/min) exist as SQL functions in the `sandbox_compat` schema;
- `BEGIN IMMEDIATE` (SQLite's writer lock) becomes `BEGIN` + `pg_advisory_xact_lock(<schema key>)`: writers
  of one workspace queue on it across every process and replica, readers take no lock, so each
  read-check-write (balances, limits, idempotency) is serialised per workspace as on SQLite; a plain
  `BEGIN` (a reader's) is one REPEATABLE READ snapshot; either start travels with the transaction's
  first statement (one round trip for all of them), and a transaction with no statement sends nothing;
- `PRAGMA user_version` reads and writes a one-row version table in the schema (migrations are the same
  scripts on both engines, `schema.migrate` runs them under that lock), `PRAGMA data_version` answers a
  count of the changes announced (LISTEN/NOTIFY) to the tables that processes cache (`Postgres.version`),
  `PRAGMA table_info` reads the catalogue, `PRAGMA defer_foreign_keys` takes the schema's foreign keys
  off until COMMIT, which puts them back (checking each over the whole table once), other PRAGMAs are
  no-ops;
- booleans are sent as 0/1 and integral `numeric` results (sums of bigints) come back as `int`;
- `executemany` of a plain INSERT ... VALUES loads with COPY, any other in one pipeline;
- `pipeline()` (which sqlite3 lacks: `store.database.pipeline` is a no-op there) queues the writes at
  the end of a transaction, whose answers nothing reads, so they cost one round trip together; they are
  queued through libpq's pipeline mode itself (`_Queue`), not psycopg's, which cost a worker several
  times the CPU per statement;
- DDL is translated too (`translate_ddl`): INTEGER is BIGINT (SQLite's integers are 64-bit), an INTEGER
  PRIMARY KEY is an identity column, a rowid table without one gets a `rowid` identity column, foreign
  keys are DEFERRABLE, and the ledger's triggers have PL/pgSQL twins under the same names.

Layout: each workspace is a schema (`ws_<name>`, its pristine copy `wp_<name>`, a ready spare `wn_<name>`),
which is the unit of sharding (Citus schema-based sharding moves whole schemas between nodes); the control
data, governance, capacity counters and abuse counters each have a schema of their own.

Connections: one per thread and role (workspaces, shared data), opened lazily with a short connect
timeout, so the server's thread pools bound them as a pool would; the search_path is switched only when
a thread moves to another schema, in one pipeline with the statement that needs it. When the server cannot be reached the layer raises
`StoreUnavailable` and drops the connection, and the next call reconnects by itself; a connection found
dead while idle (the server restarted meanwhile) is replaced once without the caller seeing it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import select
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from psycopg.adapt import Dumper, Loader, PyFormat, Transformer
from psycopg.pq import ExecStatus, TransactionStatus

from .errors import StoreUnavailable

CONNECT_TIMEOUT_S = 3
COMPAT = "sandbox_compat"
CHANNEL = "sandbox_changed"
# The tables that processes keep in memory (the registry's records, connectors, tokens and their
# grants, holds on connectors): each change to them is announced to every process (`Postgres.version`).
WATCHED = {"control": ("workspaces",), "governance": ("connectors", "tokens", "grants"), "abuse": ("holds",)}
# And in each workspace's schemas, what every request's context is made of (its clock, and whether
# any scenario rule is armed: `Workspaces.context`). A copy of a schema keeps its triggers.
WORKSPACE_PREFIXES = ("ws_", "wp_", "wn_", "wb_", "wd_", "wu_")  # store/schemas.py says what each holds
WATCHED_IN_WORKSPACES = ("clock", "scenarios")


def watched(schema: str) -> tuple[str, ...]:
    """The tables of `schema` whose changes are announced."""
    return WATCHED_IN_WORKSPACES if schema.startswith(WORKSPACE_PREFIXES) else WATCHED.get(schema, ())


def announcing(schema: str | None = None) -> str:
    """The DDL that makes the watched tables of `schema` (unqualified: the search_path's) announce each change."""
    tables = watched(schema) if schema else WATCHED_IN_WORKSPACES
    where = f'"{schema}".' if schema else ""
    return "; ".join(f"CREATE OR REPLACE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                     f"{where}{table} FOR EACH STATEMENT EXECUTE FUNCTION {COMPAT}.notify_changed()" for table in tables)


# The round trips to the server, by the function that asked for each ("module.function"), while a
# bench or a test counts them (`counting`); a statement queued in a pipeline is no round trip, the
# pipeline's end is one.
round_trips: Counter | None = None
_counted_thread: int | None = None


@contextmanager
def counting(only_this_thread: bool = False):
    """Count round trips by caller in this block (every thread's, or this one's), into the Counter it yields."""
    global round_trips, _counted_thread
    counter = round_trips = Counter()
    _counted_thread = threading.get_ident() if only_this_thread else None
    try:
        yield counter
    finally:
        round_trips = None


def _count() -> None:
    if _counted_thread is not None and threading.get_ident() != _counted_thread:
        return
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename in (__file__, contextlib.__file__):
        frame = frame.f_back
    if frame is not None and round_trips is not None:
        round_trips[f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}"] += 1


# -- translation ----------------------------------------------------------------------------------

# Quoted literals and identifiers (kept as they are), placeholders, '%' (psycopg's escape), and the
# column names that PostgreSQL reserves (quoted). A parameter only tested for NULL has no type the
# server could infer, so it is sent as text.
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?(\d*)(\s+IS\s+(?:NOT\s+)?NULL\b)?|%|\b(window)\b", re.I)
_RESERVED = re.compile(r"\bwindow\b", re.I)


@lru_cache(maxsize=8192)
def translate(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """The PostgreSQL text of a statement in the shared dialect, and how to reorder its parameters."""
    stripped = sql.strip()
    head = stripped[:12].upper()
    if head.startswith(("CREATE ", "ALTER ", "DROP ")):
        return translate_ddl(stripped).replace("%", "%%"), None
    text = _alias_subqueries(_qualify_upsert(sql))
    text = re.sub(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", "INSERT INTO", text, flags=re.I)
    if re.search(r"\bINSERT\s+OR\s+IGNORE\b", sql, re.I):
        text = _before_returning(text, " ON CONFLICT DO NOTHING")
    text = re.sub(r"\s+NOT\s+INDEXED\b", "", text, flags=re.I)
    order: list[int] = []
    numbered = False

    def placeholder(match: re.Match) -> str:
        nonlocal numbered
        token = match.group(0)
        if token == "%":
            return "%%"
        if match.group(3):
            return f'"{token.lower()}"'
        if not token.startswith("?"):
            return token.replace("%", "%%")  # a quoted literal or identifier, as it is to the server
        if match.group(1):
            numbered = True
            order.append(int(match.group(1)) - 1)
        else:
            order.append(len(order))
        return f"%s::text{match.group(2)}" if match.group(2) else "%s"

    text = _TOKENS.sub(placeholder, text)
    return text, tuple(order) if numbered else None


_UPSERT = re.compile(r"\bINSERT\s+INTO\s+(\w+)\b.*?\bDO\s+UPDATE\s+SET\b", re.I | re.S)
_WORDS = frozenset("case when then else end and or not is null in where set excluded true false like between distinct".split())


def _qualify_upsert(sql: str) -> str:
    """Name the table before the columns of an upsert's DO UPDATE: SQLite reads a bare name as the row
    in the table, PostgreSQL calls it ambiguous (EXCLUDED has the same columns)."""
    match = _UPSERT.search(sql)
    if match is None:
        return sql
    table, start = match.group(1), match.end()
    returning = re.search(r"\bRETURNING\b", sql[start:], re.I)
    end = start + returning.start() if returning else len(sql)
    body, out, last, depth, target = sql[start:end], [], 0, 0, True
    for token in re.finditer(r"'(?:[^']|'')*'|[A-Za-z_]\w*|\S", body):
        text = token.group(0)
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "," and depth == 0:
            target = True
        elif text.upper() == "WHERE" and depth == 0:
            target = False
        elif text[0].isalpha() or text[0] == "_":
            before = body[:token.start()].rstrip()
            after = body[token.end():].lstrip()
            if target:
                target = False  # the column being set
            elif text.lower() not in _WORDS and not before.endswith(".") and not after.startswith(("(", ".")):
                out.append(body[last:token.start()] + f"{table}.{text}")
                last = token.end()
    return sql[:start] + "".join(out) + body[last:] + sql[end:]


_CLAUSES = frozenset("where group order limit union except intersect join left inner cross natural having window on using".split())


def _alias_subqueries(sql: str) -> str:
    """Give each subquery in FROM or JOIN a name: PostgreSQL before 16 insists, SQLite does not."""
    text, position, count = sql, 0, 0
    while (match := re.compile(r"\b(?:FROM|JOIN)\s*\(\s*SELECT\b", re.I).search(text, position)) is not None:
        depth, index = 0, text.index("(", match.start())
        for index in range(index, len(text)):
            depth += {"(": 1, ")": -1}.get(text[index], 0)
            if depth == 0:
                break
        following = re.match(r"\s*(\w+)", text[index + 1:])
        if following is None or following.group(1).lower() in _CLAUSES:
            count += 1
            text = f"{text[:index + 1]} AS subquery_{count}{text[index + 1:]}"
        position = match.end()
    return text


def _before_returning(sql: str, clause: str) -> str:
    match = re.search(r"\bRETURNING\b", sql, flags=re.I)
    return sql[:match.start()] + clause.strip() + " " + sql[match.start():] if match else sql.rstrip().rstrip(";") + clause


_REFERENCE = re.compile(r"(REFERENCES\s+\w+\s*\([^)]*\)(?:\s+ON\s+(?:DELETE|UPDATE)\s+(?:CASCADE|SET\s+NULL|RESTRICT|NO\s+ACTION))*)"
                        r"(?!\s+DEFERRABLE)", re.I)


@lru_cache(maxsize=1024)
def translate_ddl(sql: str) -> str:
    """One SQLite DDL statement as PostgreSQL DDL (types, keys, deferrable references, triggers)."""
    trigger = re.match(r"(CREATE|DROP)\s+TRIGGER\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(\w+)", sql, re.I)
    if trigger:
        name = trigger.group(2)
        table, body = TRIGGERS[name]
        if trigger.group(1).upper() == "DROP":
            return f"DROP TRIGGER IF EXISTS {name} ON {table}"
        return body
    text = re.sub(r"--[^\n]*", "", sql)
    text = _RESERVED.sub('"window"', text)
    text = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", text, flags=re.I)
    text = re.sub(r"\bINTEGER\b", "BIGINT", text, flags=re.I)
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text, flags=re.I)
    text = _REFERENCE.sub(r"\1 DEFERRABLE INITIALLY IMMEDIATE", text)
    without_rowid = re.search(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", text, re.I)
    if without_rowid:
        text = text[:without_rowid.start()] + ")"
    elif re.match(r"CREATE\s+TABLE", text, re.I) and "IDENTITY PRIMARY KEY" not in text:
        # SQLite gives every other table a rowid, and some queries page by it.
        head, _, rest = text.partition("(")
        text = f"{head}(rowid BIGINT GENERATED BY DEFAULT AS IDENTITY, {rest}"
    return text


def _raise(message: str) -> str:
    return f"RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{message}'"


# The ledger's guards (schema.LEDGER_TRIGGERS) in PL/pgSQL, under the same names.
TRIGGERS = {
    # Once per statement too: a transfer's six legs were six calls of a row trigger, each a PL/pgSQL
    # call and a lookup, about a twentieth of the server's time a transfer; one join of the statement's
    # postings with movements refuses the same rows (its error undoes the whole statement).
    "postings_sealed": ("postings", f"""
        CREATE OR REPLACE FUNCTION postings_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM movements WHERE id IN (SELECT movement_id FROM new_postings)) THEN
                {_raise('ledger: movement already sealed')};
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER postings_sealed AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings
        FOR EACH STATEMENT EXECUTE FUNCTION postings_sealed()"""),
    # Once per statement, each account moved by the sum of its new postings: a transfer's six legs are
    # one UPDATE of four accounts, not six (SQLite's row trigger reaches the same balances row by row).
    "postings_move_balance": ("postings", """
        CREATE OR REPLACE FUNCTION postings_move_balance() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE accounts a SET balance = a.balance + n.total
            FROM (SELECT account_no, sum(amount) AS total FROM new_postings GROUP BY account_no) n
            WHERE a.no = n.account_no;
            RETURN NULL;
        END $$;
        CREATE TRIGGER postings_move_balance AFTER INSERT ON postings REFERENCING NEW TABLE AS new_postings
        FOR EACH STATEMENT EXECUTE FUNCTION postings_move_balance()"""),
    "postings_immutable_update": ("postings", f"""
        CREATE OR REPLACE FUNCTION postings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_raise('ledger: postings are immutable')}; END $$;
        CREATE TRIGGER postings_immutable_update BEFORE UPDATE ON postings FOR EACH ROW EXECUTE FUNCTION postings_immutable()"""),
    "postings_immutable_delete": ("postings", f"""
        CREATE OR REPLACE FUNCTION postings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {_raise('ledger: postings are immutable')}; END $$;
        CREATE TRIGGER postings_immutable_delete BEFORE DELETE ON postings FOR EACH ROW EXECUTE FUNCTION postings_immutable()"""),
    # The count and the sum of a movement's postings in one look at them (they were two).
    "movements_balanced": ("movements", f"""
        CREATE OR REPLACE FUNCTION movements_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE legs bigint; total numeric;
        BEGIN
            SELECT count(*), sum(amount) INTO legs, total FROM postings WHERE movement_id = NEW.id;
            IF legs < 2 OR total <> 0 THEN
                {_raise('ledger: postings of a movement must be two or more and sum to zero')};
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER movements_balanced BEFORE INSERT ON movements FOR EACH ROW EXECUTE FUNCTION movements_balanced()"""),
}

# SQLite's functions that the shared queries call, for PostgreSQL (text in, text out, like SQLite's JSON1).
COMPAT_FUNCTIONS = f"""
CREATE SCHEMA IF NOT EXISTS {COMPAT};
CREATE OR REPLACE FUNCTION {COMPAT}.max(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT greatest(a, b)';
CREATE OR REPLACE FUNCTION {COMPAT}.min(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT least(a, b)';
CREATE OR REPLACE FUNCTION {COMPAT}.json_array(v text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT jsonb_build_array(v)::text';
CREATE OR REPLACE FUNCTION {COMPAT}.json_array_length(doc text) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS 'SELECT jsonb_array_length(doc::jsonb)';
CREATE OR REPLACE FUNCTION {COMPAT}.json_insert(doc text, path text, v text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$SELECT CASE WHEN path = '$[#]' THEN (doc::jsonb || jsonb_build_array(v))::text END$$;
CREATE OR REPLACE FUNCTION {COMPAT}.json_remove(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$SELECT (doc::jsonb - substring(path FROM '^\\$\\[(\\d+)\\]$')::int)::text$$;
CREATE OR REPLACE FUNCTION {COMPAT}.json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$SELECT CASE WHEN path = '$' THEN doc ELSE doc::jsonb #>> string_to_array(
          ltrim(regexp_replace(substr(path, 2), '\\[(\\d+)\\]', '.\\1', 'g'), '.'), '.') END$$;
CREATE OR REPLACE FUNCTION {COMPAT}.notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_SCHEMA); RETURN NULL; END $$;
CREATE OR REPLACE FUNCTION {COMPAT}.json_each(doc text) RETURNS TABLE (key text, value text) LANGUAGE sql IMMUTABLE
    AS $$SELECT (ordinality - 1)::text, elem::text FROM jsonb_array_elements(doc::jsonb) WITH ORDINALITY AS e(elem, ordinality)$$;
"""


# -- connections ------------------------------------------------------------------------------------

class _BoolAsInt(Dumper):
    """sqlite3 stores True as 1: so does this layer (the columns are integers)."""

    oid = psycopg.postgres.types["int8"].oid

    def dump(self, obj):
        return b"1" if obj else b"0"


class _NumericAsNumber(Loader):
    """sum() over bigints is numeric in PostgreSQL; sqlite3 answers an int, and so does this layer."""

    def load(self, data):
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class Cursor(psycopg.Cursor):
    """A psycopg cursor with sqlite3's `lastrowid` (the identity value this session inserted last)."""

    @property
    def lastrowid(self):
        return self.connection.execute("SELECT lastval()").fetchone()[0]


class _Rows:
    """Rows answered without the server: a PRAGMA's."""

    rowcount = -1
    lastrowid = None

    def __init__(self, rows: list[tuple] = ()):
        self._rows = list(rows)

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchall(self):
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self):
        return iter(self.fetchall())


class _Answer:
    """The answer to a statement sent the direct way (`Connection._direct`), read as a cursor's."""

    def __init__(self, conn: psycopg.Connection, result, transformer: Transformer):
        self._conn = conn
        count = result.command_tuples
        self.rowcount = -1 if count is None else count
        if result.status == ExecStatus.TUPLES_OK:
            transformer.set_pgresult(result)
            self._rows = transformer.load_rows(0, result.ntuples, tuple)
            self.description = [(result.fname(i).decode(), None, None, None, None, None, None)
                                for i in range(result.nfields)]
        else:
            self._rows, self.description = [], None

    @property
    def lastrowid(self):
        return self._conn.execute("SELECT lastval()").fetchone()[0]

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, size: int = 0):
        taken, self._rows = self._rows[:size or 1], self._rows[size or 1:]
        return taken

    def fetchall(self):
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self):
        return iter(self.fetchall())


_SYNC = object()  # the place of a pipeline's sync point among the answers awaited (_Queue)


class _Queue:
    """A pipeline of one connection, spoken through libpq itself (`Connection.pipeline`).

    psycopg's own pipeline makes a cursor, its adapters and a poll of the socket for every statement
    queued: about 30 µs of a worker's CPU each, against 3–7 µs this way (measured alone, ten INSERTs
    and a COMMIT), and a transfer queues some fifteen. A statement with parameters is prepared once per
    connection under the names the direct way uses (`Connection._direct`, sharing them); transaction
    control and the search_path are sent unnamed. Nothing is read until an answer is: then one sync
    point is sent, and every answer up to it is read (one round trip), the first error among them raised.
    """

    def __init__(self, link: "_Link"):
        self.link, self.conn = link, link.conn
        if link.prepared_on is not self.conn:
            link.prepared, link.prepared_on, link.transformer = {}, self.conn, Transformer(self.conn)
            link.names = itertools.count()
        self.awaited: list = []  # per answer to come: a _Queued, a prepared statement's key, or _SYNC
        self.conn.pgconn.enter_pipeline_mode()

    def send(self, query: str, params=(), prepare: bool = True) -> "_Queued":
        link, pgconn = self.link, self.conn.pgconn
        transformer = link.transformer
        values = transformer.dump_sequence(params, [PyFormat.TEXT] * len(params)) if params else None
        key = (query, tuple(transformer.types) if params else ())
        name = link.prepared.get(key) if prepare else None
        if name is None and prepare and len(link.prepared) < MAX_PREPARED:
            name = f"sandbox_{next(link.names)}".encode()
            pgconn.send_prepare(name, _numbered(query), key[1] or None)
            self.awaited.append(key)
            link.prepared[key] = name
        if name is None:
            pgconn.send_query_params(_numbered(query), values, param_types=key[1] or None)
        else:
            pgconn.send_query_prepared(name, values)
        answer = _Queued(self)
        self.awaited.append(answer)
        return answer

    def wait(self) -> None:
        """Read every answer to what was sent (one round trip); raise the first error among them."""
        if not self.awaited:
            return
        if round_trips is not None:
            _count()
        pgconn = self.conn.pgconn
        pgconn.pipeline_sync()
        self.awaited.append(_SYNC)
        self._flush()
        error = None
        while self.awaited:
            awaited = self.awaited.pop(0)
            result = self._result()
            if result is None:
                raise psycopg.OperationalError(pgconn.get_error_message() or "the connection was lost")
            if awaited is _SYNC:
                continue
            self._result()  # the end of this statement's answers
            if result.status in (ExecStatus.TUPLES_OK, ExecStatus.COMMAND_OK):
                if isinstance(awaited, _Queued):
                    awaited.answer = _Answer(self.conn, result, self.link.transformer)
                continue
            if isinstance(awaited, tuple):  # a statement not prepared (refused, or after a failure)
                self.link.prepared.pop(awaited, None)
            if result.status != ExecStatus.PIPELINE_ABORTED and error is None:
                error = psycopg.errors.error_from_result(result, encoding=self.conn.info.encoding)
        if error is not None:
            raise error

    def close(self, quietly: bool = False) -> None:
        """Read what is still to come and leave pipeline mode (errors raised unless `quietly`)."""
        try:
            self.wait()
        except psycopg.Error:
            if not quietly:
                raise
        finally:
            if self.conn.pgconn.pipeline_status:
                self.conn.pgconn.exit_pipeline_mode()

    def _result(self):
        pgconn = self.conn.pgconn
        while pgconn.is_busy():
            _wait_on(pgconn.socket, select.POLLIN)
            pgconn.consume_input()
        return pgconn.get_result()

    def _flush(self) -> None:
        pgconn = self.conn.pgconn
        while pgconn.flush():
            if _wait_on(pgconn.socket, select.POLLIN | select.POLLOUT) & select.POLLIN:
                pgconn.consume_input()


def _wait_on(socket: int, events: int) -> int:
    """Wait (without the interpreter's lock) until `socket` has one of `events`; the events it has."""
    waiting = select.poll()
    waiting.register(socket, events)
    return waiting.poll()[0][1]


class _Queued:
    """A statement queued in a pipeline (`_Queue`), read as a cursor: its answer is waited for when it is first
    read (its rows, or a write's `rowcount`), with the answers of everything queued before it."""

    answer: "_Answer | None" = None

    def __init__(self, queue: _Queue):
        self._queue = queue

    def _arrived(self) -> "_Answer":
        if self.answer is None:
            self._queue.wait()
        if self.answer is None:
            raise psycopg.errors.InFailedSqlTransaction("the statement did not run: one before it in the pipeline failed")
        return self.answer

    @property
    def rowcount(self) -> int:
        return self._arrived().rowcount

    @property
    def description(self):
        return self._arrived().description

    @property
    def lastrowid(self):
        return self._queue.send("SELECT lastval()")._arrived().fetchone()[0]

    def fetchone(self):
        return self._arrived().fetchone()

    def fetchmany(self, size: int = 0):
        return self._arrived().fetchmany(size)

    def fetchall(self):
        return self._arrived().fetchall()

    def __iter__(self):
        return iter(self._arrived().fetchall())


# What psycopg may answer by deallocating every prepared statement of the connection, its own and the direct
# way's (`Connection._direct`) alike: an object those refer to may be made again (its `_should_discard`).
_DISCARDING = re.compile(rb"^(?:DROP|ALTER|ROLLBACK|DISCARD ALL|DEALLOCATE ALL)\b")
# Statements the direct way may prepare on one connection before it is replaced by a new one (what it
# forgot but the server may still hold, `_forgetting`, is then let go with it).
MAX_PREPARED = 2000


def _forgetting(link: "_Link", cursor):
    """`cursor`, having forgotten the link's direct-way statements where what it ran (a ROLLBACK, a DROP) may
    have made psycopg deallocate every statement: they are prepared again, under new names, when next sent.
    Never deallocated here: that would take psycopg's own where it kept them."""
    result = getattr(cursor, "pgresult", None)
    if link.prepared and result is not None and result.status == ExecStatus.COMMAND_OK \
            and _DISCARDING.match(result.command_status or b""):
        link.prepared.clear()
    return cursor


@lru_cache(maxsize=8192)
def _numbered(query: str) -> bytes:
    """A statement in psycopg's placeholders (`%s`, `%%`) in the server's own (`$1`, `%`)."""
    numbers = itertools.count(1)
    return re.sub(r"%(%|s)", lambda m: "%" if m.group(1) == "%" else f"${next(numbers)}", query).encode()


class _Link:
    """One thread's physical connection for one role, and the schema its search_path names."""

    def __init__(self, url: str):
        self.url = url
        self.conn: psycopg.Connection | None = None
        self.schema: str | None = None
        self.deferred_keys: list[tuple] = []  # foreign keys taken off until COMMIT (Connection._defer_keys)
        self.touched: set[str] = set()  # schemas whose watched tables the open transaction wrote
        self.pipeline: _Queue | None = None  # open while statements are queued (Connection.pipeline)
        self.begin: tuple[str, ...] = ()  # a transaction's start, sent with its first statement (_defer)
        # Statements prepared on `conn` for the direct way (Connection._direct), by text and parameter types.
        self.prepared: dict[tuple, bytes] = {}
        self.prepared_on: psycopg.Connection | None = None
        self.transformer: Transformer | None = None
        self.names = itertools.count()

    def open(self) -> psycopg.Connection:
        if self.conn is None or self.conn.closed:
            try:
                conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                                       cursor_factory=Cursor, application_name="bank-sandbox")
                # The planner's cost of a random page read, as for data held in memory (the sandbox's
                # working set is; PostgreSQL's default assumes a spinning disk): a transfer's few legs and
                # accounts are then found by key, not by hashing every account of a small workspace (403
                # by default), which cost about a tenth of the server's time a transfer. Per session, not
                # the server's setting, which may not be ours to change.
                conn.execute("SET random_page_cost = 1.1")
            except psycopg.OperationalError as error:
                raise StoreUnavailable(f"the database cannot be reached: {error}".strip()) from error
            conn.adapters.register_dumper(bool, _BoolAsInt)
            conn.adapters.register_loader("numeric", _NumericAsNumber)
            self.conn, self.schema = conn, None
        return self.conn

    def lost(self) -> None:
        try:
            if self.conn is not None:
                self.conn.close()
        finally:
            self.conn, self.schema, self.deferred_keys, self.touched = None, None, [], set()


_UNREACHABLE = ("08", "57P01", "57P02", "57P03", "53300")


def _closed_while_idle(conn: psycopg.Connection) -> bool:
    """Whether the server has (most likely) closed this idle connection: it has sent something unasked.

    Nothing listens on these connections, so what a server sends an idle one is the notice that it is
    ending it (a restart, a terminated backend), or, rarely, a changed setting: replacing the
    connection then costs a few milliseconds and nothing else. A check without waiting, no round trip.
    """
    if conn.info.transaction_status != TransactionStatus.IDLE:
        return False
    return _readable(conn.pgconn.socket)


def _readable(socket: int | None) -> bool:
    """Whether `socket` holds unread bytes, checked without waiting (poll, not select(): a busy server's
    descriptors pass FD_SETSIZE)."""
    if socket is None:
        return False
    waiting = select.poll()
    waiting.register(socket, select.POLLIN)
    return bool(waiting.poll(0))


def _unreachable(error: psycopg.Error, link: _Link) -> bool:
    state = getattr(error, "sqlstate", None) or ""
    broken = link.conn is None or link.conn.closed or link.conn.broken
    return broken or state.startswith(_UNREACHABLE)


def lock_key(schema: str) -> int:
    """The advisory lock of a schema: a signed 64-bit number from its name (the same in every process)."""
    return int.from_bytes(hashlib.blake2b(schema.encode(), digest_size=8).digest(), "big", signed=True)


class Connection:
    """A view on one schema, with the sqlite3 methods the store uses, of the connection of the thread using it.

    Views are handed out per thread, but an object holding one (a request's context, a store) may be
    used by another thread: each statement goes through the connection of the thread that sends it,
    never one that another thread may be using at that moment. A transaction lives in the thread that
    began it.
    """

    def __init__(self, engine: "Postgres", role: str, schema: str):
        self._engine = engine
        self._role = role
        self.schema = schema
        self._begin = ("BEGIN", f"SELECT pg_advisory_xact_lock({lock_key(schema)})")

    @property
    def _link(self) -> _Link:
        return self._engine.link(self._role)

    def announced(self) -> int:
        """This schema's count of announced changes (`Postgres.version`): no round trip."""
        return self._engine.version(self.schema)

    # -- sqlite3's surface --
    @property
    def in_transaction(self) -> bool:
        conn = self._link.conn
        return bool(self._link.begin) or (
            conn is not None and not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE)

    def execute(self, sql: str, params=()):
        special = _SPECIAL.get(sql)
        if special is not None:
            return special(self)
        if sql.lstrip()[:6].upper() == "PRAGMA":
            return self._pragma(sql)
        copy, width = _copy_statement(sql) if len(params) > COPY_FROM_PARAMS else (None, 0)
        if copy is not None and self._link.pipeline is None:
            # Many rows in one INSERT: loaded as COPY rows, not parsed as one long statement.
            cursor = self._copy(copy, [params[i:i + width] for i in range(0, len(params), width)])
        else:
            query, order = translate(sql)
            if order is not None:
                params = [params[i] for i in order]
            # In a pipeline every statement is queued; a read's answer (or that of a write returning
            # rows) is waited for when its rows are first read, so reads sent one after the other
            # before any is read cost one round trip together.
            link = self._link
            if link.pipeline is not None:
                cursor = self._queue(link, query, params)
            elif params and not link.begin and link.schema == self.schema and link.conn is not None \
                    and not link.conn.closed:
                cursor = self._direct(link, query, params)
            else:
                cursor = self._run(lambda conn: conn.execute(query, params), single=bool(params))
        if _written_table(sql) in watched(self.schema):
            self._engine.changed(self.schema)
            if self.in_transaction:
                self._link.touched.add(self.schema)  # and again once it commits
        return cursor

    def executemany(self, sql: str, rows):
        query, order = translate(sql)
        rows = list(rows)
        if order is not None:
            rows = [[row[i] for i in order] for row in rows]
        copy, _ = _copy_statement(sql)
        link = self._link
        if link.pipeline is not None:  # no COPY in a pipeline; the rowcount is read at once (every leg landed?)
            done = _Rows()
            done.rowcount = sum(answer.rowcount for answer in [self._queue(link, query, row) for row in rows])
            return done
        if copy is not None and len(rows) > 20:
            return self._copy(copy, rows)

        def run(conn):
            cursor = conn.cursor()
            cursor.executemany(query, rows)
            return cursor
        return self._run(run)

    def _copy(self, copy: str, rows):
        def load(conn):
            with conn.cursor() as cursor:
                with cursor.copy(copy) as writer:
                    for row in rows:
                        writer.write_row(row)
                return cursor
        return self._run(load)

    @contextmanager
    def pipeline(self):
        """Send the block's statements without waiting for each answer (libpq's pipeline mode, `_Queue`).

        For the writes at the end of a transaction and its COMMIT, whose answers nothing reads: they
        travel together and cost one round trip instead of one each. A read in the block gets its rows
        when they are first read (that waits for everything queued before it), and so does a write's
        `rowcount`: reads sent before any of them is read share one round trip. An error of a queued
        statement is raised at the next such wait or when the block ends, and the transaction is rolled
        back, as it was when the error came at once (a COMMIT queued behind the refused write never
        runs). Nested blocks join the outer one.

        A statement run alone on a connection that the server closed while it was idle (a restart)
        is sent again on a new one (`_run`); a block's statements cannot be, as the code between them
        has run. So a block that starts on an idle connection first replaces it if the server has
        closed it: the server says so before it goes, which leaves the socket readable while nothing
        was asked (`_closed_while_idle`).
        """
        link = self._link
        if link.pipeline is not None:
            yield self
            return
        if link.conn is not None and not link.conn.closed and _closed_while_idle(link.conn):
            link.lost()
        try:
            conn = link.open()
            queue = link.pipeline = _Queue(link)
            try:
                yield self
            except BaseException:
                link.pipeline = None
                queue.close(quietly=True)
                raise
            link.pipeline = None
            queue.close()  # the answers to everything queued
        except psycopg.Error as error:
            if not _unreachable(error, link):
                if conn.info.transaction_status == TransactionStatus.INERROR:
                    # A COMMIT queued after the refused statement never ran: end the transaction here.
                    _forgetting(link, conn.execute("ROLLBACK"))
                    link.schema = None
                raise
            link.lost()
            raise StoreUnavailable(f"the database connection failed: {error}".strip()) from error

    def executescript(self, script: str) -> None:
        """Run a DDL script once, whoever else runs it at the same moment (under the schema's lock)."""
        from .schema import statements

        own = not self.in_transaction
        if own:
            self.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(script):
                self.execute(statement)
        except BaseException:
            if own:
                self.execute("ROLLBACK")
            raise
        if own:
            self.execute("COMMIT")

    def close(self) -> None:
        """The physical connection stays with the thread (other views share it); nothing to do."""

    # -- inner workings --
    def _direct(self, link: _Link, query: str, params):
        """Run one statement with parameters as a prepared statement through libpq's blocking call.

        psycopg's cursor sends a statement without blocking and waits for its answer in Python, making a
        cursor and its adapters each time: about 55 µs of a worker's CPU a statement against 13 µs this
        way, which on the same machine as the server is most of a balance inquiry's cost over SQLite's
        (`bench/pg_bench.py` shows each side's CPU). The statement is prepared once per connection, by
        its text and the types of its parameters (as psycopg's own prepared statements are: the server
        plans it again when the search_path or a table changes); libpq lets go of the interpreter's
        lock while it waits. Outside a pipeline, on a connection already in this view's schema, with no
        transaction start to send: anything else goes psycopg's way (`_run`).
        """
        conn = link.conn
        if round_trips is not None:
            _count()
        idle = conn.info.transaction_status == TransactionStatus.IDLE
        try:
            if link.prepared_on is not conn:
                link.prepared, link.prepared_on, link.transformer = {}, conn, Transformer(conn)
                link.names = itertools.count()
            transformer = link.transformer
            values = transformer.dump_sequence(params, [PyFormat.TEXT] * len(params))
            key = (query, tuple(transformer.types))
            name = link.prepared.get(key)
            pgconn = conn.pgconn
            if name is None:
                number = next(link.names)
                if number >= MAX_PREPARED and idle:  # a new connection, to let go of what was forgotten
                    link.lost()
                    return self._run(lambda conn: conn.execute(query, params), single=True)
                name = f"sandbox_{number}".encode()
                self._checked(conn, pgconn.prepare(name, _numbered(query), key[1]))
                link.prepared[key] = name
            return _Answer(conn, self._checked(conn, pgconn.exec_prepared(name, values)), transformer)
        except psycopg.errors.InvalidSqlStatementName:
            link.prepared.clear()  # (gone with psycopg's own: `_forgetting`)
            if not idle:
                raise
            return self._run(lambda conn: conn.execute(query, params), retry=False, single=True)
        except psycopg.Error as error:
            if not _unreachable(error, link):
                raise
            link.lost()
            if idle:  # nothing of a transaction was lost: send it again on a new connection
                return self._run(lambda conn: conn.execute(query, params), retry=False, single=True)
            raise StoreUnavailable(f"the database connection failed: {error}".strip()) from error

    @staticmethod
    def _checked(conn: psycopg.Connection, result):
        if result.status not in (ExecStatus.TUPLES_OK, ExecStatus.COMMAND_OK):
            raise psycopg.errors.error_from_result(result, encoding=conn.info.encoding)
        return result

    def _queue(self, link: _Link, query: str, params=(), plain: bool = False) -> _Queued:
        """Queue one statement in the open pipeline, after the SET search_path and the transaction's start
        it needs (`plain`: transaction control, which names no table and is not prepared)."""
        queue = link.pipeline
        begin, link.begin = link.begin, ()
        if link.schema != self.schema and not plain:
            queue.send(f'SET search_path TO "{self.schema}", {COMPAT}', prepare=False)
            link.schema = self.schema  # (a failure rolls back the transaction, and forgets the schema)
        for statement in begin:
            queue.send(statement, prepare=False)
        return queue.send(query, params, prepare=not plain)

    def _run(self, work, retry: bool = True, single: bool = False, bare: bool = False):
        """Run `work(conn)` on this thread's connection, its search_path naming this view's schema.

        `single`: the work is one statement with parameters, which may travel in one pipeline with
        the SET search_path that a switch of schema needs (one round trip for both, not two). `bare`:
        the work names no table (COMMIT, ROLLBACK), so the search_path need not be set for it.
        """
        link = self._link
        if link.pipeline is not None:  # psycopg's way (a COPY, DDL) while statements are queued: after them
            queue, link.pipeline = link.pipeline, None
            queue.close()
            try:
                return self._run(work, retry, single=single, bare=bare)
            finally:
                if link.conn is queue.conn and not queue.conn.closed:
                    queue.conn.pgconn.enter_pipeline_mode()
                    link.pipeline = queue
        begin, link.begin = link.begin, ()
        switch = link.schema != self.schema and not bare
        ahead = ((f'SET search_path TO "{self.schema}", {COMPAT}',) if switch else ()) + begin
        if round_trips is not None:
            for _ in range(0 if single else len(ahead)):  # sent one by one, or with the work
                _count()
            _count()
        # Outside a transaction nothing is lost with a dead connection: one that died while idle (the
        # server restarted since) is replaced once, unseen. Inside one, the caller must start again.
        idle = (link.conn is None or link.conn.closed or link.conn.info.transaction_status == TransactionStatus.IDLE)
        try:
            conn = link.open()
            if not ahead:
                return _forgetting(link, work(conn))
            # Until these have answered, the search_path is not known for sure (a failed batch undoes it).
            schema, link.schema = (self.schema if switch else link.schema), None
            if single:  # one round trip for all of them
                with conn.pipeline():
                    for statement in ahead:
                        conn.execute(statement)
                    cursor = work(conn)
            else:
                for statement in ahead:
                    conn.execute(statement)
                cursor = work(conn)
            link.schema = schema
            return _forgetting(link, cursor)
        except psycopg.Error as error:
            if not _unreachable(error, link):
                raise
            link.lost()
            if retry and idle:
                link.begin = begin  # nothing of the transaction reached the server: start it again
                return self._run(work, retry=False)
            raise StoreUnavailable(f"the database connection failed: {error}".strip()) from error

    def _defer_keys(self):
        """Check the schema's foreign keys once, at COMMIT, over whole tables (a bulk load's).

        PostgreSQL checks a deferred key row by row at commit, most of a seeding's time; taking the keys
        off and putting them back before COMMIT checks each in one query instead, with the same outcome:
        the transaction commits only if every row is sound.
        """
        keys = self.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace").fetchall()
        for table, key, _ in keys:
            self._run(lambda conn: conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{key}"'))
        self._link.deferred_keys += keys
        return _Rows()

    def _pragma(self, sql: str):
        name, _, value = sql.strip()[6:].strip().partition("=")
        name, value = name.strip().lower(), value.strip()
        if name == "user_version":
            if value:
                return self.execute("UPDATE schema_version SET version = ?", (int(value),))
            return self.execute("SELECT version FROM schema_version")
        if name == "data_version":
            return _Rows([(self._engine.version(self.schema),)])
        if name == "defer_foreign_keys":
            return self._defer_keys()
        table = re.fullmatch(r"table_info\((\w+)\)", name)
        if table:
            return self.execute("SELECT ordinal_position - 1, column_name FROM information_schema.columns "
                                "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                                (table.group(1),))
        return _Rows()


def _begin_immediate(view: Connection):
    return _defer(*view._begin)(view)


def _defer(*statements: str):
    """A transaction's start costs no round trip of its own: it travels with the first statement
    inside it (`Connection._run`), and a transaction with none costs nothing at all. A reader's
    snapshot and a writer's lock are taken at that statement, as they would be anyway."""
    def begin(view: Connection):
        view._link.begin = statements
        return _Rows()
    return begin


def _commit(view: Connection):
    if view._link.begin:  # nothing was sent since BEGIN: nothing to end
        view._link.begin = ()
        return _Rows()
    keys = view._link.deferred_keys
    if keys:
        view._link.deferred_keys = []
        try:
            for table, key, definition in keys:
                view._run(lambda conn: conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{key}" {definition}'))
        except BaseException:
            view._run(lambda conn: conn.execute("ROLLBACK"))
            raise
    link = view._link
    if link.pipeline is not None:
        cursor = view._queue(link, "COMMIT", plain=True)
    else:
        cursor = view._run(lambda conn: conn.execute("COMMIT"), bare=True)
    for schema in view._link.touched:
        view._engine.changed(schema)
    view._link.touched.clear()
    return cursor


def _rollback(view: Connection):
    link = view._link
    link.deferred_keys = []
    link.touched.clear()
    if link.begin:
        link.begin = ()
        return _Rows()
    try:
        if link.pipeline is not None:
            return view._queue(link, "ROLLBACK", plain=True)
        return view._run(lambda conn: conn.execute("ROLLBACK"), bare=True)
    finally:
        link.schema = None  # a SET search_path inside the transaction is undone with it


def _plain(statement: str):
    def run(view: Connection):
        link = view._link
        if link.pipeline is not None:
            return view._queue(link, statement, plain=True)
        return view._run(lambda conn: conn.execute(statement))
    return run


# Transaction control comes first (no translation, no parameters). A plain BEGIN is a reader's: one
# snapshot for the whole block, as a SQLite read transaction gives.
_SPECIAL = {
    "BEGIN IMMEDIATE": _begin_immediate,
    "BEGIN": _defer("BEGIN ISOLATION LEVEL REPEATABLE READ"),
    "COMMIT": _commit,
    "ROLLBACK": _rollback,
    "SAVEPOINT nested": _plain("SAVEPOINT nested"),
    "RELEASE nested": _plain("RELEASE nested"),
    "ROLLBACK TO nested": _plain("ROLLBACK TO nested"),
    # Asked on every request by the caches of tokens, connectors and workspaces: answered at once.
    "PRAGMA data_version": lambda view: _Rows([(view._engine.version(view.schema),)]),
}


@lru_cache(maxsize=8192)
def _written_table(sql: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes (None for anything else)."""
    match = re.match(r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", sql, re.I)
    return match.group(1).lower() if match else None


COPY_FROM_PARAMS = 50  # an INSERT with more parameters than this is loaded with COPY (as psycopg stops caching)


@lru_cache(maxsize=256)
def _copy_statement(sql: str) -> tuple[str | None, int]:
    """`COPY t (cols) FROM STDIN` for a plain `INSERT INTO t (cols) VALUES (?, ...)[, (?, ...)]...`.

    COPY loads rows fastest; and psycopg parses a long statement anew on every call (it caches only
    short ones with few parameters), which for a batch of a few hundred rows cost more than the rows.
    """
    row = r"\(\s*\?(?:\s*,\s*\?)*\s*\)"
    match = re.fullmatch(rf"\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)\s*VALUES\s*{row}(?:\s*,\s*{row})*\s*", sql, re.I)
    if match is None:
        return None, 0
    return f"COPY {match.group(1)} ({match.group(2)}) FROM STDIN", len(match.group(2).split(","))


class Database:
    """What the code holds for a workspace: its connection (`db.conn`), as sqlite_utils.Database offers."""

    def __init__(self, conn: Connection):
        self.conn = conn


# -- the engine -------------------------------------------------------------------------------------

class Postgres:
    """One server (by URL) for this process: per-thread connections and the schemas in it."""

    _engines: dict[str, "Postgres"] = {}
    _engines_lock = threading.Lock()

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()
        self._ready: set[str] = set()
        self._versions: dict[str, int] = {}
        self._versions_lock = threading.Lock()
        self._watched: set[str] = set()
        self._compat_ready = False
        self._listening = False
        self._hearing = False  # the listener is counting what it read from its socket
        self._listen_socket: int | None = None
        self._listener: threading.Thread | None = None
        self._unknown = itertools.count(1 << 62)

    # -- what changed: LISTEN/NOTIFY ---------------------------------------------------------------
    def version(self, schema: str) -> int:
        """A number that moves whenever a watched table of `schema` changes, in any process or replica.

        The tables that in-process caches rest on (WATCHED) notify `sandbox_changed` with their schema
        when a statement changes them; one listener thread per process counts the notifications. While
        it is not listening (starting, or its connection lost), every call answers a new number, so
        nothing cached is trusted until it listens again.
        """
        if self._listener is None:
            self._start_listening()
        if schema not in self._watched:
            try:
                self.watch(schema)
            except psycopg.OperationalError as error:
                raise StoreUnavailable(f"the database cannot be reached: {error}".strip()) from error
            self._watched.add(schema)
        if not self._listening:
            return next(self._unknown)
        self._catch_up()
        return self._versions.get(schema, 0)

    def _catch_up(self, most_s: float = 0.05) -> None:
        """Wait (briefly) for announcements that have reached this process but are not counted yet.

        A change committed through another replica is announced at its COMMIT, before that replica
        answers; by the time a client asks this one, the announcement sits on the listener's socket, but
        the listener thread may not have run yet. So while the socket holds unread bytes, or the
        listener is counting what it read, the caller waits for it: the next request after a change
        sees it, not only one a moment later.
        """
        deadline = None
        while self._hearing or _readable(self._listen_socket):
            deadline = deadline or time.monotonic() + most_s
            if time.monotonic() >= deadline:
                return
            time.sleep(0.0002)

    def changed(self, schema: str) -> None:
        """Move `schema`'s version: announced by the server, or written by this process (whose own caches
        need not wait for the announcement)."""
        with self._versions_lock:
            self._versions[schema] = self._versions.get(schema, 0) + 1

    def _start_listening(self) -> None:
        with self._engines_lock:
            if self._listener is None:
                self._listener = threading.Thread(target=self._listen, name="sandbox-listen", daemon=True)
                self._listener.start()

    def _listen(self) -> None:
        while True:
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    for schema in {*WATCHED, *self._versions}:  # what changed while nobody listened is unknown
                        self.changed(schema)
                    pgconn, self._listen_socket = conn.pgconn, conn.pgconn.socket
                    self._listening = True
                    waiting = select.poll()
                    waiting.register(self._listen_socket, select.POLLIN)
                    while True:
                        waiting.poll()
                        self._hearing = True  # before the bytes leave the socket: `_catch_up` sees one or the other
                        try:
                            pgconn.consume_input()
                            while (notify := pgconn.notifies()) is not None:
                                self.changed(notify.extra.decode())
                        finally:
                            self._hearing = False
                        if pgconn.status != psycopg.pq.ConnStatus.OK:
                            raise psycopg.OperationalError("the listening connection was lost")
            except psycopg.Error as error:
                # The database was dropped (psycopg gives no SQLSTATE for a refused connection): nothing to hear.
                if getattr(error, "sqlstate", None) == "3D000" or re.search(r"database .* does not exist", str(error)):
                    self._listening, self._listener = False, None
                    return
            self._listening, self._hearing, self._listen_socket = False, False, None
            time.sleep(1)

    @classmethod
    def at(cls, url: str) -> "Postgres":
        """The engine of `url` in this process (made once, shared by every store)."""
        with cls._engines_lock:
            engine = cls._engines.get(url)
            if engine is None:
                engine = cls._engines[url] = cls(url)
            return engine

    def connection(self, schema: str, role: str = "shared") -> Connection:
        """A view on `schema` (`role` workspace or shared: one physical connection each per thread)."""
        views = self._local.__dict__.setdefault("views", {})
        view = views.get((schema, role))
        if view is None:
            view = views[(schema, role)] = Connection(self, role, schema)
        return view

    def link(self, role: str) -> _Link:
        """The calling thread's connection for `role` (opened at its first statement)."""
        links = self._local.__dict__.setdefault("links", {})
        link = links.get(role)
        if link is None:
            link = links[role] = _Link(self.url)
        return link

    def ensure_schema(self, schema: str) -> Connection:
        """Create `schema` with its version row unless it exists (once per process), and return a view on it."""
        view = self.connection(schema)
        if schema not in self._ready:
            admin = self.connection("public")
            admin.execute("BEGIN IMMEDIATE")
            try:
                if not self._compat_ready:  # once per process: a newer release may bring new functions
                    admin._run(lambda conn: conn.execute(COMPAT_FUNCTIONS))
                    self._compat_ready = True
                admin._run(lambda conn: conn.execute(
                    f'CREATE SCHEMA IF NOT EXISTS "{schema}"; '
                    f'CREATE TABLE IF NOT EXISTS "{schema}".schema_version (version BIGINT NOT NULL); '
                    f'INSERT INTO "{schema}".schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM "{schema}".schema_version)'))
            except BaseException:
                admin.execute("ROLLBACK")
                raise
            admin.execute("COMMIT")
            self._ready.add(schema)
        return view

    def watch(self, schema: str) -> None:
        """Make the watched tables of `schema` announce their changes (once per process; they exist by now).

        Their triggers are usually there already (a workspace schema's script makes them, and so did
        the first process for the shared schemas): then nothing is written and no lock is taken.
        """
        tables = watched(schema)
        present = self.connection("public").execute(  # a read of the catalogue: no lock that anyone waits for
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = ? AND t.tgname IN (" + ", ".join("?" * len(tables)) + ")",
            (schema, *(f"{table}_changed" for table in tables))).fetchone()[0]
        if present == len(tables):
            return
        # On a connection of its own: the caller's may be inside a transaction that holds the schema's lock.
        with psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as conn, conn.transaction():
            conn.execute(f"SELECT pg_advisory_xact_lock({lock_key(schema)})")
            conn.execute(announcing(schema))

    def announcing_already(self, schema: str) -> None:
        """`schema` was just made with its triggers (a workspace schema's script): no need to look."""
        self._watched.add(schema)

    def secret(self, name: str, make) -> tuple[str, bool]:
        """The value stored under `name` (the admin token, the signing secret), made and stored by the first asker.

        Returns (value, made_now). Every replica asking at once gets the same value: the first insert wins.
        """
        view = self.ensure_schema("control")
        view.executescript("CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        made = view.execute("INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING value",
                            (name, make())).fetchone()
        if made is not None:
            return made[0], True
        return view.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()[0], False

    def drop_schemas(self, *schemas: str) -> None:
        view = self.connection("public")
        view._run(lambda conn: conn.execute("; ".join(f'DROP SCHEMA IF EXISTS "{s}" CASCADE' for s in schemas)))
        self._ready.difference_update(schemas)

    def forget(self, *schemas: str) -> None:
        """Schemas dropped by another process: create them again on next use."""
        self._ready.difference_update(schemas)


def schema_name(prefix: str, name: str) -> str:
    """A schema name for a workspace: `<prefix>_<name>` with '-' as '_' (63 bytes at most, as PostgreSQL allows)."""
    text = f"{prefix}_{name.replace('-', '_')}"
    if len(text) > 63:
        text = f"{text[:54]}_{hashlib.blake2b(name.encode(), digest_size=4).hexdigest()}"
    return text
