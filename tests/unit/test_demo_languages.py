"""The demo's accounts read the site in English unless they chose French (issue 18, item 13)."""

from __future__ import annotations

from devtools.demo.rows import DEMO_ACCOUNTS


def test_the_accounts_the_readme_lists_read_the_site_in_english() -> None:
    # Signing in as the moderator or the director switched the whole site to French unasked.
    assert {account.username: account.language for account in DEMO_ACCOUNTS} == {
        account.username: "en" for account in DEMO_ACCOUNTS
    }
