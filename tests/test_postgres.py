"""PostgreSQL as the store: replicas that share only the database, migrations, resets, deletes, outages.

The money suites (ledger, idempotency, concurrency, seeding and reset) run on both engines through
tests/engines.py; this module holds what only PostgreSQL has: several servers, each its own process
on its own empty data directory, agreeing on everything through one database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

import live_server
from engines import INTEGRITY_ERRORS, postgres, start_cluster  # noqa: F401 - fixture
from sandbox.cli import main
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.domain.money import Leg, Movement
from sandbox.store import StoreUnavailable, ledger, schema
from sandbox.store.database import write
from sandbox.store.postgres import translate
from sandbox.workspaces import Workspaces

BIN = Path(sys.executable).parent
KAEDE = "/banks/kaede/corporation/v1"
THURSDAY_10AM = datetime(2026, 11, 5, 10, 0, tzinfo=JST)


@pytest.fixture
def database(postgres):
    url = postgres.new_database()
    yield url
    postgres.drop_database(url)


def _serve(url: str, data_dir: Path, plans: Path) -> tuple[subprocess.Popen, str]:
    port = live_server.free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_DATABASE_URL": url,
           "SANDBOX_PLANS": str(plans), "SANDBOX_MAX_QUEUE_MS": "5000"}  # a busy test machine is no reason to shed load
    process = subprocess.Popen([str(BIN / "bank-sandbox"), "serve", "--workers", "1", "--port", str(port), "--data-dir", str(data_dir),
                                "--clock", live_server.BUSINESS_MORNING], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, f"http://127.0.0.1:{port}"


def _stop(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _kaede_transfer(payer: dict, payee: dict, amount: int) -> dict:
    return {"accountId": payer["id"], "transfers": [{
        "transferAmount": str(amount), "beneficiaryBankCode": payee["bank_code"], "beneficiaryBranchCode": payee["branch_code"],
        "accountTypeCode": payee["account_type"], "accountNumber": payee["account_number"],
        "beneficiaryName": payee["holder_kana"]}]}


@pytest.mark.slow
def test_postgres_three_servers_on_empty_data_dirs_start_at_once_and_share_all_state(database, tmp_path):
    plans = tmp_path / "plans.yaml"
    plans.write_text(live_server.ROOMY_PLANS, encoding="utf-8")
    servers = [_serve(database, tmp_path / f"replica-{n}", plans) for n in range(3)]
    try:
        for process, base in servers:
            assert live_server.wait_healthy(base, 90), process.stderr.read().decode()[-3000:] if process.poll() else base
        one, two, three = (base for _, base in servers)

        # One migration, one default workspace, one admin token: whoever started first made them.
        spaces = Workspaces(tmp_path / "reader", FixedClock(THURSDAY_10AM), database_url=database)
        assert [w["name"] for w in spaces.list()] == ["default"]
        control = spaces.registry.conn
        tokens = control.execute("SELECT value FROM secrets WHERE name = 'admin-token'").fetchall()
        assert len(tokens) == 1
        admin = {"Authorization": f"Bearer {tokens[0][0]}"}

        # A connector made on one replica gets a token on another and moves money through the third.
        listed = httpx.get(f"{one}/sandbox/v1/workspaces/default/accounts", params={"limit": 500}, headers=admin, timeout=30)
        assert listed.status_code == 200, listed.text
        accounts = listed.json()["accounts"]
        payer = max((a for a in accounts if a["bank_code"] == "0990" and a["customer_kind"] == "corporate"),
                    key=lambda a: a["balance"])
        payee = next(a for a in accounts if a["bank_code"] == "0991" and a["customer_kind"] == "individual")
        connector = httpx.post(f"{one}/sandbox/v1/connectors", headers=admin, timeout=30, json={
            "workspace": "default", "name": "replicas", "class": "self-use", "customer_id": payer["customer_id"]}).json()
        token = httpx.post(f"{two}/oauth/token", data={"grant_type": "client_credentials"}, timeout=30,
                           auth=(connector["client_id"], connector["client_secret"])).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        balance = httpx.get(f"{three}{KAEDE}/accounts/balances", params={"accountId": payer["id"]}, headers=bearer, timeout=30)
        assert balance.status_code == 200, balance.text

        # Transfers from all three at once, every one retried on another replica with the same key.
        def send(n: int) -> tuple[str, str]:
            key = f"replica-{n}"
            body = _kaede_transfer(payer, payee, 1 + n % 7)
            first = httpx.post(f"{servers[n % 3][1]}{KAEDE}/transfer/request", json=body, timeout=60,
                               headers={**bearer, "Idempotency-Key": key})
            again = httpx.post(f"{servers[(n + 1) % 3][1]}{KAEDE}/transfer/request", json=body, timeout=60,
                               headers={**bearer, "Idempotency-Key": key})
            assert first.status_code < 300 and again.status_code < 300, (first.text[-300:], again.text[-300:])
            return first.json()["applyNo"], again.json()["applyNo"]

        with ThreadPoolExecutor(6) as pool:
            pairs = list(pool.map(send, range(30)))
        assert all(a == b for a, b in pairs)
        assert len({a for a, _ in pairs}) == 30
        db = spaces.database("default")
        assert db.conn.execute("SELECT count(*) FROM transfers").fetchone()[0] == 30
        assert ledger.verify(db) == []

        # A suspension through one replica is in force on the others at their next request.
        assert httpx.post(f"{two}/sandbox/v1/connectors/{connector['id']}/suspend", headers=admin, json={},
                          timeout=30).status_code == 200
        refused = httpx.get(f"{three}{KAEDE}/accounts/balances", params={"accountId": payer["id"]}, headers=bearer, timeout=30)
        assert refused.status_code in (401, 403), refused.text

        # No replica kept state in its data directory.
        assert not [p for n in range(3) for p in (tmp_path / f"replica-{n}").rglob("*.db")]
    finally:
        _stop([process for process, _ in servers])


def test_postgres_reset_restores_and_delete_leaves_no_schema(database, tmp_path):
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.create("team-a", as_of="2026-11-04")
    db = spaces.database("team-a")
    before = db.conn.execute("SELECT sum(balance), count(*) FROM accounts").fetchone()
    db.conn.execute("UPDATE accounts SET status = 'frozen'")
    for _ in range(3):  # each swaps a spare in, or copies the pristine rows if none is made yet
        assert spaces.reset("team-a")["elapsed_ms"] < 5_000
        assert spaces.database("team-a").conn.execute(
            "SELECT count(*) FROM accounts WHERE status = 'frozen'").fetchone()[0] == 0
        assert ledger.verify(spaces.database("team-a")) == []
    assert spaces.database("team-a").conn.execute("SELECT sum(balance), count(*) FROM accounts").fetchone() == before
    spaces.delete("team-a")
    left = spaces.registry.conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE ?", ("%team_a%",)).fetchall()
    assert left == []
    assert not spaces.registry.exists("team-a")


def test_postgres_first_reset_swaps_in_the_spare_made_after_seeding_and_a_prepared_reader_sees_it(database, tmp_path):
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.create("team-b", as_of="2026-11-04")
    admin = spaces.registry.conn

    def schema_id(name: str):
        row = admin.execute("SELECT oid FROM pg_namespace WHERE nspname = ?", (name,)).fetchone()
        return row and row[0]

    deadline = time.monotonic() + 60  # the first spare is made once nothing has been seeded for a second
    while schema_id("wn_team_b") is None and time.monotonic() < deadline:
        time.sleep(0.1)
    spare, live = schema_id("wn_team_b"), schema_id("ws_team_b")
    assert spare is not None

    def statistics(schema: str) -> dict:
        return dict(admin.execute("SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                  " WHERE n.nspname = ? AND c.relname IN ('accounts', 'customers', 'transfers', 'movements')",
                                  (schema,)).fetchall())

    # The planner knows the seeded tables of the live schema and its spare (a lookup by id walks the id's
    # index, not every customer's coordinates); the tables requests grow are left to autovacuum.
    for schema in ("ws_team_b", "wn_team_b"):
        counted = statistics(schema)
        assert counted["accounts"] > 0 and counted["customers"] > 0, counted
        assert counted["transfers"] == -1, counted  # (movements, seeded, may be analysed by autovacuum meanwhile)
    plan = " ".join(row[0] for row in admin.execute(
        'EXPLAIN SELECT a.id, b.name FROM "ws_team_b".accounts a JOIN "ws_team_b".banks b ON b.code = a.bank_code'
        " WHERE a.id = 'acc_x' AND a.kind = 'customer'").fetchall())
    assert "accounts_id_key" in plan, plan
    db = spaces.database("team-b")
    account = db.conn.execute("SELECT id FROM accounts WHERE kind = 'customer' LIMIT 1").fetchone()[0]
    for _ in range(8):  # past psycopg's prepare threshold: the server plans the statement once and keeps it
        assert db.conn.execute("SELECT status FROM accounts WHERE id = ?", (account,)).fetchone() == ("active",)
    db.conn.execute("UPDATE accounts SET status = 'frozen'")
    assert db.conn.execute("SELECT status FROM accounts WHERE id = ?", (account,)).fetchone() == ("frozen",)

    spaces.reset("team-b")
    assert schema_id("ws_team_b") == spare  # swapped in, not copied into the old one
    assert statistics("ws_team_b")["accounts"] > 0  # a renamed schema keeps its statistics
    assert db.conn.execute("SELECT status FROM accounts WHERE id = ?", (account,)).fetchone() == ("active",)
    assert ledger.verify(spaces.database("team-b")) == []
    while (schema_id("wd_team_b") is not None or schema_id("wn_team_b") is None) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert schema_id("wd_team_b") is None and schema_id("wn_team_b") not in (None, spare, live)
    spaces.delete("team-b")
    assert admin.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE ?", ("%team_b%",)).fetchall() == []


def _structure(admin, schema: str) -> set:
    """A schema's indexes, keys and other constraints, and triggers, with its own name taken out."""
    indexes = admin.execute(
        "SELECT t.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ?", (schema,)).fetchall()
    constraints = admin.execute(
        "SELECT t.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ?", (schema,)).fetchall()
    triggers = admin.execute(
        "SELECT t.relname, g.tgname, g.tgenabled FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND NOT g.tgisinternal", (schema,)).fetchall()
    # A copy's foreign keys are put back NOT VALID: enforced for every new row, the copied ones trusted.
    return {tuple(str(part).replace(f"{schema}.", "").replace(f'"{schema}".', "").removesuffix(" NOT VALID") for part in row)
            for row in indexes + constraints + triggers}


