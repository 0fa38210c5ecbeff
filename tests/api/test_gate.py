from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from gate.models import GateEvent, Improvement, WithdrawalNotice
from gate.policy import EventKind
from products.models import Product
from tests.api.conftest import ACTORS, error_of

pytestmark = pytest.mark.django_db


def flag(product: Product, day: date, *, average: str = "2.5", count: int = 30) -> WithdrawalNotice:
    event = GateEvent.objects.create(
        product=product, day=day, kind=EventKind.FLAGGED, average=Decimal(average), count=count, policy={}
    )
    return WithdrawalNotice.objects.create(
        product=product, flag_event=event, opened_on=day, deadline=date(day.year, day.month, 28)
    )


@pytest.fixture
def history(actors: dict[str, Any]) -> dict[str, Any]:
    product, other = actors["product"], actors["other_product"]
    notice = flag(product, date(2026, 3, 1))
    other_notice = flag(other, date(2026, 3, 2))
    withdrawn = GateEvent.objects.create(
        product=product, day=date(2026, 3, 31), kind=EventKind.WITHDRAWN, average=Decimal("2.6129"), count=31, policy={}
    )
    recovered = GateEvent.objects.create(
        product=other, day=date(2026, 3, 5), kind=EventKind.RECOVERED, average=Decimal("3.1"), count=30, policy={}
    )
    WithdrawalNotice.objects.filter(pk=other_notice.pk).update(state=WithdrawalNotice.State.RECOVERED)
    return {
        "notice": notice,
        "other_notice": other_notice,
        "flagged": notice.flag_event,
        "other_flagged": other_notice.flag_event,
        "withdrawn": withdrawn,
        "recovered": recovered,
    }


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Events -----------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_reads_gate_events(client_as: Callable[[str], APIClient], history: dict[str, Any], actor: str) -> None:
    response = client_as(actor).get("/api/v1/gate/events/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4


def test_event_rows_are_the_specs_event_with_an_id(history: dict[str, Any]) -> None:
    row = APIClient().get(f"/api/v1/gate/events/{history['withdrawn'].pk}/").json()
    assert {k: row[k] for k in ("day", "product", "kind", "average", "count")} == {
        "day": "2026-03-31",
        "product": "P1",
        "kind": "withdrawn",
        "average": 2.6129,
        "count": 31,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["withdrawn", "recovered", "other_flagged", "flagged"]),
        ("product=P1", ["withdrawn", "flagged"]),
        ("kind=flagged", ["other_flagged", "flagged"]),
        ("kind=flagged&kind=withdrawn", ["withdrawn", "other_flagged", "flagged"]),
        ("day_from=2026-03-02&day_to=2026-03-05", ["recovered", "other_flagged"]),
        ("ordering=day", ["flagged", "other_flagged", "recovered", "withdrawn"]),
        ("ordering=id", ["flagged", "other_flagged", "withdrawn", "recovered"]),
    ],
)
def test_event_filters_and_ordering(history: dict[str, Any], query: str, expected: list[str]) -> None:
    assert ids(APIClient().get(f"/api/v1/gate/events/?{query}")) == [history[name].pk for name in expected]


