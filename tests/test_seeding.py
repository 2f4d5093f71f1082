"""Seeding is deterministic and looks like three Japanese banks; a reset brings back the seeded state exactly."""

from __future__ import annotations

import hashlib
import queue
import re
import sqlite3
import threading
from collections import Counter
from datetime import date, datetime, timedelta

import jsonschema
import pytest

from sandbox.actions import debits, transfers
from sandbox.actions.directory import real_bank_codes
from sandbox.domain.calendar import JST, is_business_day
from sandbox.domain.clock import FixedClock
from sandbox.domain.errors import SandboxError
from sandbox.domain.kana import to_zengin
from sandbox.seeding.profiles import SCHEMA
from sandbox.workspaces import Workspaces

AS_OF = "2026-11-04"


def dump(db) -> list[str]:
    return list(db.conn.iterdump())


def digest(db) -> str:
    return hashlib.sha256("\n".join(dump(db)).encode()).hexdigest()


@pytest.fixture(scope="module")
def spaces(tmp_path_factory):
    """Four workspaces of the default profile: two alike, one of another seed, one of another date.

    Each is seeded (no seeded image is used): that two seedings alike give the same data is what makes
    a workspace made of another's image the same as one seeded (seeding/images.py)."""
    spaces = Workspaces(tmp_path_factory.mktemp("seeding"), FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST)),
                        images=None)
    spaces.create("one", seed=7, as_of=AS_OF)
    spaces.create("two", seed=7, as_of=AS_OF)
    spaces.create("other-seed", seed=8, as_of=AS_OF)
    spaces.create("other-day", seed=7, as_of="2026-11-05")
    return spaces


# -- determinism -----------------------------------------------------------------------------------

def test_seeding_same_profile_seed_and_date_give_identical_data(spaces):
    one, two = dump(spaces.database("one")), dump(spaces.database("two"))
    assert len(one) > 3_000  # a real workspace, not two empty ones
    assert one == two


def test_seeding_another_seed_gives_other_data(spaces):
    one, other = spaces.database("one"), spaces.database("other-seed")
    assert digest(one) != digest(other)
    names = lambda db: {n for (n,) in db.conn.execute("SELECT name FROM customers")}  # noqa: E731
    assert names(one) != names(other)


def test_seeding_follows_the_as_of_date_not_the_day_it_runs(tmp_path):
    """Ages are counted from the as-of date: a workspace seeded years back has the same people as then."""
    spaces = Workspaces(tmp_path, FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST)))
    spaces.create("past", seed=7, as_of="2001-06-01")
    births = [date.fromisoformat(b) for (b,) in spaces.database("past").conn.execute(
        "SELECT birth_date FROM customers WHERE kind = 'individual'")]
    assert births and min(births) > date(1916, 6, 1) and max(births) <= date(1983, 6, 1)
    assert max(births) > date(1975, 1, 1)  # the young are young on the as-of date, not on today's


def test_seeding_reports_progress_once_per_customer_from_the_naming_thread(tmp_path):
    spaces, seen = Workspaces(tmp_path, FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST)), images=None), []
    spaces.create("watched", seed=7, as_of=AS_OF, progress=lambda n: seen.append((n, threading.current_thread())))
    assert sum(n for n, _ in seen) == spaces.get("watched")["customers"] > 0
    assert {thread for _, thread in seen} != {threading.main_thread()}  # the step that takes longest


def test_seeding_another_as_of_date_gives_other_data(spaces):
    assert digest(spaces.database("one")) != digest(spaces.database("other-day"))


def test_seeding_the_pristine_snapshot_holds_the_seeded_data(spaces):
    snapshot = sqlite3.connect(spaces.registry.pristine_path("one"))
    try:
        assert list(snapshot.iterdump()) == dump(spaces.database("one"))
    finally:
        snapshot.close()


# -- what the default profile seeds -----------------------------------------------------------------

def test_seeding_default_profile_has_three_banks_outside_the_real_directory(spaces):
    db = spaces.database("one")
    codes = {code for (code,) in db.conn.execute("SELECT code FROM banks")}
    assert codes == {"0990", "0991", "0992"}
    assert not codes & real_bank_codes()
    assert "0001" in real_bank_codes()  # the directory is really loaded
    for code in codes:
        assert db.conn.execute("SELECT count(*) FROM branches WHERE bank_code = ?", (code,)).fetchone()[0] >= 2
        purposes = {p for (p,) in db.conn.execute("SELECT purpose FROM accounts WHERE kind = 'internal' AND bank_code = ?", (code,))}
        assert purposes == {"fee_income", "clearing", "suspense", "opening"}


def test_seeding_default_profile_has_50_individual_and_10_corporate_customers_per_bank(spaces):
    db = spaces.database("one")
    counts = db.conn.execute("SELECT bank_code, kind, count(*) FROM customers GROUP BY bank_code, kind").fetchall()
    assert sorted(counts) == [(b, k, n) for b in ("0990", "0991", "0992") for k, n in (("corporate", 10), ("individual", 50))]