def test_postgres_copies_of_a_workspace_keep_every_index_key_and_guard(database, tmp_path):
    # A spare and a reset that copies rows load the bulky tables bare and build their indexes and keys
    # afterwards: the copies must end with exactly what the migrations made, and the guards must hold.
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.create("team-c", as_of="2026-11-04")
    admin = spaces.registry.conn
    made = _structure(admin, "ws_team_c")
    assert any("postings_account" in str(row) for row in made) and any("PRIMARY KEY" in str(row) for row in made)
    deadline = time.monotonic() + 60
    while admin.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'wn_team_c'").fetchone() is None:
        assert time.monotonic() < deadline, "no spare was made"
        time.sleep(0.1)
    assert _structure(admin, "wn_team_c") == made  # the spare, copied into a schema the migrations made
    # The pristine copy is the seeded rows alone, as bare tables: nothing reads it but the copies made from it.
    assert _structure(admin, "wp_team_c") == set()
    for table in ("accounts", "postings", "customers", "schema_version"):
        assert admin.execute(f'SELECT count(*) FROM "wp_team_c".{table}').fetchone() == \
            admin.execute(f'SELECT count(*) FROM "ws_team_c".{table}').fetchone(), table
    admin.execute('DROP SCHEMA "wn_team_c" CASCADE')  # no spare: the next reset copies the rows into the live schema
    db = spaces.database("team-c")
    db.conn.execute("UPDATE accounts SET status = 'frozen'")
    spaces.reset("team-c")
    assert _structure(admin, "ws_team_c") == made
    db = spaces.database("team-c")
    assert db.conn.execute("SELECT count(*) FROM accounts WHERE status = 'frozen'").fetchone()[0] == 0
    assert ledger.verify(db) == []
    account, no = db.conn.execute("SELECT id, no FROM accounts WHERE kind = 'customer' LIMIT 1").fetchone()
    with pytest.raises(INTEGRITY_ERRORS):  # the account's id is still unique
        with write(db):
            db.conn.execute("INSERT INTO accounts (id, kind, bank_code, status, balance, overdraft_limit) "
                            "SELECT id, 'internal', bank_code, status, 0, 0 FROM accounts WHERE id = ?", (account,))
    with pytest.raises(INTEGRITY_ERRORS, match="immutable"):  # and the ledger's guards are on
        with write(db):
            db.conn.execute("DELETE FROM postings WHERE account_no = ?", (no,))
    assert ledger.verify(db) == []


