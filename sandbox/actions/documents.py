"""Resources made through operations no binding names, kept so that the spec's other operations see them.

A published spec runs before anyone binds it: its answers are drawn from its examples and schemas. A
connector that creates a payment there and reads it back must read its own payment (its amount, its
reference, the state an action left it in), and a deleted one must be gone, or the sandbox is a static
mock. So each such resource is kept here as documents: what the client sent and the last answer about
it, found by the kind (the path template of the GET that reads one) and its id. The bindings layer
decides which operation makes, reads, changes or deletes what (bindings/remembered.py); this module only
keeps them, in the workspace's database, so a reset forgets them with everything else.
"""

from __future__ import annotations

import json
from contextlib import nullcontext

from ..domain.errors import SandboxError
from ..store.database import read, write
from ..store.schema import names_in
from .context import Context

# The most kept resources of one kind a list answers, the last made (its pages are cut from them). A full
# sync must find every resource it made: at 200, a connector paging 200 at a time (Airbyte's Recurly source)
# was told there was no second page, and the oldest were never listed. A list's work grows with them: each
# row's id and owner are read, to know whose it is (what was sent and answered only for the page's items and
# what its filters look at), about 5 µs a row, so a list of a kind with 1,000 kept costs about 5 ms.
LISTED = 1000


class Document:
    """A kept resource: its id, the path values it was made under (`owner`), what was sent to make or change
    it, its last answer, whether it was deleted, and when it was kept first (`created_at`, the sandbox moment
    of its making, RFC 3339: what a list's `created[gte]` compares where the resource says it in no field of
    its own, as Stripe's invoice items say it in `date`). The three texts are read as JSON when first asked
    for. A listed one (`listed`) holds only its owner at first: what was sent and answered is read from the
    database when first asked for (`_fetch`), so a list of the `LISTED` kept last reads the texts of the
    page's 20 only, and of those its filters look at."""

    __slots__ = ("id", "deleted", "created_at", "_texts", "_read", "_row")

    def __init__(self, resource_id: str, owner: str, sent: str | None, answer: str | None, deleted: bool,
                 created_at: str | None = None, row: tuple | None = None):
        self.id, self.deleted, self._texts, self._read = resource_id, deleted, (owner, sent, answer), {}
        self.created_at, self._row = created_at, row  # (connection, seq): where the unread texts are

    def _field(self, index: int):
        if index not in self._read:
            if self._texts[index] is None and self._row is not None:
                conn, seq = self._row  # one statement: no transaction of its own
                found = conn.execute("SELECT sent, answer FROM documents WHERE seq = ?", (seq,)).fetchone()
                self._texts = (self._texts[0], *(found or ("{}", "null")))
            text = self._texts[index]
            self._read[index] = {} if text == "{}" else json.loads(text)  # (most owners: none)
        return self._read[index]

    owner = property(lambda self: self._field(0))
    sent = property(lambda self: self._field(1))
    answer = property(lambda self: self._field(2))


def _document(row) -> Document:
    return Document(row[0], row[1], row[2], row[3], row[4] is not None, row[5])


def _text(value) -> str:
    """JSON of what a client sent or was answered (the standard library's: it keeps integers past 64 bits)."""
    return json.dumps(value, default=str, ensure_ascii=False)


def find(ctx: Context, api: str, kind: str, resource_id: str) -> Document | None:
    """The resource `resource_id` of `kind`, deleted or not; None if this workspace never kept it."""
    with read(ctx.db):
        row = ctx.db.conn.execute("SELECT id, owner, sent, answer, deleted_at, created_at FROM documents "
                                  "WHERE api = ? AND kind = ? AND id = ?", (api, kind, resource_id)).fetchone()
    return _document(row) if row is not None else None


def kinds_of(ctx: Context, resource_id: str, deleted: bool = False) -> list[tuple[str, str]]:
    """(api, kind) of each resource kept under `resource_id`, of any API and kind: not deleted (or also deleted)."""
    with read(ctx.db):
        return [tuple(row) for row in ctx.db.conn.execute(
            "SELECT api, kind FROM documents WHERE id = ?" + ("" if deleted else " AND deleted_at IS NULL"),
            (resource_id,)).fetchall()]


def listed(ctx: Context, api: str, kind: str) -> list[Document]:
    """The kept resources of `kind`, deleted ones too (a list whose last one was deleted is empty, not the
    spec's example): the `LISTED` made last, oldest first."""
    with read(ctx.db):
        rows = ctx.db.conn.execute("SELECT id, owner, deleted_at, created_at, seq FROM documents WHERE api = ? "
                                   "AND kind = ? ORDER BY seq DESC LIMIT ?", (api, kind, LISTED)).fetchall()
    conn = ctx.db.conn
    return [Document(row[0], row[1], None, None, row[2] is not None, row[3], (conn, row[4])) for row in reversed(rows)]


def named(ctx: Context, api: str, resource_id: str) -> bool:
    """Whether this workspace keeps a resource (not deleted) of any kind of `api` under `resource_id` (asked inside
    a write block too: one statement needs no transaction of its own)."""
    with nullcontext() if ctx.db.conn.in_transaction else read(ctx.db):
        return ctx.db.conn.execute("SELECT 1 FROM documents WHERE api = ? AND id = ? AND deleted_at IS NULL LIMIT 1",
                                   (api, resource_id)).fetchone() is not None


