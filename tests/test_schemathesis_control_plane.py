"""Schemathesis against the control plane (with the admin token), over real HTTP.

No 5xx, and no response that breaks its own schema: one test per operation but its deletes
(tests/fuzzing.py says what each one sends).
"""

from __future__ import annotations

import pytest

import fuzzing

# Many short cases, tens of seconds in all: the file starts among the first, not last (tests/conftest.py).
pytestmark = pytest.mark.slow
TARGETS = fuzzing.control_plane()
globals().update(fuzzing.fuzz_tests(TARGETS))
test_schemathesis_fuzzes_every_operation_served = fuzzing.served_test(TARGETS)
