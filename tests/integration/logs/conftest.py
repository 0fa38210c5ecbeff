"""The request-id tests check that *their* request's id is gone afterwards: each starts
outside any request, whatever an earlier test in this process left behind (a streamed
response the test client never closed keeps its request's id, as a real server would not)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.request_id import request_id_var


@pytest.fixture(autouse=True)
def outside_any_request() -> Iterator[None]:
    token = request_id_var.set(None)
    yield
    request_id_var.reset(token)
