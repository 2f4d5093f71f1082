"""Fill an empty workspace from a profile: deterministic for a given profile, seed and as-of date.

Customers come from Faker ja_JP (kanji and kana names from the same pair, addresses, phones); balances
follow a log-normal spread; each account gets up to `history_days` of passbook history — salary, rent,
card settlements, utility debits for people; sales receipts, payroll and rent for companies. History
money arrives from and leaves to banks outside the sandbox, through each bank's suspense account, and
opening balances come from each bank's opening-balance account, so the books sum to zero from the
first line. Postings are written in chronological order, and every row inside one transaction.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from operator import itemgetter

from faker import Faker

from ..domain.banks import BankRules
from ..domain.calendar import is_business_day, next_business_day, previous_business_day
from ..domain.identifiers import new_id
from ..domain.kana import to_zengin
from ..store import ledger
from ..store.database import write
from .profiles import Profile

INTERNAL = {
    "fee_income": ("手数料収入", "ﾃｽｳﾘﾖｳｼﾕｳﾆﾕｳ"),
    "clearing": ("為替決済勘定", "ｶﾜｾｹﾂｻｲ"),
    "suspense": ("他行為替仮勘定", "ﾀｺｳｶﾜｾｶﾘ"),
    "opening": ("開始残高勘定", "ｶｲｼｻﾞﾝﾀﾞｶ"),
}
_INDUSTRIES = [("商事", "ショウジ"), ("建設", "ケンセツ"), ("工業", "コウギョウ"), ("物産", "ブッサン"), ("食品", "ショクヒン"),
               ("運輸", "ウンユ"), ("電機", "デンキ"), ("不動産", "フドウサン"), ("製作所", "セイサクショ"), ("薬品", "ヤクヒン"),
               ("システム", "システム"), ("印刷", "インサツ"), ("産業", "サンギョウ"), ("興業", "コウギョウ"), ("技研", "ギケン")]
_FORMS = [("株式会社", "カ)", True), ("有限会社", "ユ)", True), ("合同会社", "ド)", True), ("株式会社", "(カ", False)]
_EMPLOYERS = ["ﾄｳｷﾖｳｼﾖｳｼﾞ(ｶ", "ｶ)ﾐﾅﾄﾃﾞﾝｷ", "ｶ)ｻｸﾗﾌｰｽﾞ", "ﾕ)ﾔﾏﾄｹﾝｾﾂ", "ｶ)ｱｵｿﾞﾗｼｽﾃﾑ", "ｶ)ﾐﾄﾞﾘﾔﾂｷﾖｸ", "ﾆﾂﾎﾟﾝﾋﾞﾋﾝ(ｶ"]
_LANDLORDS = ["ｶ)ﾐﾂﾎﾞｼﾌﾄﾞｳｻﾝ", "ﾔﾏﾀﾞ ﾊﾅｺ", "ｶ)ｼﾃｨﾊｳｼﾞﾝｸﾞ", "ｶ)ｵｵｿﾞﾗｶﾝﾘ", "ｽｽﾞｷ ｲﾁﾛｳ"]
_CARDS = ["ｻﾝﾄﾞﾎﾞﾂｸｽｶｰﾄﾞ", "ﾎｼｿﾞﾗｶｰﾄﾞ", "ｶｴﾃﾞｶｰﾄﾞ", "ｱｵﾊﾞｶｰﾄﾞ"]
_UTILITIES = [(5, "ﾃﾞﾝｷﾘﾖｳｷﾝ", (3000, 14000)), (12, "ｶﾞｽﾘﾖｳｷﾝ", (2000, 9000)), (20, "ｹｲﾀｲﾘﾖｳｷﾝ", (2500, 9000))]


@dataclass
class _Account:
    no: int
    bank: str
    kind: str  # individual / corporate
    target: int
    lines: list = field(default_factory=list)  # (ISO day, amount, text)


@dataclass
class _Customer:
    id: str
    bank: str
    kind: str  # individual / corporate
    picks: tuple  # the seed's picks for name and e-mail (_picks); Faker's values come later (_customers)


def seed_workspace(db, profile: Profile, seed: int, as_of: date, progress=None) -> dict:
    """Seed the empty workspace `db`; return counts. `progress(advance)` is called as customers are named.

    The seed's own random numbers plan the customers, their accounts and the history; Faker, which draws
    from its own generator, names the customers. Its values are the same whenever they are drawn, so the
    naming runs on a worker thread while SQLite loads the postings, in one statement that frees the GIL.
    """
    rng = random.Random(seed)
    history_days = int(profile.data.get("history_days", 90))
    start = as_of - timedelta(days=history_days)
    banks, branches, plans, accounts, internals = [], [], [], [], {}
    people: list[_Account] = []

    for bank in profile.data["banks"]:
        rules = BankRules.from_dict(bank["code"], bank.get("rules") or {})
        banks.append((bank["code"], bank["slug"], bank["name"], to_zengin(bank["name_kana"]), json.dumps(rules.to_dict())))
        for branch in bank["branches"]:
            branches.append((bank["code"], branch["code"], branch["name"], to_zengin(branch["name_kana"])))
        for purpose, (name, kana) in INTERNAL.items():
            internals[(bank["code"], purpose)] = no = len(accounts) + 1
            accounts.append([no, new_id("acc", rng.getrandbits), "internal", bank["code"], None, None, None, purpose, None,
                             name, kana, "active", 0, start.isoformat(), 0])
        used_numbers: set[tuple[str, str]] = set()
        for kind in ("individual", "corporate"):
            for _ in range(bank["customers"].get(kind, 0)):
                customer = _Customer(new_id("cus", rng.getrandbits), bank["code"], kind, _picks(rng, kind))
                plans.append(customer)
                for n in range(_account_count(rng)):
                    branch = rng.choice(bank["branches"])["code"]
                    type_ = _account_type(rng, kind, n)
                    number = _number(rng, used_numbers, branch)
                    overdraft = rng.choice((0, 0, 1_000_000, 5_000_000)) if type_ == "2" else 0
                    no = len(accounts) + 1
                    opened = (start - timedelta(days=rng.randrange(30, 7000))).isoformat()
                    # The holder's name and kana are the customer's, once Faker has named it (_name_holders).
                    accounts.append([no, new_id("acc", rng.getrandbits), "customer", bank["code"], branch, type_, number, None,
                                     customer.id, None, None, "active", overdraft, opened, 0])
                    people.append(_Account(no, bank["code"], kind, _target_balance(rng, kind, type_)))

    for index, account in enumerate(people):
        _history(rng, account, start, as_of, primary=index == 0 or people[index - 1].kind != account.kind or rng.random() < 0.8)
    postings, movements, balances = _ledger_rows(people, internals, start)
    for row in accounts:
        row[-1] = balances.get(row[0], 0)

    conn = db.conn
    with write(db), ledger.bulk_load(db), ThreadPoolExecutor(max_workers=1) as pool:
        named = pool.submit(_customers, seed, plans, as_of, progress)
        # The postings go in before the accounts they belong to, which wait for their holders' names:
        # foreign keys are checked at COMMIT, all of them still, rather than statement by statement.
        conn.execute("PRAGMA defer_foreign_keys = ON")
        ledger.load_postings(conn, postings)
        customers = named.result()
        _name_holders(accounts, customers)
        conn.executemany("INSERT INTO banks (code, slug, name, name_kana, rules) VALUES (?, ?, ?, ?, ?)", banks)
        conn.executemany("INSERT INTO branches (bank_code, code, name, name_kana) VALUES (?, ?, ?, ?)", branches)
        conn.executemany(
            "INSERT INTO customers (id, bank_code, kind, name, name_kana, address, phone, email, birth_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", customers)
        conn.executemany(
            "INSERT INTO accounts (no, id, kind, bank_code, branch_code, type, number, purpose, customer_id, holder_name,"
            " holder_kana, status, overdraft_limit, opened_on, balance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            accounts)
        conn.executemany("INSERT INTO movements (id, kind, booked_at, reference) VALUES (?, ?, ?, NULL)", movements)
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [
            ("profile", profile.name), ("seed", str(seed)), ("as_of", as_of.isoformat())])
    return {"banks": len(banks), "customers": len(customers), "accounts": len(people), "postings": len(postings)}


def _picks(rng: random.Random, kind: str) -> tuple:
    """The seed's own picks for a customer's name and e-mail, drawn in turn with its accounts'."""
    if kind == "individual":
        return (rng.randrange(100),)
    return rng.choice(_INDUSTRIES), rng.choice(_FORMS), rng.randrange(1000), rng.randrange(100)