def test_postgres_an_older_workspace_schema_upgrades_in_place(database, tmp_path, monkeypatch):
    registry = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database).registry
    latest = len(schema.MIGRATIONS)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:-1])  # a workspace made by the previous release
    old = registry.open_new("old").conn
    assert old.execute("PRAGMA user_version").fetchone()[0] == latest - 1
    old.execute("INSERT INTO meta (key, value) VALUES ('made-by', 'the previous release')")
    monkeypatch.undo()
    upgraded = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database).registry.open("old", 0).conn
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == latest
    assert upgraded.execute("SELECT value FROM meta WHERE key = 'made-by'").fetchone() == ("the previous release",)

    # A workspace seeded by the previous release, pristine copy and all, resets after the upgrade.
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:-1])
    Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database).create("seeded-before", as_of="2026-11-04")
    monkeypatch.undo()
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.database("seeded-before").conn.execute("UPDATE accounts SET status = 'frozen'")
    spaces.reset("seeded-before")
    conn = spaces.database("seeded-before").conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest
    # Its pristine copy was put into a schema made at its version, migrated, and is the pristine copy now.
    admin = spaces.registry.conn
    assert admin.execute('SELECT version FROM "wp_seeded_before".schema_version').fetchone() == (latest,)
    assert admin.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'wu_seeded_before'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM accounts WHERE status = 'frozen'").fetchone()[0] == 0
    assert ledger.verify(spaces.database("seeded-before")) == []


