"""Lists of kinds no call makes, drawn: one collection, each item as its read answers it (tests/published_specs/drawn-collections/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "drawn-collections",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "drawn-collections")


def test_a_drawn_item_reads_by_its_id_as_its_list_shows_it(client):
    """Brex's cash accounts were listed with one balance and name and read by their ids with others: a list drawn
    from its own seed, each read from its path's."""
    listed = client.get("/v2/coffers")
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert len(items) >= 2
    for item in items:
        read = client.get(f"/v2/coffers/{item['id']}")
        assert read.status_code == 200 and read.json() == item, (item, read.text)
        assert client.get(f"/v2/coffers/{item['id']}").json() == item  # and again


def test_an_enveloped_item_named_by_its_own_id_field_reads_as_listed(client):
    """Listed by `vaultId` in a `data` envelope, read at `/vaults/{vaultId}` as `{data: {...}}`."""
    for vault in client.get("/vaults").json()["data"]["vaults"]:
        read = client.get(f"/vaults/{vault['vaultId']}")
        assert read.status_code == 200 and read.json()["data"] == vault, (vault, read.text)


def test_a_drawn_list_is_one_collection_whichever_page_is_asked(client):
    """The Consumer Data Right's accounts said `totalRecords` 1 and `totalPages` 1 on page 1, then 3 and 2 on page 2:
    each page was drawn on its own and counted as the last."""
    every = client.get("/vaults").json()["data"]["vaults"]
    total = len(every)
    assert total >= 1
    pages = total
    seen = []
    for number in range(1, pages + 2):
        page = client.get("/vaults", params={"page": number, "page-size": 1})
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["meta"] == {"totalRecords": total, "totalPages": pages}, (number, body["meta"])
        assert body["links"]["last"].endswith(f"page={pages}&page-size=1"), body["links"]
        assert ("next" in body["links"]) == (number < pages), body["links"]
        if number < pages:
            assert body["links"]["next"].endswith(f"page={number + 1}&page-size=1"), body["links"]
        seen += body["data"]["vaults"]
    assert seen == every  # (each once, in the order the whole list holds them, the page past the last empty)

