"""The moment an answer says it answered its request (`meta.requestDateTime`, as Brazil's open finance writes it on
every answer) is the sandbox's moment of that request (tests/published_specs/moments-of-answers). Every answer, a
creation, a read, a list and a refusal, said the example's 2021-05-21T08:30:00Z."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "moments-of-answers",)}
EXAMPLE = "2021-05-21T08:30:00Z"


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/moments-of-answers", timeout=30) as client:
        yield client


def test_each_answer_says_the_moment_it_answered(client):
    made = client.post("/deposits", json={"data": {"amount": "12.50"}})
    assert made.status_code == 201, made.text
    at = made.json()["data"]["creationDateTime"]
    assert made.json()["meta"]["requestDateTime"] == at != EXAMPLE, made.text
    for answer in (client.get(f"/deposits/{made.json()['data']['depositId']}"), client.get("/deposits"),
                   client.post("/deposits", json={"data": {"amount": "twelve"}})):
        said = answer.json()["meta"]["requestDateTime"]
        assert said != EXAMPLE and said >= at and said.endswith("Z") and len(said) == 20, answer.text