def test_postgres_a_schema_with_the_row_by_row_balance_trigger_takes_the_statement_one(database, tmp_path, monkeypatch):
    # Before migration 12 each posting moved its account in a trigger of its own; the upgrade puts the
    # trigger that moves each account once per statement in its place, and the books stay sound.
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:11])  # the migrations before the 12th
    spaces.create("before-12", as_of="2026-11-04")
    conn = spaces.database("before-12").conn
    conn.execute("BEGIN IMMEDIATE")
    # In a DO block: the layer would read a CREATE TRIGGER as the shared dialect's and make today's.
    conn.execute("DO $$ BEGIN "
                 "DROP TRIGGER postings_move_balance ON postings; "
                 "CREATE FUNCTION postings_move_balance_by_row() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN "
                 "UPDATE accounts SET balance = balance + NEW.amount WHERE no = NEW.account_no; RETURN NULL; END'; "
                 "CREATE TRIGGER postings_move_balance AFTER INSERT ON postings FOR EACH ROW "
                 "EXECUTE FUNCTION postings_move_balance_by_row(); END $$")
    conn.execute("COMMIT")
    row_level = "SELECT tgtype & 1 FROM pg_trigger WHERE tgname = 'postings_move_balance' AND tgrelid = 'postings'::regclass"
    assert conn.execute(row_level).fetchone() == (1,)
    monkeypatch.undo()
    upgraded = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    db = upgraded.database("before-12")
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    assert db.conn.execute(row_level).fetchone() == (0,)  # once per statement
    payer_id, balance = db.conn.execute(
        "SELECT id, balance FROM accounts WHERE kind = 'customer' ORDER BY balance DESC, id LIMIT 1").fetchone()
    fee_id = db.conn.execute("SELECT id FROM accounts WHERE kind = 'internal' AND purpose = 'fee_income' LIMIT 1").fetchone()[0]
    with write(db):
        ledger.post(db, Movement("fee", (Leg(payer_id, -330, "ﾃｽｳﾘﾖｳ"), Leg(fee_id, 330, "ﾃｽｳﾘﾖｳ"),
                                         Leg(payer_id, -110, "ﾃｽｳﾘﾖｳ"), Leg(fee_id, 110, "ﾃｽｳﾘﾖｳ"))),
                    datetime(2026, 11, 5, 10, 0, tzinfo=JST))
    assert db.conn.execute("SELECT balance FROM accounts WHERE id = ?", (payer_id,)).fetchone()[0] == balance - 440
    assert ledger.verify(db) == []


