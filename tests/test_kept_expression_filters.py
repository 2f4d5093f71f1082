"""A list filtered by an expression over its items' fields, or searched by a term over their text
(tests/published_specs/expression-filters/, as Xero's `where` and `searchTerm`), lists only the kept items that
pass: comparisons, AND/OR/NOT and parentheses, field paths, guid("..."), DateTime(y, m, d), text, numbers and
booleans, `.Contains()`/`.StartsWith()`. Ignored, Xero's `where=Status=="AUTHORISED" AND Total>100` listed every
invoice kept. A malformed expression is a 400 in the API's own error form."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "expression-filters",)}
ACME, BRAVO = "0b1e7c2a-5d4f-4e8a-9c3b-2a1f0e9d8c7b", "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "expression-filters")


@pytest.fixture(scope="module")
def made(client):
    tickets = [
        {"Title": "Leaking tap", "Reference": "REF-1", "Status": "OPEN", "Total": 150.0, "Urgent": True,
         "Due": "2026-12-01", "Client": {"ClientID": ACME, "Name": "Acme Ltd"}},
        {"Title": "Broken window", "Reference": "REF-2", "Status": "DRAFT", "Total": 50.0, "Urgent": False,
         "Due": "2026-10-01", "Client": {"ClientID": ACME, "Name": "Acme Ltd"}},
        {"Title": "Door hinge", "Reference": "ACME-3", "Status": "OPEN", "Total": 80.0, "Urgent": False,
         "Due": "2027-01-15", "Client": {"ClientID": BRAVO, "Name": "Bravo Co"}},
    ]
    answer = client.put("/Tickets", json={"Tickets": tickets})
    assert answer.status_code == 200, answer.text
    return [ticket["Title"] for ticket in answer.json()["Tickets"]]


def _titles(client, **query) -> list:
    listed = client.get("/Tickets", params=query)
    assert listed.status_code == 200, listed.text
    return sorted(ticket["Title"] for ticket in listed.json()["Tickets"])


@pytest.mark.parametrize("where, titles", [
    ('Status=="OPEN" AND Total>100', ["Leaking tap"]),
    ('Status=="OPEN" OR Total<=50', ["Broken window", "Door hinge", "Leaking tap"]),
    (f'Client.ClientID==guid("{ACME.upper()}")', ["Broken window", "Leaking tap"]),
    ('(Status=="DRAFT" OR Urgent==true) AND Client.Name.StartsWith("Acme")', ["Broken window", "Leaking tap"]),
    ('Due>=DateTime(2026,11,1) AND NOT Title.Contains("tap")', ["Door hinge"]),
    ('Status!="OPEN"', ["Broken window"]),
])
def test_a_list_is_filtered_by_its_expression(client, made, where, titles):
    assert _titles(client, where=where) == titles


def test_a_search_term_finds_the_text_in_the_fields_it_names(client, made):
    assert _titles(client, searchTerm="acme") == ["Door hinge"]  # (its Reference; a client's name is not searched)
    assert _titles(client, searchTerm="WINDOW") == ["Broken window"]


def test_a_malformed_expression_is_refused_in_the_apis_own_form(client, made):
    for where in ('Status=="OPEN', 'Total>>1', 'Status=="OPEN" AND', 'Client.ClientID==guid("nope")'):
        refused = client.get("/Tickets", params={"where": where})
        assert refused.status_code == 400, refused.text
        assert "where" in refused.json()["Message"], refused.text
