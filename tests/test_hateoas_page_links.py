"""Pages with HATEOAS links (tests/published_specs/hateoas-page-links/): every link the sandbox writes for a page
is a GET, `self` is the URL the client asked (its query as a URL writes it, `total_required=true`, without the
defaults it never sent) and `next` the next page's; the page's counts agree with its items, whether its items
were kept or drawn, beside a list of links."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "hateoas-page-links",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "hateoas-page-links")


def test_a_pages_links_are_gets_to_where_the_client_was_and_the_next_page(client):
    for title in ("a", "b", "c"):
        assert client.post("/v1/tickets", json={"title": title}).status_code == 201
    page = client.get("/v1/tickets", params={"page_size": 2, "total_required": "true"}).json()
    links = {link["rel"]: link for link in page["links"]}
    assert set(links) == {"self", "next"}
    assert all(link["method"] == "GET" for link in page["links"])
    assert links["self"]["href"].endswith("/banks/hateoas-page-links/v1/tickets?page_size=2&total_required=true")
    assert "page=2" in links["next"]["href"] and "total_required=true" in links["next"]["href"]
    assert "True" not in links["next"]["href"] and "fields=" not in links["next"]["href"]
    assert (page["total_items"], page["total_pages"], len(page["items"])) == (3, 2, 2)
    last = client.get(links["next"]["href"].split("/banks/hateoas-page-links", 1)[1]).json()
    assert [item["title"] for item in last["items"]] == ["c"]
    assert [link["rel"] for link in last["links"]] == ["self"] and last["links"][0]["method"] == "GET"


def test_a_drawn_pages_counts_agree_with_its_items(client):
    page = client.get("/v1/journal", params={"page_size": 10}).json()
    assert page["page"] == 1 and page["total_pages"] == 1
    assert page["total_items"] == len(page["entries"])
    assert [link["method"] for link in page["links"]] == ["GET"]
