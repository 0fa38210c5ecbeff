"""The NPS and customer care's figures on the desk's key figures and their CSV, against a
hand count (definitions: care.figures). Reviews are posted and cases handled through the
services, each at a moment of its own; the page is asked at NOW, 1 April 2026 08:00 in Paris.

March 2026 (Europe/Paris), two products:

* Tent (category Tents; Julia): 5★ recommend 10 (2 March), 5★ 9 (3rd), 4★ 7 (4th), 1★ 3
  (5th: case A), 2★ without answer (6th: case B), 2★ without answer at 20:00 on 31 March
  (case E); 5★ 10 at 23:30 on 28 February is February in Paris.
* Bag (category Bags; Julia and Otto): 4★ recommend 6 (10 March: case C, a detractor), 1★
  0 (11th: case D), 3★ 8 at 23:30 on 31 March (still March in Paris).

Cases: A first contacted after 6 h (in time), closed solved after that one message, effort
6, the review raised to 4★ afterwards. B contacted after 26 h (late), a second message,
closed refunded or replaced, effort 3. C never contacted, closed not reachable. D contacted
after 12 h (in time), still open. E opened at 20:00 on 31 March: its 24 hours run until
20:00 on 1 April, after NOW, so it is not due yet.

NPS: Tent 4 answers, 2 promoters, 1 detractor: (2 - 1) / 4 = 25.0. Bag 3 answers, no
promoter, 2 detractors: -66.7. All: 7 answers, (2 - 3) / 7 = -14.3.
Care, Tent: 3 cases, 2 due, 1 in time: 50.0%; contacted 2, median of 6 h and 26 h: 16.0 h;
solved 1, refunded or replaced 1; first-contact resolution 1 of 2: 50.0%; effort (6 + 3) / 2
= 4.50 from 2 answers; raised 1 of 2 contacted: 50.0%.
Bag: 2 cases, 2 due, 1 in time: 50.0%; contacted 1, 12.0 h; not reachable 1; no closed
contacted case: no first-contact resolution; no effort answer; raised 0 of 1: 0.0%.
All: 5 cases, 4 due, 2 in time: 50.0%; contacted 3, median of 6, 12, 26 h: 12.0 h; solved 1,
refunded 1, not reachable 1; 50.0%; 4.50 from 2; raised 1 of 3: 33.3%.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

import desk.views.kpis
from accounts.models import User
from accounts.roles import QUALITY_DIRECTOR
from care.models import Case, CaseMessage, MessageKind
from care.selectors import case_facts, nps_tallies
from care.services import case_close, case_customer_answer, case_message_send
from desk.kpis import CSV_COLUMNS
from products.models import Product
from reviews.models import Review
from reviews.services import review_edit
from tests.care_factories import care_staff_create, review_post
from tests.integration.desk.factories import PARIS, make_category, make_product

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 1, 8, 0, tzinfo=PARIS)
MARCH = {"group": "category", "period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
# The columns integrators read before issue 16, by name and by position: unchanged.
OLD_HEADER = [
    "period_start",
    "period_end",
    "grouped_by",
    "group",
    "reviews",
    "average",
    "csat_percent",
    "verified_percent",
    "replies",
    "median_reply_hours",
    "reply_target_hours",
    "reply_target_met",
    "replied_within_target_percent",
    "notices_opened",
    "recovered",
    "withdrawn",
    "reinstated",
    "median_days_withdrawal_to_improvement",
    "invitations_sent",
    "links_opened",
    "reviews_written",
    "response_rate_percent",
    "reminders_sent",
]
NEW_COLUMNS = [
    "nps",
    "nps_answers",
    "care_cases",
    "care_cases_due",
    "care_contacted",
    "care_contacted_within_target_percent",
    "care_median_first_contact_hours",
    "care_outcome_solved",
    "care_outcome_refunded_replaced",
    "care_outcome_no_answer",
    "care_outcome_not_reachable",
    "care_first_contact_resolution_percent",
    "care_effort_score",
    "care_effort_answers",
    "care_ratings_raised_percent",
]
# Appended by issue 17 after them (tests/integration/desk/test_topic_page.py counts them).
TOPIC_COLUMNS = [
    "topic_tagged_reviews",
    "topic_delivery_percent",
    "topic_quality_percent",
    "topic_size_percent",
    "topic_price_percent",
    "topic_service_percent",
    "topic_setup_percent",
    "topic_other_percent",
]
#          nps    n  cases due contacted in-time median solved refunded no-ans unreach fcr  effort n raised
TENT = ["25.0", "4", "3", "2", "2", "50.0", "16.0", "1", "1", "0", "0", "50.0", "4.50", "2", "50.0"]
BAG = ["-66.7", "3", "2", "2", "1", "50.0", "12.0", "0", "0", "0", "1", "", "", "0", "0.0"]
ALL = ["-14.3", "7", "5", "4", "3", "50.0", "12.0", "1", "1", "0", "1", "50.0", "4.50", "2", "33.3"]


@dataclass
class CareShop:
    tent: Product
    bag: Product


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def post(product: Product, rating: int, moment: datetime, recommend: int | None = None) -> Review:
    return review_post(product=product, rating=rating, recommend=recommend, now=moment)


def case_of(review: Review) -> Case:
    return Case.objects.get(review=review)


def write(case: Case, staff: User, moment: datetime) -> None:
    case_message_send(case=case, by=staff, body="We are sorry: may we help?", now=moment)


def close(case: Case, staff: User, outcome: str, moment: datetime, *, effort: int | None = None) -> None:
    case_close(case=case, by=staff, outcome=outcome, now=moment)
    if effort is not None:
        closing = CaseMessage.objects.get(case=case, kind=MessageKind.CLOSING)
        case_customer_answer(message=closing, body="", effort=effort, now=moment)


@pytest.fixture
def director(make_user: Callable[..., User]) -> User:
    """A quality director reading English (the shared one reads French)."""
    return make_user(QUALITY_DIRECTOR, language="en", display_name="Dana")


@pytest.fixture
def shop(manager: User, other_manager: User, monkeypatch: pytest.MonkeyPatch) -> CareShop:
    # The page's clock (the view asks timezone.now()), in this module only.
    monkeypatch.setattr(desk.views.kpis, "timezone", SimpleNamespace(now=lambda: NOW))
    staff = care_staff_create()
    tent = make_product(managers=[manager], category=make_category("Tents"), name="Tent", sku="TENT-1")
    bag = make_product(managers=[manager, other_manager], category=make_category("Bags"), name="Bag", sku="BAG-1")
    post(tent, 5, at(2, 10), recommend=10)
    post(tent, 5, at(3, 10), recommend=9)
    post(tent, 4, at(4, 10), recommend=7)
    unhappy = post(tent, 1, at(5, 10), recommend=3)
    a = case_of(unhappy)
    b = case_of(post(tent, 2, at(6, 10)))
    post(tent, 5, at(28, 23, 30, month=2), recommend=10)
    c = case_of(post(bag, 4, at(10, 9), recommend=6))
    d = case_of(post(bag, 1, at(11, 9), recommend=0))
    post(bag, 3, at(31, 23, 30), recommend=8)
    post(tent, 2, at(31, 20))  # case E, not due at NOW
    write(a, staff, at(5, 16))
    close(a, staff, "solved", at(7, 10), effort=6)
    review_edit(
        review=unhappy,
        author=unhappy.author,
        rating=4,
        title=unhappy.title,
        body=unhappy.body,
        language=unhappy.language,
        now=at(8, 10),
    )
    write(b, staff, at(7, 12))
    write(b, staff, at(8, 12))
    close(b, staff, "refunded_replaced", at(9, 10), effort=3)
    close(c, staff, "not_reachable", at(12, 9))
    write(d, staff, at(11, 21))
    return CareShop(tent=tent, bag=bag)


def csv_table(client: Client, **query: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header, and each row's cells after the group's label, by that label."""
    response = client.get(reverse("desk:kpis_csv"), {**MARCH, **query})
    assert response.status_code == 200
    header, *rows = csv.reader(io.StringIO(response.content.decode()))
    return header, {row[3]: row[4:] for row in rows}