def count(ctx: Context, api: str, kind: str) -> int:
    """How many resources of `kind` were kept (deleted ones too)."""
    with read(ctx.db):
        return ctx.db.conn.execute("SELECT count(*) FROM documents WHERE api = ? AND kind = ?", (api, kind)).fetchone()[0]


def any_made(ctx: Context, api: str, kind: str) -> bool:
    """Whether this workspace keeps a resource of `kind` that was made or kept by a client (deleted since or not),
    not only the mark of a DELETE of an id it never kept (`delete`: nothing sent, deleted when first kept)."""
    with read(ctx.db):
        return ctx.db.conn.execute(
            "SELECT 1 FROM documents WHERE api = ? AND kind = ? AND (deleted_at IS NULL OR sent <> '{}' "
            "OR created_at <> deleted_at) LIMIT 1", (api, kind)).fetchone() is not None


def keep(ctx: Context, api: str, kind: str, resource_id: str, owner: dict, sent: dict, answer, at: str, *,
         made: bool = False) -> None:
    """Keep (or replace) what is known of a resource; a deleted one kept again is back. `made`: a creation's
    answer, which does not replace one kept already (a creation retried under its idempotency key is
    answered as at first, but the payment it made keeps the changes made to it since)."""
    # (one made again after it was deleted was made now: a list bounded by when each was made lists it as new)
    replaced = ", created_at = excluded.created_at WHERE documents.deleted_at IS NOT NULL" if made else ""
    with write(ctx.db):
        kept = ctx.db.conn.execute(
            "INSERT INTO documents (api, kind, id, owner, sent, answer, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (api, kind, id) DO UPDATE SET owner = excluded.owner, "
            "sent = excluded.sent, answer = excluded.answer, updated_at = excluded.updated_at, deleted_at = NULL"
            + replaced + " RETURNING seq", (api, kind, resource_id, _text(owner), _text(sent), _text(answer), at, at)
        ).fetchone()
        if kept is not None:  # (none: a creation retried, its resource kept as it was)
            ctx.db.conn.executemany("INSERT OR IGNORE INTO document_names (api, name, seq) VALUES (?, ?, ?)",
                                    [(api, name, kept[0]) for name in names_in(answer)])


def naming(ctx: Context, api: str, value: str) -> list[tuple[str, Document]]:
    """(kind, resource) of each resource of `api` kept and not deleted whose answer held `value` when it was kept
    (`names_in`), oldest first: what may name it, to be read again. Its work follows them, not all that is kept."""
    with read(ctx.db):
        rows = ctx.db.conn.execute(
            "SELECT d.id, d.owner, d.sent, d.answer, d.deleted_at, d.created_at, d.kind FROM document_names n "
            "JOIN documents d ON d.seq = n.seq WHERE n.api = ? AND n.name = ? AND d.deleted_at IS NULL ORDER BY d.seq",
            (api, str(value))).fetchall()
    return [(row[6], _document(row)) for row in rows]


def delete(ctx: Context, api: str, kind: str, resource_id: str, at: str, tombstone: dict | None = None) -> None:
    """Mark a resource deleted (known or not: a resource deleted is not there to read). `tombstone`: what
    reading it answers now (Stripe's `{"id": ..., "deleted": true}`), kept as its answer."""
    with write(ctx.db):
        ctx.db.conn.execute(
            "INSERT INTO documents (api, kind, id, owner, sent, answer, created_at, updated_at, deleted_at) "
            "VALUES (?, ?, ?, '{}', '{}', ?, ?, ?, ?) ON CONFLICT (api, kind, id) DO UPDATE SET "
            "updated_at = excluded.updated_at, deleted_at = excluded.deleted_at"
            + (", answer = excluded.answer" if tombstone is not None else ""),
            (api, kind, resource_id, _text(tombstone), at, at, at))


def page(ctx: Context, api: str | None = None, kind: str | None = None, limit: int = 100,
         cursor: str | None = None) -> dict:
    """What the workspace keeps, newest first, for bank staff: {resources: [...], next_cursor}, where each
    resource says its API, kind, id, the path values it was made under, what was sent, its last answer,
    when it was made and last changed, and whether it was deleted. Filtered by API and kind."""
    if cursor is not None and not str(cursor).isdigit():
        raise SandboxError("invalid_request", "cursor is the next_cursor of an earlier page", field="cursor")
    where, values = ["seq < ?"], [int(cursor) if cursor is not None else 1 << 62]
    for column, value in (("api", api), ("kind", kind)):
        if value is not None:
            where.append(f"{column} = ?")
            values.append(value)
    with read(ctx.db):
        rows = ctx.db.conn.execute(
            "SELECT seq, api, kind, id, owner, sent, answer, created_at, updated_at, deleted_at FROM documents "
            f"WHERE {' AND '.join(where)} ORDER BY seq DESC LIMIT ?", (*values, limit + 1)).fetchall()
    resources = [{"api": row[1], "kind": row[2], "id": row[3], "owner": json.loads(row[4]), "sent": json.loads(row[5]),
                  "answer": json.loads(row[6]), "created_at": row[7], "updated_at": row[8], "deleted": row[9] is not None}
                 for row in rows[:limit]]
    return {"resources": resources, "next_cursor": str(rows[limit - 1][0]) if len(rows) > limit else None}
