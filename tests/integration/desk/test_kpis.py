"""The key figures against a hand count, on screen and as CSV.

March 2026 (Europe/Paris), two products:

* Tents, "Tent" (Julia): reviews 5★ (verified, answered after 2 h), 4★, 2★ (answered
  after 30 h), 1★ on 5 March, and 5★ at 00:30 on 1 March (still March in Paris); a 1★
  at 23:30 on 28 February is outside. Flagged on 20 March, recovered on 25 March.
* Bags, "Bag" (Julia and Otto): 3★ (verified, answered after 20 h) and 3★ (verified) on
  10 March. Flagged on 1 February, withdrawn on 3 March, reinstated on 13 March: 10 days.

Tents: 5 reviews, 17 / 5 = 3.40, CSAT 3/5 = 60.0%, verified 1/5 = 20.0%, replies at 2 h and
30 h: median 16.0 h (on target), 1 of 2 within 24 h = 50.0%; flagged 1, recovered 1.
Bags: 2 reviews, 3.00, CSAT 0.0%, verified 100.0%, one reply at 20 h: 20.0 h, 100.0%;
withdrawn 1, reinstated 1, 10.0 days from withdrawal to improvement.
All: 7 reviews, 23 / 7 = 3.29, CSAT 3/7 = 42.9%, verified 3/7 = 42.9%, replies at 2, 20,
30 h: median 20.0 h, 2 of 3 = 66.7%; 1 flagged, 1 recovered, 1 withdrawn, 1 reinstated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import QUALITY_DIRECTOR
from desk.models import AuditAction, AuditEntry
from gate.models import GateEvent
from products.models import Product
from reviews.models import BrandReply, Review
from tests.integration.desk.factories import PARIS, add_review, make_category, make_product

pytestmark = pytest.mark.django_db

MARCH = {"group": "category", "period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
POLICY = {"threshold": "3", "grace_days": 30, "min_reviews": 25, "window_days": 365, "timezone": "Europe/Paris"}
HEADER = (
    "period_start,period_end,grouped_by,group,reviews,average,csat_percent,verified_percent,replies,"
    "median_reply_hours,reply_target_hours,reply_target_met,replied_within_target_percent,notices_opened,"
    "recovered,withdrawn,reinstated,median_days_withdrawal_to_improvement,"
    "invitations_sent,links_opened,reviews_written,response_rate_percent,reminders_sent,"
    "nps,nps_answers,care_cases,care_cases_due,care_contacted,care_contacted_within_target_percent,"
    "care_median_first_contact_hours,care_outcome_solved,care_outcome_refunded_replaced,care_outcome_no_answer,"
    "care_outcome_not_reachable,care_first_contact_resolution_percent,care_effort_score,care_effort_answers,"
    "care_ratings_raised_percent,"
    # Issue 17: the tagged reviews and each topic's share (tests/integration/desk/test_topic_page.py).
    "topic_tagged_reviews,topic_delivery_percent,topic_quality_percent,topic_size_percent,topic_price_percent,"
    "topic_service_percent,topic_setup_percent,topic_other_percent"
)
# No invitation in this shop (tests/integration/desk/test_invitation_figures.py counts them).
NO_INVITATIONS = "0,0,0,,0"
# Nor any recommend answer or care case (tests/integration/desk/test_care_kpis.py counts them).
NO_CARE = ",0,0,0,0,,,0,0,0,0,,,0,"
# Nor any topic tag: 0 tagged reviews, no share.
NO_TOPICS = "0,,,,,,,"
BAGS = f"2,3.00,0.0,100.0,1,20.0,24,yes,100.0,0,0,1,1,10.0,{NO_INVITATIONS},{NO_CARE},{NO_TOPICS}"
TENTS = f"5,3.40,60.0,20.0,2,16.0,24,yes,50.0,1,1,0,0,,{NO_INVITATIONS},{NO_CARE},{NO_TOPICS}"
ALL = f"7,3.29,42.9,42.9,3,20.0,24,yes,66.7,1,1,1,1,10.0,{NO_INVITATIONS},{NO_CARE},{NO_TOPICS}"


@dataclass
class Shop:
    tent: Product
    bag: Product


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def published(
    product: Product, rating: int, moment: datetime, *, verified: bool = False, reply_after: float | None = None
) -> Review:
    review = add_review(product, rating=rating, published_at=moment, verified=verified)
    if reply_after is not None:
        replied = moment + timedelta(hours=reply_after)
        author = product.managers.first()
        assert author is not None
        BrandReply.objects.create(
            review=review, author=author, body="Thank you.", created_at=replied, updated_at=replied
        )
    return review


def event(product: Product, kind: str, day: date) -> None:
    GateEvent.objects.create(product=product, day=day, kind=kind, average="2.9", count=30, policy=POLICY)


@pytest.fixture
def director(make_user: Callable[..., User]) -> User:
    """A quality director reading English (the shared one reads French)."""
    return make_user(QUALITY_DIRECTOR, language="en", display_name="Dana")


@pytest.fixture
def shop(manager: User, other_manager: User, director: User) -> Shop:
    tent = make_product(managers=[manager], category=make_category("Tents"), name="Tent", sku="TENT-1")
    bag = make_product(managers=[manager, other_manager], category=make_category("Bags"), name="Bag", sku="BAG-1")
    published(tent, 5, at(5, 10), verified=True, reply_after=2)
    published(tent, 4, at(5, 11))
    published(tent, 2, at(5, 12), reply_after=30)
    published(tent, 1, at(5, 13))
    published(tent, 5, at(1, 0, 30))
    published(tent, 1, at(28, 23, 30, month=2))  # February in Paris
    published(bag, 3, at(10, 9), verified=True, reply_after=20)
    published(bag, 3, at(10, 10), verified=True)
    event(tent, "flagged", date(2026, 3, 20))
    event(tent, "recovered", date(2026, 3, 25))
    event(tent, "flagged", date(2026, 4, 2))  # April
    event(bag, "flagged", date(2026, 2, 1))
    event(bag, "withdrawn", date(2026, 3, 3))
    return Shop(tent=tent, bag=bag)


@pytest.fixture
def reinstated(shop: Shop) -> Shop:
    from gate.models import Improvement

    improvement = Improvement.objects.create(
        product=shop.bag, logged_at=at(13, 9), day=date(2026, 3, 13), revision=1, description="New zip."
    )
    GateEvent.objects.create(
        product=shop.bag,
        day=date(2026, 3, 13),
        kind="reinstated",
        average=None,
        count=0,
        improvement=improvement,
        policy=POLICY,
    )
    return shop


def csv_lines(client: Client, **query: str) -> list[str]:
    response = client.get(reverse("desk:kpis_csv"), {**MARCH, **query})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="reviewgate-kpis-')
    return response.content.decode().splitlines()


def test_kpis_per_category_match_the_hand_count(client: Client, reinstated: Shop, director: User) -> None:
    client.force_login(director)
    assert csv_lines(client) == [
        HEADER,
        f"2026-03-01,2026-03-31,category,Bags,{BAGS}",
        f"2026-03-01,2026-03-31,category,Tents,{TENTS}",
        f"2026-03-01,2026-03-31,category,All products,{ALL}",
    ]


def test_kpis_per_manager_count_a_shared_product_in_each_managers_row_once_in_the_total(
    client: Client, reinstated: Shop, director: User
) -> None:
    client.force_login(director)
    assert csv_lines(client, group="manager") == [
        HEADER,
        f"2026-03-01,2026-03-31,manager,Julia,{ALL}",
        f"2026-03-01,2026-03-31,manager,Otto,{BAGS}",
        f"2026-03-01,2026-03-31,manager,All products,{ALL}",
    ]


def test_kpis_per_month_named_in_the_users_language(client: Client, reinstated: Shop, manager: User) -> None:
    client.force_login(manager)
    lines = csv_lines(client, group="month", start="2026-02-01", end="2026-03-31")
    assert lines[1].startswith("2026-02-01,2026-03-31,month,February 2026,1,1.00,0.0,0.0,0,,24,,,1,0,0,0,")
    assert lines[2] == f"2026-02-01,2026-03-31,month,March 2026,{ALL}"
    assert lines[3].startswith("2026-02-01,2026-03-31,month,All my products,8,")
    manager.language = "fr"
    manager.save(update_fields=["language"])
    french = csv_lines(client, group="month", start="2026-02-01", end="2026-03-31")
    assert ",month,février 2026," in french[1]
    assert ",month,Tous mes produits,8," in french[3]


def test_kpis_per_product_are_labelled_by_name_and_sku(client: Client, reinstated: Shop, director: User) -> None:
    client.force_login(director)
    assert csv_lines(client, group="product") == [
        HEADER,
        f"2026-03-01,2026-03-31,product,Bag (BAG-1),{BAGS}",
        f"2026-03-01,2026-03-31,product,Tent (TENT-1),{TENTS}",
        f"2026-03-01,2026-03-31,product,All products,{ALL}",
    ]


def test_kpis_per_month_come_in_calendar_order_not_by_name(client: Client, reinstated: Shop, manager: User) -> None:
    # By name, "April" would come before "February" ("avril" before "février" in French).
    published(reinstated.tent, 4, at(20, 9, month=11).replace(year=2025))
    client.force_login(manager)
    query = {"group": "month", "start": "2025-11-01", "end": "2026-04-30"}
    labels = [line.split(",")[3] for line in csv_lines(client, **query)[1:]]
    assert labels == ["November 2025", "February 2026", "March 2026", "April 2026", "All my products"]
    page = client.get(reverse("desk:kpis"), {**MARCH, **query})
    assert [row.label for row in page.context["rows"]] == labels
    manager.language = "fr"
    manager.save(update_fields=["language"])
    french = [line.split(",")[3] for line in csv_lines(client, **query)[1:]]
    assert french == ["novembre 2025", "février 2026", "mars 2026", "avril 2026", "Tous mes produits"]


def test_a_manager_sees_the_figures_of_their_products_only(
    client: Client, reinstated: Shop, other_manager: User
) -> None:
    client.force_login(other_manager)
    assert csv_lines(client) == [
        HEADER,
        f"2026-03-01,2026-03-31,category,Bags,{BAGS}",
        f"2026-03-01,2026-03-31,category,All my products,{BAGS}",
    ]
    assert csv_lines(client, group="product") == [
        HEADER,
        f"2026-03-01,2026-03-31,product,Bag (BAG-1),{BAGS}",
        f"2026-03-01,2026-03-31,product,All my products,{BAGS}",
    ]


def test_the_page_shows_the_same_figures(client: Client, reinstated: Shop, manager: User) -> None:
    client.force_login(manager)
    response = client.get(reverse("desk:kpis"), MARCH)
    rows = {row.label: row for row in response.context["rows"]}
    assert set(rows) == {"Bags", "Tents", "All my products"}
    total = rows["All my products"]
    assert (total.reviews, str(total.average), str(total.csat), str(total.median_reply_hours)) == (
        7,
        "3.29",
        "42.9",
        "20.0",
    )
    page = response.content.decode()
    assert "16.0 h" in page and "on target" in page
    assert 'href="/desk/kpis.csv?' in page


def test_a_median_reply_over_a_day_misses_the_target(client: Client, shop: Shop, director: User) -> None:
    published(shop.tent, 1, at(6, 9), reply_after=50)  # replies now at 2, 30 and 50 h
    client.force_login(director)
    tents = next(line for line in csv_lines(client) if ",Tents," in line)
    assert ",3,30.0,24,no,33.3," in tents


def test_exporting_the_figures_is_audited(client: Client, shop: Shop, manager: User) -> None:
    client.force_login(manager)
    csv_lines(client, group="manager")
    [entry] = AuditEntry.objects.filter(action=AuditAction.KPIS_EXPORTED)
    assert entry.actor == manager and entry.product is None
    assert entry.details == {"parameters": {"group": "manager", "first": "2026-03-01", "last": "2026-03-31"}, "rows": 3}


def test_a_group_name_cannot_become_a_spreadsheet_formula(client: Client, manager: User) -> None:
    product = make_product(managers=[manager], category=make_category("=HYPERLINK(1)"))
    published(product, 4, at(5, 10))
    client.force_login(manager)
    assert any(line.startswith("2026-03-01,2026-03-31,category,'=HYPERLINK(1),1,") for line in csv_lines(client))


def test_a_bad_period_is_refused(client: Client, manager: User) -> None:
    client.force_login(manager)
    bad = {**MARCH, "start": "2026-04-01"}
    assert client.get(reverse("desk:kpis"), bad).status_code == 400
    assert client.get(reverse("desk:kpis_csv"), bad).status_code == 400
    assert client.get(reverse("desk:kpis"), {**MARCH, "start": "2020-01-01"}).status_code == 400
    # Days whose midnights Python cannot hold in every time zone: a 400, never a 500.
    edges = {**MARCH, "start": "9999-12-30", "end": "9999-12-31"}
    assert client.get(reverse("desk:kpis"), edges).status_code == 400
    assert client.get(reverse("desk:kpis_csv"), {**MARCH, "start": "0001-01-01"}).status_code == 400
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("start", ["٢٠٢٦-٠٣-٠١", "２０２６-０３-０１", "03/01/2026", "2026-3-1", "2026-02-30"])
def test_a_date_is_iso_with_ascii_digits_only(client: Client, manager: User, start: str) -> None:
    # strptime() reads any script's digits and Django's other formats; the date input sends ISO.
    client.force_login(manager)
    response = client.get(reverse("desk:kpis"), {**MARCH, "start": start})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_default_is_the_last_ninety_days_by_category(client: Client, manager: User) -> None:
    client.force_login(manager)
    response = client.get(reverse("desk:kpis"))
    assert response.status_code == 200
    assert (response.context["last"] - response.context["first"]).days == 89
    assert response.context["group"] == "category"


def test_the_page_by_product_shows_a_page_of_rows_and_the_total_the_csv_every_row(
    client: Client, reinstated: Shop, director: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("desk.views.kpis.KPI_ROWS_PER_PAGE", 1)
    director.language = "en"
    director.save(update_fields=["language"])
    client.force_login(director)
    query = {**MARCH, "group": "product"}

    def shown(**more: str) -> list[str]:
        response = client.get(reverse("desk:kpis"), {**query, **more})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Showing rows " in page and "The CSV lists every row." in page
        assert 'href="/desk/kpis.csv?group=product&amp;period=custom&amp;start=2026-03-01&amp;end=2026-03-31"' in page
        total = response.context["rows"][-1]
        assert (total.label, total.reviews, total.invitations.invited) == ("All products", 7, 0)  # all groups
        return [row.label for row in response.context["rows"]]

    assert shown() == ["Bag (BAG-1)", "All products"]
    assert shown(page="2") == ["Tent (TENT-1)", "All products"]
    assert shown(page="٢") == shown(page="1") == shown(page="x") == ["Bag (BAG-1)", "All products"]
    assert shown(page="99") == ["Tent (TENT-1)", "All products"]  # past the end: the last page
    # The CSV is not paginated, whatever page the link came from.
    assert [line.split(",")[3] for line in csv_lines(client, group="product", page="2")[1:]] == [
        "Bag (BAG-1)",
        "Tent (TENT-1)",
        "All products",
    ]


def test_one_page_of_groups_shows_no_page_links(client: Client, reinstated: Shop, director: User) -> None:
    client.force_login(director)
    page = client.get(reverse("desk:kpis"), {**MARCH, "group": "product"}).content.decode()
    assert 'class="pagination"' not in page and "kpi-rows-shown" not in page


@pytest.mark.parametrize("group", ["product", "category", "manager"])
def test_the_page_and_csv_make_as_many_queries_for_seven_products_as_for_one(
    client: Client, group: str, manager: User, other_manager: User, director: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("desk:kpis"), {**MARCH, "group": group}).status_code == 200
            assert client.get(reverse("desk:kpis_csv"), {**MARCH, "group": group}).status_code == 200
        return len(captured.captured_queries)

    def products(n: int) -> None:
        for _ in range(n):
            product = make_product(managers=[manager, other_manager], category=make_category())
            published(product, 4, at(5, 10), verified=True, reply_after=3)
            event(product, "flagged", date(2026, 3, 6))

    client.force_login(director)
    products(1)
    queries()  # the first request also caches what every request then reuses (the policy)
    few = queries()
    products(6)
    response = client.get(reverse("desk:kpis"), {**MARCH, "group": group})
    assert len(response.context["rows"]) == {"product": 8, "category": 8, "manager": 3}[group]
    assert queries() == few
