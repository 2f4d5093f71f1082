"""Fill an empty workspace from a profile: deterministic for a given profile, seed and as-of date.

Customers come from Faker ja_JP (kanji and kana names from the same pair, addresses, phones); balances
follow a log-normal spread; each account gets up to `history_days` of passbook history — salary, rent,
card settlements, utility debits for people; sales receipts, payroll and rent for companies. History
money arrives from and leaves to banks outside the sandbox, through each bank's suspense account, and
opening balances come from each bank's opening-balance account, so the books sum to zero from the
first line. Rows are written with executemany in chronological order, inside one transaction.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

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
    lines: list = field(default_factory=list)  # (day, amount, text)


def seed_workspace(db, profile: Profile, seed: int, as_of: date, progress=None) -> dict:
    """Seed the empty workspace `db`; return counts. `progress(advance)` is called as customers are made."""
    rng = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    history_days = int(profile.data.get("history_days", 90))
    start = as_of - timedelta(days=history_days)
    banks, branches, customers, accounts, internals = [], [], [], [], {}
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
                customer_id = new_id("cus", rng.getrandbits)
                if kind == "individual":
                    last, first = fake.last_name_pair(), fake.first_name_pair()
                    name, kana = f"{last[0]} {first[0]}", to_zengin(f"{last[1]} {first[1]}")
                    birth = fake.date_of_birth(minimum_age=18, maximum_age=85).isoformat()
                    email = f"{last[2].lower()}.{first[2].lower()}{rng.randrange(100)}@example.jp"
                else:
                    last = fake.last_name_pair()
                    industry, industry_kana = rng.choice(_INDUSTRIES)
                    form, abbreviation, before = rng.choice(_FORMS)
                    body, body_kana = f"{last[0]}{industry}", f"{last[1]}{industry_kana}"
                    name = f"{form}{body}" if before else f"{body}{form}"
                    kana = to_zengin(f"{abbreviation}{body_kana}" if before else f"{body_kana}{abbreviation}")
                    birth, email = None, f"info{rng.randrange(1000)}@{last[2].lower()}-{rng.randrange(100)}.example.co.jp"
                customers.append((customer_id, bank["code"], kind, name, kana, fake.address(), fake.phone_number(), email, birth))
                for n in range(_account_count(rng)):
                    branch = rng.choice(bank["branches"])["code"]
                    type_ = _account_type(rng, kind, n)
                    number = _number(rng, used_numbers, branch)
                    overdraft = rng.choice((0, 0, 1_000_000, 5_000_000)) if type_ == "2" else 0
                    no = len(accounts) + 1
                    opened = (start - timedelta(days=rng.randrange(30, 7000))).isoformat()
                    accounts.append([no, new_id("acc", rng.getrandbits), "customer", bank["code"], branch, type_, number, None,
                                     customer_id, name, kana, "active", overdraft, opened, 0])
                    people.append(_Account(no, bank["code"], kind, _target_balance(rng, kind, type_)))
                if progress:
                    progress(1)

    for index, account in enumerate(people):
        _history(rng, account, start, as_of, primary=index == 0 or people[index - 1].kind != account.kind or rng.random() < 0.8)
    postings, movements, balances = _ledger_rows(people, internals, start)
    for row in accounts:
        row[-1] = balances.get(row[0], 0)

    conn = db.conn
    with write(db), ledger.bulk_load(db):
        conn.executemany("INSERT INTO banks (code, slug, name, name_kana, rules) VALUES (?, ?, ?, ?, ?)", banks)
        conn.executemany("INSERT INTO branches (bank_code, code, name, name_kana) VALUES (?, ?, ?, ?)", branches)
        conn.executemany(
            "INSERT INTO customers (id, bank_code, kind, name, name_kana, address, phone, email, birth_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", customers)
        conn.executemany(
            "INSERT INTO accounts (no, id, kind, bank_code, branch_code, type, number, purpose, customer_id, holder_name,"
            " holder_kana, status, overdraft_limit, opened_on, balance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            accounts)
        conn.executemany(
            "INSERT INTO postings (movement_id, account_no, amount, balance_after, booked_on, description)"
            " VALUES (?, ?, ?, ?, ?, ?)", postings)
        conn.executemany("INSERT INTO movements (id, kind, booked_at, reference) VALUES (?, ?, ?, NULL)", movements)
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [
            ("profile", profile.name), ("seed", str(seed)), ("as_of", as_of.isoformat())])
    return {"banks": len(banks), "customers": len(customers), "accounts": len(people), "postings": len(postings)}


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


def _monthly(start: date, end: date, day: int, shift):
    """Each month's `day` between start and end, moved off non-business days by `shift`."""
    month = date(start.year, start.month, 1)
    while month <= end:
        last = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        when = month.replace(day=min(day, last.day))
        if not is_business_day(when):
            when = shift(when)
        if start < when <= end:
            yield when
        month = last + timedelta(days=1)


def _history(rng: random.Random, account: _Account, start: date, end: date, primary: bool) -> None:
    """Plan the account's passbook lines (day, signed amount, kana text)."""
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
                lines.append((when, rng.randrange(50, 5000) * 1000, f"ﾌﾘｺﾐ {rng.choice(customers)}"))
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
    entries = []  # (day, phase, bank, order, amount, text); phase 0 = opening balances
    for order, account in enumerate(people):
        lines = sorted(account.lines, key=lambda line: line[0])
        low, running = 0, 0
        for _, amount, _ in lines:
            running += amount
            low = min(low, running)
        opening = max(account.target - running, -low + 1_000)
        entries.append((start.isoformat(), 0, account.bank, order, opening, "ｸﾘｺｼ"))
        entries.extend((when.isoformat(), 1, account.bank, order, amount, text) for when, amount, text in lines)
    entries.sort(key=lambda e: e[:4])
    balances = dict.fromkeys([a.no for a in people] + list(internals.values()), 0)
    postings, movements = [], []
    batch, net = None, 0

    def close_batch():
        day, phase, bank = batch
        other = internals[(bank, "suspense" if phase else "opening")]
        if net:
            balances[other] -= net
            postings.append((len(movements) + 1, other, -net, balances[other], day, "ｾﾞﾝｷﾞﾝ ｼﾕｳｹｲ" if phase else "ｶｲｼｻﾞﾝﾀﾞｶ"))
        movements.append((len(movements) + 1, "history" if phase else "opening", f"{day}T09:00:00+09:00"))

    for day, phase, bank, order, amount, text in entries:
        if batch != (day, phase, bank):
            if batch is not None:
                close_batch()
            batch, net = (day, phase, bank), 0
        account = people[order]
        balances[account.no] += amount
        net += amount
        postings.append((len(movements) + 1, account.no, amount, balances[account.no], day, text))
    if batch is not None:
        close_batch()
    return postings, movements, balances
