"""Every browser test that writes to the database restores it as it found it.

A live-server test needs `transaction=True`. Without `serialized_rollback=True` its teardown
flush runs the post-migrate signal, which writes content types and permissions again, and
the next serialized test's restore then fails on them ("UNIQUE constraint failed:
django_content_type"), in whichever test happens to run next.
"""

from __future__ import annotations

import re
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
TRANSACTIONAL = re.compile(r"django_db\(([^)]*transaction=True[^)]*)\)")


def test_every_transactional_browser_test_uses_serialized_rollback() -> None:
    wrong = [
        f"{path.name}: django_db({arguments})"
        for path in sorted(BROWSER_TESTS.glob("test_*.py"))
        for arguments in TRANSACTIONAL.findall(path.read_text(encoding="utf-8"))
        if "serialized_rollback=True" not in arguments
    ]
    assert not wrong, wrong


def test_the_check_reads_the_markers_it_guards() -> None:
    assert TRANSACTIONAL.findall("pytest.mark.django_db(transaction=True)") == ["transaction=True"]