def test_seeding_gives_each_customer_one_to_three_accounts_at_its_own_bank(spaces):
    db = spaces.database("one")
    per_customer = Counter(c for (c,) in db.conn.execute("SELECT customer_id FROM accounts WHERE kind = 'customer'"))
    assert len(per_customer) == 180
    assert set(per_customer.values()) <= {1, 2, 3} and len(set(per_customer.values())) > 1
    assert db.conn.execute(
        "SELECT count(*) FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE a.bank_code <> c.bank_code"
    ).fetchone()[0] == 0
    assert db.conn.execute(
        "SELECT count(*) FROM accounts a LEFT JOIN branches b ON b.bank_code = a.bank_code AND b.code = a.branch_code"
        " WHERE a.kind = 'customer' AND b.code IS NULL"
    ).fetchone()[0] == 0


def test_seeding_account_numbers_are_seven_digits_and_ids_are_opaque(spaces):
    db = spaces.database("one")
    for id_, number, type_ in db.conn.execute("SELECT id, number, type FROM accounts WHERE kind = 'customer'"):
        assert re.fullmatch(r"[0-9]{7}", number) and type_ in {"1", "2", "4", "9"}
        assert re.fullmatch(r"acc_[0-9a-f]{16}", id_)


def test_seeding_names_are_kanji_with_kana_that_pass_the_zengin_check_unchanged(spaces):
    db = spaces.database("one")
    rows = db.conn.execute("SELECT holder_name, holder_kana FROM accounts WHERE kind = 'customer'").fetchall()
    rows += db.conn.execute("SELECT name, name_kana FROM customers").fetchall()
    rows += db.conn.execute("SELECT name, name_kana FROM banks UNION ALL SELECT name, name_kana FROM branches").fetchall()
    for name, kana in rows:
        assert to_zengin(kana) == kana
        assert name and name != kana
    corporate = [k for (k,) in db.conn.execute("SELECT name_kana FROM customers WHERE kind = 'corporate'")]
    assert all(re.search(r"^[ｶﾕﾄﾞ]+\)|\([ｶ]$", kana) for kana in corporate), corporate  # ｶ) / ﾕ) / ﾄﾞ) / (ｶ


def test_seeding_writes_90_days_of_history_up_to_the_as_of_date(spaces):
    db = spaces.database("one")
    first, last = db.conn.execute("SELECT min(booked_on), max(booked_on) FROM postings").fetchone()
    assert first == (date.fromisoformat(AS_OF) - timedelta(days=90)).isoformat()
    assert date.fromisoformat(AS_OF) - timedelta(days=7) <= date.fromisoformat(last) <= date.fromisoformat(AS_OF)
    days = {date.fromisoformat(d) for (d,) in db.conn.execute(
        "SELECT DISTINCT p.booked_on FROM postings p JOIN movements m ON m.id = p.movement_id WHERE m.kind = 'history'")}
    assert days and all(is_business_day(d) for d in days), sorted(d for d in days if not is_business_day(d))


def test_seeding_history_has_salaries_utilities_and_card_bills(spaces):
    db = spaces.database("one")
    lines = db.conn.execute(
        "SELECT a.bank_code, c.kind, p.description, p.amount, p.booked_on FROM postings p"
        " JOIN accounts a ON a.no = p.account_no JOIN customers c ON c.id = a.customer_id"
    ).fetchall()
    for bank in ("0990", "0991", "0992"):
        salaries = [(amount, day) for b, kind, text, amount, day in lines
                    if b == bank and kind == "individual" and text.startswith("ｷﾕｳﾖ ")]
        assert len(salaries) >= 50, bank  # three paydays, most people
        assert all(amount > 0 and 20 <= int(day[8:]) <= 25 for amount, day in salaries)
        texts = {text for b, _, text, _, _ in lines if b == bank}
        assert {"ﾃﾞﾝｷﾘﾖｳｷﾝ", "ｶﾞｽﾘﾖｳｷﾝ", "ｹｲﾀｲﾘﾖｳｷﾝ"} <= texts
        assert "ｷﾕｳﾖ ｿｳﾌﾘｺﾐ" in texts  # companies pay their payroll
    utilities = [amount for _, _, text, amount, _ in lines if text == "ﾃﾞﾝｷﾘﾖｳｷﾝ"]
    assert all(-14_000 < amount < 0 for amount in utilities)


