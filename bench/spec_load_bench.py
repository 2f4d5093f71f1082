"""Seconds to load and normalise a published spec of 300 operations, as `serve` does for each bank folder.

    .venv/bin/python bench/spec_load_bench.py [--operations 300] [--runs 5]

Generates a bank folder in a temporary directory: a Swagger 2.0 spec (YAML, `application/json;
charset=UTF-8`, an apiKey header, shared definitions, parameters and responses) whose schemas live in
a second file referred to by relative `$ref`s — every normalisation step has work to do: read YAML,
bundle the split file, convert Swagger 2.0, key the media types, check the result. Then the same
operations as one OpenAPI 3.1 JSON file. Prints the median of `--runs` loads (`load_bank`, the
binding loader's entry point) against the target (< 1 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from sandbox.bindings import load_bank

TARGET_S = 1.0


def swagger_folder(root: Path, operations: int) -> Path:
    folder = root / "swagger"
    folder.mkdir()
    definitions = {
        f"Item{i}": {"type": "object", "required": ["id", "amount"],
                     "properties": {"id": {"type": "string", "pattern": "^[0-9]{7}$"},
                                    "amount": {"type": "integer", "minimum": 1},
                                    "baseDate": {"type": "string", "format": "date", "example": "2026-11-05"},
                                    "note": {"type": "string", "x-nullable": True}}}
        for i in range(operations)
    }
    (folder / "definitions.yaml").write_text(yaml.safe_dump(definitions), encoding="utf-8")
    paths = {}
    for i in range(operations):
        ref = {"$ref": f"definitions.yaml#/Item{i}"}
        method = "post" if i % 2 else "get"
        operation = {"operationId": f"op{i}", "parameters": [{"$ref": "#/parameters/accountNo"}],
                     "responses": {"200": {"description": "ok", "schema": ref}, "400": {"$ref": "#/responses/Problem"}}}
        if method == "post":
            operation["parameters"].append({"name": "body", "in": "body", "required": True, "schema": ref})
        paths[f"/accounts/{{accountNo}}/items{i}"] = {method: operation}
    spec = {"swagger": "2.0", "info": {"title": "Generated", "version": "1"}, "basePath": "/v1",
            "consumes": ["application/json;charset=UTF-8"], "produces": ["application/json;charset=UTF-8"],
            "securityDefinitions": {"token": {"type": "apiKey", "in": "header", "name": "x-access-token"}},
            "security": [{"token": []}],
            "parameters": {"accountNo": {"name": "accountNo", "in": "path", "required": True, "type": "string"}},
            "responses": {"Problem": {"description": "refused", "schema": {"type": "object",
                                                                            "properties": {"code": {"type": "string"}}}}},
            "paths": paths}
    (folder / "swagger.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return folder


def openapi31_folder(root: Path, operations: int) -> Path:
    folder = root / "openapi31"
    folder.mkdir()
    item = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"},
                                                                 "amount": {"type": "integer", "exclusiveMinimum": 0},
                                                                 "note": {"type": ["string", "null"]}}}
    paths = {f"/items{i}": {"get": {"operationId": f"op{i}", "responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": item}}}}}} for i in range(operations)}
    spec = {"openapi": "3.1.0", "info": {"title": "Generated", "version": "1"}, "paths": paths}
    (folder / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder


def measure(folder: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        api = load_bank(folder)
        times.append(time.perf_counter() - started)
    assert sum(1 for _ in api.spec_operations()) > 0
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        for name, folder in (("Swagger 2.0, YAML, split over 2 files", swagger_folder(root, args.operations)),
                             ("OpenAPI 3.1, JSON, one file", openapi31_folder(root, args.operations))):
            seconds = measure(folder, args.runs)
            verdict = "ok" if seconds < TARGET_S else "OVER TARGET"
            print(f"{name}: {args.operations} operations loaded and normalised in {seconds:.3f} s "
                  f"(median of {args.runs}; target < {TARGET_S:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