def _customers(seed: int, plans: list[_Customer], as_of: date, progress=None) -> list[tuple]:
    """The customers rows, named by Faker ja_JP seeded with `seed`; people are 18 to 85 years old on `as_of`.

    Naming is the longest step of a seeding, so this is where `progress` hears of each customer.

    The locale's own generator is used rather than the multi-locale proxy around it: the same values,
    without the proxy's attribute lookups on each of the tens of thousands of calls.
    """
    fake = Faker("ja_JP").factories[0]
    fake.seed_instance(seed)
    born = (_years_before(as_of, 85) + timedelta(days=1), _years_before(as_of, 18))
    rows = []
    for customer in plans:
        rows.append(_customer_row(fake, customer, born))
        if progress:
            progress(1)
    return rows


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29th that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _customer_row(fake, customer: _Customer, born: tuple[date, date]) -> tuple:
    """One customers row: Faker's names, birth date, address and phone, with the seed's picks.

    Birth dates are drawn between the `born` bounds, which follow the as-of date, not today's: Faker's
    own date_of_birth counts from the real date, so the same seed would give other data tomorrow.
    """
    if customer.kind == "individual":
        (mailbox,) = customer.picks
        last, first = fake.last_name_pair(), fake.first_name_pair()
        name, kana = f"{last[0]} {first[0]}", to_zengin(f"{last[1]} {first[1]}")
        birth = fake.date_between_dates(*born).isoformat()
        email = f"{last[2].lower()}.{first[2].lower()}{mailbox}@example.jp"
    else:
        (industry, industry_kana), (form, abbreviation, before), mailbox, domain = customer.picks
        last = fake.last_name_pair()
        body, body_kana = f"{last[0]}{industry}", f"{last[1]}{industry_kana}"
        name = f"{form}{body}" if before else f"{body}{form}"
        kana = to_zengin(f"{abbreviation}{body_kana}" if before else f"{body_kana}{abbreviation}")
        birth, email = None, f"info{mailbox}@{last[2].lower()}-{domain}.example.co.jp"
    return (customer.id, customer.bank, customer.kind, name, kana, fake.address(), fake.phone_number(), email, birth)