def test_postgres_a_movements_guards_run_once_per_statement_not_once_per_posting(database, tmp_path, monkeypatch):
    # A six-leg transfer called the seal's row trigger six times (a PL/pgSQL call and a lookup each);
    # it runs once for the statement of postings, and the balance check once for the movement. A schema
    # made before takes them at its upgrade, and they still refuse a posting to a sealed movement.
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:14])  # the migrations before the 15th
    spaces.create("before-15", as_of="2026-11-04")
    monkeypatch.undo()
    db = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database).database("before-15")
    conn = db.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    payer, payee = (row[0] for row in conn.execute(
        "SELECT id FROM accounts WHERE kind = 'customer' ORDER BY balance DESC, id LIMIT 2").fetchall())
    fee = conn.execute("SELECT id FROM accounts WHERE kind = 'internal' AND purpose = 'fee_income' LIMIT 1").fetchone()[0]
    legs = (Leg(payer, -700, "x"), Leg(payee, 700, "y"), Leg(payer, -330, "f"), Leg(fee, 330, "f"),
            Leg(payer, -110, "t"), Leg(fee, 110, "t"))
    conn.execute("SET track_functions = 'all'")
    with write(db):
        movement = ledger.post(db, Movement("transfer", legs), THURSDAY_10AM)
        calls = dict(conn.execute("SELECT funcname, calls FROM pg_stat_xact_user_functions").fetchall())
    assert calls == {"postings_sealed": 1, "postings_move_balance": 1, "movements_balanced": 1}, calls
    other = conn.execute("SELECT no FROM accounts WHERE id = ?", (payee,)).fetchone()[0]
    with pytest.raises(INTEGRITY_ERRORS, match="sealed"):
        with write(db):
            conn.execute("INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description) "
                         "VALUES (?, ?, 1, 0, '2026-11-05', 'x'), (?, ?, -1, 0, '2026-11-05', 'x')",
                         (movement + 1, other, movement, other))
    assert ledger.verify(db) == []


