"""Connexion's check of an API document runs once per distinct document (sandbox/http/spec_checks.py):
what it remembers must never let a document through that the check refuses."""

import copy

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import Specification

from sandbox.http.spec_checks import check_each_document_once

VALID = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
         "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}


def test_spec_checks_a_valid_document_passes_again_and_an_edited_copy_is_checked_anew():
    check_each_document_once()
    assert Specification.from_dict(copy.deepcopy(VALID))["paths"]
    assert Specification.from_dict(copy.deepcopy(VALID))["paths"]  # remembered: passes again
    broken = copy.deepcopy(VALID)
    broken["paths"]["/a"]["get"]["responses"]["200"] = {"content": "not a map"}  # no description, bad content
    with pytest.raises(InvalidSpecification):
        Specification.from_dict(broken)


def test_spec_checks_a_refused_document_is_refused_every_time():
    check_each_document_once()
    bad = copy.deepcopy(VALID)
    bad["paths"]["/a"]["get"]["parameters"] = [{"name": "q", "in": "query", "schema": {"type": "integer"}, "default": 1,
                                                "required": "yes"}]
    for _ in range(2):
        with pytest.raises(InvalidSpecification):
            Specification.from_dict(copy.deepcopy(bad))