def new_cells(cells: list[str]) -> list[str]:
    return cells[len(OLD_HEADER) - 4 : len(OLD_HEADER) - 4 + len(NEW_COLUMNS)]


def test_the_csv_appends_the_new_columns_after_the_old_ones(client: Client, shop: CareShop, director: User) -> None:
    client.force_login(director)
    header, rows = csv_table(client)
    assert header == [*OLD_HEADER, *NEW_COLUMNS, *TOPIC_COLUMNS]
    assert list(CSV_COLUMNS) == [*OLD_HEADER[3:], *NEW_COLUMNS, *TOPIC_COLUMNS]
    # Tent's old cells as the hand count has them: 6 reviews (the 1★ now 4★), 22 / 6 stars,
    # 4 of 6 rated 4-5, nothing verified, no reply, no gate event, no invitation.
    old = "6,3.67,66.7,0.0,0,,24,,,0,0,0,0,,0,0,0,,0"
    assert rows["Tents"][: len(OLD_HEADER) - 4] == old.split(",")


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("category", {"Bags": BAG, "Tents": TENT, "All products": ALL}),
        ("product", {"Bag (BAG-1)": BAG, "Tent (TENT-1)": TENT, "All products": ALL}),
        # Bag has two managers: in each one's row, once in the total.
        ("manager", {"Julia": ALL, "Otto": BAG, "All products": ALL}),
    ],
)
def test_nps_and_care_figures_match_the_hand_count_per_group(
    client: Client, shop: CareShop, director: User, group: str, expected: dict[str, list[str]]
) -> None:
    client.force_login(director)
    _header, rows = csv_table(client, group=group)
    assert {label: new_cells(cells) for label, cells in rows.items()} == expected


