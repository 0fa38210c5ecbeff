"""The demo's accounts read the site in English unless they chose French (issue 18, item 13)."""

from __future__ import annotations

from pathlib import Path

from devtools.demo.rows import DEMO_ACCOUNTS
from devtools.demo.topics import LOGISTICS_PASSWORD, LOGISTICS_USERNAME

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_accounts_the_readme_lists_read_the_site_in_english() -> None:
    # Signing in as the moderator or the director switched the whole site to French unasked.
    assert {account.username: account.language for account in DEMO_ACCOUNTS} == {
        account.username: "en" for account in DEMO_ACCOUNTS
    }


def test_the_readme_lists_every_demo_account_with_its_password() -> None:
    readme = README.read_text(encoding="utf-8")
    for username, password in [(a.username, a.password) for a in DEMO_ACCOUNTS] + [
        (LOGISTICS_USERNAME, LOGISTICS_PASSWORD)
    ]:
        assert f"| `{username}` | `{password}` |" in readme, username