def _name_holders(accounts: list[list], customers: list[tuple]) -> None:
    """Give each customer account its holder's name and kana: the customer's own."""
    names = {customer[0]: (customer[3], customer[4]) for customer in customers}
    for row in accounts:
        if row[8] is not None:  # customer_id; internal accounts have their own names
            row[9], row[10] = names[row[8]]


def _account_count(rng: random.Random) -> int:
    return rng.choices((1, 2, 3), weights=(55, 30, 15))[0]


def _account_type(rng: random.Random, kind: str, n: int) -> str:
    if kind == "corporate":
        return "2" if n == 0 and rng.random() < 0.6 else "1"
    return "1" if n == 0 else rng.choice(("1", "4", "4", "9"))


def _number(rng: random.Random, used: set, branch: str) -> str:
    while True:
        number = f"{rng.randrange(1_000_000, 10_000_000):07d}"
        if (branch, number) not in used:
            used.add((branch, number))
            return number


def _target_balance(rng: random.Random, kind: str, type_: str) -> int:
    """A log-normal balance: most people hold tens or hundreds of thousands of yen, a few millions."""
    median, sigma = {"individual": (350_000, 1.3), "corporate": (12_000_000, 1.4)}[kind]
    if type_ in ("4", "9"):
        median *= 3
    return max(1_000, int(round(median * math.exp(rng.gauss(0, sigma)), -2)))


@lru_cache(maxsize=256)
def _monthly(start: date, end: date, day: int, shift) -> tuple[str, ...]:
    """Each month's `day` between start and end, moved off non-business days by `shift`, as ISO dates.

    Cached because every account of a seeding asks for the same few days (salary on the 25th, rent on
    the 27th, ...) over the same window: working them out again for each account would be most of the
    history's cost. ISO strings are what the ledger stores, and they sort as the dates do.
    """
    days = []
    month = date(start.year, start.month, 1)
    while month <= end:
        last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        when = month.replace(day=min(day, last.day))
        if not is_business_day(when):
            when = shift(when)
        if start < when <= end:
            days.append(when.isoformat())
        month = last + timedelta(days=1)
    return tuple(days)


