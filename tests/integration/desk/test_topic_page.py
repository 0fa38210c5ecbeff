"""The desk's topic page (issue 17, item 5): per month, each topic's share of the tagged
reviews and their average rating, as a server-drawn chart and as a table, exact on a
hand-made shop (tests/integration/topics/figures_shop.py). Company readers and quality
directors read every product, a product manager their own; a shopper gets 403, a visitor
the sign-in page. Each topic links to the review lists of the products that speak of it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import COMPANY_READER, QUALITY_DIRECTOR
from tests.factories import product_create, user_create
from tests.integration.topics.figures_shop import PERIOD, TopicShop, at, reviewed, topic_shop

pytestmark = pytest.mark.django_db

PAGE = reverse("desk:topics")


@pytest.fixture
def shop() -> TopicShop:
    return topic_shop()


def page(client: Client, **query: str) -> str:
    response = client.get(PAGE, {**PERIOD, **query})
    assert response.status_code == 200, response.content[:2000]
    return response.content.decode()


def cell(html: str, month: str, topic: str) -> str:
    """The table's cell of a month (its row header) and topic, its text without tags or extra spaces."""
    row = re.search(rf"<th scope=\"row\">{month}</th>(.*?)</tr>", html, re.S)
    assert row, month
    found = re.search(rf'<td data-topic="{topic}">(.*?)</td>', row.group(1), re.S)
    assert found, topic
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def tagged(html: str, month: str) -> str:
    row = re.search(rf"<th scope=\"row\">{month}</th>\s*<td>(\d+)</td>", html)
    assert row, month
    return row.group(1)


def test_a_visitor_signs_in_and_a_shopper_is_refused(client: Client, shop: TopicShop) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(user_create("shopper"))
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("role", [COMPANY_READER, QUALITY_DIRECTOR])
def test_a_reader_sees_every_products_figures_in_the_table_and_the_chart(
    client: Client, shop: TopicShop, role: str
) -> None:
    client.force_login(user_create(role))
    html = page(client)
    assert "Figures of every product." in html
    assert (tagged(html, "March 2026"), tagged(html, "April 2026")) == ("6", "1")
    assert cell(html, "March 2026", "delivery") == "50.0% · 2.00 ★ (3, 1 negated)"
    assert cell(html, "March 2026", "service") == "16.7% · 1.00 ★ (1)"
    assert cell(html, "March 2026", "other") == "16.7% · 4.00 ★ (1)"
    assert cell(html, "March 2026", "price") == "0.0% (0)"
    assert cell(html, "April 2026", "size") == "100.0% · 5.00 ★ (1)"
    assert cell(html, "April 2026", "delivery") == "0.0% (0)"
    # The chart: a panel per topic (an image with a title and a description), a bar per month
    # with tagged reviews whose tooltip states the figures, the average above the bar.
    assert html.count('role="img"') == 7
    assert '<title id="topic-chart-delivery-title">Delivery: share of the tagged reviews per month</title>' in html
    assert "<title>March 2026: 50% (3 of 6 tagged reviews), average 2 stars.</title>" in html
    assert "<title>April 2026: 0% (0 of 1 tagged reviews).</title>" in html
    assert "<title>March 2026: 16.7% (1 of 6 tagged reviews), average 4 stars.</title>" in html
    assert ">2★</text>" in html and ">3.7★<" not in html
    # Nobody spoke of price or set-up: their panels say so in words.
    assert html.count("No review speaks of this topic in this period") == 2
    # The shares may add up to more than 100: the page says so.
    assert "may add up to more than a hundred percent" in html
    # Each topic links to the review lists filtered by topic: most reviews first.
    tent = reverse("desk:product_reviews", args=["TENT-1"])
    bag = reverse("desk:product_reviews", args=["BAG-1"])
    assert f'href="{tent}?topic=delivery">Tent (TENT-1), 2 reviews</a> · <a href="{bag}?topic=delivery">' in html
    assert f'href="{bag}?topic=other">Bag (BAG-1), 1 review</a>' in html