def test_postgres_a_movement_finds_its_accounts_by_key_in_a_workspace_of_the_default_size(database, tmp_path):
    # With PostgreSQL's default cost of a random page read, the planner hashed every account of a
    # default workspace (about 400) to find a movement's few, in the legs' statement and in the balance
    # trigger: a tenth of the server's time a transfer. The store's sessions price pages as cached.
    # (The legs' statement stands for both: EXPLAIN does not show a trigger's own plan.)
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.create("small", as_of="2026-11-04")
    db = spaces.database("small")
    conn = db.conn
    assert 300 < conn.execute("SELECT count(*) FROM accounts").fetchone()[0] < 1000
    payer, payee = (row[0] for row in conn.execute(
        "SELECT id FROM accounts WHERE kind = 'customer' ORDER BY balance DESC, id LIMIT 2").fetchall())
    legs = [(0, payer, -700, -700, "x"), (1, payee, 700, 700, "y")]
    plan = "\n".join(row[0] for row in conn.execute(
        "EXPLAIN " + ledger._insert(2), [10**9, "2026-11-05", *(value for leg in legs for value in leg)]).fetchall())
    assert "Index Scan" in plan and "Seq Scan on accounts" not in plan, plan
    with write(db):
        ledger.post(db, Movement("transfer", (Leg(payer, -700, "x"), Leg(payee, 700, "y"))),
                    datetime(2026, 11, 5, 10, 0, tzinfo=JST))
    assert ledger.verify(db) == []


def test_postgres_outage_raises_store_unavailable_then_recovers_by_itself(tmp_path):
    try:
        cluster = start_cluster()
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        pytest.skip(f"no PostgreSQL cluster of its own: {error}")
    try:
        url = cluster.new_database()
        spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=url)
        spaces.create("default", as_of="2026-11-04")
        assert spaces.get("default")["accounts"] > 0
        cluster.pause()
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            spaces.get("default")
        assert time.monotonic() - started < 10
        cluster.resume()
        assert spaces.get("default")["accounts"] > 0  # the same objects, no restart
    finally:
        cluster.stop()


def test_postgres_translation_keeps_literals_and_orders_numbered_parameters():
    text, order = translate("SELECT '?', \"a%\" FROM t WHERE a = ?2 AND b = ?1 AND c LIKE '50%'")
    assert text == "SELECT '?', \"a%%\" FROM t WHERE a = %s AND b = %s AND c LIKE '50%%'"
    assert order == (1, 0)
    assert translate("INSERT OR IGNORE INTO seen (key) VALUES (?)")[0] == "INSERT INTO seen (key) VALUES (%s) ON CONFLICT DO NOTHING"
    upsert = translate("INSERT INTO c (k, n) VALUES (?, 1) ON CONFLICT (k) DO UPDATE SET n = n + excluded.n WHERE n < ? "
                       "RETURNING n")[0]
    assert upsert == "INSERT INTO c (k, n) VALUES (%s, 1) ON CONFLICT (k) DO UPDATE SET n = c.n + excluded.n WHERE c.n < %s RETURNING n"
    assert translate("SELECT count(*) FROM (SELECT 1) WHERE ? IS NULL")[0] == \
        "SELECT count(*) FROM (SELECT 1) AS subquery_1 WHERE %s::text IS NULL"


