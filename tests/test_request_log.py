"""The request log's batches, on both engines: every entry comes back as it was recorded, in order.

A flush writes hundreds of rows at once (several multi-row inserts; on PostgreSQL loaded as COPY rows),
so the values that a bulk load could mangle are in them: NULLs, quotes, backslashes, tabs and line
breaks, kana, fractions of a millisecond.
"""

from __future__ import annotations

from engines import database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from sandbox.governance.requestlog import FIELDS, ROWS_PER_INSERT, Entry, RequestLog
from sandbox.store.governance import GovernanceStore

AWKWARD = ("/a'b", "/c\\d", "/tab\there", "/line\nbreak", "/カエデ銀行", "/%s?", "/\\N")


def _entry(n: int) -> Entry:
    return Entry(at=f"2026-11-06T10:00:{n % 60:02d}+09:00", workspace="default" if n % 3 else None,
                 connector_id=f"con_{n % 4}" if n % 5 else None, bank="kaede", operation_id=f"op{n % 2}",
                 method="POST", path=AWKWARD[n % len(AWKWARD)] + str(n), status=(200, 201, 409, 503)[n % 4],
                 latency_ms=n / 7, error_code=None if n % 4 < 2 else "busy", scenario=None,
                 interaction_id=f"i-{n}", day="2026-11-06")


def test_a_flush_of_several_batches_keeps_every_entry_and_meters_usage(tmp_path, database_url):
    log = RequestLog(GovernanceStore(tmp_path, database_url))
    entries = [_entry(n) for n in range(2 * ROWS_PER_INSERT + 17)]
    for entry in entries:
        log.record(entry)
    log.close()

    stored = log.store.conn.execute(f"SELECT {', '.join(FIELDS)} FROM requests ORDER BY id").fetchall()
    assert len(stored) == len(entries)
    for row, entry in zip(stored, entries):
        got = dict(zip(FIELDS, row))
        for name in FIELDS[1:]:
            want = round(entry.latency_ms, 3) if name == "latency_ms" else getattr(entry, name)
            assert got[name] == want, (name, got[name], want)
    assert [row[0] for row in stored] == sorted(row[0] for row in stored)

    usage = {(u["operation"], u["calls"], u["refused"]) for c in range(1, 4) for u in log.usage(f"con_{c}")}
    expected = set()
    for c in range(1, 4):
        for op in ("op0", "op1"):
            mine = [e for e in entries if e.connector_id == f"con_{c}" and e.operation_id == op]
            if mine:
                expected.add((op, len(mine), sum(e.status >= 400 for e in mine)))
    assert usage == expected


def test_a_failed_flush_keeps_the_entries_for_the_next(tmp_path, database_url):
    log = RequestLog(GovernanceStore(tmp_path, database_url))
    log.record(_entry(1))
    log.store.conn.execute("ALTER TABLE requests RENAME TO requests_away")
    try:
        log.flush()
    except Exception:  # noqa: BLE001 - either engine's error for a missing table
        pass
    else:
        raise AssertionError("a flush into a missing table succeeded")
    log.store.conn.execute("ALTER TABLE requests_away RENAME TO requests")
    for n in range(2, 200):
        log.record(_entry(n))
    log.close()
    paths = [row[0] for row in log.store.conn.execute("SELECT path FROM requests ORDER BY id")]
    assert paths == [_entry(n).path for n in range(1, 200)]


def test_closing_with_the_database_gone_says_what_was_lost_in_one_line(postgres, tmp_path, caplog):
    # A server stopping while PostgreSQL is away cannot write its last entries: it says so, no traceback.
    url = postgres.new_database()
    log = RequestLog(GovernanceStore(tmp_path, url))
    log.flush()  # the schema is made and the connection open
    log.record(_entry(1))
    postgres.drop_database(url)
    with caplog.at_level("WARNING", logger="sandbox.governance.requestlog"):
        log.close()
    assert "could not write its last 1 entries" in caplog.text, caplog.text