def test_a_manager_sees_the_products_they_manage_only(client: Client, shop: TopicShop) -> None:
    client.force_login(shop.manager)
    html = page(client)
    assert "Figures of the products you manage." in html
    assert tagged(html, "March 2026") == "4"
    assert cell(html, "March 2026", "delivery") == "50.0% · 1.50 ★ (2, 1 negated)"
    assert cell(html, "March 2026", "other") == "0.0% (0)"
    assert "BAG-1" not in html
    assert "<title>March 2026: 25% (1 of 4 tagged reviews), average 5 stars.</title>" in html


def test_the_category_filter_and_an_empty_month(client: Client, shop: TopicShop) -> None:
    client.force_login(user_create(COMPANY_READER))
    html = page(client, category=str(shop.bags.pk))
    assert tagged(html, "March 2026") == "2" and tagged(html, "April 2026") == "0"
    assert cell(html, "March 2026", "delivery") == "50.0% · 3.00 ★ (1)"
    assert cell(html, "April 2026", "delivery") == "–"
    # No bar for a month without tagged reviews: the panel's description says so.
    assert "average 3 stars. April 2026: no tagged review.</desc>" in html
    assert "<title>April 2026" not in html
    assert "TENT-1" not in html


def test_a_bad_period_is_a_400_that_says_what_to_correct(client: Client, shop: TopicShop) -> None:
    client.force_login(user_create(COMPANY_READER))
    response = client.get(PAGE, {"from": "2026-04-01", "to": "2026-03-01"})
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()
    # Empty fields are the defaults (the twelve months through this one), not errors.
    response = client.get(PAGE, {"from": "", "to": "", "category": ""})
    assert response.status_code == 200 and len(response.context["months"]) == 12


def test_as_many_queries_for_many_products_as_for_one(client: Client, shop: TopicShop) -> None:
    client.force_login(user_create(COMPANY_READER))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client)
        return len(captured.captured_queries)

    queries()
    few = queries()
    for n in range(6):
        reviewed(product_create(category=shop.tents), 4, at(3, 10 + n, 9), "price")
    assert queries() == few


def kpi_csv_topics(client: Client, group: str) -> dict[str, list[str]]:
    """The key figures' CSV for March 2026: per row label, its topic cells (the last eight)."""
    query = {"group": group, "period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
    response = client.get(reverse("desk:kpis_csv"), query)
    assert response.status_code == 200
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert header[-8:] == [
        "topic_tagged_reviews",
        *(f"topic_{key}_percent" for key in ("delivery", "quality", "size", "price", "service", "setup", "other")),
    ]
    return {row[3]: row[-8:] for row in rows}


#                tagged delivery quality  size   price  service setup  other
TENTS_MARCH = ["4", "50.0", "25.0", "25.0", "0.0", "25.0", "0.0", "0.0"]
BAGS_MARCH = ["2", "50.0", "0.0", "0.0", "0.0", "0.0", "0.0", "50.0"]
ALL_MARCH = ["6", "50.0", "16.7", "16.7", "0.0", "16.7", "0.0", "16.7"]


def test_the_kpi_csv_gives_each_rows_share_of_tagged_reviews_per_topic(client: Client, shop: TopicShop) -> None:
    client.force_login(user_create(QUALITY_DIRECTOR))
    assert kpi_csv_topics(client, "category") == {"Bags": BAGS_MARCH, "Tents": TENTS_MARCH, "All products": ALL_MARCH}
    assert kpi_csv_topics(client, "product") == {
        "Bag (BAG-1)": BAGS_MARCH,
        "Tent (TENT-1)": TENTS_MARCH,
        "All products": ALL_MARCH,
    }
    # By month: 31 March 23:30 in Paris is March's, 1 April 00:30 is outside the period.
    assert kpi_csv_topics(client, "month") == {"March 2026": ALL_MARCH, "All products": ALL_MARCH}
    # A manager's rows: their tent only (it has r4, untagged: 5 reviews, 4 tagged).
    client.force_login(shop.manager)
    assert kpi_csv_topics(client, "category") == {"Tents": TENTS_MARCH, "All my products": TENTS_MARCH}
