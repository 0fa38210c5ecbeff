"""What axe-core cannot judge alone (issue 18, item 15), checked in Chromium as a person
would meet it: stars told apart by shape and contrast and written out, no sideways scrolling
at 320 px, focus kept on a helpful vote, the review's own language marked wherever its text
appears, and the API docs in a page with a language and a main region. Every page visited
here is also checked by axe-core (tests/browser/axe_hook.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import CUSTOMER_CARE, MODERATOR, QUALITY_DIRECTOR
from products.models import Product, ProductImage
from reviews.models import Review, ReviewReport, ReviewStatus
from reviews.search import SEARCH_MAX_LENGTH
from tests.browser.colour import contrast
from tests.browser.conftest import screenshot, sign_in
from tests.integration.desk.factories import DESK_SETTINGS, add_review, flagged_story
from tests.integration.site.factories import PASSWORD, category_create, product_create, review_create, user_create
from tests.photo_files import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FRENCH_TITLE = "Solide sous l'orage"
PENDING_FRENCH_TITLE = "Fermeture éclair fragile"


@dataclass
class World:
    tent: Product
    english: Review
    french: Review
    pending: Review
    mine: Review
    writer: User
    staff: User


@pytest.fixture
def world() -> World:
    tent = product_create(sku="TENT-2", name="Alpine tent 2", category=category_create(name="Camping", slug="camping"))
    english = review_create(product=tent, rating=4, title="Stood up to a storm", body="Two windy nights, fine.")
    french = review_create(
        product=tent, rating=2, title=FRENCH_TITLE, body="Deux nuits de vent, une sardine tordue.", language="fr"
    )
    review_create(product=tent, rating=5, title="Light enough", body="Carried it for a week.")
    pending = review_create(
        product=tent,
        rating=1,
        title=PENDING_FRENCH_TITLE,
        body="La fermeture a lâché au bout de deux sorties.",
        language="fr",
        status=ReviewStatus.PENDING,
    )
    writer = user_create(username="writer", display_name="Riley")
    mine = review_create(
        product=tent, author=writer, rating=3, title="Mon avis en français", body="Correct.", language="fr"
    )
    ReviewReport.objects.create(review=french, reporter=user_create(), reason="off_topic", created_at=timezone.now())
    staff = user_create(QUALITY_DIRECTOR, MODERATOR, CUSTOMER_CARE, username="staff", display_name="Sam")
    return World(tent, english, french, pending, mine, writer, staff)


def test_stars_differ_by_shape_and_contrast_and_each_card_writes_the_rating(
    page: Any, live_server: Any, world: World
) -> None:
    page.goto(f"{live_server.url}/products/TENT-2/")
    cards = page.locator("article.review")
    expect(cards.first).to_be_visible()
    ratings = {world.english.pk: 4, world.french.pk: 2}
    for pk, rating in ratings.items():
        card = page.locator(f"#review-{pk}")
        expect(card.locator(".stars-text")).to_have_text(f"{rating}/5")
        expect(card.locator(".stars")).to_have_attribute("aria-label", f"Rated {rating} out of 5")
    assert cards.count() == cards.locator(".stars-text").count()  # every card, not only those two

    stars = page.locator(f"#review-{world.english.pk} .stars-track")
    # The empty stars are the outline glyph, the filled ones the solid glyph: a shape, not a colour.
    track_own_text = stars.evaluate("el => el.firstChild.textContent")
    assert track_own_text == "☆☆☆☆☆"
    assert stars.locator(".stars-fill").text_content() == "★★★★★"
    filled = stars.locator(".stars-fill").evaluate("el => getComputedStyle(el).color")
    empty = stars.evaluate("el => getComputedStyle(el).color")
    card_background = page.locator(f"#review-{world.english.pk}").evaluate("el => getComputedStyle(el).backgroundColor")
    assert card_background == "rgb(255, 255, 255)"
    assert contrast(filled, card_background) >= 3, filled  # WCAG 1.4.11, non-text contrast
    assert contrast(filled, empty) >= 3, (filled, empty)
    page.locator(f"#review-{world.english.pk}").scroll_into_view_if_needed()
    screenshot(page, "a11y-stars-on-review-cards", full_page=False)


def test_rating_text_on_the_desk_review_cards(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server.url, "staff", PASSWORD)
    page.goto(f"{live_server.url}/desk/moderation/")
    expect(page.locator(f"#queue-{world.pending.pk} .stars-text")).to_have_text("1/5")
    page.goto(f"{live_server.url}/desk/products/TENT-2/reviews/")
    expect(page.locator(f"#review-{world.french.pk} .stars-text")).to_have_text("2/5")


def _no_sideways_scroll(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _nav_links(page: Any, selector: str) -> list[str]:
    return list(page.locator(selector).evaluate_all("links => links.map(a => a.href)"))


def _pictures_and_a_notice(world: World) -> str:
    """Two pictures for the tent (the first shown 320 px wide by its attributes), a product
    with an open withdrawal notice; the notice's address."""
    for position in range(2):
        ProductImage.objects.create(
            product=world.tent,
            image=SimpleUploadedFile(f"{position}.png", image_bytes("PNG", (640, 480), (30, 120, 60))),
            alt_text=f"Tent picture {position + 1}",
            position=position,
        )
    story = flagged_story(managers=[world.staff], sku="BAG-320", name="Sleeping bag")
    for _ in range(3):  # a trend since flagging: "▲ +0.45 since flagging (1.92)"
        add_review(story.product, rating=5, days_ago=0)
    return f"/desk/notices/{story.notice.pk}/"


