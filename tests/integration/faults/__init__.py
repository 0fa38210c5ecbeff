"""Fault tests (issue 14): real worker, beat and redis-server processes on PostgreSQL."""

import pytest

# The shared checks assert in a helper module: let pytest show the values on failure.
pytest.register_assert_rewrite("tests.integration.faults.checks")
