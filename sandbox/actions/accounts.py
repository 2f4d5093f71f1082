"""Customer accounts: list, get, balance, and finding one by its Zengin coordinates."""

from __future__ import annotations

from ..domain.errors import SandboxError
from ..domain.identifiers import LABELS, parse_account_number, parse_account_type, parse_bank_code, parse_branch_code
from .context import Context

# The bank's and the branch's names are not joined in: seeded, they are read once for the workspace's
# generation (`_names`), which spares each account read two joins (on PostgreSQL a third of its time).
_COLUMNS = (
    "a.id, a.bank_code, a.branch_code, a.type, a.number, a.holder_name, a.holder_kana,"
    " a.customer_id, c.kind, a.status, a.balance, a.overdraft_limit, a.opened_on"
)
_FROM = " FROM accounts a LEFT JOIN customers c ON c.id = a.customer_id"
_WIDTH = len(_COLUMNS.split(","))
MAX_PAGE = 500


def _account(ctx: Context, row) -> dict:
    (id_, bank_code, branch_code, type_, number, holder, kana,
     customer_id, customer_kind, status, balance, overdraft, opened_on) = row
    bank_name, branch_name = _names(ctx).get((bank_code, branch_code)) or (ctx.bank(bank_code)["name"], None)
    return {
        "id": id_,
        "bank_code": bank_code,
        "bank_name": bank_name,
        "branch_code": branch_code,
        "branch_name": branch_name,
        "account_type": type_,
        "account_type_label": LABELS[type_],
        "account_number": number,
        "holder_name": holder,
        "holder_kana": kana,
        "customer_id": customer_id,
        "customer_kind": customer_kind,
        "status": status,
        "currency": "JPY",
        "balance": balance,
        "available_balance": balance + overdraft,
        "overdraft_limit": overdraft,
        "opened_on": opened_on,
    }


def _names(ctx: Context) -> dict:
    """{(bank code, branch code): (bank name, branch name)} for every branch, read once per generation."""
    names = ctx.seeded.get("branch names")
    if names is None:
        names = ctx.seeded["branch names"] = {
            (bank, code): (bank_name, name) for bank, code, bank_name, name in ctx.db.conn.execute(
                "SELECT br.bank_code, br.code, b.name, br.name FROM branches br JOIN banks b ON b.code = br.bank_code")}
    return names


def ask(ctx: Context, account_id, beside: tuple[str, tuple] | None = None):
    """Ask for the customer account with this id (None if no id could name one); `load` reads the answer.

    `beside`: a scalar subquery about the account `a` and its parameters, answered as one more column of
    its row (one statement, not two), which `load` leaves out."""
    if not isinstance(account_id, str):
        return None
    column, values = (f", {beside[0]}", beside[1]) if beside else ("", ())
    return ctx.db.conn.execute(f"SELECT {_COLUMNS}{column}{_FROM} WHERE a.id = ? AND a.kind = 'customer'",
                               (*values, account_id))


def load(ctx: Context, account_id, *, own: bool = True, role: str | None = None, asked=None) -> dict:
    """The customer account with this id, or `account_not_found`.

    `own`: the caller names it as its own account (to read it, or to pay from it), so it must be within
    the caller's reach; the other side of a movement (a payee, a debited payer) need not be.
    `role` (payer, payee, collector) says which account of the request was not found, so a bank can
    word each as it does. `asked`: its row, asked for already (`ask`, sent with other reads).
    """
    if not isinstance(account_id, str):
        raise _not_found(f"no account {account_id!r}", role, account_id=str(account_id))
    row = (asked if asked is not None else ask(ctx, account_id)).fetchone()
    if row is None or not ctx.sees(row[1]) or (own and not ctx.reaches(row[0])):
        raise _not_found(f"no account {account_id!r}", role, account_id=account_id)
    return _account(ctx, row[:_WIDTH])


def _not_found(message: str, role: str | None, **details) -> SandboxError:
    if role is not None:
        return SandboxError("account_not_found", f"{message} (the {role})", role=role, **details)
    return SandboxError("account_not_found", message, **details)


def ask_at(ctx: Context, bank_code: str, branch_code: str, type_: str, number: str):
    """Ask for the customer account at these (parsed) Zengin coordinates; `find` reads the answer."""
    return ctx.db.conn.execute(
        f"SELECT {_COLUMNS}{_FROM} WHERE a.kind = 'customer' AND a.bank_code = ? AND a.branch_code = ? AND a.type = ? AND a.number = ?",
        (bank_code, branch_code, type_, number))


