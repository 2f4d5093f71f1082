"""A field its spec marks as not checked by the server takes what the SDKs send
(tests/published_specs/bypassed-validation/): Stripe declares `external_account` as text under
`x-stripeBypassValidation: true`, and its SDKs' documented call sends the object; checked as declared, it was
a 400. A field without the mark is still checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.check import check_folders

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "bypassed-validation",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "bypassed-validation")


def test_a_field_marked_unchecked_takes_the_object_an_sdk_sends(client):
    answer = client.post("/v1/accounts/acct_1/external_accounts",
                         data={"external_account[object]": "bank_account", "external_account[account_number]": "1234567",
                               "external_account[country]": "JP"})
    assert answer.status_code == 200, answer.text
    assert client.post("/v1/accounts/acct_1/external_accounts", data={"external_account": "btok_1"}).status_code == 200


def test_a_field_without_the_mark_is_checked_as_declared(client):
    answer = client.post("/v1/accounts/acct_1/external_accounts",
                         data={"external_account": "btok_1", "nickname": "x" * 21})
    assert answer.status_code == 400, answer.text


def test_check_says_what_it_made_of_the_mark():
    report = check_folders([FOLDER / "bypassed-validation"])
    assert "marked as not checked by its server" in str(report)