def test_seeding_books_balance_and_balances_are_spread(spaces, books):
    db = spaces.database("one")
    books.check(db)
    balances = sorted(b for (b,) in db.conn.execute(
        "SELECT balance FROM accounts a JOIN customers c ON c.id = a.customer_id WHERE c.kind = 'individual'"))
    assert balances[0] >= 0
    assert balances[-1] > 10 * balances[len(balances) // 2]  # a log-normal spread, a few rich


def test_seeding_an_unknown_profile_is_refused_and_leaves_no_workspace(spaces):
    with pytest.raises(SandboxError) as refused:
        spaces.create("nope", profile="no-such-profile")
    assert refused.value.code == "profile_not_found"
    assert not spaces.registry.exists("nope")
    with pytest.raises(SandboxError) as again:
        spaces.create("one")
    assert again.value.code == "workspace_exists"


# -- reset ------------------------------------------------------------------------------------------

def busy_day(ctx, books) -> None:
    """A little of everything: transfers now, later and out of the sandbox, a cancel, a return, a debit."""
    payer = books.pick(ctx, "0990", "individual", minimum=200_000)
    payee = books.pick(ctx, "0992", "individual")
    collector = books.pick(ctx, "0991", "corporate")
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=12_345, idempotency_key="k1")
    later = transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=1_000, execution_date="2026-11-10")
    transfers.cancel(ctx, later["id"])
    out = transfers.create(ctx, from_account_id=payer["id"], amount=50_000, to={
        "bank_code": "0001", "branch_code": "001", "account_type": "1", "account_number": "1234567", "name": "ｻﾄｳ ﾊﾅｺ"})
    transfers.return_transfer(ctx, out["id"])
    mandate = debits.create_mandate(ctx, payer_account_id=payer["id"], collector_account_id=collector["id"])
    debits.create_debit(ctx, mandate_id=mandate["id"], amount=3_000, idempotency_key="d1")


def test_reset_restores_the_seeded_state_exactly(make_workspace, books):
    seeded = make_workspace()
    spaces, name = seeded.spaces, seeded.name
    pristine = dump(spaces.database(name))
    busy_day(seeded.ctx, books)
    assert dump(spaces.database(name)) != pristine
    # Move the day's writes from the log into the live file, as SQLite does by itself after enough of
    # them: what a reset restores must not depend on what the live file happens to hold.
    spaces.database(name).conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    result = spaces.reset(name)

    assert result["generation"] == 1
    assert dump(spaces.database(name)) == pristine
    busy_day(spaces.context(name), books)  # the same day again from scratch, key for key
    assert spaces.reset(name)["generation"] == 2
    assert dump(spaces.database(name)) == pristine
    books.check(spaces.database(name))


class OtherThread:
    """A thread that runs what it is handed, one call at a time, and hands back the result."""

    def __init__(self):
        self.jobs, self.results = queue.Queue(), queue.Queue()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while (job := self.jobs.get()) is not None:
            try:
                self.results.put((True, job()))
            except BaseException as error:  # noqa: BLE001 - raised again in the caller's thread
                self.results.put((False, error))

    def run(self, job):
        self.jobs.put(job)
        ok, value = self.results.get(timeout=30)
        if not ok:
            raise value
        return value

    def stop(self):
        self.jobs.put(None)
        self.thread.join(timeout=30)


@pytest.mark.parametrize("own_registry", [False, True], ids=["shared Workspaces", "own Workspaces"])
def test_reset_while_another_thread_holds_a_connection(make_workspace, books, own_registry):
    seeded = make_workspace()
    spaces, name = seeded.spaces, seeded.name
    pristine = dump(spaces.database(name))
    theirs = Workspaces(spaces.registry.data_dir, seeded.clock) if own_registry else spaces
    other = OtherThread()
    try:
        held = other.run(lambda: theirs.database(name))
        assert held is not spaces.database(name)  # a connection of its own
        busy_day(seeded.ctx, books)
        assert other.run(lambda: held.conn.execute("SELECT count(*) FROM transfers").fetchone()[0]) == 3
        other.run(lambda: held.conn.execute("BEGIN"))  # and a read transaction open across the reset
        other.run(lambda: held.conn.execute("SELECT count(*) FROM postings").fetchone())
        spaces.database(name).conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # as far as the open reader allows

        spaces.reset(name)

        # The old connection still reads its own generation without error, then lets go.
        assert other.run(lambda: held.conn.execute("SELECT count(*) FROM transfers").fetchone()[0]) == 3
        other.run(lambda: held.conn.execute("COMMIT"))
        fresh = other.run(lambda: theirs.database(name))
        assert fresh is not held
        assert other.run(lambda: dump(fresh)) == pristine
        # Writing through the other thread's fresh connection lands in the live generation.
        other.run(lambda: busy_day(theirs.context(name), books))
        assert spaces.database(name).conn.execute("SELECT count(*) FROM transfers").fetchone()[0] == 3
    finally:
        other.stop()
    books.check(spaces.database(name))


def test_seeding_the_profile_schema_is_a_valid_json_schema():
    """The sandbox validates profiles with its own schema and does not check that schema at run time."""
    jsonschema.validators.validator_for(SCHEMA).check_schema(SCHEMA)