def test_polling_with_after_id_returns_only_newer_events(history: dict[str, Any]) -> None:
    last_seen = history["other_flagged"].pk
    assert ids(APIClient().get(f"/api/v1/gate/events/?ordering=id&after_id={last_seen}")) == [
        history["withdrawn"].pk,
        history["recovered"].pk,
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=deleted", "kind"),
        ("day_from=2026-02-30", "day_from"),
        ("day_to=tomorrow", "day_to"),
        ("after_id=-1", "after_id"),
        ("ordering=kind", "ordering"),
    ],
)
def test_bad_event_filters_are_400(history: dict[str, Any], query: str, field: str) -> None:
    response = APIClient().get(f"/api/v1/gate/events/?{query}")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_event_list_runs_a_fixed_number_of_queries(
    actors: dict[str, Any], make_product: Callable[..., Product], django_assert_max_num_queries: Any
) -> None:
    client = APIClient()
    flag(actors["product"], date(2026, 1, 1))
    client.get("/api/v1/gate/events/")
    with django_assert_max_num_queries(9) as few:
        client.get("/api/v1/gate/events/")
    for n in range(20):
        flag(make_product(f"E{n}"), date(2026, 1, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/gate/events/").json()["results"]) == 21


# --- Notices ----------------------------------------------------------------------------------
NOTICES_SEEN: dict[str, int | list[str]] = {
    "anonymous": 401,
    "shopper": 403,
    "other_manager": ["other_notice"],
    "manager": ["notice"],
    "quality_director": ["notice", "other_notice"],
    "key_read": ["notice"],
    "key_read_write": ["notice"],
}


@pytest.mark.parametrize("actor", ACTORS)
def test_notices_are_scoped_like_the_desk(
    client_as: Callable[[str], APIClient], history: dict[str, Any], actor: str
) -> None:
    response = client_as(actor).get("/api/v1/gate/notices/")
    expected = NOTICES_SEEN[actor]
    if isinstance(expected, int):
        assert response.status_code == expected
        error_of(response)
        return
    assert ids(response) == [history[name].pk for name in expected]


@pytest.mark.parametrize("actor", ACTORS)
def test_a_notice_of_a_product_one_does_not_manage_is_not_found(
    client_as: Callable[[str], APIClient], history: dict[str, Any], actor: str
) -> None:
    response = client_as(actor).get(f"/api/v1/gate/notices/{history['notice'].pk}/")
    expected = {"anonymous": 401, "shopper": 403, "other_manager": 404}.get(actor, 200)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert body["product"] == "P1"
        assert body["state"] == "open"
        assert body["flag_event"]["average"] == 2.5
    else:
        error_of(response)


def test_notice_filters(client_as: Callable[[str], APIClient], history: dict[str, Any]) -> None:
    client = client_as("quality_director")
    assert ids(client.get("/api/v1/gate/notices/?state=open")) == [history["notice"].pk]
    assert ids(client.get("/api/v1/gate/notices/?product=P2")) == [history["other_notice"].pk]
    assert client.get("/api/v1/gate/notices/?state=lost").status_code == 400


# --- Improvements -----------------------------------------------------------------------------
IMPROVEMENT = {
    "description": "Outsole compound changed",
    "public_note": "A harder outsole.",
    "addressed_phrases": ["soles wore out"],
}


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_log_an_improvement(actors: dict[str, Any], client_as: Callable[[str], APIClient], actor: str) -> None:
    response = client_as(actor).post("/api/v1/products/P1/improvements/", IMPROVEMENT, format="json")
    expected = {"anonymous": 401, "shopper": 403, "other_manager": 403, "key_read": 403}.get(actor, 201)
    assert response.status_code == expected, response.content
    product = Product.objects.get(sku="P1")
    if expected != 201:
        error_of(response)
        assert product.revision == 0
        assert not Improvement.objects.exists()
        return
    body = response.json()
    assert body["revision"] == 1 == product.revision
    assert body["public_note"] == "A harder outsole."
    assert body["addressed_phrases"] == ["soles wore out"]
    assert body["event"]["kind"] == "improved"
    author = actors["manager"] if actor.startswith("key_") else actors[actor]
    assert Improvement.objects.get().logged_by == author


def test_improving_a_withdrawn_product_reinstates_it(
    actors: dict[str, Any], client_as: Callable[[str], APIClient]
) -> None:
    Product.objects.filter(sku="P1").update(
        gate_state="withdrawn",
        on_sale=False,
        flagged_on=date(2026, 1, 1),
        withdrawal_deadline=date(2026, 1, 31),
        withdrawn_on=date(2026, 1, 31),
    )
    response = client_as("manager").post("/api/v1/products/P1/improvements/", IMPROVEMENT, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["event"]["kind"] == "reinstated"
    product = APIClient().get("/api/v1/products/P1/").json()
    assert (product["on_sale"], product["gate"]["state"]) == (True, "active")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "ok", "addressed_phrases": "not a list"}, "addressed_phrases"),
        ({"description": "ok", "addressed_phrases": ["x" * 201]}, "addressed_phrases.0"),
        ({"description": "ok", "public_note": "n" * 1001}, "public_note"),
    ],
)
def test_invalid_improvements_are_400(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], body: dict[str, Any], field: str
) -> None:
    response = client_as("manager").post("/api/v1/products/P1/improvements/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]


def test_improving_an_unknown_product_is_404(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    response = client_as("quality_director").post("/api/v1/products/NOPE/improvements/", IMPROVEMENT, format="json")
    assert response.status_code == 404


def test_notice_list_runs_a_fixed_number_of_queries(
    actors: dict[str, Any],
    make_product: Callable[..., Product],
    client_as: Callable[[str], APIClient],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as("quality_director")
    flag(actors["product"], date(2026, 1, 1))
    client.get("/api/v1/gate/notices/")
    with django_assert_max_num_queries(14) as few:
        client.get("/api/v1/gate/notices/")
    for n in range(15):
        flag(make_product(f"N{n}"), date(2026, 1, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/gate/notices/").json()["results"]) == 16