def _history(rng: random.Random, account: _Account, start: date, end: date, primary: bool) -> None:
    """Plan the account's passbook lines (ISO day, signed amount, kana text)."""
    lines = account.lines
    if account.kind == "individual":
        if not primary:
            for when in _monthly(start, end, rng.randrange(1, 28), next_business_day):
                lines.append((when, rng.randrange(10, 200) * 100, "ﾌﾘｺﾐ ﾃｲｶﾞｸﾁﾖｷﾝ"))
            return
        salary = rng.randrange(180, 650) * 1000
        employer, landlord, card = rng.choice(_EMPLOYERS), rng.choice(_LANDLORDS), rng.choice(_CARDS)
        rent = rng.randrange(45, 160) * 1000 if rng.random() < 0.7 else 0
        for when in _monthly(start, end, 25, previous_business_day):
            lines.append((when, salary, f"ｷﾕｳﾖ {employer}"))
        if rent:
            for when in _monthly(start, end, 27, previous_business_day):
                lines.append((when, -rent, f"ﾌﾘｺﾐ {landlord}"))
        for when in _monthly(start, end, 10, next_business_day):
            lines.append((when, -rng.randrange(20, 1500) * 100, card))
        for day, text, (low, high) in _UTILITIES:
            for when in _monthly(start, end, day, next_business_day):
                lines.append((when, -rng.randrange(low, high), text))
    else:
        customers = [rng.choice(_EMPLOYERS) for _ in range(4)]
        payroll = rng.randrange(20, 400) * 10_000
        for day in range(0, (end - start).days, rng.randrange(3, 8)):
            when = start + timedelta(days=day + 1)
            if is_business_day(when):
                lines.append((when.isoformat(), rng.randrange(50, 5000) * 1000, f"ﾌﾘｺﾐ {rng.choice(customers)}"))
        for when in _monthly(start, end, 25, previous_business_day):
            lines.append((when, -payroll, "ｷﾕｳﾖ ｿｳﾌﾘｺﾐ"))
        for when in _monthly(start, end, 27, previous_business_day):
            lines.append((when, -rng.randrange(10, 100) * 10_000, f"ﾌﾘｺﾐ {rng.choice(_LANDLORDS)}"))


def _ledger_rows(people: list[_Account], internals: dict, start: date):
    """Turn planned lines into balanced movements, in date order, with running balances.

    Money from and to banks outside the sandbox is settled as the Zengin network does, in one batch a
    day per bank: a movement holds that day's customer lines and one suspense line for their net.
    Opening balances are one movement per bank against its opening-balance account.
    """
    batches = _settlement_batches(people, start)
    balances = dict.fromkeys([a.no for a in people] + list(internals.values()), 0)
    postings, movements = [], []
    for day, phase, bank in sorted(batches):
        movement_id, net = len(movements) + 1, 0
        for no, amount, text in batches[(day, phase, bank)]:
            balances[no] += amount
            net += amount
            postings.append((movement_id, no, amount, balances[no], day, text))
        if net:
            other = internals[(bank, "suspense" if phase else "opening")]
            balances[other] -= net
            postings.append((movement_id, other, -net, balances[other], day, "ｾﾞﾝｷﾞﾝ ｼﾕｳｹｲ" if phase else "ｶｲｼｻﾞﾝﾀﾞｶ"))
        movements.append((movement_id, "history" if phase else "opening", f"{day}T09:00:00+09:00"))
    return postings, movements, balances


def _settlement_batches(people: list[_Account], start: date) -> dict:
    """Group every line by its batch: (ISO day, phase, bank) -> [(account no, amount, text)].

    Phase 0 holds the opening balances, which leave each account at its target balance and never below
    1,000 yen along its history; phase 1 holds the history. Accounts are visited in order and each one's
    lines by date, so every batch comes out already in account order: only the batch keys need sorting,
    not the whole history at once. Lines are gathered per bank under their day alone, as hashing one
    (day, phase, bank) key per line costs more than the grouping itself.
    """
    openings = defaultdict(list)  # bank -> opening lines
    history = defaultdict(lambda: defaultdict(list))  # bank -> ISO day -> lines
    for account in people:
        lines = sorted(account.lines, key=itemgetter(0))
        low, running = 0, 0
        for _, amount, _ in lines:
            running += amount
            low = min(low, running)
        openings[account.bank].append((account.no, max(account.target - running, -low + 1_000), "ｸﾘｺｼ"))
        days = history[account.bank]
        for when, amount, text in lines:
            days[when].append((account.no, amount, text))
    opening_day = start.isoformat()
    batches = {(opening_day, 0, bank): lines for bank, lines in openings.items()}
    batches.update(((day, 1, bank), lines) for bank, days in history.items() for day, lines in days.items())
    return batches
