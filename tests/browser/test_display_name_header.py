"""A display name of the full 60 characters keeps the header whole at 320 px: shown on one
line, cut with an ellipsis, whole in its title and for screen readers (issue 18, item 9)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# 60 characters: one unbreakable word, then words, as people type them.
NAMES = {
    "one-word": "Maximiliana" + "x" * 49,
    "words": "Anne-Sophie Marguerite de la Tour d'Auvergne-Lauraguais Rémy",
}


@pytest.mark.parametrize("kind", list(NAMES))
def test_a_sixty_character_name_keeps_the_header_whole_at_320_px(
    make_context: Any, live_server: Any, kind: str
) -> None:
    name = NAMES[kind]
    assert len(name) == 60
    user_create(username="long", display_name=name)
    page = make_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, live_server.url, "long", PASSWORD)
    page.goto(f"{live_server.url}/products/")
    screenshot(page, f"header-display-name-60-{kind}-320px", full_page=False)

    link = page.locator(".site-nav a.account-name")
    expect(link).to_have_attribute("title", name)
    expect(link).to_have_accessible_name(f"Profile: {name}")
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert box["height"] < 40, "the name wraps over several lines"
    # Cut visually: its text is wider than its box, with an ellipsis.
    assert link.evaluate("el => el.scrollWidth > el.clientWidth")
    assert link.evaluate("el => getComputedStyle(el).textOverflow") == "ellipsis"
    # Nothing in the page is wider than the screen (no sideways scrolling).
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    wcag_aa = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    found = Axe().run(page, options=wcag_aa)
    assert found.violations_count == 0, found.generate_report()
