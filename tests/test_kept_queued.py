"""Resources made at one path and read at another by the same schema (tests/published_specs/queued-creations/):
jobs queued with no body at `/shops/{shopId}/jobs/queue/{topic}` are read and listed under
`/shops/{shopId}/jobs/history`. Every job answered the example's one id, and none was kept (Codat's data pulls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "queued-creations",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "queued-creations")


def test_jobs_queued_get_ids_of_their_own_and_are_read_and_listed_where_the_history_is(client):
    # (first, while none is kept: a drawn history asked for `?status=Queued` listed jobs in other states)
    drawn = client.get("/shops/never-queued/jobs/history", params={"status": "Queued", "pageSize": 5}).json()
    assert drawn["results"] and all(item["status"] == "Queued" for item in drawn["results"])
    jobs = [client.post(f"/shops/s1/jobs/queue/{topic}") for topic in ("invoices", "bills", "invoices")]
    assert all(job.status_code == 200 for job in jobs), [job.text for job in jobs]
    ids = [job.json()["id"] for job in jobs]
    assert len(set(ids)) == 3, ids
    assert [job.json()["topic"] for job in jobs] == ["invoices", "bills", "invoices"]
    read = client.get(f"/shops/s1/jobs/history/{ids[1]}").json()
    assert (read["id"], read["topic"]) == (ids[1], "bills")
    assert [job["id"] for job in client.get("/shops/s1/jobs/history").json()["results"]] == ids


def test_an_optional_query_naming_a_field_is_answered_so(client):
    """`?connectionId=X` queued a job answered for the example's connection."""
    job = client.post("/shops/s2/jobs/queue/bills", params={"connectionId": "conn-77"}).json()
    assert job["connectionId"] == "conn-77"
    # (once jobs are kept, the history of a shop none was queued for holds none: drawn, it named jobs its read refuses)
    assert client.get("/shops/never-queued/jobs/history", params={"status": "Queued"}).json()["results"] == []
