"""The product page in French, in a real browser: percentages read "99 %" with a narrow
no-break space, and figures never contradict the gate (2,99 beside "below 3,0", not 3,0)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from gate.models import GateEvent
from gate.policy import EventKind, GateState
from products.models import Product
from tests.browser.conftest import screenshot
from tests.integration.site.factories import product_create, reviews_bulk_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NNBSP = "\u202f"


@pytest.fixture
def products(settings: Any) -> tuple[Product, Product]:
    settings.GATE_THRESHOLD = "3.0"
    below = product_create(name="Lunch box", sku="LUNCH-1")
    reviews_bulk_create(product=below, ratings=[3] * 99 + [2])
    withdrawn = product_create(name="Camping stove", sku="STOVE-9")
    reviews_bulk_create(product=withdrawn, ratings=[3] * 30 + [2])
    today = timezone.localdate()
    flagged_on = today - timedelta(days=django_settings.GATE_GRACE_DAYS)
    Product.objects.filter(pk=withdrawn.pk).update(
        gate_state=GateState.WITHDRAWN,
        flagged_on=flagged_on,
        withdrawal_deadline=today,
        withdrawn_on=today,
        on_sale=False,
    )
    policy = {"threshold": "3.0", "grace_days": 30, "min_reviews": 25, "window_days": 365, "timezone": "Europe/Paris"}
    for kind, day in ((EventKind.FLAGGED, flagged_on), (EventKind.WITHDRAWN, today)):
        GateEvent.objects.create(
            product=withdrawn, day=day, kind=kind, average=Decimal("2.9999"), count=31, policy=policy
        )
    return below, withdrawn


def test_the_product_page_in_french(make_context: Any, live_server: Any, products: tuple[Product, Product]) -> None:
    page = make_context(locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/products/LUNCH-1/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator(".average-number").inner_text() == "2,99"
    counts = page.locator(".histogram-count").all_inner_texts()
    assert any(f"(99{NNBSP}%)" in text for text in counts), counts
    assert any(f"(1{NNBSP}%)" in text for text in counts), counts
    assert page.locator("meter").first.get_attribute("value") in {"0", "99"}
    screenshot(page, "figures-product-below-fr")

    page.goto(f"{live_server.url}/products/STOVE-9/")
    notice = page.locator(".notice-withdrawn").inner_text()
    assert "3,0" in notice
    counted = page.locator(".gate-counted-average").inner_text()
    assert "2,99" in counted and "3,0" not in counted and "365" in counted
    screenshot(page, "figures-product-withdrawn-fr")


def test_the_desk_in_french(make_context: Any, live_server: Any, settings: Any) -> None:
    from accounts.roles import PRODUCT_MANAGER
    from tests.integration.desk.factories import DESK_SETTINGS, PASSWORD, flagged_story, make_category
    from tests.integration.desk.factories import user_create as desk_user_create

    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    manager = desk_user_create(PRODUCT_MANAGER, username="julie", display_name="Julie")
    manager.language = "fr"
    manager.save(update_fields=["language"])
    story = flagged_story(
        managers=[manager], flag_days_ago=5, category=make_category("Tentes"), name="Tente", sku="TENTE-2"
    )
    page = make_context(locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("julie")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/desk/notices/{story.notice.pk}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    counts = page.locator(".histogram-count").all_inner_texts()
    assert any(f"{NNBSP}%)" in text for text in counts), counts
    assert "2,5" in page.locator("body").inner_text()  # the flag's 35 / 14, by the rule
    screenshot(page, "figures-desk-notice-fr")
    page.goto(f"{live_server.url}/desk/kpis/")
    assert f"{NNBSP}%" in page.locator("main").inner_text()
    screenshot(page, "figures-desk-kpis-fr")


def test_signup_catalogue_and_transparency_in_french(
    make_context: Any, live_server: Any, products: tuple[Product, Product]
) -> None:
    page = make_context(locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    options = page.locator("#id_language option")
    assert options.all_inner_texts() == ["English", "Français"]
    assert options.nth(1).get_attribute("lang") == "fr"
    screenshot(page, "figures-signup-fr")
    page.goto(f"{live_server.url}/products/")
    assert "2,99" in page.locator('[data-sku="LUNCH-1"]').inner_text()
    screenshot(page, "figures-catalogue-fr")
    page.goto(f"{live_server.url}/about/reviews/")
    assert "3,0" in page.locator("#quality-gate").inner_text()
    screenshot(page, "figures-transparency-fr")