def find(ctx: Context, bank_code, branch_code, account_type, account_number, role: str | None = None, asked=None) -> dict:
    """The customer account at these Zengin coordinates, or `account_not_found` (about the account in `role`).

    `asked`: its row, asked for already (`ask_at`, with the same coordinates, sent with other reads).
    """
    bank_code, branch_code = parse_bank_code(bank_code), parse_branch_code(branch_code)
    type_, number = parse_account_type(account_type).value, parse_account_number(account_number)
    row = (asked if asked is not None else ask_at(ctx, bank_code, branch_code, type_, number)).fetchone()
    if row is None:
        raise _not_found(f"no account {bank_code}-{branch_code}-{type_}-{number}", role)
    return _account(ctx, row)


def list_accounts(ctx: Context, bank_code=None, customer_id=None, kana=None, limit=100, cursor=None) -> dict:
    """List customer accounts, filtered by bank, customer or kana prefix, in pages by id."""
    clauses, params = ["a.kind = 'customer'"], []
    if ctx.bank_code is not None:
        clauses.append("a.bank_code = ?")
        params.append(ctx.bank_code)
    if bank_code is not None:
        clauses.append("a.bank_code = ?")
        params.append(parse_bank_code(bank_code))
    if customer_id is not None:
        clauses.append("a.customer_id = ?")
        params.append(customer_id)
    if ctx.reach is not None:
        clauses.append(f"a.id IN ({', '.join('?' * len(ctx.reach))})")
        params.extend(sorted(ctx.reach))
    if kana:
        clauses.append("replace(a.holder_kana, ' ', '') LIKE ?")
        params.append(str(kana).replace(" ", "") + "%")
    if cursor is not None:
        # A cursor is the id of the last account of the previous page; anything else was not handed out.
        if ctx.db.conn.execute("SELECT 1 FROM accounts WHERE id = ? AND kind = 'customer'", (str(cursor),)).fetchone() is None:
            raise SandboxError("invalid_request", "cursor is not a key this API returned", field="cursor")
        clauses.append("a.id > ?")
        params.append(str(cursor))
    limit = _page_size(limit)
    rows = ctx.db.conn.execute(
        f"SELECT {_COLUMNS}{_FROM} WHERE {' AND '.join(clauses)} ORDER BY a.id LIMIT ?", (*params, limit + 1)
    ).fetchall()
    items = [_account(ctx, r) for r in rows[:limit]]
    return {"accounts": items, "next_cursor": items[-1]["id"] if len(rows) > limit else None}


def get_account(ctx: Context, account_id) -> dict:
    return load(ctx, account_id)


def balance(ctx: Context, account_id) -> dict:
    account = load(ctx, account_id)
    return {
        "account_id": account["id"],
        "currency": "JPY",
        "balance": account["balance"],
        "available_balance": account["available_balance"],
        "as_of": ctx.now().isoformat(timespec="seconds"),
        "account": account,
    }


def require_active(account: dict, role: str) -> None:
    """Refuse a movement on a frozen or closed account."""
    if account["status"] == "frozen":
        raise SandboxError("account_frozen", f"the {role} account is frozen", account_id=account["id"], role=role)
    if account["status"] == "closed":
        raise SandboxError("account_closed", f"the {role} account is closed", account_id=account["id"], role=role)


def numeric_cursor(cursor) -> int:
    """A cursor this API handed out (a row number), or `invalid_request`."""
    text = str(cursor)
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise SandboxError("invalid_request", "cursor is not a key this API returned", field="cursor")
    return int(text)


def _page_size(limit) -> int:
    if isinstance(limit, str) and limit.isdigit():
        limit = int(limit)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_PAGE:
        raise SandboxError("invalid_request", f"limit must be a whole number from 1 to {MAX_PAGE}", field="limit")
    return limit


def customer(ctx: Context, customer_id) -> dict:
    """The customer with this id (as the bank's sign-in page and the connector registry need it)."""
    row = ctx.db.conn.execute("SELECT id, bank_code, kind, name, name_kana FROM customers WHERE id = ?",
                              (str(customer_id),)).fetchone()
    if row is None:
        raise SandboxError("customer_not_found", f"no customer {customer_id!r}", customer_id=str(customer_id))
    return dict(zip(("id", "bank_code", "kind", "name", "name_kana"), row))


def account_ids(ctx: Context, customer_id: str) -> frozenset:
    """Every account of a customer: what a self-use connector of that company reaches (seeded, so kept)."""
    key = ("accounts of", customer_id)
    if key not in ctx.seeded:
        rows = ctx.db.conn.execute("SELECT id FROM accounts WHERE customer_id = ? AND kind = 'customer'", (customer_id,))
        ctx.seeded[key] = frozenset(row[0] for row in rows)
    return ctx.seeded[key]
