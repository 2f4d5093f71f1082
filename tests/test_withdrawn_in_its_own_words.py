"""A DELETE answering the resource leaves it in the withdrawn state its own summary names ("Terminate a
subscription": `terminated`), read back and listed so (tests/published_specs/withdrawn-in-its-own-words/): the
enum's first withdrawn state was taken (`canceled`), and Lago's terminated subscription was answered, read and
listed `canceled`, a state its clients read as stopped before it ever began."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "withdrawn-in-its-own-words",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "withdrawn-in-its-own-words")


def test_a_delete_leaves_the_resource_in_the_state_its_summary_names(client):
    made = client.post("/tenancies", json={"tenancy": {"external_id": "plot-7", "plot": "7"}})
    assert made.status_code == 200, made.text
    ended = client.delete("/tenancies/plot-7")
    assert ended.status_code == 200, ended.text
    assert ended.json()["tenancy"]["status"] == "terminated" and ended.json()["tenancy"]["plot"] == "7"
    read = client.get("/tenancies/plot-7")
    assert read.status_code == 200 and read.json()["tenancy"]["status"] == "terminated", read.text
    listed = client.get("/tenancies", params={"status": "terminated"}).json()["tenancies"]
    assert [(tenancy["external_id"], tenancy["status"]) for tenancy in listed] == [("plot-7", "terminated")]
    assert client.get("/tenancies", params={"status": "canceled"}).json()["tenancies"] == []
