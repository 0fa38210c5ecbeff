"""GET /api/v1/care-figures/ (issue 16, item 6): customer care's figures and the Net Promoter
Score per product, category and month, exact on hand-made cases; for API keys holding
`care` only (401 anonymous, 403 a session or a key without it), each key reading what its
owner may; no customer's name or address anywhere in an answer; a bad query is a 400
naming the parameter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
from apikeys.services import api_key_create
from care.models import Case, CaseMessage, CaseOutcome, MessageKind
from care.services import case_close, case_customer_answer, case_message_send
from products.models import Product
from reviews.services import review_edit
from tests.care_factories import care_staff_create, review_post
from tests.factories import category_create, product_create, user_create

pytestmark = pytest.mark.django_db

API = reverse("care-figures-list")
PARIS = ZoneInfo("Europe/Paris")
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
SECRET_NAME = "Camille Unhappy"


def at(month: int, day: int, hour: int) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def customer() -> User:
    n = User.objects.count()
    return user_create(username=f"unhappy{n}", email=f"camille.unhappy{n}@example.com", display_name=SECRET_NAME)


def unhappy_case(product: Product, *, rating: int, recommend: int | None, opened: datetime) -> Case:
    review = review_post(product=product, author=customer(), rating=rating, recommend=recommend, now=opened)
    return Case.objects.get(review=review)


def write(case: Case, staff: User, when: datetime) -> None:
    case_message_send(case=case, by=staff, body="We are sorry: can we help?", now=when)


def close(case: Case, staff: User, outcome: str, when: datetime, effort: int | None = None) -> None:
    case_close(case=case, by=staff, outcome=outcome, now=when)
    if effort is not None:
        closing = CaseMessage.objects.get(case=case, kind=MessageKind.CLOSING)
        case_customer_answer(message=closing, body="", effort=effort, now=when + timedelta(hours=1))


@dataclass
class Shop:
    tent: Product
    bag: Product
    manager: User  # manages the tent only


@pytest.fixture
def shop() -> Shop:
    """Tent (Tents): A contacted in 4 h, solved after that one message, effort 6; B contacted
    in 30 h (late), written twice, refunded, effort 3, its rating raised from 1 to 4 after
    the contact; C never contacted, not reachable. Bag (Bags): D contacted in 2 h, still
    open; E in April, never contacted. Recommend answers published in March: the tent 0
    (A), 5 (C), 10, 10, 9, 7; the bag 8 (D)."""
    staff = care_staff_create()
    manager = user_create(PRODUCT_MANAGER)
    tent = product_create(name="Tent", category=category_create(name="Tents"), managers=[manager])
    bag = product_create(name="Bag", category=category_create(name="Bags"))
    a = unhappy_case(tent, rating=1, recommend=0, opened=at(3, 2, 10))
    write(a, staff, at(3, 2, 14))
    close(a, staff, CaseOutcome.SOLVED, at(3, 3, 10), effort=6)
    b = unhappy_case(tent, rating=1, recommend=None, opened=at(3, 5, 10))
    write(b, staff, at(3, 6, 16))
    write(b, staff, at(3, 7, 9))
    close(b, staff, CaseOutcome.REFUNDED_REPLACED, at(3, 8, 10), effort=3)
    review_edit(
        review=b.review, author=b.review.author, rating=4, title="Sorted", body=b.review.body, language="en",
        now=at(3, 9, 10),
    )  # fmt: skip
    c = unhappy_case(tent, rating=2, recommend=5, opened=at(3, 10, 10))
    close(c, staff, CaseOutcome.NOT_REACHABLE, at(3, 12, 10))
    for recommend in (10, 10, 9, 7):
        review_post(product=tent, rating=5, recommend=recommend, now=at(3, 15, 10))
    d = unhappy_case(bag, rating=2, recommend=8, opened=at(3, 20, 10))
    write(d, staff, at(3, 20, 12))
    unhappy_case(bag, rating=1, recommend=None, opened=at(4, 2, 10))
    return Shop(tent=tent, bag=bag, manager=manager)


def keyed(owner: User, scopes: list[str] | None = None) -> APIClient:
    client = APIClient()
    key = api_key_create(name="care figures", owner=owner, scopes=scopes or ["care"]).plaintext
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def rows(client: APIClient, **query: str) -> list[dict[str, Any]]:
    response = client.get(API, {**MARCH, **query})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"])
    return list(body["results"])


def figures(key: str, label: str, *values: Any) -> dict[str, Any]:
    names = [
        "cases",
        "due",
        "contacted_in_time",
        "in_time_share",
        "median_first_contact_hours",
        "outcomes",
        "first_contact_resolution_share",
        "effort_answers",
        "effort_mean",
        "ratings_raised",
        "raised_share",
        "nps",
        "nps_answers",
    ]
    return {"key": key, "label": label, **dict(zip(names, values, strict=True))}


def outcomes(solved: int = 0, refunded: int = 0, no_answer: int = 0, not_reachable: int = 0) -> dict[str, int]:
    return {"solved": solved, "refunded_replaced": refunded, "no_answer": no_answer, "not_reachable": not_reachable}


def tent_figures(shop: Shop, key: str, label: str) -> dict[str, Any]:
    # 3 cases, all due, A in time; median of 4 h and 30 h; FCR: A of A, B; effort (6+3)/2;
    # B raised of A, B contacted; NPS: 3 promoters (10, 10, 9), 2 detractors (0, 5) of 6.
    return figures(key, label, 3, 3, 1, 33.3, 17.0, outcomes(1, 1, 0, 1), 50.0, 2, 4.5, 1, 50.0, 16.7, 6)


def bag_figures(shop: Shop, key: str, label: str) -> dict[str, Any]:
    return figures(key, label, 1, 1, 1, 100.0, 2.0, outcomes(), None, 0, None, 0, 0.0, 0.0, 1)


def test_the_figures_per_product_category_and_month_are_exact(shop: Shop) -> None:
    director = keyed(user_create(QUALITY_DIRECTOR))
    assert rows(director) == [bag_figures(shop, shop.bag.sku, "Bag"), tent_figures(shop, shop.tent.sku, "Tent")]
    assert rows(director, group="product") == rows(director)  # product is the default
    assert rows(director, group="category") == [
        bag_figures(shop, str(shop.bag.category_id), "Bags"),
        tent_figures(shop, str(shop.tent.category_id), "Tents"),
    ]
    assert rows(director, group="month", to="2026-04-30") == [
        # 4 cases: A and D in time; median of 4, 30, 2 h; B raised of 3 contacted; NPS 3-2 of 7.
        figures("2026-03", "2026-03", 4, 4, 2, 50.0, 4.0, outcomes(1, 1, 0, 1), 50.0, 2, 4.5, 1, 33.3, 14.3, 7),
        # E: due (its 24 hours are long past), never contacted.
        figures("2026-04", "2026-04", 1, 1, 0, 0.0, None, outcomes(), None, 0, None, 0, None, None, 0),
    ]


def test_every_outcome_has_its_field() -> None:
    director = keyed(user_create(QUALITY_DIRECTOR))
    unhappy_case(product_create(), rating=1, recommend=None, opened=timezone.now() - timedelta(hours=1))
    (row,) = director.get(API).json()["results"]
    assert set(row["outcomes"]) == set(CaseOutcome.values)


def test_a_case_still_inside_its_target_is_not_due_yet() -> None:
    """Without dates: the 90 days through today; the case opened an hour ago may still make it."""
    director = keyed(user_create(QUALITY_DIRECTOR))
    unhappy_case(product_create(name="Lamp"), rating=1, recommend=None, opened=timezone.now() - timedelta(hours=1))
    (row,) = director.get(API).json()["results"]
    assert (row["label"], row["cases"], row["due"], row["contacted_in_time"], row["in_time_share"]) == (
        "Lamp", 1, 0, 0, None,
    )  # fmt: skip


def test_a_key_reads_what_its_owner_may(shop: Shop) -> None:
    assert rows(keyed(shop.manager)) == [tent_figures(shop, shop.tent.sku, "Tent")]
    assert [row["label"] for row in rows(keyed(care_staff_create()))] == ["Bag", "Tent"]


def test_no_customer_name_or_address_is_in_any_answer(shop: Shop) -> None:
    director = keyed(user_create(QUALITY_DIRECTOR))
    for group in ("product", "category", "month"):
        text = director.get(API, {**MARCH, "group": group}).content.decode()
        assert "example.com" not in text and SECRET_NAME not in text and "unhappy" not in text
        assert "We are sorry" not in text


def test_the_api_is_for_keys_holding_care_only(shop: Shop) -> None:
    assert APIClient().get(API).status_code == 401
    session = APIClient()
    director = user_create(QUALITY_DIRECTOR)
    session.force_login(director)
    refused = session.get(API)
    assert refused.status_code == 403 and "`care`" in refused.json()["error"]["message"]
    read_only = keyed(director, ["read"]).get(API)
    assert read_only.status_code == 403
    assert read_only.json()["error"]["message"] == (
        "This API key lacks the `care` scope: ask an administrator for a key that holds it."
    )
    assert keyed(director, ["orders", "read", "write"]).get(API).status_code == 403
    # A key holding `care` whose owner has no role reads nothing: 403, not an empty list.
    assert keyed(user_create()).get(API).status_code == 403
    assert keyed(director, ["care", "read"]).get(API).status_code == 200


def test_the_rows_are_paged(shop: Shop) -> None:
    body = keyed(care_staff_create()).get(API, {**MARCH, "page_size": "1", "page": "2"}).json()
    assert (body["count"], [row["label"] for row in body["results"]], body["next"]) == (2, ["Tent"], None)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"group": "manager"}, "group"),
        ({"from": "2026-3-01"}, "from"),
        ({"to": "01/03/2026"}, "to"),
        ({"to": "2026-02-30"}, "to"),
        ({"from": "2026-04-01", "to": "2026-03-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-03-01"}, "from"),
        ({"to": ""}, "to"),  # sent empty: not a day (the schema's date), not "absent"
        ({"from": ""}, "from"),
        ({"group": ""}, "group"),
        # Days whose midnights Python cannot hold: a 400, never a 500.
        ({"to": "0001-01-01"}, "to"),
        ({"from": "9999-12-30", "to": "9999-12-31"}, "to"),
        ({"from": "9999-12-31"}, "from"),
        # No `to`: the period ends today, so a later `from` is the value at fault.
        ({"from": "9999-01-01"}, "from"),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(query: dict[str, str], field: str) -> None:
    response = keyed(care_staff_create()).get(API, query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "invalid" and list(body["error"]["fields"]) == [field]


@pytest.mark.parametrize(
    "query",
    [{"from": "9999-12-28", "to": "9999-12-30", "group": "month"}, {"from": "1900-01-01", "to": "1900-03-01"}],
)
def test_the_earliest_and_latest_days_are_answered(query: dict[str, str]) -> None:
    response = keyed(care_staff_create()).get(API, query)
    assert (response.status_code, response.json()["results"]) == (200, [])