def test_per_month_a_case_and_an_answer_count_in_their_month(client: Client, shop: CareShop, director: User) -> None:
    client.force_login(director)
    _header, rows = csv_table(client, group="month", start="2026-02-01", end="2026-03-31")
    assert list(rows) == ["February 2026", "March 2026", "All products"]
    feb = ["100.0", "1", "0", "0", "0", "", "", "0", "0", "0", "0", "", "", "0", ""]
    assert new_cells(rows["February 2026"]) == feb
    assert new_cells(rows["March 2026"]) == ALL
    # 8 answers, 3 promoters, 3 detractors.
    assert new_cells(rows["All products"]) == ["0.0", "8", *ALL[2:]]


def test_a_manager_reads_the_figures_of_their_products_only(
    client: Client, shop: CareShop, other_manager: User
) -> None:
    client.force_login(other_manager)
    _header, rows = csv_table(client)
    assert {label: new_cells(cells) for label, cells in rows.items()} == {"Bags": BAG, "All my products": BAG}


def test_the_page_shows_the_nps_beside_the_csat_and_the_care_figures(
    client: Client, shop: CareShop, manager: User
) -> None:
    client.force_login(manager)
    response = client.get(reverse("desk:kpis"), MARCH)
    assert response.status_code == 200
    page = response.content.decode()
    # Bags: CSAT 1 of 3 rated 4-5 (the 4★ detractor), then the NPS and its answers.
    assert '<td>33.3%</td>\n    <td class="nps">-66.7 <span class="muted">3 answers</span></td>' in page
    care = page[page.index('<h2 id="care">') : page.index('<h2 id="invitations">')]
    tents = "\n    ".join(
        [
            '<th scope="row">Tents</th>',
            "<td>3</td>",
            '<td>50.0% <span class="muted">of 2 cases due</span></td>',
            "<td>16.0 h</td>",
            "<td>1</td>",
            "<td>1</td>",
            "<td>0</td>",
            "<td>0</td>",
            "<td>50.0%</td>",
            '<td>4.50 <span class="muted">2 answers</span></td>',
            "<td>50.0%</td>",
        ]
    )
    assert tents in care
    assert '<th scope="col">First contacted within 24 h</th>' in care
    total: Any = response.context["rows"][-1]
    assert (str(total.nps.score), total.nps.answers, total.care.cases, str(total.care.raised_share)) == (
        "-14.3",
        7,
        5,
        "33.3",
    )


def test_care_selectors_tally_answers_per_day_in_the_zone_and_read_each_cases_facts(shop: CareShop) -> None:
    """care.selectors, which the API and the transparency page read too."""
    tallies = nps_tallies(product_ids=None, published_from=at(28, 0, month=2), published_to=NOW)
    assert [row for row in tallies if row[0] == shop.bag.pk] == [
        (shop.bag.pk, date(2026, 3, 10), 6, 1),
        (shop.bag.pk, date(2026, 3, 11), 0, 1),
        (shop.bag.pk, date(2026, 3, 31), 8, 1),  # 23:30 in Paris, 21:30 UTC
    ]
    assert (shop.tent.pk, date(2026, 2, 28), 10, 1) in tallies
    assert nps_tallies(product_ids=[shop.bag.pk], published_from=at(11, 0), published_to=at(31, 23, 30)) == [
        (shop.bag.pk, date(2026, 3, 11), 0, 1)
    ]
    facts = case_facts(product_ids=[shop.tent.pk], opened_from=at(1, 0), opened_to=NOW)
    assert [(product_id, f.outcome, f.care_messages, f.effort_score) for product_id, f in facts] == [
        (shop.tent.pk, "solved", 1, 6),
        (shop.tent.pk, "refunded_replaced", 2, 3),
        (shop.tent.pk, "", 0, None),
    ]
    assert (facts[0][1].rating_at_open, facts[0][1].rating_now) == (1, 4)


def test_the_csv_keeps_machine_numbers_in_french_and_the_page_reads_french(
    client: Client, shop: CareShop, director: User
) -> None:
    from django.conf import settings

    client.force_login(director)
    english_header, english_rows = csv_table(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    director.language = "fr"  # a signed-in user reads the site in their account's language
    director.save(update_fields=["language"])
    french_header, french_rows = csv_table(client)
    # "3.67", "66.7": the same numbers in every language (only the group labels are translated).
    assert french_header == english_header
    assert sorted(french_rows.values()) == sorted(english_rows.values())
    assert "3.67" in french_rows["Tents"]
    page = client.get(reverse("desk:kpis"), MARCH).content.decode()
    assert '<html lang="fr">' in page
    assert "66,7\u202f%" in page and "66.7%" not in page
    assert "<td>3,7</td>" in page  # Tents' 22 / 6 by the display rule; the CSV keeps 3.67
