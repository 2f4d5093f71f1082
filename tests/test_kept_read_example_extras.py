"""A resource just made is read back as it was made and as its list shows it (tests/published_specs/read-example-
extras/, as Xero's invoices): nothing of the read's own example that its client never sent and its creation never
answered (the example's receipts, the day it was settled, a line's catalogue code). Before, a DRAFT bill was read
back holding the example's receipt of 9000.0 and settled in 2019. Its moment of change, named with the zone and
the form it is written in (`UpdatedDateUTC`, `UpdatedDateUTCString`), is when it was made, not the example's."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "read-example-extras",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "read-example-extras")


@pytest.fixture(scope="module")
def made(client):
    answer = client.put("/Bills", json={"Bills": [{"Status": "DRAFT", "Total": 12.0,
                                                  "Lines": [{"Description": "Brushes", "Amount": 12.0}]}]})
    assert answer.status_code == 200, answer.text
    return answer.json()["Bills"][0]


def test_a_read_answers_the_resource_as_made(client, made):
    read = client.get(f"/Bills/{made['BillID']}")
    assert read.status_code == 200, read.text
    bill = read.json()["Bills"][0]
    assert bill == made
    assert "Receipts" not in bill and "SettledOn" not in bill
    assert bill["Lines"] == [{"Description": "Brushes", "Amount": 12.0}]


def test_the_read_and_the_list_answer_the_same_bill(client, made):
    listed = client.get("/Bills").json()["Bills"]
    read = client.get(f"/Bills/{made['BillID']}").json()["Bills"][0]
    assert [bill["BillID"] for bill in listed] == [made["BillID"]]
    for key in ("BillID", "Status", "Total", "Lines"):
        assert listed[0][key] == read[key]
    assert listed[0].get("Receipts", []) == read.get("Receipts", []) == []


def test_a_bill_made_was_changed_when_it_was_made(client, made):
    assert int(made["UpdatedDateUTC"][6:-7]) > 1_700_000_000_000  # (the example's was 2019's)
    assert made["UpdatedDateUTCString"] > "2023" and made["UpdatedDateUTCString"].endswith("Z")


def test_a_bill_made_undated_is_dated_the_day_it_was_made(client, made):
    """Xero's invoice made today without a `Date` was dated the example's 2019-03-11 (`/Date(...)/` and
    `DateString`), and due 2018-12-10: it is dated when it was made, and due as long after as the example was;
    a day sent stays as sent."""
    stamp = int(made["UpdatedDateUTC"][6:-7])
    assert abs(int(made["Date"][6:-7]) - stamp) < 60_000, made
    assert made["DateString"][:10] == made["UpdatedDateUTCString"][:10], made
    assert int(made["DueDate"][6:-7]) > stamp + 7 * 86_400_000, made  # (9 days after its date, as the example's)
    sent = {"Bills": [{"Status": "DRAFT", "Date": "/Date(1764460800000+0000)/"}]}
    dated = client.put("/Bills", json=sent).json()["Bills"][0]
    assert dated["Date"] == "/Date(1764460800000+0000)/", dated


def test_bills_made_are_numbered_in_turn(client, made):
    """Xero's every invoice made without a number was the example's INV-0001 (the same INV-0007 at each call):
    each is the next of the sandbox's own, in the example's form, and read back so; a number sent stays."""
    numbers = [client.put("/Bills", json={"Bills": [{"Status": "DRAFT"}]}).json()["Bills"][0] for _ in range(2)]
    first, second = (int(bill["BillNumber"][4:]) for bill in numbers)
    assert numbers[0]["BillNumber"].startswith("BIL-") and len(numbers[0]["BillNumber"]) == 8 and second == first + 1
    assert client.get(f"/Bills/{numbers[1]['BillID']}").json()["Bills"][0]["BillNumber"] == numbers[1]["BillNumber"]
    own = client.put("/Bills", json={"Bills": [{"Status": "DRAFT", "BillNumber": "MINE-7"}]}).json()["Bills"][0]
    assert own["BillNumber"] == "MINE-7"
