"""An envelope's own fields beside a resource given as a list of one (tests/published_specs/enveloped-item-lists/).

Open Banking Nigeria reads an account as `{status: "00", message, data: [account]}`, the account holding a
`status` of its own (`Active`); read by the number its list's example shows, the listed account's fields were
put over the whole answer, its `status` answered as the account's state, and a connector checking the code
(`"00"`, approved) took the read for a refusal. The listed item is put over the list's one item; the envelope
keeps its own fields.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "enveloped-item-lists"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "enveloped-item-lists", self_use_token(live.url, admin))


def test_a_read_as_its_list_shows_it_keeps_the_envelopes_own_fields(client):
    answer = client.get("/v1/lockers/4400124")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "00" and body["message"] == "Locker found", body
    assert body["data"] == [{"lockerNumber": "4400124", "holderName": "Tunde Bello", "size": "SMALL",
                             "status": "Closed"}], body
