"""A kept list paged by dotted names whose pages count from 0 (tests/published_specs/zero-based-pages/, as Brazil's
Pix API pages its charges: `paginacao.paginaAtual`, `paginacao.itensPorPagina`). The names were not read as
paging at all (every charge on one page, `paginaAtual: 0` and `itensPorPagina: 100` drawn), and a page count
from 1 would have answered page 1 twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "zero-based-pages",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "zero-based-pages")


def test_pages_counted_from_zero_walk_every_kept_item_once(client):
    made = [client.post("/cobrancas", json={"valor": f"{n}.00"}).json()["id"] for n in range(1, 6)]
    seen, counters = [], []
    for number in range(3):
        answer = client.get("/cobrancas", params={"paginacao.paginaAtual": number, "paginacao.itensPorPagina": 2})
        assert answer.status_code == 200, answer.text
        seen += [item["id"] for item in answer.json()["cobs"]]
        counters.append(answer.json()["parametros"]["paginacao"])
    assert seen == made
    assert [c["paginaAtual"] for c in counters] == [0, 1, 2]
    assert all(c["itensPorPagina"] == 2 and c["quantidadeDePaginas"] == 3 and c["quantidadeTotalDeItens"] == 5
               for c in counters), counters
    first = client.get("/cobrancas").json()["parametros"]["paginacao"]  # no page asked: the first, page 0
    assert first["paginaAtual"] == 0 and first["quantidadeTotalDeItens"] == 5


def test_a_filter_names_a_field_of_an_object_the_items_hold(client):
    """`?cpf=` filters by the payer's `devedor.cpf`; it filtered nothing, a field one level down."""
    mine = client.post("/cobrancas", json={"valor": "9.00", "devedor": {"cpf": "12345678909", "nome": "Ana"}}).json()
    client.post("/cobrancas", json={"valor": "8.00", "devedor": {"cpf": "98765432100", "nome": "Rui"}})
    listed = client.get("/cobrancas", params={"cpf": "12345678909"}).json()["cobs"]
    assert [item["id"] for item in listed] == [mine["id"]]


def test_a_read_names_the_field_of_its_parameters_schema(client):
    """`GET /pix/{e2eid}` answered the example's `endToEndId`: the field is named otherwise, but is the same schema."""
    wanted = "E99999999202612061200abcdef54321"
    assert client.get(f"/pix/{wanted}").json()["endToEndId"] == wanted
