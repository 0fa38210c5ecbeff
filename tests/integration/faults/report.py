"""Figures the fault tests measured, written to test-artifacts/ for docs/reliability.md."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import REPO_ROOT

ARTIFACTS = REPO_ROOT / "test-artifacts"


def figures_write(name: str, figures: dict[str, Any]) -> None:
    """test-artifacts/<name>.json: one test's figures, as measured (CI keeps the folder)."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