def test_postgres_threads_writing_one_workspace_queue_on_its_lock(database, tmp_path):
    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.create("default", as_of="2026-11-04")
    conn = spaces.database("default").conn
    account, limit = conn.execute("SELECT id, overdraft_limit FROM accounts WHERE kind = 'customer' ORDER BY id LIMIT 1").fetchone()

    def bump(_):
        db = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database).database("default")
        for _ in range(20):
            with write(db):  # read-check-write: lost updates would show as a wrong total
                value = db.conn.execute("SELECT overdraft_limit FROM accounts WHERE id = ?", (account,)).fetchone()[0]
                db.conn.execute("UPDATE accounts SET overdraft_limit = ? WHERE id = ?", (value + 1, account))

    threads = [threading.Thread(target=bump, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert conn.execute("SELECT overdraft_limit FROM accounts WHERE id = ?", (account,)).fetchone()[0] == limit + 80


def test_postgres_cli_commands_take_the_database_url(database, tmp_path):
    runner = CliRunner()

    def run(*args, data_dir):
        result = runner.invoke(main, [*args, "--data-dir", str(tmp_path / data_dir), "--database-url", database],
                               env={"SANDBOX_CLOCK": live_server.BUSINESS_MORNING})
        assert result.exit_code == 0, result.output
        return result.output

    run("workspace", "create", "cli-team", "--as-of", "2026-11-04", data_dir="one")
    assert [w["name"] for w in json.loads(run("workspace", "list", "--json", data_dir="two"))] == ["cli-team"]
    run("connector", "create", "--workspace", "cli-team", "--name", "books", "--class", "third-party",
        "--redirect-uri", "https://app.example/cb", "--registration-number", "関東財務局長（電代）第12号", data_dir="one")
    assert [c["name"] for c in json.loads(run("connector", "list", "--workspace", "cli-team", "--json", data_dir="two"))] == ["books"]
    run("workspace", "reset", "cli-team", data_dir="two")
    run("workspace", "check", "cli-team", data_dir="one")
    run("workspace", "delete", "cli-team", "--yes", data_dir="two")
    assert json.loads(run("workspace", "list", "--json", data_dir="one")) == []
    assert not list(tmp_path.rglob("*.db"))


def test_postgres_cli_refuses_a_url_of_another_database():
    result = CliRunner().invoke(main, ["workspace", "list", "--database-url", "mysql://db/x"])
    assert result.exit_code == 2 and "Not a PostgreSQL URL" in result.output


def test_postgres_cli_says_so_when_the_database_cannot_be_reached(tmp_path):
    """A PostgreSQL that refuses connections is one clear line and exit status 1, and nothing is written."""
    unreachable = f"postgresql://sandbox@127.0.0.1:{live_server.free_port()}/sandbox"
    result = CliRunner().invoke(main, ["workspace", "list", "--data-dir", str(tmp_path / "data"),
                                       "--database-url", unreachable])
    assert result.exit_code == 1, result.output
    assert "store_unavailable" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.db"))


def test_postgres_statements_sent_the_direct_way_survive_deallocation_and_a_full_cache(database, tmp_path, monkeypatch):
    # A statement with parameters is prepared once per connection and run through libpq's blocking call
    # (postgres.Connection._direct). psycopg deallocates every prepared statement after a ROLLBACK or DDL,
    # the server may lose them otherwise too, and what was forgotten is let go with the connection after
    # MAX_PREPARED: each time the statement still answers, and a refused one raises the driver's error.
    from sandbox.store import postgres as layer

    spaces = Workspaces(tmp_path, FixedClock(THURSDAY_10AM), database_url=database)
    spaces.create("small", as_of="2026-11-04")
    conn = spaces.database("small").conn
    account = conn.execute("SELECT id FROM accounts ORDER BY id LIMIT 1").fetchone()[0]
    read = "SELECT id FROM accounts WHERE id = ?"
    assert conn.execute(read, (account,)).fetchone() == (account,)
    link = conn._link
    assert link.prepared, "the read went the direct way"
    conn.execute("DEALLOCATE ALL")  # as psycopg does after a ROLLBACK: the direct way's statements forgotten
    assert not link.prepared and conn.execute(read, (account,)).fetchone() == (account,)
    link.conn.pgconn.exec_(b"DEALLOCATE ALL")  # gone without the layer knowing: prepared again, while idle
    assert conn.execute(read, (account,)).fetchone() == (account,)
    with pytest.raises(INTEGRITY_ERRORS):
        conn.execute("INSERT INTO accounts (no, id) VALUES (?, ?)", (1, account))
    monkeypatch.setattr(layer, "MAX_PREPARED", 3)
    first = link.conn.info.backend_pid
    for limit in range(1, 6):
        assert len(conn.execute("SELECT id FROM accounts ORDER BY id LIMIT ?", (limit,)).fetchall()) == limit
    assert link.conn.info.backend_pid != first  # replaced once the connection held MAX_PREPARED of them
