"""Schemathesis against every bank folder under specs/ (the hub included), over real HTTP.

No 5xx, and no response that breaks its own schema. The folders are listed when the tests are
collected, so a new bank gets the whole suite for free: one test per operation (tests/fuzzing.py says
what each one sends). The control plane and the third-party specs are fuzzed by their own files.
"""

from __future__ import annotations

import pytest

import fuzzing
from sandbox.resources import data_dir

# Many short cases, tens of seconds in all: the file starts among the first, not last (tests/conftest.py).
pytestmark = pytest.mark.slow
TARGETS = fuzzing.bank_folders(data_dir("specs"))
globals().update(fuzzing.fuzz_tests(TARGETS))
test_schemathesis_fuzzes_every_operation_served = fuzzing.served_test(TARGETS)