def test_no_page_scrolls_sideways_at_320_px(
    make_context: Any, live_server: Any, world: World, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    notice_path = _pictures_and_a_notice(world)
    page = make_context(viewport={"width": 320, "height": 640}).new_page()
    base = live_server.url
    long_word = "W" * SEARCH_MAX_LENGTH
    public = [
        "/",
        "/products/",
        "/products/TENT-2/",
        f"/products/TENT-2/?q={long_word}",
        f"/products/TENT-2/?q={long_word}&stars=5",
        "/about/reviews/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/products/NOT-THERE/",
    ]
    wide: dict[str, int] = {}
    for path in public:
        page.goto(base + path)
        if (overflow := _no_sideways_scroll(page)) > 0:
            wide[path] = overflow
    # The API's docs, once their scripts have drawn them.
    for path, drawn in (("/api/docs/", ".opblock"), ("/api/redoc/", "h1")):
        page.goto(base + path)
        page.locator(drawn).first.wait_for(timeout=20_000)
        if (overflow := _no_sideways_scroll(page)) > 0:
            wide[path] = overflow
    sign_in(page, base, "staff", PASSWORD)
    page.goto(f"{base}/desk/moderation/")
    screenshot(page, "a11y-moderation-queue-320px", full_page=False)
    desk_pages = {f"{base}/desk/moderation/", f"{base}/desk/products/TENT-2/reviews/", f"{base}/reviews/mine/"}
    desk_pages |= {base + notice_path, f"{base}/desk/products/TENT-2/reviews/?phrase={long_word}"}
    desk_pages |= set(_nav_links(page, ".desk-nav a"))
    for url in sorted(desk_pages):
        page.goto(url)
        if (overflow := _no_sideways_scroll(page)) > 0:
            wide[url] = overflow
    assert len(desk_pages) >= 6, desk_pages  # the desk's own menu was found
    # In French too: longer words, the trend's "depuis le signalement".
    world.staff.language = "fr"
    world.staff.save(update_fields=["language"])
    for path in (notice_path, "/desk/notices/", f"/products/TENT-2/?q={long_word}"):
        page.goto(base + path)
        if (overflow := _no_sideways_scroll(page)) > 0:
            wide["fr " + path] = overflow
    page.goto(f"{base}/products/TENT-2/?q={long_word}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    screenshot(page, "a11y-product-long-search-320px")
    page.goto(base + notice_path)
    trend = page.locator("dd .trend")
    trend.scroll_into_view_if_needed()
    # The summary's trend fits the screen (it was one unbreakable line).
    assert trend.evaluate("t => t.getBoundingClientRect().right <= document.documentElement.clientWidth")
    screenshot(page, "a11y-notice-320px", full_page=False)
    assert wide == {}, f"pages wider than 320 px (by so many px): {wide}"


def test_keyboard_focus_stays_on_the_helpful_button_after_voting(page: Any, live_server: Any, world: World) -> None:
    user_create(username="judge")
    sign_in(page, live_server.url, "judge", PASSWORD)
    page.goto(f"{live_server.url}/products/TENT-2/")
    card = page.locator(f"#review-{world.english.pk}")
    card.get_by_role("link", name=re.compile("^Report")).focus()
    page.keyboard.press("Shift+Tab")  # back to the "No" button, then to "Yes", by keyboard
    page.keyboard.press("Shift+Tab")
    yes = card.get_by_role("button", name=re.compile("^Yes"))
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")
    expect(card.get_by_role("status")).to_have_text("Thank you for your feedback.")
    expect(yes).to_have_attribute("aria-pressed", "true")
    expect(yes).to_be_focused()
    assert page.evaluate("document.activeElement.getAttribute('aria-disabled')") is None
    page.keyboard.press("Tab")  # and the keyboard goes on from there, not from the page's top
    expect(card.get_by_role("button", name=re.compile("^No"))).to_be_focused()
    screenshot(page, "a11y-focus-after-vote", full_page=False)


# Each text of a review in another language than the page must sit inside an element whose
# nearest lang attribute is the review's language (data for machines, such as JSON-LD, aside).
_LANG_OF_TEXT = """([text, leavingOut]) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.textContent.includes(text) && !node.parentElement.closest("script, style, " + leavingOut)) {
      const holder = node.parentElement.closest("[lang]");
      found.push(holder ? holder.getAttribute("lang") : document.documentElement.lang);
    }
  }
  return found;
}"""


def _languages_of(page: Any, text: str, *, leaving_out: str = "template") -> list[str]:
    return list(page.evaluate(_LANG_OF_TEXT, [text, leaving_out]))


def test_other_language_titles_carry_their_lang_everywhere(page: Any, live_server: Any, world: World) -> None:
    base = live_server.url
    sign_in(page, base, "writer", PASSWORD)
    page.goto(f"{base}/products/TENT-2/")
    assert page.locator("html").get_attribute("lang") == "en"
    # The report link's hidden words ("Report the review “…”") are in products/_review.html,
    # which this branch may not edit beyond its stars line: the lead adds their lang at merge
    # (the desk's "Select “…”" below shows the markup), then this filter goes.
    found = _languages_of(page, FRENCH_TITLE)
    assert found and set(found) == {"fr"}, found
    own = _languages_of(page, "Mon avis en français")
    assert own and set(own) == {"fr"}, own
    page.goto(f"{base}/reviews/mine/")
    mine = _languages_of(page, "Mon avis en français")
    assert len(mine) >= 3 and set(mine) == {"fr"}, mine  # the title, "Edit …", "Delete …"

    page.context.clear_cookies()
    sign_in(page, base, "staff", PASSWORD)
    page.goto(f"{base}/desk/moderation/")
    queued = _languages_of(page, PENDING_FRENCH_TITLE)
    assert len(queued) >= 4 and set(queued) == {"fr"}, queued  # title, "Select …", "Approve …", "Reject …"
    reported = _languages_of(page, FRENCH_TITLE)
    assert reported and set(reported) == {"fr"}, reported
    page.goto(f"{base}/desk/products/TENT-2/reviews/")
    on_desk = _languages_of(page, FRENCH_TITLE)
    assert len(on_desk) >= 2 and set(on_desk) == {"fr"}, on_desk  # the title and "Reply publicly to …"


def test_swagger_page_has_a_language_a_main_region_and_readable_badges(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/api/docs/")
    badge = page.locator(".opblock-get .opblock-summary-method").first
    expect(badge).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    # Swagger UI draws its own <main> around the operations: exactly one main region.
    expect(page.get_by_role("main")).to_have_count(1)
    expect(page.get_by_role("main").locator(".opblock").first).to_be_visible()
    checks = {
        ".opblock-get .opblock-summary-method": "backgroundColor",
        ".opblock-post .opblock-summary-method": "backgroundColor",
        ".info .title small.version-stamp": "backgroundColor",
    }
    for selector, prop in checks.items():
        element = page.locator(selector).first
        background = element.evaluate(f"el => getComputedStyle(el).{prop}")
        text = element.evaluate("el => getComputedStyle(el.querySelector('pre') || el).color")
        assert contrast(background, text) >= 4.5, (selector, background, text)
    screenshot(page, "a11y-swagger", full_page=False)


def test_rating_input_marks_the_choice_by_shape(page: Any, live_server: Any, world: World) -> None:
    user_create(username="judge")
    sign_in(page, live_server.url, "judge", PASSWORD)
    page.goto(f"{live_server.url}/products/TENT-2/review/")
    glyphs = page.locator(".star-options .star-glyph")
    shapes = "els => els.map(el => getComputedStyle(el, '::before').content)"
    assert glyphs.evaluate_all(shapes) == ['"☆"'] * 5
    page.locator(".star-options input").first.focus()  # by keyboard: the first star, then two more
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator('.star-options input[value="3"]')).to_be_checked()
    assert glyphs.evaluate_all(shapes) == ['"★"'] * 3 + ['"☆"'] * 2
    outline = page.locator(".star-options label").last.evaluate("el => getComputedStyle(el).color")
    assert contrast(outline, "rgb(255, 255, 255)") >= 3, outline
    page.locator(".star-options").scroll_into_view_if_needed()
    screenshot(page, "a11y-rating-input", full_page=False)
